<#
    WRONG on purpose: datacenter-switchover.ps1 with step 1 run without -ConfigurationOnly.

    Portland can't be contacted, yet Stop-DatabaseAvailabilityGroup is asked to stop the
    Portland members themselves, not just to record them as stopped in Active Directory.
    Exchange can't reach EX1 and EX2 and the command fails; the check after it stops the runbook
    before anything touches the cluster. (Reference: exchange-behaviour.md S-1, S-2.)
#>

$DAG           = "DAG1"
$FailedSite    = "Portland"
$SurvivingSite = "Redmond"
$Survivors     = "EX3", "EX4"

# --- 1. Mark the Portland members stopped (WRONG: no -ConfigurationOnly) -------------------------
Stop-DatabaseAvailabilityGroup -Identity $DAG -ActiveDirectorySite $FailedSite -Confirm:$false

$dagInfo = Get-DatabaseAvailabilityGroup -Identity $DAG
if ($dagInfo.StoppedMailboxServers.Count -ne 2) {
    throw "Expected EX1 and EX2 on the StoppedMailboxServers list, found: $($dagInfo.StoppedMailboxServers -join ', ')"
}

foreach ($server in $Survivors) {
    Get-Service ClusSvc -ComputerName $server | Stop-Service
}
Restore-DatabaseAvailabilityGroup -Identity $DAG -ActiveDirectorySite $SurvivingSite -Confirm:$false
