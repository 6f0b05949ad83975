<#
    WRONG on purpose: datacenter-switchover.ps1 with Restore-DatabaseAvailabilityGroup run
    before Stop-DatabaseAvailabilityGroup.

    Restore evicts the members on the StoppedMailboxServers list; nothing is on it yet, so
    there is nothing to evict and no way to shrink the quorum. Restore-DatabaseAvailabilityGroup
    requires a prior Stop-DatabaseAvailabilityGroup and fails. (Reference: exchange-behaviour.md
    S-4, V-10.)
#>

$DAG           = "DAG1"
$FailedSite    = "Portland"
$SurvivingSite = "Redmond"
$Survivors     = "EX3", "EX4"

foreach ($server in $Survivors) {
    Get-Service ClusSvc -ComputerName $server | Stop-Service
}

# WRONG: Restore first
Restore-DatabaseAvailabilityGroup -Identity $DAG -ActiveDirectorySite $SurvivingSite -Confirm:$false -ErrorAction Stop

Stop-DatabaseAvailabilityGroup -Identity $DAG -ActiveDirectorySite $FailedSite -ConfigurationOnly -Confirm:$false
