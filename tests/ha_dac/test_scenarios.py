"""The datacenter switchover scenarios end to end, through the shell, on two-datacenter.

(3) DAC mode on: Portland loses power; the documented switchover runs in Redmond; the state
follows the trace of reference §3d; Portland comes back without its WAN and mounts nothing
(DACP 0); the WAN returns and the switchback (§3c) brings the databases home.
(4) The same with DAC mode off and the Windows-cluster procedure (§3b): Portland comes back
without its WAN, its stale cluster has quorum, and it mounts its old active copies while
Redmond has them mounted too (split brain), until the WAN returns.
"""
from __future__ import annotations

from .conftest import (PORTLAND_DARK, SWITCHOVER_DAC, cluster_nodes, dag, events, lab, mounted, names, ok, one)

ALL = ["EX1", "EX2", "EX3", "EX4"]
HOMES = {"DB1": "EX1", "DB2": "EX2", "DB3": "EX1", "DB4": "EX2"}


def votes(sh) -> tuple:
    """(nodes, votes, voters) of the cluster's partition with quorum, or of the biggest one."""
    view = sh.org.quorum(sh.org.dags["dag1"])
    part = view.quorate or max(view.partitions, key=len)
    i = view.partitions.index(part)
    return sorted(part), view.votes[i], view.voters


def quorum_event(sh, kind: str) -> dict:
    """The data of the newest Quorum / QuorumLost entry on the timeline."""
    return next(e.data for e in reversed(sh.org.events) if e.event == kind)


def test_scenario_3_dac_switchover_and_switchback():
    sh = lab()
    # normal: Started P1 P2 S1 S2, nothing stopped, 4 nodes NFSM with W1, DBs active in Portland
    d = dag(sh)
    assert names(d.StartedMailboxServers) == ALL and names(d.StoppedMailboxServers) == []
    assert d.WitnessShareInUse == "Primary" and cluster_nodes(sh) == ALL
    assert votes(sh) == (ALL, 5, 5)                                      # NFSM, V = 5
    assert mounted(sh) == {db: [home] for db, home in HOMES.items()}

    # site A lost: EX3 + EX4 are 2 of 5 votes; everything is dismounted
    ok(sh, PORTLAND_DARK + "Connect-ExchangeServer -ServerFqdn EX3")
    d = dag(sh)
    assert names(d.StartedMailboxServers) == ALL and names(d.StoppedMailboxServers) == []
    assert names(d.OperationalServers) == [] and d.PrimaryActiveManager is None
    assert d.WitnessShareInUse is None                                   # no witness in use
    lost = quorum_event(sh, "QuorumLost")
    assert (lost["nodes"], lost["votes"], lost["voters"], lost["needed"]) == (["EX3", "EX4"], 2, 5, 3)
    assert mounted(sh) == {}

    # S-2: Stop -ConfigurationOnly in Redmond: Started S1 S2, Stopped P1 P2, cluster unchanged
    ok(sh, "Stop-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Portland -ConfigurationOnly "
           "-Confirm:$false")
    d = dag(sh)
    assert names(d.StartedMailboxServers) == ["EX3", "EX4"]
    assert names(d.StoppedMailboxServers) == ["EX1", "EX2"]
    assert sorted(sh.org.dags["dag1"].cluster_nodes) == ALL
    assert d.WitnessShareInUse is None and votes(sh) == (["EX3", "EX4"], 2, 5)
    assert mounted(sh) == {}

    # S-3, S-4: stop ClusSvc in Redmond, Restore: P evicted, NFSM V=3 with W2, DBs active in Redmond
    ok(sh, "Get-Service ClusSvc -ComputerName EX3 | Stop-Service\n"
           "Get-Service ClusSvc -ComputerName EX4 | Stop-Service")
    assert [s.Status.name for s in ok(sh, "Get-Service ClusSvc -ComputerName EX3").output] == ["Stopped"]
    ok(sh, r"Restore-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Redmond "
           r"-AlternateWitnessServer FS2 -AlternateWitnessDirectory C:\DAG1 -Confirm:$false")
    d = dag(sh)
    assert names(d.StartedMailboxServers) == ["EX3", "EX4"] and names(d.StoppedMailboxServers) == ["EX1", "EX2"]
    assert cluster_nodes(sh) == ["EX3", "EX4"] and names(d.OperationalServers) == ["EX3", "EX4"]
    assert d.WitnessShareInUse == "Alternate" and str(d.WitnessServer).startswith("FS1")
    assert str(d.AlternateWitnessServer) == "FS2.contoso.com" and d.AlternateWitnessDirectory == r"C:\DAG1"
    assert str(d.PrimaryActiveManager) == "EX3"
    assert votes(sh) == (["EX3", "EX4"], 3, 3)                           # P evicted, NFSM V = 3
    assert quorum_event(sh, "Quorum")["witness_vote"] is True
    assert all(servers[0] in ("EX3", "EX4") and len(servers) == 1 for servers in mounted(sh).values())
    assert sorted(mounted(sh)) == sorted(HOMES)

    # Portland comes back without its WAN: its stale cluster has quorum (EX1 + EX2 + FS1 = 3 of 5)
    # but DACP is 0 and it can't reach a DACP-1 member or every started server: nothing mounts
    ok(sh, "Start-SimSite Portland")
    assert {sh.org.servers[n].dacp for n in ("ex1", "ex2")} == {0}
    assert all(len(servers) == 1 and servers[0] in ("EX3", "EX4") for servers in mounted(sh).values())
    prevented = events(sh, "SplitBrainPrevented")
    assert prevented and "Automount consensus not reached." in prevented[0]
    assert events(sh, "SplitBrain") == []
    # Portland's domain controller still has its own copy of DAG1: every member started
    ok(sh, "Connect-ExchangeServer -ServerFqdn EX1")
    d = dag(sh, status=False)
    assert names(d.StartedMailboxServers) == ALL and names(d.StoppedMailboxServers) == []
    ok(sh, "Connect-ExchangeServer -ServerFqdn EX3")
    assert names(dag(sh, status=False).StoppedMailboxServers) == ["EX1", "EX2"]

    # the WAN returns: AD replication merges (Redmond's newer write wins); EX1/EX2 learn the eviction
    ok(sh, "Connect-SimSiteLink -Site Portland,Redmond")
    assert events(sh, "ADReplication")
    assert len(events(sh, "EvictionLearned")) == 2
    ok(sh, "Connect-ExchangeServer -ServerFqdn EX1")
    assert names(dag(sh, status=False).StoppedMailboxServers) == ["EX1", "EX2"]

    # Start-DAG for Portland: all started, 4 nodes, still the alternate witness
    ok(sh, "Start-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Portland -Confirm:$false")
    d = dag(sh)
    assert names(d.StartedMailboxServers) == ALL and names(d.StoppedMailboxServers) == []
    assert cluster_nodes(sh) == ALL and d.WitnessShareInUse == "Alternate"
    assert votes(sh) == (ALL, 5, 5)
    assert all(len(s) == 1 and s[0] in ("EX3", "EX4") for s in mounted(sh).values())   # active in B
    # Set-DAG -Identity re-applies NFSM with the primary witness
    ok(sh, "Set-DatabaseAvailabilityGroup -Identity DAG1")
    d = dag(sh)
    assert d.WitnessShareInUse == "Primary" and names(d.OperationalServers) == ALL
    assert sh.org.quorum(sh.org.dags["dag1"]).witness == "FS1"
    # the Portland copies are healthy again
    for entry in ok(sh, "Get-MailboxDatabaseCopyStatus -Server EX1").output:
        assert entry.Status == "Healthy", (entry.Name, entry.Status)
    # move the databases home
    for db, home in HOMES.items():
        ok(sh, f"Move-ActiveMailboxDatabase {db} -ActivateOnServer {home} -Confirm:$false")
    assert mounted(sh) == {db: [home] for db, home in HOMES.items()}


DAC_OFF_SWITCHOVER = r"""
Connect-ExchangeServer -ServerFqdn EX3
Get-Service ClusSvc -ComputerName EX3 | Stop-Service
Get-Service ClusSvc -ComputerName EX4 | Stop-Service
Start-ClusterNode -Name EX3 -FixQuorum | Out-Null
Remove-ClusterNode -Name EX1 -Cluster DAG1 -Force
Remove-ClusterNode -Name EX2 -Cluster DAG1 -Force
Set-DatabaseAvailabilityGroup -Identity DAG1 -WitnessServer FS2 -WitnessDirectory C:\DAG1
Start-ClusterNode -Name EX4 | Out-Null
Move-ActiveMailboxDatabase -Server EX1 -ActivateOnServer EX3 -Confirm:$false | Out-Null
Move-ActiveMailboxDatabase -Server EX2 -ActivateOnServer EX4 -Confirm:$false | Out-Null
Get-MailboxDatabase -Server EX3 | Mount-Database
Get-MailboxDatabase -Server EX4 | Mount-Database
"""


def test_scenario_4_without_dac_the_primary_datacenter_splits_the_brain():
    sh = lab()
    ok(sh, "Set-DatabaseAvailabilityGroup -Identity DAG1 -DatacenterActivationMode Off")
    ok(sh, PORTLAND_DARK)
    ok(sh, DAC_OFF_SWITCHOVER)
    d = dag(sh)
    assert cluster_nodes(sh) == ["EX3", "EX4"] and names(d.OperationalServers) == ["EX3", "EX4"]
    assert str(d.WitnessServer) == "FS2.contoso.com" and d.WitnessShareInUse == "Primary"
    assert sorted(mounted(sh)) == sorted(HOMES)
    assert all(len(s) == 1 and s[0] in ("EX3", "EX4") for s in mounted(sh).values())
    assert not sh.org.dags["dag1"].forced_quorum  # EX3 + EX4 + FS2 have a majority: forced quorum ended

    # Portland returns without its WAN: EX1 + EX2 + FS1 are 3 of 5 votes of the cluster they remember
    ok(sh, "Start-SimSite Portland")
    both = mounted(sh)
    for db, home in HOMES.items():
        assert home in both[db] and len(both[db]) == 2, both
    split = events(sh, "SplitBrain")
    assert len(split) == 4 and "Split brain" in split[0]
    table = ok(sh, "Get-MailboxDatabaseCopyStatus DB1").text
    assert table.count("Mounted") == 2

    # the WAN returns: the Portland nodes learn they were evicted, their mounts end (diverged)
    ok(sh, "Connect-SimSiteLink -Site Portland,Redmond")
    assert all(len(s) == 1 and s[0] in ("EX3", "EX4") for s in mounted(sh).values())
    assert len(events(sh, "SplitBrainEnded")) == 4
    # N-6: add the Portland servers back; their diverged copies resynchronize
    ok(sh, "Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer EX1\n"
           "Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer EX2")
    assert cluster_nodes(sh) == ALL
    assert events(sh, "Resynchronized")
    statuses = {e.Name: e.Status for e in ok(sh, "Get-MailboxDatabaseCopyStatus -Server EX1").output}
    assert set(statuses.values()) == {"Healthy"}, statuses


def test_scenario_3_runbook_in_one_go_matches_the_dac_off_difference():
    """The same failure with DAC on never shows a second mounted copy."""
    sh = lab()
    ok(sh, PORTLAND_DARK + SWITCHOVER_DAC + "Start-SimSite Portland")
    assert all(len(s) == 1 for s in mounted(sh).values())
    assert one(sh, "Get-MailboxDatabase DB1 -Status").Mounted is True
