# With a real view (CommandInfo), an object the view does not apply to prints out of band
# as a list.
Get-Command Get-Date
[pscustomobject]@{Name='not a command';Kind='custom'}
