# Each Format-* command is its own document; the implicit formatter's open table is closed
# before a Format-* document starts.
[pscustomobject]@{a=1}
[pscustomobject]@{b=2} | Format-List
[pscustomobject]@{c=3} | Format-Table
