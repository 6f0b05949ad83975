<#
    WRONG on purpose: datacenter-switchover.ps1 without step 2 - the Cluster service is still
    running on EX3 and EX4 when Restore-DatabaseAvailabilityGroup is run.

    The Exchange 2010 procedure stops the Cluster service on every surviving member first, so
    that Restore-DatabaseAvailabilityGroup can force-evict the Portland members and start the
    cluster again with a shrunk quorum. Restore refuses while ClusSvc runs; the databases stay
    dismounted. (Reference: exchange-behaviour.md S-3, S-4.)
#>

$DAG           = "DAG1"
$FailedSite    = "Portland"
$SurvivingSite = "Redmond"
$AltWitness    = "FS2"
$AltWitnessDir = "C:\DAG1"

Stop-DatabaseAvailabilityGroup -Identity $DAG -ActiveDirectorySite $FailedSite -ConfigurationOnly -Confirm:$false

# (step 2, stopping ClusSvc on EX3 and EX4, forgotten)

Restore-DatabaseAvailabilityGroup -Identity $DAG -ActiveDirectorySite $SurvivingSite -AlternateWitnessServer $AltWitness -AlternateWitnessDirectory $AltWitnessDir -Confirm:$false -ErrorAction Stop

Get-MailboxDatabaseCopyStatus * | Where-Object { $_.Status -eq "Mounted" } | Format-Table Name, Status -AutoSize
