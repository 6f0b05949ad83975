"""Test-ReplicationHealth: the Exchange 2010 checks (exchange-behaviour §8, reference check list)
pass on a healthy member and fail or warn for the state each one watches."""

from .conftest import refused

CHECKS = ["ClusterService", "ReplayService", "ActiveManager", "TasksRpcListener", "TcpListener",
          "ServerLocatorService", "DagMembersUp", "ClusterNetwork", "QuorumGroup", "FileShareQuorum",
          "DBCopySuspended", "DBCopyFailed", "DBInitializing", "DBDisconnected", "DBLogCopyKeepingUp",
          "DBLogReplayKeepingUp"]


def results(shell, server):
    r = shell.run(f"Test-ReplicationHealth {server}")
    assert not r.errors, r.error_text
    assert [c.Check for c in r.output] == CHECKS and {c.Server for c in r.output} == {server}
    return {c.Check: (c.Result, c.Error) for c in r.output}


def test_healthy_member_passes_everything(dc_lab):
    assert {v for v in results(dc_lab, "EX3").values()} == {("Passed", None)}


def test_suspended_copy(dc_lab):
    dc_lab.run(r"Suspend-MailboxDatabaseCopy DB2\EX3 -Confirm:$false")
    res = results(dc_lab, "EX3")
    assert res["DBCopySuspended"] == ("Failed", "The following database copies are in a 'Suspended' state: DB2\\EX3")
    assert results(dc_lab, "EX4")["DBCopySuspended"] == ("Passed", None)  # the checks look at one server


def test_log_copy_not_keeping_up(dc_lab):
    dc_lab.run(r"Block-SimReplication -Identity DB1\EX4" + "\nSend-SimMail -Database DB1 -Count 12")
    res = results(dc_lab, "EX4")
    assert res["DBLogCopyKeepingUp"] == ("Warning", "Log copying isn't keeping up for: DB1\\EX4")
    assert res["DBCopyFailed"] == ("Passed", None)  # a blocked copy still says Healthy


def test_member_and_witness_down(lab):
    r = lab.run('Add-ADGroupMember -Identity Administrators -Members "Exchange Trusted Subsystem"\n'
                r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG | Out-Null" + "\n"
                "Add-DatabaseAvailabilityGroupServer DAG MAILSERVER01\nAdd-DatabaseAvailabilityGroupServer DAG "
                "MAILSERVER02\nStop-SimServer MAILSERVER02")
    assert not r.errors, r.error_text
    res = results(lab, "MAILSERVER01")
    assert res["DagMembersUp"] == ("Failed", "The following servers in the Windows Failover Cluster are not up: "
                                             "MAILSERVER02")
    assert res["QuorumGroup"] == ("Passed", None) and res["FileShareQuorum"] == ("Passed", None)
    lab.run("Stop-SimServer DC")
    res = results(lab, "MAILSERVER01")
    assert res["QuorumGroup"][0] == "Failed" and res["FileShareQuorum"][0] == "Failed"
    assert res["ClusterService"][0] == "Failed"


def test_outside_a_dag(lab):
    refused(lab, "Test-ReplicationHealth MAILSERVER01", "InvalidOperationException", "InvalidOperation",
            "Server 'MAILSERVER01' isn't a member of a database availability group.")
