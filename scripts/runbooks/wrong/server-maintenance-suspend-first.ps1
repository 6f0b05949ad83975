<#
    WRONG on purpose: server-maintenance.ps1 with steps 2 and 3 swapped.

    The copies on EX1 are suspended before its active databases were moved away. DB1 and DB3
    are still active on EX1, and an active copy can't be suspended: Suspend-MailboxDatabaseCopy
    fails for them. (The other steps still run, so the DAG ends up sound, but the runbook is
    wrong and the replay says so.)
#>

$Server    = "EX1"
$Partner   = "EX2"
$Preferred = "DB1", "DB3"

Set-MailboxServer -Identity $Server -DatabaseCopyAutoActivationPolicy Blocked

# Suspend first (wrong: DB1 and DB3 are still active here)
Get-MailboxDatabaseCopyStatus -Server $Server |
    Suspend-MailboxDatabaseCopy -ActivationOnly -SuspendComment "Patching $Server" -Confirm:$false

Move-ActiveMailboxDatabase -Server $Server -ActivateOnServer $Partner -Confirm:$false

Write-Host "$Server is out of service: install the update rollup and restart it now."

Get-MailboxDatabaseCopyStatus -Server $Server | Resume-MailboxDatabaseCopy -Confirm:$false
Set-MailboxServer -Identity $Server -DatabaseCopyAutoActivationPolicy Unrestricted
foreach ($db in $Preferred) {
    Move-ActiveMailboxDatabase -Identity $db -ActivateOnServer $Server -Confirm:$false | Out-Null
}
