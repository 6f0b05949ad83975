<#
    server-maintenance.ps1 - take a DAG member out of service for patching, then put it back.

    Lab: two-datacenter (DAG1, members EX1 EX2 in Portland, EX3 EX4 in Redmond).
    Target: EX1. Its active databases (DB1, DB3) go to EX2, the other Portland member, so
    clients stay in the Portland site.

    Exchange 2010 SP3 has no DatabaseCopyActivationDisabledAndMoveNow: we do by hand what
    StartDagServerMaintenance.ps1 does - block automatic activation on the server, move its
    active databases away (server switchover), suspend activation of its copies - and undo it
    all afterwards. Run from EMS on EX2. Every command says -Confirm:$false: this runbook is
    replayed unattended.
#>

$Server    = "EX1"
$Partner   = "EX2"
$Preferred = "DB1", "DB3"      # databases whose ActivationPreference 1 is EX1

# --- 0. Pre-checks: every copy must be healthy before we take a member away ------------------
$unhealthy = Get-MailboxDatabaseCopyStatus * | Where-Object { $_.Status -notin "Mounted", "Healthy" }
if ($unhealthy) {
    $unhealthy | Format-Table Name, Status, CopyQueueLength, ReplayQueueLength -AutoSize
    throw "Not every database copy is healthy: fix that before taking $Server out of service."
}

# --- 1. No automatic activation on EX1 while it is being patched ------------------------------
Set-MailboxServer -Identity $Server -DatabaseCopyAutoActivationPolicy Blocked

# --- 2. Server switchover: move every database that is active on EX1 to EX2 --------------------
Move-ActiveMailboxDatabase -Server $Server -ActivateOnServer $Partner -Confirm:$false

# --- 3. Suspend activation of EX1's copies (they keep replicating) ----------------------------
Get-MailboxDatabaseCopyStatus -Server $Server |
    Suspend-MailboxDatabaseCopy -ActivationOnly -SuspendComment "Patching $Server" -Confirm:$false

# Check: nothing may be mounted on EX1 any more
$stillActive = Get-MailboxDatabaseCopyStatus -Server $Server | Where-Object { $_.Status -eq "Mounted" }
if ($stillActive) { throw "Still active on ${Server}: $($stillActive.Name -join ', ')" }

# --- 4. Patch EX1 now (update rollup, restart) -------------------------------------------------
Write-Host "$Server is out of service: install the update rollup and restart it now."

# --- 5. Back in service: resume activation, unblock ---------------------------------------------
Get-MailboxDatabaseCopyStatus -Server $Server | Resume-MailboxDatabaseCopy -Confirm:$false
Set-MailboxServer -Identity $Server -DatabaseCopyAutoActivationPolicy Unrestricted

# --- 6. Rebalance: DB1 and DB3 back to EX1, their preferred server ------------------------------
foreach ($db in $Preferred) {
    Move-ActiveMailboxDatabase -Identity $db -ActivateOnServer $Server -Confirm:$false | Out-Null
}

# Final check
Get-MailboxDatabaseCopyStatus -Server $Server |
    Format-Table Name, Status, CopyQueueLength, ReplayQueueLength, ActivationSuspended -AutoSize
