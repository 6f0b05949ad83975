# width: 60
# Once Out-Default has buffered a group to size it (a table whose first column has no declared
# width, or -AutoSize), it keeps doing so for the rest of its input: a later view with declared
# widths (the hashtable view, Name 30) is auto-sized, and so is a later Format-Wide without
# -Column (best fit instead of two columns). 5.1 OutCommandInner.ProcessObject turns group
# caching on for such a FormatStartData and nothing turns it off; ProcessCachedGroup then sizes
# every group. Before that, the same view keeps its declared widths.
$items = 'alpha','beta','gamma','delta','epsilon' | ForEach-Object { [pscustomobject]@{Name=$_} }
@{Server='EX1'} | Format-Table
$items | Format-Wide
[pscustomobject]@{Name='DB1'} | Format-Table
@{Server='EX1'} | Format-Table
$items | Format-Wide
