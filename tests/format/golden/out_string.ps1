# Out-String renders at -Width exactly; -Stream gives one string per line.
$o = [pscustomobject]@{Name='DB1';Description='a description that is long enough to be cut'}
$o | Format-Table | Out-String -Width 30
($o | Out-String -Stream -Width 30).Count
(1,2 | Out-String) -eq "1`n2`n"
