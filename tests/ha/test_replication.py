"""§7 log streams, queues, lag, resync, reseed, dumpster; §8 copy states."""
from __future__ import annotations

import datetime as dt

from tests.ha.conftest import details, events, one_site_dag, status, two_site_dag, value


def test_logs_flow_from_active_to_passive():
    sh = one_site_dag(2)
    start = status(sh, r"DB1\EX1").LastLogGenerated
    sh.run("Start-Sleep -Seconds 30; Send-SimMail DB1 -Count 3")
    p = status(sh, r"DB1\EX2")
    assert p.LastLogGenerated == start + 3
    assert (p.LastLogCopied, p.LastLogInspected, p.LastLogReplayed) == (start + 3,) * 3
    assert (p.CopyQueueLength, p.ReplayQueueLength) == (0, 0)
    assert p.LastInspectedLogTime == p.LatestAvailableLogTime == sh.org.now()


def test_blocked_copy_stays_healthy_while_its_queue_grows():
    sh = one_site_dag(2)
    sh.run(r"Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 5")
    p = status(sh, r"DB1\EX2")
    assert (p.Status, p.CopyQueueLength, p.ReplayQueueLength) == ("Healthy", 5, 0)
    assert p.LastLogInspected == p.LastLogGenerated - 5
    sh.run(r"Unblock-SimReplication DB1\EX2")
    assert status(sh, r"DB1\EX2").CopyQueueLength == 0
    assert "Block-SimReplication" not in sh.run(r"Block-SimReplication DB1\EX1").error_text or True
    assert "is the active copy" in str(sh.run(r"Block-SimReplication DB1\EX1").errors[0])


def test_lagged_copy_replays_when_the_clock_passes_its_lag():
    sh = one_site_dag(2)
    sh.run(r"Set-MailboxDatabaseCopy DB1\EX2 -ReplayLagTime 0.01:00:00 -TruncationLagTime 0.02:00:00")
    sh.run("Send-SimMail DB1 -Count 4")
    p = status(sh, r"DB1\EX2")
    assert (p.CopyQueueLength, p.ReplayQueueLength) == (0, 4)
    sh.run("Start-Sleep -Seconds 1800; Send-SimMail DB1 -Count 2")
    assert status(sh, r"DB1\EX2").ReplayQueueLength == 6
    sh.run("Start-Sleep -Seconds 1801")
    assert status(sh, r"DB1\EX2").ReplayQueueLength == 2  # the first four are an hour old now
    sh.run("Start-Sleep -Seconds 1800")
    assert status(sh, r"DB1\EX2").ReplayQueueLength == 0
    lags = value(sh, "Get-MailboxDatabase DB1")
    assert [str(kv) for kv in lags.TruncationLagTimes][-1].endswith("02:00:00]")


def test_copy_states_service_down_and_disconnected():
    sh = two_site_dag("FS1")
    sh.run("Stop-SimServer EX2 -Crash")
    assert status(sh, r"DB1\EX2").Status == "ServiceDown"
    sh.run("Start-SimServer EX2")
    assert status(sh, r"DB1\EX2").Status == "Healthy"
    org = sh.org
    org.servers["ex2"].replication_service = False
    org.react("replication service stopped")
    s = status(sh, r"DB1\EX2")
    assert s.Status == "ServiceDown" and "may not be running" in s.ErrorMessage
    org.servers["ex2"].replication_service = True
    org.react("replication service started")
    sh.run("Disconnect-SimSiteLink -Site Portland,Redmond")
    assert status(sh, r"DB1\EX2").Status == "DisconnectedAndHealthy"


def test_old_active_disconnected_and_resynchronizing():
    sh = one_site_dag(3)
    sh.run(r"Block-SimReplication DB1\EX2; Block-SimReplication DB1\EX3; Send-SimMail DB1 -Count 3; "
           "Stop-SimServer EX1 -Crash")
    assert str(value(sh, "Get-MailboxDatabase DB1").Server) == "EX2"
    sh.run("Disconnect-SimNetwork EX1 -Network MAPI; Disconnect-SimNetwork EX1 -Network Replication; "
           "Start-SimServer EX1")
    assert status(sh, r"DB1\EX1").Status == "DisconnectedAndResynchronizing"
    sh.run("Connect-SimNetwork EX1 -Network Replication")
    s = status(sh, r"DB1\EX1")
    assert (s.Status, s.CopyQueueLength) == ("Healthy", 0)
    assert "discarded 3 divergent log(s)" in details(sh, "-Event Resynchronized")


def test_a_diverged_copy_counts_only_the_logs_it_shares_with_the_stream():
    sh = two_site_dag("FS1")
    sh.run(r"Set-MailboxServer EX2 -AutoDatabaseMountDial BestAvailability; Block-SimReplication DB1\EX2; "
           "Send-SimMail DB1 -Count 3; Stop-SimServer EX1 -Crash")
    assert str(value(sh, "Get-MailboxDatabase DB1").Server) == "EX2"
    stream = status(sh, r"DB1\EX2").LastLogGenerated
    # Redmond is cut off, Portland returns with the witness: EX1 (diverged) is the only candidate
    sh.run("Disconnect-SimSiteLink -Site Portland,Redmond; Start-SimServer EX1")
    db = value(sh, "Get-MailboxDatabase DB1 -Status")
    assert (str(db.Server), db.Mounted) == ("EX1", True)
    # EX1 shares only generation 1 with the stream: EX2's mount and its 3 redelivered messages are lost
    # (and redelivered once more); EX1's own old generations 2-4 are discarded
    assert "Database 'DB1': generations 2-5 (4 log(s)) lost with 3 message(s)" in details(sh, "-Event LogsLost")
    assert status(sh, r"DB1\EX1").LastLogGenerated == stream
    assert sum(m.ItemCount for m in value(sh, "Get-Mailbox | Get-MailboxStatistics")) == 33
    sh.run("Connect-SimSiteLink -Site Portland,Redmond")
    s = status(sh, r"DB1\EX2")
    assert (s.Status, s.CopyQueueLength) == ("Healthy", 0)


def test_circular_logging_truncation_leaves_a_returning_copy_failed_and_suspended():
    sh = one_site_dag(3)
    sh.run("Set-MailboxDatabase DB1 -CircularLoggingEnabled $true; Stop-SimServer EX3; Send-SimMail DB1 -Count 5")
    sh.run("Start-SimServer EX3")  # 2010: a copy that was down didn't hold truncation
    s = status(sh, r"DB1\EX3")
    assert s.Status == "FailedAndSuspended" and "were truncated on the active copy" in s.ErrorMessage
    assert not sh.run(r"Update-MailboxDatabaseCopy DB1\EX3 -DeleteExistingFiles -Confirm:$false").errors
    assert status(sh, r"DB1\EX3").Status == "Healthy"
    sh.run("Set-MailboxDatabase DB1 -CircularLoggingEnabled $false; Stop-SimServer EX3; Send-SimMail DB1 -Count 5;"
           "Start-SimServer EX3")
    assert status(sh, r"DB1\EX3").Status == "Healthy"  # without circular logging nothing was truncated


def test_divergent_copy_fails_when_the_active_truncated_the_logs_it_needs():
    sh = one_site_dag(3)
    sh.run(r"Set-MailboxDatabase DB1 -CircularLoggingEnabled $true; Set-MailboxServer EX2 -AutoDatabaseMountDial "
           r"BestAvailability; Block-SimReplication DB1\EX2; Block-SimReplication DB1\EX3; Send-SimMail DB1 -Count 3")
    sh.run("Stop-SimServer EX1 -Crash")
    assert str(value(sh, "Get-MailboxDatabase DB1").Server) == "EX2"
    sh.run(r"Unblock-SimReplication DB1\EX3; Send-SimMail DB1 -Count 4; Start-SimServer EX1")
    s = status(sh, r"DB1\EX1")
    assert s.Status == "FailedAndSuspended" and "no longer has the log files" in s.ErrorMessage


def test_dumpster_limits():
    sh = one_site_dag(2)
    sh.run(r"Set-TransportConfig -MaxDumpsterSizePerDatabase '8KB'; Set-MailboxServer EX2 -AutoDatabaseMountDial "
           r"BestAvailability; Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 4")
    sh.run("Stop-SimServer EX1 -Crash")
    # 8 KB holds the last two 4 KB messages: two come back, two are lost for good
    assert "the transport dumpster holds 2 of them" in details(sh, "-Event LogsLost")
    stats = {m.DisplayName: m.ItemCount for m in value(sh, "Get-Mailbox | Get-MailboxStatistics")}
    assert stats == {"user1": 11, "user2": 11}


def test_dumpster_time_limit_and_replicated_messages_leave_it():
    sh = one_site_dag(2)
    sh.run("Send-SimMail DB1 -Count 3")
    assert sh.org.databases["db1"].dumpster == []  # 2010: replicated to every copy -> dropped
    sh.run(r"Set-TransportConfig -MaxDumpsterTime 01:00:00; Set-MailboxServer EX2 -AutoDatabaseMountDial "
           r"BestAvailability; Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 2")
    assert len(sh.org.databases["db1"].dumpster) == 2
    sh.run("Start-Sleep -Seconds 3601; Stop-SimServer EX1 -Crash")
    assert "the transport dumpster holds 0 of them" in details(sh, "-Event LogsLost")
    assert sum(m.ItemCount for m in value(sh, "Get-Mailbox | Get-MailboxStatistics")) == 23


def test_dumpster_disabled_when_a_limit_is_zero():
    sh = one_site_dag(2)
    sh.run(r"Set-TransportConfig -MaxDumpsterSizePerDatabase 0; Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 2")
    assert sh.org.databases["db1"].dumpster == []


def test_redelivery_waits_for_a_hub():
    sh = one_site_dag(2)
    org = sh.org
    org.servers["ex2"].roles.remove("HubTransport")
    sh.run(r"Set-MailboxServer EX2 -AutoDatabaseMountDial BestAvailability; Block-SimReplication DB1\EX2; "
           "Send-SimMail DB1 -Count 2; Stop-SimServer EX1 -Crash")
    assert sum(m.ItemCount for m in value(sh, "Get-Mailbox | Get-MailboxStatistics")) == 20
    sh.run("Start-SimServer EX1")  # its Hub Transport role redelivers
    assert sum(m.ItemCount for m in value(sh, "Get-Mailbox | Get-MailboxStatistics")) == 22
    assert "The transport dumpster on EX1 redelivered 2 message(s)" in details(sh, "-Event Redelivered")


def test_reseeding_a_diverged_copy_ends_its_divergence():
    sh = one_site_dag(2)
    sh.run(r"Set-MailboxServer EX2 -AutoDatabaseMountDial BestAvailability; Block-SimReplication DB1\EX2; "
           "Send-SimMail DB1 -Count 3; Stop-SimServer EX1 -Crash; Disconnect-SimNetwork EX1 -Network MAPI; "
           "Disconnect-SimNetwork EX1 -Network Replication; Start-SimServer EX1")
    assert status(sh, r"DB1\EX1").Status == "DisconnectedAndResynchronizing"
    sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX1 -Confirm:$false")
    sh.run("Connect-SimNetwork EX1 -Network MAPI; Connect-SimNetwork EX1 -Network Replication")
    assert sh.org.databases["db1"].copy_on("EX1").divergence_point is not None  # suspended: no resync
    r = sh.run(r"Update-MailboxDatabaseCopy DB1\EX1 -DeleteExistingFiles -Confirm:$false")
    assert not r.errors, r.error_text
    s = status(sh, r"DB1\EX1")
    assert (s.Status, s.CopyQueueLength) == ("Healthy", 0)


def test_truncation_lag_keeps_replayed_logs_on_the_passive_copy():
    """L-4/L-5: with circular logging the active truncates once every copy replayed a log; a
    copy with a TruncationLagTime keeps its own replayed logs until they are older than its
    ReplayLagTime + TruncationLagTime, and the timeline says when it deletes them. A copy
    without lags truncates with the active and says nothing."""
    sh = one_site_dag(3)
    sh.run(r"Set-MailboxDatabase DB1 -CircularLoggingEnabled $true; "
           r"Set-MailboxDatabaseCopy DB1\EX2 -TruncationLagTime 0.02:00:00; Send-SimMail DB1 -Count 4")
    db = sh.org.databases["db1"]
    last = status(sh, r"DB1\EX1").LastLogGenerated
    assert db.truncated_through == last                          # replayed everywhere: gone on the active
    assert db.copy_on("EX3").truncated_through == last           # and on the copy without lags
    assert details(sh, "-Event LogsTruncated") == ""             # EX2 keeps them for two hours
    sh.run("Start-Sleep -Seconds 7199")
    assert details(sh, "-Event LogsTruncated") == ""
    sh.run("Start-Sleep -Seconds 2")
    assert details(sh, "-Event LogsTruncated") == (
        f"Database copy 'DB1\\EX2' truncated log generations 1-{last}: replayed, truncated on the active copy, "
        "and older than its ReplayLagTime + TruncationLagTime (02:00:00).")
    assert events(sh, "-Event LogsTruncated")[0].Source == "Replication"
    entry = next(e for e in sh.org.events if e.event == "LogsTruncated")
    assert entry.data == {"first_generation": 1, "last_generation": last}
    assert sh.org.databases["db1"].copy_on("EX2").truncated_through == last


def test_a_lagged_copy_truncates_after_replay_lag_plus_truncation_lag():
    sh = one_site_dag(3)
    sh.run(r"Set-MailboxDatabase DB1 -CircularLoggingEnabled $true; "
           r"Set-MailboxDatabaseCopy DB1\EX2 -ReplayLagTime 0.01:00:00 -TruncationLagTime 0.01:00:00; "
           "Send-SimMail DB1 -Count 3")
    last = status(sh, r"DB1\EX1").LastLogGenerated
    # the active truncates what the lagged copy inspected (L-5), though EX2 hasn't replayed it
    assert sh.org.databases["db1"].truncated_through == last
    assert status(sh, r"DB1\EX2").ReplayQueueLength == 3
    sh.run("Start-Sleep -Seconds 3601")
    assert status(sh, r"DB1\EX2").ReplayQueueLength == 0 and details(sh, "-Event LogsTruncated") == ""
    sh.run("Start-Sleep -Seconds 3600")
    assert f"truncated log generations 1-{last}" in details(sh, "-Event LogsTruncated")
    assert "(02:00:00)" in details(sh, "-Event LogsTruncated")


def test_without_circular_logging_nothing_is_truncated():
    sh = one_site_dag(2)
    sh.run(r"Set-MailboxDatabaseCopy DB1\EX2 -TruncationLagTime 0.00:01:00; Send-SimMail DB1 -Count 3; "
           "Start-Sleep -Seconds 600")
    assert details(sh, "-Event LogsTruncated") == ""           # the lab takes no backups
    assert sh.org.databases["db1"].copy_on("EX2").truncated_through == 0
