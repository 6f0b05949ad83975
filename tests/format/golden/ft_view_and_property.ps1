# -View names a view and -Property builds one: together they are a terminating error of the
# Format-* command (FormatCannotSpecifyViewAndProperty); the next statement still runs.
[pscustomobject]@{Name='DB1'} | Format-Table Name -View Default
'next'
