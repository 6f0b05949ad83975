# -GroupBy: a "   Label: value" header between blank lines per group; each group sized alone.
$rows = [pscustomobject]@{Server='EX1';Db='DB1'},[pscustomobject]@{Server='EX1';Db='DatabaseTwo'},[pscustomobject]@{Server='EX2';Db='DB3'}
$rows | Format-Table Db -GroupBy Server
$rows | Format-List Db -GroupBy @{n='Host';e={$_.Server}}
