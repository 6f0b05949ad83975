Write-Warning 'The database is not mounted.'
Write-Verbose 'not shown'
Write-Verbose 'shown' -Verbose
