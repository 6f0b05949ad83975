<#
    WRONG on purpose: datacenter-switchback.ps1 without step 1 - the databases are moved back
    to Portland before Start-DatabaseAvailabilityGroup.

    EX1 and EX2 are still on the StoppedMailboxServers list and not nodes of the cluster: Active
    Manager won't activate a copy there, and the moves fail. The databases stay in Redmond.
#>

$DAG   = "DAG1"
$Homes = @{ DB1 = "EX1"; DB2 = "EX2"; DB3 = "EX1"; DB4 = "EX2" }

foreach ($db in $Homes.Keys | Sort-Object) {
    Move-ActiveMailboxDatabase -Identity $db -ActivateOnServer $Homes[$db] -Confirm:$false | Out-Null
}
Get-MailboxDatabaseCopyStatus * | Where-Object { $_.Status -eq "Mounted" } | Format-Table Name, Status -AutoSize
