# Calculated properties: Name/Label, Expression (name or script), FormatString; keys
# abbreviated to unambiguous prefixes; a bare script block is labelled with its text.
# (Both tables are auto-sized: once Out-Default has buffered a table to size it, it keeps
# doing so for the rest of the script, as 5.1 does.)
$o = [pscustomobject]@{Name='DB1';Size=1536.5;Count=7}
$o | Format-Table @{n='Database';e={$_.Name}}, @{l='MB';e='Size';f='N2'}, {$_.Count * 2}
$o | ft @{name='Fmt';e={$_.Size};FormatString='{0:N0} MB'}
