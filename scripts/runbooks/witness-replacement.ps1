<#
    witness-replacement.ps1 - move the file share witness of DAG1 to another server.

    Lab: two-datacenter. The witness FS1 (Portland) has failed and won't be repaired
    (replay with --before "Stop-SimServer FS1"); the planned decommissioning of FS1 uses the
    same steps. The new witness is FS3 in Olympia, a third site, so that losing either
    datacenter no longer takes the witness with it. FS3 already has Exchange Trusted
    Subsystem in its local Administrators group, and C:\DAG1 on FS3 isn't used by another DAG.

    Changing the witness needs quorum: with four members up (4 of 5 votes) the DAG keeps
    quorum without its witness. Run from EMS on any member.
#>

$DAG           = "DAG1"
$NewWitness    = "FS3"
$WitnessFolder = "C:\DAG1"

# --- 0. Pre-check: every member up and in the cluster, so the DAG has quorum without FS1 -------
$status = Get-DatabaseAvailabilityGroup -Identity $DAG -Status
$status | Format-List Name, Servers, OperationalServers, WitnessServer, WitnessDirectory, WitnessShareInUse
if ($status.OperationalServers.Count -ne $status.Servers.Count) {
    throw "Only $($status.OperationalServers.Count) of $($status.Servers.Count) members are operational: don't touch the witness now."
}

# --- 1. Point the DAG at the new witness (Exchange creates and shares the folder on FS3) ------
Set-DatabaseAvailabilityGroup -Identity $DAG -WitnessServer $NewWitness -WitnessDirectory $WitnessFolder

# --- 2. Re-apply the quorum model so the cluster uses the new share now ------------------------
Set-DatabaseAvailabilityGroup -Identity $DAG

# --- 3. Check -----------------------------------------------------------------------------------
$status = Get-DatabaseAvailabilityGroup -Identity $DAG -Status
$status | Format-List Name, WitnessServer, WitnessDirectory, WitnessShareInUse, AlternateWitnessServer
if ($status.WitnessServer -notlike "$NewWitness.*") { throw "The witness is still $($status.WitnessServer)." }
if ($status.WitnessShareInUse -ne "Primary") { throw "The cluster doesn't use the primary witness share." }
