"""§4-§6 automatic failover: triggers, best copy selection exclusions and tiers, ACLL, mount dial."""
from __future__ import annotations

import pytest

from tests.ha.conftest import build, database, details, events, member, one_site_dag, status, value, TWO_SITES, \
    WITNESS_PORTLAND


def where(sh, db="DB1") -> tuple[str, bool]:
    d = value(sh, f"Get-MailboxDatabase {db} -Status")
    return str(d.Server), d.Mounted


def test_crash_fails_over_to_the_best_copy():
    sh = one_site_dag(3)
    sh.run("Stop-SimServer EX1 -Crash")
    assert where(sh) == ("EX2", True)
    names = [e.Event for e in events(sh, "-Database DB1")][-4:]
    assert names == ["Dismounted", "BestCopySelection", "Failover", "Mounted"]


def test_clean_shutdown_switches_over_first_even_when_a_copy_is_behind():
    sh = one_site_dag(2)
    sh.run(r"Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 9; Set-MailboxServer EX2 -AutoDatabaseMountDial Lossless")
    sh.run("Stop-SimServer EX1")
    assert where(sh) == ("EX2", True)  # ACLL from the still running EX1: nothing lost
    ev = events(sh, "-Database DB1")
    assert [e.Event for e in ev if e.Event in ("Switchover", "Failover")] == ["Switchover"]
    assert "is shutting down" in details(sh, "-Event Switchover") and "no logs lost" in details(sh, "-Event Switchover")
    sh.run("Start-SimServer EX1")
    assert status(sh, r"DB1\EX1").Status == "Healthy"


def test_storage_loss_on_the_active_fails_over_and_the_old_copy_needs_a_reseed():
    sh = one_site_dag(2)
    sh.run("Send-SimMail DB1 -Count 3")
    r = sh.run("Remove-SimDatabaseFiles -Identity DB1 -Server EX1")
    assert not r.errors, r.error_text
    assert where(sh) == ("EX2", True)
    assert "the database files on EX1 were lost (storage failure)" in details(sh, "-Event Failover")
    old = status(sh, r"DB1\EX1")
    assert old.Status == "Failed" and "is missing" in old.ErrorMessage  # C-2: old active Failed
    # V-9: a reseed needs the copy suspended first
    r = sh.run(r"Update-MailboxDatabaseCopy DB1\EX1 -Confirm:$false")
    assert "must be suspended before it can be seeded" in str(r.errors[0])
    r = sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX1 -Confirm:$false; Update-MailboxDatabaseCopy DB1\EX1 -Confirm:$false")
    assert not r.errors, r.error_text
    old = status(sh, r"DB1\EX1")
    assert (old.Status, old.CopyQueueLength) == ("Healthy", 0)


def test_a_passive_copy_that_loses_its_files_is_failed_until_reseeded():
    """C-2: passive storage failure -> Failed (not suspended); it can't come back by itself
    while its files are gone: not a failover candidate, still Failed after its server reboots,
    flagged by Test-ReplicationHealth; suspend + Update-MailboxDatabaseCopy make it Healthy."""
    sh = one_site_dag(3)
    r = sh.run(r"Remove-SimDatabaseFiles -Identity DB1 -Server EX2")
    assert not r.errors, r.error_text
    s = status(sh, r"DB1\EX2")
    assert (s.Status, s.ActivationSuspended) == ("Failed", False) and "is missing" in s.ErrorMessage
    assert where(sh) == ("EX1", True)                          # the active copy didn't notice
    sh.run("Stop-SimServer EX2; Start-SimServer EX2; Send-SimMail DB1 -Count 2")
    assert status(sh, r"DB1\EX2").Status == "Failed"
    health = {c.Check: c.Result for c in value(sh, "Test-ReplicationHealth EX2")}
    assert health["DBCopyFailed"] == "Failed"
    sh.run("Stop-SimServer EX1 -Crash")
    assert where(sh) == ("EX3", True)
    assert "EX2 (its status is Failed)" in details(sh, "-Event BestCopySelection")
    r = sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX2 -Confirm:$false; Update-MailboxDatabaseCopy DB1\EX2 -Confirm:$false")
    assert not r.errors, r.error_text
    s = status(sh, r"DB1\EX2")
    assert (s.Status, s.CopyQueueLength, s.ErrorMessage) == ("Healthy", 0, None)


def test_information_store_failure_uses_acll_from_the_running_server():
    sh = one_site_dag(2)
    sh.run(r"Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 20; Set-MailboxServer EX2 -AutoDatabaseMountDial Lossless")
    org = sh.org
    org.servers["ex1"].information_store = False
    org.react("store stopped")
    assert where(sh) == ("EX2", True)
    assert "no logs lost" in details(sh, "-Event Failover")
    assert "ACLL copied the missing logs from the old active" in details(sh, "-Event Failover")


def test_mapi_network_loss_is_a_lossless_server_failover():
    sh = one_site_dag(2)
    sh.run(r"Send-SimMail DB1 -Count 2")
    sh.run("Disconnect-SimNetwork EX1 -Network MAPI")
    assert where(sh) == ("EX2", True)
    assert "EX1 lost its MAPI network" in details(sh, "-Event Failover")
    # EX1 still talks to the cluster over its replication network: a healthy passive
    assert [str(s) for s in value(sh, "Get-DatabaseAvailabilityGroup DAG1 -Status").OperationalServers] == ["EX1", "EX2"]
    assert status(sh, r"DB1\EX1").Status == "Healthy"


def test_mapi_loss_without_a_lossless_target_leaves_the_database_where_it_is():
    sh = one_site_dag(2)
    sh.run(r"Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 1")
    sh.org.servers["ex1"].replication_service = False  # EX1 can't serve ACLL
    sh.run("Disconnect-SimNetwork EX1 -Network MAPI")
    assert where(sh) == ("EX1", True)
    assert ("EX2 would lose 1 log(s); a failover for a lost MAPI network must be lossless"
            in details(sh, "-Event FailoverFailed"))
    assert "the database stays mounted on EX1" in details(sh, "-Event FailoverFailed")


def test_a_member_cut_off_from_every_network_loses_quorum():
    sh = one_site_dag(2)
    sh.run(r"Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 1")
    sh.run("Disconnect-SimNetwork EX1 -Network Replication; Disconnect-SimNetwork EX1 -Network MAPI")
    assert where(sh) == ("EX2", True)  # EX2 took the witness lock; lossy within GoodAvailability
    assert "EX1 isn't in a partition with quorum" in details(sh, "-Event Failover")
    assert "1 log(s) lost" in details(sh, "-Event Failover")
    sh.run("Connect-SimNetwork EX1 -Network MAPI")
    assert status(sh, r"DB1\EX1").Status == "Healthy"  # resynchronized


def test_replication_network_loss_changes_nothing():
    sh = one_site_dag(2)
    sh.run("Disconnect-SimNetwork EX2 -Network Replication; Send-SimMail DB1 -Count 3")
    assert where(sh) == ("EX1", True)
    s = status(sh, r"DB1\EX2")
    assert (s.Status, s.CopyQueueLength) == ("Healthy", 0)  # log shipping falls back to the MAPI network


@pytest.mark.parametrize("dial, behind, moves", [
    ("GoodAvailability", 6, True), ("GoodAvailability", 7, False),
    ("BestAvailability", 12, True), ("BestAvailability", 13, False),
    ("Lossless", 1, False), ("Lossless", 0, True),
])
def test_mount_dial_thresholds(dial, behind, moves):
    sh = one_site_dag(2)
    sh.run(f"Set-MailboxServer EX2 -AutoDatabaseMountDial {dial}; Block-SimReplication DB1\\EX2")
    if behind:
        sh.run(f"Send-SimMail DB1 -Count {behind}")
    sh.run("Stop-SimServer EX1 -Crash")
    assert where(sh) == (("EX2", True) if moves else ("EX1", False))
    if moves and behind:
        assert f"{behind} log(s) lost" in details(sh, "-Event Failover")
    if not moves:
        assert f"EX2 would lose {behind} log(s)" in details(sh, "-Event FailoverFailed")


def test_the_dial_is_the_targets_own():
    sh = one_site_dag(3)
    sh.run(r"Set-MailboxServer EX2 -AutoDatabaseMountDial Lossless; Set-MailboxServer EX3 -AutoDatabaseMountDial "
           r"BestAvailability; Block-SimReplication DB1\EX2; Block-SimReplication DB1\EX3; Send-SimMail DB1 -Count 8")
    sh.run("Stop-SimServer EX1 -Crash")
    assert where(sh) == ("EX3", True)
    text = details(sh, "-Event BestCopySelection")
    assert "rejected EX2 would lose 8 log(s), more than its AutoDatabaseMountDial Lossless allows (at most 0)" in text


def test_no_copy_qualifies_database_stays_dismounted():
    sh = one_site_dag(4)
    sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX2 -Confirm:$false; "
           r"Suspend-MailboxDatabaseCopy DB1\EX4 -ActivationOnly -Confirm:$false; Stop-SimServer EX3")
    sh.run("Stop-SimServer EX1 -Crash")
    assert where(sh) == ("EX1", False)
    text = details(sh, "-Event FailoverFailed")
    assert ("No copy of 'DB1' could be activated after server EX1 is down (crashed) (EX2: its status is Suspended; "
            "EX3: server EX3 is down; EX4: activation is suspended on the copy); the database stays dismounted on "
            "EX1.") in text
    sh.run("Start-SimServer EX3")  # a topology change: Active Manager tries again
    assert where(sh) == ("EX3", True)


def test_admin_dismounted_database_is_not_failed_over():
    sh = one_site_dag(2)
    sh.run("Dismount-Database DB1 -Confirm:$false; Stop-SimServer EX1 -Crash")
    assert where(sh) == ("EX1", False)
    sh.run("Start-SimServer EX1")
    assert where(sh) == ("EX1", False)  # and not mounted at boot either


def test_standalone_database_comes_back_with_its_server():
    # EX8 is there for the shell to stay connected to while EX9 is down
    sh = build(TWO_SITES + member("EX8", "Portland", 18) + member("EX9", "Portland", 19) + database("DB9", ["EX9"]))
    sh.run("Stop-SimServer EX9 -Crash")
    assert where(sh, "DB9") == ("EX9", False)
    assert ("'DB9' has no other copy to activate after server EX9 is down (crashed); it stays dismounted on EX9."
            in details(sh, "-Event FailoverFailed"))
    sh.run("Start-SimServer EX9")
    assert where(sh, "DB9") == ("EX9", True)
    assert events(sh, "-Newest 1")[0].Event == "Automount"


def test_intrasite_only_blocks_activation_across_sites():
    text = TWO_SITES + WITNESS_PORTLAND + member("EX1", "Portland", 11) + member("EX2", "Portland", 12) + \
        member("EX3", "Redmond", 13)
    text += "New-DatabaseAvailabilityGroup -Name DAG1 -WitnessServer FS1 -WitnessDirectory C:\\DAG1 | Out-Null\n"
    text += "".join(f"Add-DatabaseAvailabilityGroupServer DAG1 -MailboxServer {s}\n" for s in ("EX1", "EX2", "EX3"))
    text += database("DB1", ["EX1", "EX3", "EX2"])
    sh = build(text)
    sh.run("Set-MailboxServer EX3 -DatabaseCopyAutoActivationPolicy IntrasiteOnly")
    sh.run("Stop-SimServer EX1 -Crash")
    assert where(sh) == ("EX2", True)
    assert ("EX3 (EX3's DatabaseCopyAutoActivationPolicy is IntrasiteOnly and the database is active in site "
            "Portland)") in details(sh, "-Event BestCopySelection")
    # a targetless move honours it too; an explicit target doesn't
    r = sh.run("Move-ActiveMailboxDatabase DB1 -Confirm:$false")
    assert "IntrasiteOnly" in str(r.errors[0]) and "No database copies" not in str(r.errors[0])
    r = sh.run("Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX3 -Confirm:$false")
    assert not r.errors and r.output[0].ActiveServerAtEnd == "ex3"


def test_maximum_active_databases_excludes_a_server():
    sh = one_site_dag(3)
    sh.run("New-MailboxDatabase DBX -Server EX2 | Out-Null; Mount-Database DBX; "
           "Set-MailboxServer EX2 -MaximumActiveDatabases 1")
    sh.run("Stop-SimServer EX1 -Crash")
    assert where(sh) == ("EX3", True)
    assert "EX2 (EX2 has reached MaximumActiveDatabases (1))" in details(sh, "-Event BestCopySelection")


def test_unreachable_copies_are_not_candidates():
    sh = build(TWO_SITES + WITNESS_PORTLAND + member("EX1", "Portland", 11) + member("EX2", "Portland", 12)
               + member("EX3", "Redmond", 13)
               + "New-DatabaseAvailabilityGroup -Name DAG1 -WitnessServer FS1 -WitnessDirectory C:\\DAG1 | Out-Null\n"
               + "".join(f"Add-DatabaseAvailabilityGroupServer DAG1 -MailboxServer {s}\n" for s in ("EX1", "EX2", "EX3"))
               + database("DB1", ["EX1", "EX3", "EX2"]))
    sh.run("Disconnect-SimSiteLink -Site Portland,Redmond; Stop-SimServer EX1 -Crash")
    # EX2 alone: 1 of 3 votes (odd: no witness): no quorum, nothing can fail over
    assert where(sh) == ("EX1", False)
    assert "'DAG1' has no partition with quorum" in details(sh, "-Event FailoverFailed")
    sh.run("Connect-SimSiteLink -Site Portland,Redmond")
    assert where(sh) == ("EX3", True)  # EX2 + EX3 have quorum; EX3 has AP 2


def test_lagged_copy_is_a_late_tier_candidate():
    sh = one_site_dag(3)
    sh.run(r"Set-MailboxDatabaseCopy DB1\EX2 -ReplayLagTime 1.00:00:00; Send-SimMail DB1 -Count 60")
    assert status(sh, r"DB1\EX2").ReplayQueueLength >= 50
    sh.run("Stop-SimServer EX1 -Crash")
    assert where(sh) == ("EX3", True)  # tier 1 beats the lagged copy's tier 6 despite its AP 2
    sh.run("Stop-SimServer EX3 -Crash")
    assert where(sh) == ("EX3", False)  # EX2 alone has no quorum (1 of 3)


def test_lagged_copy_activation_replays_everything_first():
    sh = one_site_dag(2)
    sh.run(r"Set-MailboxDatabaseCopy DB1\EX2 -ReplayLagTime 1.00:00:00; Send-SimMail DB1 -Count 5")
    assert status(sh, r"DB1\EX2").ReplayQueueLength == 5
    sh.run("Stop-SimServer EX1 -Crash")
    assert where(sh) == ("EX2", True)
    assert "tier 1" in details(sh, "-Event BestCopySelection")
    assert status(sh, r"DB1\EX2").LastLogReplayed == 0  # active copies report no passive positions
    assert value(sh, "Get-Mailbox user1 | Get-MailboxStatistics").ItemCount == 13
