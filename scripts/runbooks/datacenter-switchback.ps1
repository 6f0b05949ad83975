<#
    datacenter-switchback.ps1 - bring DAG1 back to Portland after a datacenter switchover.

    Lab: two-datacenter after datacenter-switchover.ps1, once Portland's power and WAN are back.
    Replay it on the switched-over organisation with --before "Start-SimSite Portland" (for
    example: ems --state lab.json --replay datacenter-switchover.ps1 --before "Stop-SimSite Portland",
    then ems --state lab.json --replay datacenter-switchback.ps1 --before "Start-SimSite Portland").

    DB1-DB4 are active in Redmond. EX1 and EX2 are on the StoppedMailboxServers list and are no
    longer nodes of the cluster, which runs on EX3 + EX4 with the alternate witness FS2.
    The Exchange 2010 switchback for a DAC-mode DAG:
      1. Start-DatabaseAvailabilityGroup for Portland: EX1 and EX2 rejoin the DAG and its cluster
      2. Set-DatabaseAvailabilityGroup -Identity: four members again, primary witness FS1
      3. let the Portland copies resynchronize (reseed any that can't)
      4. at the scheduled time: dismount in Redmond, move the client namespace back, activate
         every database on its Portland server and mount it
    Run from EMS on EX1.
#>

$DAG         = "DAG1"
$PrimarySite = "Portland"
$Returning   = "EX1", "EX2"
$Homes       = @{ DB1 = "EX1"; DB2 = "EX2"; DB3 = "EX1"; DB4 = "EX2" }

# --- 0. Where do we stand? ------------------------------------------------------------------------
Get-DatabaseAvailabilityGroup -Identity $DAG -Status |
    Format-List Name, Servers, OperationalServers, StartedMailboxServers, StoppedMailboxServers, WitnessShareInUse

# --- 1. Re-incorporate the Portland members ------------------------------------------------------
Start-DatabaseAvailabilityGroup -Identity $DAG -ActiveDirectorySite $PrimarySite -Confirm:$false

# --- 2. Re-apply the quorum model: node and file share majority with FS1 -------------------------
Set-DatabaseAvailabilityGroup -Identity $DAG

$dagInfo = Get-DatabaseAvailabilityGroup -Identity $DAG -Status
$dagInfo | Format-List Name, OperationalServers, StartedMailboxServers, StoppedMailboxServers, WitnessShareInUse
if ($dagInfo.StoppedMailboxServers.Count -ne 0) { throw "Still stopped: $($dagInfo.StoppedMailboxServers -join ', ')" }
if ($dagInfo.WitnessShareInUse -ne "Primary") { throw "The cluster doesn't use the primary witness FS1 yet." }

# --- 3. The Portland copies resynchronize; reseed any that can't ---------------------------------
foreach ($server in $Returning) {
    foreach ($copy in Get-MailboxDatabaseCopyStatus -Server $server) {
        if ($copy.Status -eq "FailedAndSuspended") {
            Update-MailboxDatabaseCopy -Identity $copy.Name -DeleteExistingFiles -Confirm:$false
        }
    }
}
$behind = foreach ($server in $Returning) {
    Get-MailboxDatabaseCopyStatus -Server $server | Where-Object { $_.Status -ne "Healthy" }
}
if ($behind) {
    $behind | Format-Table Name, Status, CopyQueueLength, ReplayQueueLength -AutoSize
    throw "Portland copies are not healthy yet: don't move the databases back."
}

# --- 4. Scheduled switchback: dismount in Redmond, move back, mount in Portland -------------------
foreach ($db in $Homes.Keys | Sort-Object) {
    Dismount-Database -Identity $db -Confirm:$false
}
# (point mail.contoso.com back at Portland here - DNS, outside Exchange)
foreach ($db in $Homes.Keys | Sort-Object) {
    Move-ActiveMailboxDatabase -Identity $db -ActivateOnServer $Homes[$db] -Confirm:$false | Out-Null
    Mount-Database -Identity $db
}

# --- 5. Check --------------------------------------------------------------------------------------
foreach ($server in $Returning) {
    Get-MailboxDatabaseCopyStatus -Server $server | Format-Table Name, Status, CopyQueueLength, ReplayQueueLength -AutoSize
}
