"""The four HA scenarios of issue #5, end to end through the shell."""
from __future__ import annotations

from tests.ha.conftest import details, events, one_site_dag, status, two_site_dag, value


def dag_status(sh):
    return value(sh, "Get-DatabaseAvailabilityGroup DAG1 -Status")


# --- (1) WAN split, witness in Portland -------------------------------------------------------------

def test_wan_split_witness_in_portland():
    sh = two_site_dag("FS1")
    r = sh.run("Disconnect-SimSiteLink -Site Portland,Redmond")
    assert not r.errors and r.text == ""
    st = dag_status(sh)
    assert [str(s) for s in st.OperationalServers] == ["EX1"]
    assert str(st.PrimaryActiveManager) == "EX1" and st.WitnessShareInUse == "Primary"
    # Portland keeps quorum (EX1 + the witness: 2 of 3 votes) and serves both databases
    db1, db2 = value(sh, "Get-MailboxDatabase -Status")
    assert (str(db1.Server), db1.Mounted) == ("EX1", True)
    assert (str(db2.Server), db2.Mounted) == ("EX1", True)
    # Redmond lost quorum: DB2 dismounted there, then the PAM failed it over to Portland
    text = details(sh)
    assert "EX2 lost quorum in 'DAG1': the partition has 1 of 3 votes (needs 2); it can't reach the witness FS1" in text
    assert "Database 'DB2' dismounted on EX2: EX2 isn't in a partition with quorum." in text
    assert "Database 'DB2' activated on EX1 (was EX2; failover" in text
    # Redmond's copies can't hear from the cluster: disconnected, self-protecting copy queue
    ex2 = status(sh, r"DB1\EX2")
    assert ex2.Status == "DisconnectedAndHealthy" and ex2.CopyQueueLength == 9223372036854775766
    err = sh.run(r"Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX2 -Confirm:$false").errors[0]
    assert "isn't in a database availability group partition that has quorum" in str(err)
    # the WAN comes back: EX2 rejoins as a healthy passive of both databases
    assert not sh.run("Connect-SimSiteLink -Site Portland,Redmond").errors
    assert [str(s) for s in dag_status(sh).OperationalServers] == ["EX1", "EX2"]
    for copy in (r"DB1\EX2", r"DB2\EX2"):
        s = status(sh, copy)
        assert (s.Status, s.CopyQueueLength, s.ReplayQueueLength) == ("Healthy", 0, 0)


def test_wan_split_without_copies_leaves_redmond_dismounted():
    """Only quorum, no failover target: Redmond's database stays dismounted until the WAN returns."""
    sh = two_site_dag("FS1")
    sh.run(r"Remove-MailboxDatabaseCopy DB2\EX1 -Confirm:$false")
    sh.run("Disconnect-SimSiteLink -Site Portland,Redmond")
    db2 = value(sh, "Get-MailboxDatabase DB2 -Status")
    assert (str(db2.Server), db2.Mounted) == ("EX2", False)
    err = sh.run("Mount-Database DB2").errors[0]
    assert str(err).startswith("Couldn't mount the database that you specified. Specified database: DB2; Error code: "
                               "An Active Manager operation failed. Error An Active Manager operation encountered an "
                               "error. To perform this operation, the server must be a member of a database "
                               "availability group, and the database availability group must have quorum.")
    assert "Mount-Database 'DB2' on EX2 refused" in details(sh, "-Event MountRefused")
    sh.run("Connect-SimSiteLink -Site Portland,Redmond")
    assert value(sh, "Get-MailboxDatabase DB2 -Status").Mounted is True  # automount once quorate
    assert events(sh, "-Newest 1")[0].Event == "Automount"


# --- (2) WAN split, witness in a third site -------------------------------------------------------

def test_wan_split_witness_in_third_site_lock_holder_wins():
    sh = two_site_dag("FS3")
    assert str(dag_status(sh).PrimaryActiveManager) == "EX1"
    sh.run("Disconnect-SimSiteLink -Site Portland,Redmond")
    st = dag_status(sh)
    assert [str(s) for s in st.OperationalServers] == ["EX1"] and str(st.PrimaryActiveManager) == "EX1"
    text = details(sh, "-Event QuorumLost")
    assert ("EX2 lost quorum in 'DAG1': the partition has 1 of 3 votes (needs 2); it can reach the witness FS3, "
            "but EX1 holds the witness lock") in text
    assert value(sh, "Get-MailboxDatabase DB2 -Status").Mounted is True  # failed over to EX1
    assert str(value(sh, "Get-MailboxDatabase DB2").Server) == "EX1"


def test_wan_split_witness_in_third_site_the_other_member_can_hold_the_lock():
    sh = two_site_dag("FS3")
    # EX1 crashes: EX2 takes the witness lock and becomes PAM; EX1 returns as a plain member
    sh.run("Stop-SimServer EX1 -Crash")
    assert str(dag_status(sh).PrimaryActiveManager) == "EX2"
    assert "EX2 took the lock on the witness share of 'DAG1' on FS3 (two votes)." in details(sh, "-Event WitnessLock")
    sh.run("Start-SimServer EX1")
    sh.run("Disconnect-SimSiteLink -Site Portland,Redmond")
    st = dag_status(sh)
    assert [str(s) for s in st.OperationalServers] == ["EX2"]
    assert ("EX1 lost quorum in 'DAG1': the partition has 1 of 3 votes (needs 2); it can reach the witness FS3, "
            "but EX2 holds the witness lock") in details(sh, "-Event QuorumLost")
    assert all(d.Mounted and str(d.Server) == "EX2" for d in value(sh, "Get-MailboxDatabase -Status"))


# --- (5) lossy failover, resync, dumpster ------------------------------------------------------------

LOSSY_SETUP = r"""
Set-MailboxServer EX2 -AutoDatabaseMountDial BestAvailability
Send-SimMail DB1 -Count 6
Block-SimReplication DB1\EX2
Send-SimMail DB1 -Count 4
"""


def items(sh) -> dict:
    return {m.DisplayName: m.ItemCount for m in value(sh, "Get-Mailbox | Get-MailboxStatistics")}


def test_lossy_failover_resync_and_dumpster():
    sh = one_site_dag(2)
    assert not sh.run(LOSSY_SETUP).errors
    before = items(sh)
    assert before == {"user1": 15, "user2": 15}
    ex2 = status(sh, r"DB1\EX2")
    assert (ex2.Status, ex2.CopyQueueLength) == ("Healthy", 4)  # silently behind
    last = value(sh, r"Get-MailboxDatabaseCopyStatus DB1\EX1").LastLogGenerated
    sh.run("Stop-SimServer EX1 -Crash")
    db = value(sh, "Get-MailboxDatabase DB1 -Status")
    assert (str(db.Server), db.Mounted) == ("EX2", True)
    text = details(sh, "-Database DB1")
    assert f"generations {last - 3}-{last} (4 log(s)) lost with 4 message(s); the transport dumpster holds 4" in text
    assert "Database 'DB1' activated on EX2 (was EX1; failover: server EX1 is down (crashed); ACLL couldn't reach EX1); 4 log(s) lost." in text
    assert "redelivered 4 message(s) to database 'DB1'" in text
    assert items(sh) == before  # the dumpster brought every lost message back
    assert status(sh, r"DB1\EX1").Status == "ServiceDown"
    # EX1 returns: it finds the divergence, discards its 4 divergent logs and becomes a healthy passive
    sh.run("Start-SimServer EX1")
    ex1 = status(sh, r"DB1\EX1")
    assert (ex1.Status, ex1.CopyQueueLength, ex1.ReplayQueueLength) == ("Healthy", 0, 0)
    assert ex1.LastLogInspected == ex1.LastLogGenerated
    assert (f"Database copy 'DB1\\EX1' resynchronized with EX2: divergence after generation {last - 4}; discarded 4 "
            f"divergent log(s) ({last - 3}-{last})") in details(sh, "-Event Resynchronized")
    assert value(sh, "Get-MailboxDatabase DB1 -Status").Mounted is True


def test_lossless_dial_keeps_the_database_dismounted():
    sh = one_site_dag(2)
    sh.run(LOSSY_SETUP.replace("BestAvailability", "Lossless"))
    sh.run("Stop-SimServer EX1 -Crash")
    db = value(sh, "Get-MailboxDatabase DB1 -Status")
    assert (str(db.Server), db.Mounted) == ("EX1", False)
    assert ("No copy of 'DB1' could be activated after server EX1 is down (crashed) (EX2 would lose 4 log(s), more "
            "than its AutoDatabaseMountDial Lossless allows (at most 0)); the database stays dismounted on EX1.") \
        in details(sh, "-Event FailoverFailed")
    assert status(sh, r"DB1\EX1").Status == "ServiceDown"
    # EX1 comes back with every log: it mounts DB1 again, nothing lost
    sh.run("Start-SimServer EX1; Unblock-SimReplication DB1\\EX2")
    assert value(sh, "Get-MailboxDatabase DB1 -Status").Mounted is True
    assert status(sh, r"DB1\EX2").CopyQueueLength == 0
    assert items(sh) == {"user1": 15, "user2": 15}


# --- (6) best copy selection ------------------------------------------------------------------------

def test_bcs_targetless_move_skips_blocked_copies():
    sh = one_site_dag(4)
    sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX2 -ActivationOnly -Confirm:$false; "
           r"Set-MailboxServer EX3 -DatabaseCopyAutoActivationPolicy Blocked")
    r = sh.run("Move-ActiveMailboxDatabase DB1 -Confirm:$false")
    assert not r.errors, r.error_text
    assert r.output[0].ActiveServerAtEnd == "ex4"
    text = details(sh, "-Event BestCopySelection")
    assert ("chose EX4: tier 1 (content index Healthy, copy queue < 10, replay queue < 50), copy queue 0, replay "
            "queue 0, activation preference 4; skipped EX2 (activation is suspended on the copy); EX3 (EX3's "
            "DatabaseCopyAutoActivationPolicy is Blocked).") in text
    # an explicit target ignores both blocks
    r = sh.run("Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX3 -Confirm:$false")
    assert not r.errors and r.output[0].ActiveServerAtEnd == "ex3"
    r = sh.run("Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX2 -Confirm:$false")
    assert not r.errors and r.output[0].ActiveServerAtEnd == "ex2"


def test_bcs_failover_prefers_the_shortest_queue_and_skips_blocks():
    sh = one_site_dag(5)
    sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX2 -ActivationOnly -Confirm:$false; "
           r"Set-MailboxServer EX3 -DatabaseCopyAutoActivationPolicy Blocked; "
           r"Block-SimReplication DB1\EX4; Send-SimMail DB1 -Count 2")
    sh.run("Stop-SimServer EX1 -Crash")
    assert str(value(sh, "Get-MailboxDatabase DB1").Server) == "EX5"  # queue 0 beats EX4's 2, despite AP 5 > 4
    text = details(sh, "-Event BestCopySelection")
    assert "chose EX5: tier 1" in text and "copy queue 0" in text
    assert "skipped EX2 (activation is suspended on the copy); EX3 (EX3's DatabaseCopyAutoActivationPolicy is Blocked)" in text


def test_bcs_falls_back_through_tiers_and_the_dial():
    sh = one_site_dag(4)
    # EX2: up to date but its content index failed (tier 5); EX3: 12 logs behind (tier 3);
    # EX4: crawling, 8 behind (tier 2)
    sh.run(r"Set-SimContentIndex DB1\EX2 Failed; Set-SimContentIndex DB1\EX4 Crawling; "
           r"Block-SimReplication DB1\EX3; Send-SimMail DB1 -Count 4; Block-SimReplication DB1\EX4; "
           r"Send-SimMail DB1 -Count 8")
    assert [status(sh, f"DB1\\EX{i}").CopyQueueLength for i in (2, 3, 4)] == [0, 12, 8]
    sh.run("Stop-SimServer EX1 -Crash")
    # tier order EX4, EX3, EX2; GoodAvailability (6) rejects the first two
    db = value(sh, "Get-MailboxDatabase DB1 -Status")
    assert (str(db.Server), db.Mounted) == ("EX2", True)
    assert ("chose EX2: tier 5 (replay queue < 50), copy queue 0, replay queue 0, activation preference 2; rejected "
            "EX4 would lose 8 log(s), more than its AutoDatabaseMountDial GoodAvailability allows (at most 6); EX3 "
            "would lose 12 log(s), more than its AutoDatabaseMountDial GoodAvailability allows (at most 6).") in \
        details(sh, "-Event BestCopySelection")
    assert "no logs lost" in details(sh, "-Event Failover")


def bcs_choice(sh) -> dict:
    """The data of the newest BestCopySelection entry on the timeline."""
    return next(e.data for e in reversed(sh.org.events) if e.event == "BestCopySelection")


def test_bcs_targetless_move_prefers_the_shortest_queue_unless_lossless():
    """Scenario 6 for a targetless switchover: the blocked copies are skipped; with a
    lossy-allowing dial the shortest copy queue wins (B-3), without -MountDialOverride the
    move is Lossless and activation preference decides; ACLL from the running active makes
    either move lose nothing."""
    for override, chosen in (("-MountDialOverride BestAvailability", "EX5"), ("", "EX4")):
        sh = one_site_dag(5)
        sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX2 -ActivationOnly -Confirm:$false; "
               r"Set-MailboxServer EX3 -DatabaseCopyAutoActivationPolicy Blocked; "
               r"Block-SimReplication DB1\EX4; Send-SimMail DB1 -Count 2")
        assert [status(sh, f"DB1\\EX{i}").CopyQueueLength for i in (4, 5)] == [2, 0]
        r = sh.run(f"Move-ActiveMailboxDatabase DB1 {override} -Confirm:$false")
        assert not r.errors, r.error_text
        assert (r.output[0].ActiveServerAtEnd, r.output[0].NumberOfLogsLost) == (chosen.lower(), 0)
        choice = bcs_choice(sh)
        assert choice["chosen"] == chosen and choice["tier"] == 1
        assert choice["skipped"] == {"EX2": "activation is suspended on the copy",
                                     "EX3": "EX3's DatabaseCopyAutoActivationPolicy is Blocked"}


def test_bcs_targetless_move_falls_back_through_the_tiers():
    """EX2: content index Crawling (tier 2); EX4: content index Failed (tier 5); EX3: a lagged
    copy 60 logs behind in replay (tier 6). Taking away the best tier each time moves the
    choice down the list; the switchover checks still apply to the copy chosen."""
    setup = (r"Set-SimContentIndex DB1\EX2 Crawling; Set-SimContentIndex DB1\EX4 Failed; "
             r"Set-MailboxDatabaseCopy DB1\EX3 -ReplayLagTime 1.00:00:00; Send-SimMail DB1 -Count 60")
    cases = [("", "-SkipClientExperienceChecks", "EX2", 2),
             (r"Suspend-MailboxDatabaseCopy DB1\EX2 -ActivationOnly -Confirm:$false", "-SkipClientExperienceChecks",
              "EX4", 5),
             (r"Suspend-MailboxDatabaseCopy DB1\EX2 -ActivationOnly -Confirm:$false; "
              "Set-MailboxServer EX4 -DatabaseCopyAutoActivationPolicy Blocked", "-SkipLagChecks", "EX3", 6)]
    for blocks, skip, chosen, tier in cases:
        sh = one_site_dag(4)
        assert not sh.run(setup + "; " + blocks if blocks else setup).errors
        r = sh.run("Move-ActiveMailboxDatabase DB1 -Confirm:$false")
        assert r.errors                       # the chosen tier's copy fails a switchover check ...
        r = sh.run(f"Move-ActiveMailboxDatabase DB1 {skip} -Confirm:$false")
        assert not r.errors, r.error_text     # ... which its Skip switch lets through
        assert r.output[0].ActiveServerAtEnd == chosen.lower()
        assert (bcs_choice(sh)["chosen"], bcs_choice(sh)["tier"]) == (chosen, tier)


def test_bcs_failover_choice_is_on_the_timeline_as_data():
    sh = one_site_dag(4)
    sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX2 -ActivationOnly -Confirm:$false; "
           r"Set-MailboxServer EX3 -DatabaseCopyAutoActivationPolicy Blocked; Stop-SimServer EX1 -Crash")
    choice = bcs_choice(sh)
    assert (choice["chosen"], choice["tier"], choice["copy_queue"], choice["replay_queue"]) == ("EX4", 1, 0, 0)
    assert sorted(choice["skipped"]) == ["EX2", "EX3"] and choice["rejected"] == {}
