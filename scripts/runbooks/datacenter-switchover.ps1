<#
    datacenter-switchover.ps1 - activate DAG1 in Redmond after losing the Portland datacenter.

    Lab: two-datacenter. DAG1 is in DAC mode (DatacenterActivationMode DagOnly): EX1, EX2 and
    the witness FS1 are in Portland; EX3, EX4 and the alternate witness FS2 in Redmond.
    Replay with: --before "Stop-SimSite Portland" (power, WAN and every machine in Portland gone).

    EX3 and EX4 now hold 2 of 5 votes: the DAG has no quorum and every database is
    dismounted. The Exchange 2010 datacenter switchover for a DAC-mode DAG:
      1. mark the Portland members stopped - configuration only, Portland can't be contacted
      2. stop the Cluster service on the Redmond members
      3. Restore-DatabaseAvailabilityGroup in Redmond: evicts the stopped members, shrinks the
         quorum to EX3 + EX4 and switches the cluster to the alternate witness FS2
      4. activate the databases in Redmond
    Then point the client namespace (mail.contoso.com) at Redmond - DNS, outside Exchange.
    Run from EMS on EX3; every command says -Confirm:$false.
#>

$DAG           = "DAG1"
$FailedSite    = "Portland"
$SurvivingSite = "Redmond"
$Survivors     = "EX3", "EX4"
$AltWitness    = "FS2"
$AltWitnessDir = "C:\DAG1"

# --- 0. What is left? -----------------------------------------------------------------------------
Get-DatabaseAvailabilityGroup -Identity $DAG -Status |
    Format-List Name, Servers, OperationalServers, StartedMailboxServers, StoppedMailboxServers, WitnessShareInUse

# --- 1. Mark the Portland members stopped (Active Directory only) --------------------------------
Stop-DatabaseAvailabilityGroup -Identity $DAG -ActiveDirectorySite $FailedSite -ConfigurationOnly -Confirm:$false

# Check: EX1 and EX2 are stopped, EX3 and EX4 still started
$dagInfo = Get-DatabaseAvailabilityGroup -Identity $DAG
if ($dagInfo.StoppedMailboxServers.Count -ne 2) {
    throw "Expected EX1 and EX2 on the StoppedMailboxServers list, found: $($dagInfo.StoppedMailboxServers -join ', ')"
}

# --- 2. Stop the Cluster service on every surviving member ---------------------------------------
foreach ($server in $Survivors) {
    Get-Service ClusSvc -ComputerName $server | Stop-Service
}

# --- 3. Restore DAG1 in Redmond with the alternate witness ---------------------------------------
Restore-DatabaseAvailabilityGroup -Identity $DAG -ActiveDirectorySite $SurvivingSite -AlternateWitnessServer $AltWitness -AlternateWitnessDirectory $AltWitnessDir -Confirm:$false

Get-DatabaseAvailabilityGroup -Identity $DAG -Status |
    Format-List Name, OperationalServers, StartedMailboxServers, StoppedMailboxServers, WitnessShareInUse, PrimaryActiveManager

# --- 4. Activate the databases in Redmond --------------------------------------------------------
# Once the cluster is back, Active Manager activates the best Redmond copy of every database.
# Whatever it left dismounted is activated on EX3 by hand: Portland is gone, so the last logs
# can't be copied from it - accept the loss (the transport dumpster resubmits the messages).
foreach ($db in Get-MailboxDatabase) {
    $mounted = Get-MailboxDatabaseCopyStatus -Identity $db.Name | Where-Object { $_.Status -eq "Mounted" }
    if (-not $mounted) {
        Move-ActiveMailboxDatabase -Identity $db.Name -ActivateOnServer EX3 -MountDialOverride BestEffort -SkipLagChecks -Confirm:$false
    }
}

# --- 5. Check: every database mounted in Redmond -------------------------------------------------
$notMounted = Get-MailboxDatabase | Where-Object {
    -not (Get-MailboxDatabaseCopyStatus -Identity $_.Name | Where-Object { $_.Status -eq "Mounted" })
}
if ($notMounted) { throw "Not mounted: $($notMounted.Name -join ', ')" }
foreach ($server in $Survivors) {
    Get-MailboxDatabaseCopyStatus -Server $server | Format-Table Name, Status, CopyQueueLength, ReplayQueueLength -AutoSize
}
