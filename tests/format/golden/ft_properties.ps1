# Format-Table -Property: names, wildcards, and a plain name that does not exist still
# makes a (blank) column.
$a = [pscustomobject]@{Name='DB1';CopyQueueLength=0;ReplayQueueLength=12;Status='Healthy'}
$a | Format-Table Name,*Queue*,Missing
$a | ft status, name
