# width: 60
# Format-Wide: two columns by default, -Column N, a chosen property, -AutoSize fits as many
# columns as the longest item allows.
$items = 'alpha','beta','gamma','delta','epsilon' | ForEach-Object { [pscustomobject]@{Name=$_;Other=$_.Length} }
$items | Format-Wide
$items | Format-Wide -Column 3
$items | Format-Wide Other -Column 4
$items | Format-Wide -AutoSize
