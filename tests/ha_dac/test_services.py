"""Where commands run (Connect-ExchangeServer, $env:COMPUTERNAME), Windows services on the
members, and the failover-cluster cmdlets of the DAC-off procedure."""
from __future__ import annotations

from .conftest import cluster_nodes, dag, events, lab, mounted, names, ok, one

WINRM = ("Starting a command on the remote server failed with the following error message : WinRM cannot complete "
         "the operation.")


def test_get_service_table():
    sh = lab()
    text = ok(sh, "Get-Service -ComputerName EX3").text
    assert text == ("\nStatus   Name               DisplayName                           \n"
                    "------   ----               -----------                           \n"
                    "Running  ClusSvc            Cluster Service                       \n"
                    "Running  MSExchangeIS       Microsoft Exchange Information Store  \n"
                    "Running  MSExchangeRepl     Microsoft Exchange Replication Service\n\n\n")


def test_service_errors_are_windows_powershell_errors():
    sh = lab()
    r = sh.run("Get-Service ClusSvc -ComputerName FS1")
    assert r.errors[0].message == "Cannot find any service with service name 'ClusSvc'."
    assert r.errors[0].fully_qualified_error_id == "NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand"
    assert r.error_text.startswith("Get-Service : Cannot find any service")
    ok(sh, "Stop-SimServer EX4")
    r = sh.run("Get-Service -ComputerName EX4")
    assert r.errors[0].message == ("Cannot open Service Control Manager on computer 'EX4'. This operation might "
                                   "require other privileges.")


def test_stop_service_acts_on_the_connected_server():
    sh = lab()
    assert ok(sh, "$env:COMPUTERNAME").output == ["EX1"]
    ok(sh, "Stop-Service ClusSvc")
    assert sh.org.servers["ex1"].cluster_service is False
    states = {n.Name: n.State for n in ok(sh, "Get-ClusterNode -Cluster DAG1").output}
    assert states == {"EX1": "Down", "EX2": "Up", "EX3": "Up", "EX4": "Up"}
    assert "EX1" not in names(dag(sh).OperationalServers)
    ok(sh, "Start-Service ClusSvc -PassThru")
    assert sh.org.servers["ex1"].cluster_service is True


def test_stopping_the_information_store_fails_the_databases_over():
    sh = lab()
    r = ok(sh, "Get-Service MSExchangeIS -ComputerName EX1 | Stop-Service -PassThru")
    assert r.output[0].Status.name == "Stopped"
    assert "EX1" not in {s for servers in mounted(sh).values() for s in servers}
    assert sorted(mounted(sh)) == ["DB1", "DB2", "DB3", "DB4"]


def test_connect_exchange_server_moves_the_shell_and_says_so():
    sh = lab()
    r = ok(sh, "Connect-ExchangeServer -ServerFqdn EX3.contoso.com")
    assert r.text == "VERBOSE: Connecting to EX3.contoso.com\nVERBOSE: Connected to EX3.contoso.com.\n"
    assert ok(sh, "$env:COMPUTERNAME").output == ["EX3"]
    ok(sh, "Get-DatabaseAvailabilityGroup")
    assert sh.org.connected_server == "EX3"


def test_connect_to_a_server_that_is_down_fails_and_keeps_the_connection():
    sh = lab()
    ok(sh, "Stop-SimServer EX4 -Crash")
    r = sh.run("Connect-ExchangeServer EX4")
    assert r.errors[0].exception_type == "PSRemotingTransportException"
    assert r.errors[0].message.startswith("[ex4.contoso.com] Connecting to remote server ex4.contoso.com failed")
    assert ok(sh, "$env:COMPUTERNAME").output == ["EX1"]


def test_a_pinned_server_that_goes_down_breaks_exchange_cmdlets_but_not_the_lab_cmdlets():
    sh = lab()
    ok(sh, "Connect-ExchangeServer EX2; Stop-SimServer EX2 -Crash")
    r = sh.run("Get-MailboxDatabase")
    assert len(r.errors) == 1 and r.errors[0].message.startswith(WINRM)
    assert (r.errors[0].exception_type, r.errors[0].category) == ("PSRemotingTransportException", "OperationStopped")
    assert "PSComputerName        : ex2.contoso.com" in r.error_text
    ok(sh, "Start-SimServer EX2")
    assert len(ok(sh, "Get-MailboxDatabase").output) == 4


def test_the_automatic_connection_moves_when_its_server_is_down():
    sh = lab()
    ok(sh, "Stop-SimSite Portland")
    assert len(ok(sh, "Get-MailboxDatabase").output) == 4
    assert ok(sh, "$env:COMPUTERNAME").output == ["EX3"]


def test_forced_quorum_evict_and_node_majority():
    sh = lab()
    ok(sh, "Stop-SimSite Portland; Connect-ExchangeServer EX3")
    r = sh.run("Remove-ClusterNode EX1 -Cluster DAG1 -Force")
    assert "no node has quorum" in r.errors[0].message
    ok(sh, "Stop-Service ClusSvc; Get-Service ClusSvc -ComputerName EX4 | Stop-Service")
    node = one(sh, "Start-ClusterNode -FixQuorum")
    assert (node.Name, node.State) == ("EX3", "Up")
    assert names(dag(sh).OperationalServers) == ["EX3"]
    ok(sh, "Remove-ClusterNode EX1 -Cluster DAG1 -Force; Remove-ClusterNode EX2 -Cluster DAG1 -Force")
    assert cluster_nodes(sh) == ["EX3", "EX4"]
    assert sh.org.dags["dag1"].forced_quorum == ["EX3"]  # EX3 alone is 1 of 3 votes: still forced
    ok(sh, "Start-ClusterNode EX4 | Out-Null")
    settings = one(sh, "Set-ClusterQuorum -NodeMajority")
    assert settings.QuorumType == "NodeMajority"
    assert dag(sh).WitnessShareInUse == "None"  # 2 nodes, node majority: both are needed
    r = sh.run("Clear-ClusterNode EX3 -Force")
    assert "The Cluster service is running on 'EX3'" in r.errors[0].message


def test_clear_cluster_node_after_eviction_disables_clussvc():
    sh = lab()
    ok(sh, "Stop-Service ClusSvc -ErrorAction Stop; Clear-ClusterNode -Force")
    svc = one(sh, "Get-Service ClusSvc -ComputerName EX1")
    assert svc.StartType.name == "Disabled"
    r = sh.run("Start-ClusterNode EX1 -Cluster DAG1")
    assert "cannot be started" in r.errors[0].message


def test_moving_the_cluster_group_moves_the_pam_and_a_paused_node_cant_take_it():
    """A-2: the PAM is the owner of the cluster group. To take it down for maintenance, move
    the group first (Move-ClusterGroup); a node paused with Suspend-ClusterNode can't become
    the owner, so the PAM goes elsewhere when its node fails."""
    sh = lab()
    assert str(dag(sh).PrimaryActiveManager) == "EX1"
    r = ok(sh, 'Move-ClusterGroup "Cluster Group" -Node EX3 -Cluster DAG1')
    assert (r.output[0].Name, r.output[0].OwnerNode, r.output[0].State) == ("Cluster Group", "EX3", "Online")
    assert str(dag(sh).PrimaryActiveManager) == "EX3"
    assert "moved from EX1 to EX3 (Move-ClusterGroup)" in "\n".join(events(sh, "PamMoved"))
    ok(sh, "Suspend-ClusterNode -Name EX1, EX2 -Cluster DAG1")
    assert {n.Name: n.State for n in ok(sh, "Get-ClusterNode -Cluster DAG1").output} == {
        "EX1": "Paused", "EX2": "Paused", "EX3": "Up", "EX4": "Up"}
    r = sh.run('Move-ClusterGroup "Cluster Group" -Node EX1 -Cluster DAG1')
    assert r.errors[0].message == ("An error occurred while moving group 'Cluster Group' to node 'EX1': The cluster "
                                   "node is paused.")
    ok(sh, "Stop-SimServer EX3 -Crash")
    assert str(dag(sh).PrimaryActiveManager) == "EX4"               # not the paused EX1 or EX2
    ok(sh, "Resume-ClusterNode -Name EX1 -Cluster DAG1")
    assert {n.Name: n.State for n in ok(sh, "Get-ClusterNode -Cluster DAG1").output}["EX1"] == "Up"
    r = sh.run('Move-ClusterGroup "Cluster Group" -Node EX3 -Cluster DAG1')
    assert r.errors[0].message.endswith("The cluster node is down.")
    assert sh.run('Move-ClusterGroup "Available Storage" -Node EX1 -Cluster DAG1').errors
    ok(sh, 'Move-ClusterGroup "Cluster Group" -Cluster DAG1')   # without -Node: another node that may own it
    assert str(dag(sh).PrimaryActiveManager) == "EX1"
