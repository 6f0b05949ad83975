"""Get-SimEvent, the reaction's extension points, saved state."""
from __future__ import annotations

from ems import Shell
from ems.exchange import failover
from ems.exchange.organization import Organization
from tests.ha.conftest import details, events, one_site_dag, value


def test_get_sim_event_is_a_table_with_filters():
    sh = one_site_dag(2)
    sh.run("Stop-SimServer EX1 -Crash")
    r = sh.run("Get-SimEvent -Newest 3")
    assert len(r.output) == 3
    header = r.text.strip().splitlines()[0].split()
    assert header == ["Time", "Source", "Event", "Detail"]
    assert [e.Event for e in events(sh, "-Database DB1 -Newest 4")] == [
        "Dismounted", "BestCopySelection", "Failover", "Mounted"]
    assert {e.Source for e in events(sh, "-Source ActiveM*")} == {"ActiveManager"}
    assert all(e.Event == "ServerCrashed" for e in events(sh, "-Event ServerCrashed"))
    assert events(sh, "-Server EX9") == []
    later = sh.org.now()
    sh.run("Start-Sleep -Seconds 5; Start-SimServer EX1")
    after = events(sh, f"-After '{(later.replace(second=later.second)).isoformat()}'")
    assert after and all(e.Time >= later for e in after)
    assert str(events(sh, "-Newest 1")[0]) == events(sh, "-Newest 1")[0].Detail


def test_every_decision_has_a_reason():
    sh = one_site_dag(3)
    sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX2 -ActivationOnly -Confirm:$false; Stop-SimServer EX1 -Crash")
    text = details(sh)
    for needle in ("EX1 crashed (power loss).", "The Primary Active Manager of 'DAG1' moved from EX1 to EX2 (EX1 is down).",
                   "Database 'DB1' dismounted on EX1: server EX1 is down (crashed).",
                   "chose EX3", "skipped EX2 (activation is suspended on the copy)",
                   "Database 'DB1' activated on EX3 (was EX1; failover: server EX1 is down (crashed); ACLL couldn't "
                   "reach EX1); no logs lost."):
        assert needle in text


def test_repeated_reactions_do_not_repeat_the_timeline():
    sh = one_site_dag(2)
    sh.run(r"Set-MailboxServer EX2 -AutoDatabaseMountDial Lossless; Block-SimReplication DB1\EX2; Send-SimMail DB1;"
           "Stop-SimServer EX1 -Crash")
    n = len(events(sh, "-Event FailoverFailed"))
    sh.run("Stop-SimServer DC2; Start-SimServer DC2")  # Active Manager looks again and decides the same
    assert len(events(sh, "-Event FailoverFailed")) == n == 1
    sh.run("Stop-SimServer FS1; Start-SimServer FS1")  # quorum lost and regained: worth saying again
    assert len(events(sh, "-Event FailoverFailed")) == 3


def test_dag_and_boot_hooks():
    seen = []

    def dag_hook(org, dag, view):
        seen.append(("dag", dag.name, view.quorate))

    def boot_hook(org, server):
        seen.append(("boot", server.name, server.dacp))
        if server.name == "EX2":
            server.cluster_service = False  # e.g. a Disabled start type

    failover.DAG_HOOKS.append(dag_hook)
    failover.BOOT_HOOKS.append(boot_hook)
    try:
        sh = one_site_dag(3)
        seen.clear()
        sh.run("Stop-SimServer EX2; Start-SimServer EX2")
        assert ("boot", "EX2", 0) in seen
        assert seen[-1] == ("dag", "DAG1", ("EX1", "EX3"))  # EX2's cluster service stayed stopped
    finally:
        failover.DAG_HOOKS.remove(dag_hook)
        failover.BOOT_HOOKS.remove(boot_hook)


def test_state_round_trip_after_a_lossy_failover():
    sh = one_site_dag(2)
    sh.run(r"Set-MailboxServer EX2 -AutoDatabaseMountDial BestAvailability; Block-SimReplication DB1\EX2; "
           r"Set-TransportConfig -MaxDumpsterTime 0.01:00:00; Send-SimMail DB1 -Count 3; Stop-SimServer EX1 -Crash")
    data = sh.org.to_dict()
    org = Organization.from_dict(data)
    assert org.to_dict() == data
    org.start_server(org.servers["ex1"])
    assert org.databases["db1"].copy_on("EX1").status == "Healthy"
    assert org.dags["dag1"].witness_lock == "EX2"


def test_shell_without_failures_stays_quiet():
    sh = Shell(scenario="two-datacenter")
    assert sh.run("Get-SimEvent -Event Failover").output == []
    assert value(sh, "Get-DatabaseAvailabilityGroup DAG1 -Status").PrimaryActiveManager is not None
