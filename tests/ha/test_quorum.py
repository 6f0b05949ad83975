"""§1 quorum and §4 Active Manager: voters, witness lock, partitions, loss of quorum, Q-5, eviction, PAM."""
from __future__ import annotations

import pytest

from tests.ha.conftest import build, details, one_site_dag, status, two_site_dag, value


def dag_status(sh):
    return value(sh, "Get-DatabaseAvailabilityGroup DAG1 -Status")


def operational(sh) -> list[str]:
    return [str(s) for s in dag_status(sh).OperationalServers or []]


def mounted(sh, db="DB1") -> bool:
    return value(sh, f"Get-MailboxDatabase {db} -Status").Mounted


@pytest.mark.parametrize("members, witness", [(1, "None"), (2, "Primary"), (3, "None"), (4, "Primary")])
def test_quorum_model_follows_member_count(members, witness):
    sh = one_site_dag(members, copies=1)
    st = dag_status(sh)
    assert st.WitnessShareInUse == witness and len(st.OperationalServers) == members


def test_three_members_node_majority():
    sh = one_site_dag(3)
    sh.run("Stop-SimServer FS1")  # the witness plays no part with an odd count
    sh.run("Stop-SimServer EX3 -Crash")
    assert operational(sh) == ["EX1", "EX2"] and mounted(sh)
    sh.run("Stop-SimServer EX2 -Crash")
    assert operational(sh) == [] and dag_status(sh).PrimaryActiveManager is None
    assert not mounted(sh)
    assert "EX1 lost quorum in 'DAG1': the partition has 1 of 3 votes (needs 2);" in details(sh, "-Event QuorumLost")


def test_four_members_survive_two_failures_with_the_witness():
    sh = one_site_dag(4)
    sh.run("Stop-SimServer EX3 -Crash; Stop-SimServer EX4 -Crash")
    assert operational(sh) == ["EX1", "EX2"] and mounted(sh)
    assert ("'DAG1' has quorum in the partition {EX1, EX2}: 3 of 5 votes (needs 3), with the witness vote of FS1 "
            "(lock held by EX1).") in details(sh, "-Event Quorum")
    sh.run("Stop-SimServer FS1")  # without the witness 2 of 5 is not enough
    assert operational(sh) == [] and not mounted(sh)


def test_witness_lock_is_released_when_its_holder_dies():
    sh = two_site_dag("FS3")
    assert sh.org.dags["dag1"].witness_lock == "EX1"
    sh.run("Stop-SimServer EX1 -Crash")
    assert sh.org.dags["dag1"].witness_lock == "EX2" and operational(sh) == ["EX2"]
    text = details(sh, "-Event WitnessLock")
    assert "EX2 took the lock on the witness share of 'DAG1' on FS3 (two votes)." in text


def test_witness_lock_released_when_holder_loses_the_witness():
    sh = two_site_dag("FS3")
    sh.run("Disconnect-SimSiteLink -Site Portland,Olympia")  # EX1 holds the lock but can't reach FS3 any more
    assert sh.org.dags["dag1"].witness_lock == "EX2"  # EX2 (in contact with EX1) takes it over
    assert operational(sh) == ["EX1", "EX2"]
    sh.run("Disconnect-SimSiteLink -Site Portland,Redmond")
    assert operational(sh) == ["EX2"]
    assert ("EX1 lost quorum in 'DAG1': the partition has 1 of 3 votes (needs 2); it can't reach the witness FS3"
            in details(sh, "-Event QuorumLost"))


def test_loss_of_quorum_dismounts_and_freezes_replication():
    sh = two_site_dag("FS1")
    sh.run(r"Remove-MailboxDatabaseCopy DB2\EX1 -Confirm:$false")
    sh.run("Stop-SimServer FS1; Disconnect-SimSiteLink -Site Portland,Redmond")
    assert operational(sh) == []  # 1 + 1 of 3 votes, nobody has the witness
    assert not mounted(sh, "DB1") and not mounted(sh, "DB2")
    assert status(sh, r"DB1\EX1").Status == "Dismounted"
    r = sh.run("Send-SimMail DB1 -Count 1")
    assert "is dismounted" in str(r.errors[0])
    sh.run("Start-SimServer FS1")  # the witness is back: the side holding its lock wins
    assert operational(sh) == ["EX1"] and mounted(sh, "DB1")


@pytest.mark.parametrize("command, needle", [
    (r"Add-MailboxDatabaseCopy DB3 -MailboxServer EX1", "must have quorum"),
    (r"Remove-MailboxDatabaseCopy DB1\EX2 -Confirm:$false", "must have quorum"),
    ("Set-DatabaseAvailabilityGroup DAG1 -ReplicationPort 64330", "doesn't have quorum"),
    ("Set-DatabaseAvailabilityGroup DAG1 -WitnessServer FS3 -WitnessDirectory C:\\DAG9", "doesn't have quorum"),
    ("Mount-Database DB1", "the database availability group must have quorum"),
    ("Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX2 -Confirm:$false", "doesn't have quorum"),
])
def test_operations_refused_without_quorum(command, needle):
    sh = two_site_dag("FS1")
    sh.run("New-SimServer -Name FS3 -Site Portland -IPAddress 192.168.1.30 -Role FileServer; "
           "Add-SimLocalAdministrator -Server FS3 -Member 'Exchange Trusted Subsystem'; "
           "New-MailboxDatabase DB3 -Server EX2 | Out-Null; Mount-Database DB3")
    sh.run("Stop-SimServer FS1; Disconnect-SimSiteLink -Site Portland,Redmond")
    assert operational(sh) == []
    before = sh.org.to_dict()
    before.pop("events")
    r = sh.run(command)
    assert r.errors and needle in str(r.errors[0]), r.text
    after = sh.org.to_dict()
    after.pop("events")
    assert after == before


def test_evicted_nodes_stop_counting():
    sh = one_site_dag(3)
    sh.run(r"Stop-SimServer EX3 -Crash; Remove-MailboxDatabaseCopy DB1\EX3 -Confirm:$false")
    r = sh.run("Remove-DatabaseAvailabilityGroupServer DAG1 -MailboxServer EX3 -ConfigurationOnly -Confirm:$false")
    assert not r.errors, r.error_text
    assert sh.org.dags["dag1"].cluster_nodes == ["EX1", "EX2"]
    assert dag_status(sh).WitnessShareInUse == "Primary"  # two nodes: node and file share majority
    sh.run("Stop-SimServer EX2 -Crash")
    assert operational(sh) == ["EX1"] and mounted(sh)  # 2 of 3 with the witness; with EX3 counted it would be 2 of 4


def test_remove_dag_server_configuration_only_evicts_only_with_quorum():
    """Q-5: Remove-DatabaseAvailabilityGroupServer -ConfigurationOnly takes a dead member out of
    the DAG object; its node is evicted from the cluster only if the DAG has quorum."""
    sh = one_site_dag(3, copies=2)                          # EX3 holds no copy
    sh.run("Stop-SimServer EX3 -Crash; Stop-SimServer EX2 -Crash")
    assert operational(sh) == []                            # EX1 alone: 1 of 3
    r = sh.run("Remove-DatabaseAvailabilityGroupServer DAG1 -MailboxServer EX3 -ConfigurationOnly -Confirm:$false")
    assert not r.errors, r.error_text
    assert [str(s) for s in value(sh, "Get-DatabaseAvailabilityGroup DAG1").Servers] == ["EX2", "EX1"]
    assert sh.org.dags["dag1"].cluster_nodes == ["EX1", "EX2", "EX3"]   # still a node: its vote counts
    assert "in Active Directory only: without quorum its node can't be evicted" in details(sh)
    sh.run("Start-SimServer EX2")
    st = dag_status(sh)
    assert operational(sh) == ["EX1", "EX2"] and st.WitnessShareInUse == "None"   # 2 of 3, node majority
    # with quorum the same command evicts at once
    sh = one_site_dag(3, copies=2)
    sh.run("Stop-SimServer EX3 -Crash")
    sh.run("Remove-DatabaseAvailabilityGroupServer DAG1 -MailboxServer EX3 -ConfigurationOnly -Confirm:$false")
    assert sh.org.dags["dag1"].cluster_nodes == ["EX1", "EX2"]
    assert "Node EX3 removed from cluster 'DAG1'." in details(sh)


def test_pam_moves_with_the_cluster_group():
    sh = one_site_dag(3)
    assert str(dag_status(sh).PrimaryActiveManager) == "EX1"
    sh.run("Stop-SimServer EX1")
    assert str(dag_status(sh).PrimaryActiveManager) == "EX2"
    assert "The Primary Active Manager of 'DAG1' moved from EX1 to EX2 (EX1 is down)." in details(sh, "-Event PamMoved")
    sh.run("Start-SimServer EX1")
    assert str(dag_status(sh).PrimaryActiveManager) == "EX2"  # it stays where it went
    assert operational(sh) == ["EX1", "EX2", "EX3"]


def test_status_fields_are_blank_without_status():
    sh = one_site_dag(2)
    d = value(sh, "Get-DatabaseAvailabilityGroup DAG1")
    assert d.OperationalServers is None and d.PrimaryActiveManager is None and d.WitnessShareInUse is None


def test_cluster_service_down_takes_a_node_out_of_the_cluster():
    sh = one_site_dag(3)
    org = sh.org
    org.servers["ex1"].cluster_service = False
    org.react("cluster service stopped")
    assert operational(sh) == ["EX2", "EX3"]
    db = value(sh, "Get-MailboxDatabase DB1 -Status")
    assert str(db.Server) == "EX2" and db.Mounted  # failed over, lossless: EX1 still serves its logs
    assert value(sh, r"Get-MailboxDatabaseCopyStatus DB1\EX1").Status == "DisconnectedAndHealthy"


def test_site_power_loss_and_return():
    sh = two_site_dag("FS1")
    sh.run("Stop-SimSite Portland")
    assert operational(sh) == [] and not mounted(sh, "DB2")  # EX2 alone: 1 of 3
    assert status(sh, r"DB1\EX1").Status == "ServiceDown"
    sh.run("Start-SimSite Portland")
    assert operational(sh) == ["EX1", "EX2"]
    assert mounted(sh, "DB1") and mounted(sh, "DB2")
    assert sh.org.servers["ex1"].dacp == 0 and sh.org.servers["fs1"].boot_time == sh.org.now()


def test_sim_errors():
    sh = one_site_dag(2)
    assert "isn't running" in str(sh.run("Stop-SimServer EX1; Stop-SimServer EX1").errors[0])
    assert "no site link" in str(sh.run("New-SimSite X -Subnets 10.9.0.0/16; "
                                        "Disconnect-SimSiteLink -Site Portland,X").errors[0])
    assert sh.run("Disconnect-SimNetwork EX2 -Network Heartbeat").errors
    assert "Start-SimSite" in str(sh.run("Stop-SimSite Portland; Start-SimServer EX2").errors[0])
