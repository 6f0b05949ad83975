"""DAG cmdlets through the shell: parameter sets, output, rules, -WhatIf."""
import pytest

from .conftest import state, unchanged

PREP = 'Add-ADGroupMember -Identity Administrators -Members "Exchange Trusted Subsystem"'
BUILD = "\n".join([
    PREP,
    r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG | Out-Null",
    "Set-DatabaseAvailabilityGroup -Identity DAG -DatabaseAvailabilityGroupIpAddresses 192.168.10.100",
    "Add-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER01",
    "Add-DatabaseAvailabilityGroupServer DAG MAILSERVER02",
])


def test_new_dag_writes_the_dag(lab):
    r = lab.run(r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG")
    assert not r.errors
    dag = r.output[0]
    assert (dag.Name, dag.WitnessServer, dag.WitnessDirectory) == ("DAG", "DC.benet.com", r"C:\DAG")
    assert dag.Servers == [] and dag.OperationalServers is None
    assert "DAG" in r.text and "Member Servers" in r.text


def test_new_dag_positional_name_and_ip_addresses(lab):
    r = lab.run("New-DatabaseAvailabilityGroup DAG9 -WitnessServer DC -DatabaseAvailabilityGroupIpAddresses 192.168.10.101,192.168.20.102")
    assert [str(a) for a in r.output[0].DatabaseAvailabilityGroupIpAddresses] == ["192.168.10.101", "192.168.20.102"]
    assert r.output[0].WitnessDirectory == r"C:\DAGFileShareWitnesses\DAG9.benet.com"


def test_new_dag_name_too_long(lab):
    err = unchanged(lab, "New-DatabaseAvailabilityGroup -Name ABCDEFGHIJKLMNOP -WitnessServer DC")
    assert err.exception_type == "DataValidationException"
    assert "The maximum length is 15 and the length of the value provided is 16." in err.message


def test_new_dag_whatif_changes_nothing(lab):
    before = state(lab.org)
    r = lab.run("New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WhatIf")
    assert 'What if: Creating database availability group "DAG".' in r.text
    assert state(lab.org) == before


def test_adding_a_member_without_witness_rights_fails(lab):
    lab.run(r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG | Out-Null")
    err = unchanged(lab, "Add-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER01")
    assert err.exception_type == "DagTaskOperationFailedException"
    assert err.message.startswith("Error: An error occurred during discovery of the database availability group topology.")


def test_build_dag_and_status(lab):
    r = lab.run(BUILD)
    assert not r.errors, r.error_text
    r = lab.run("Get-DatabaseAvailabilityGroup DAG -Status")
    dag = r.output[0]
    assert [str(s) for s in dag.Servers] == ["MAILSERVER02", "MAILSERVER01"]
    assert [str(s) for s in dag.OperationalServers] == ["MAILSERVER01", "MAILSERVER02"]
    assert str(dag.PrimaryActiveManager) == "MAILSERVER01" and dag.WitnessShareInUse == "Primary"
    assert dag.NetworkNames == ["DAGNetwork01", "DAGNetwork02"] and dag.ReplicationPort == 64327
    plain = lab.run("Get-DatabaseAvailabilityGroup").output[0]
    assert plain.OperationalServers is None and plain.ReplicationPort == 0
    r = lab.run("Get-DatabaseAvailabilityGroup | Format-List Name,*IP*")
    assert "Name                                 : DAG\nDatabaseAvailabilityGroupIpAddresses : {192.168.10.100}\n" in r.text


def test_get_dag_not_found(lab):
    r = lab.run("Get-DatabaseAvailabilityGroup NOPE")
    assert r.errors[0].exception_type == "ManagementObjectNotFoundException"
    assert r.errors[0].message == ("The operation couldn't be performed because object 'NOPE' couldn't be found "
                                   "on 'DC.benet.com'.")
    assert not lab.run("Get-DatabaseAvailabilityGroup NO*").errors


@pytest.mark.parametrize("command, exc, text", [
    ("Add-DatabaseAvailabilityGroupServer DAG MAILSERVER01", "DagTaskServerException", "already a member"),
    ("Add-DatabaseAvailabilityGroupServer DAG DC", "ManagementObjectNotFoundException", 'Couldn\'t find Mailbox server "DC"'),
    ("Set-DatabaseAvailabilityGroup DAG -WitnessServer MAILSERVER01", "DagTaskServerException", "member"),
    ("Set-DatabaseAvailabilityGroup DAG -AlternateWitnessServer MAILSERVER02", "DagTaskServerException", "member"),
    ("Remove-DatabaseAvailabilityGroup DAG -Confirm:$false", "InvalidOperationException", "still has member servers"),
    ("Set-DatabaseAvailabilityGroup DAG -DatabaseAvailabilityGroupIpAddresses 192.168.10.20", "DagTaskServerException",
     "already in use by 'MAILSERVER01'"),
])
def test_dag_rules(lab, command, exc, text):
    lab.run(BUILD)
    err = unchanged(lab, command)
    assert err.exception_type == exc and text in err.message


def test_set_dag_dac_mode_fills_started_servers(lab):
    lab.run(BUILD)
    lab.run("Set-DatabaseAvailabilityGroup DAG -DatacenterActivationMode DagOnly")
    dag = lab.run("Get-DatabaseAvailabilityGroup DAG").output[0]
    assert dag.DatacenterActivationMode == "DagOnly"
    assert dag.StartedMailboxServers == ["MAILSERVER01.benet.com", "MAILSERVER02.benet.com"]


def test_set_dag_bad_enum_is_a_binding_error(lab):
    lab.run(BUILD)
    r = lab.run("Set-DatabaseAvailabilityGroup DAG -DatacenterActivationMode Sometimes")
    assert r.errors and "DagOnly" in r.errors[0].message


def test_remove_members_and_dag(lab):
    lab.run(BUILD)
    r = lab.run("Remove-DatabaseAvailabilityGroupServer DAG -MailboxServer MAILSERVER02 -Confirm:$false\n"
                "Remove-DatabaseAvailabilityGroupServer DAG -MailboxServer MAILSERVER01 -Confirm:$false\n"
                "Remove-DatabaseAvailabilityGroup DAG -Confirm:$false\n"
                "Get-DatabaseAvailabilityGroup")
    assert not r.errors and not r.output
    assert lab.org.servers["mailserver01"].dag is None


def test_remove_dag_whatif(lab):
    lab.run(r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC | Out-Null")
    r = lab.run("Remove-DatabaseAvailabilityGroup DAG -WhatIf")
    assert 'What if: Removing database availability group "DAG".' in r.text
    assert "dag" in lab.org.dags


def test_dag_networks(lab):
    lab.run(BUILD)
    r = lab.run("Get-DatabaseAvailabilityGroupNetwork")
    assert [str(n.Identity) for n in r.output] == ["DAG\\DAGNetwork01", "DAG\\DAGNetwork02"]
    assert "{{192.168.10.0/24,Up}}" in r.text
    net = r.output[0]
    assert net.MapiAccessEnabled and [str(i) for i in net.Interfaces] == [
        "{MAILSERVER01,Up,192.168.10.20}", "{MAILSERVER02,Up,192.168.10.30}"]
    lab.run(r"Set-DatabaseAvailabilityGroupNetwork -Identity DAG\DAGNetwork01 -ReplicationEnabled:$false")
    assert lab.run(r"Get-DatabaseAvailabilityGroupNetwork DAG\DAGNetwork01").output[0].ReplicationEnabled is False
    r = lab.run(r"New-DatabaseAvailabilityGroupNetwork -DatabaseAvailabilityGroup DAG -Name Repl2 -Subnets 10.0.0.0/24 -ReplicationEnabled:$true")
    assert not r.errors and r.output[0].Name == "Repl2"
    assert [str(s) for s in lab.run(r"Get-DatabaseAvailabilityGroupNetwork DAG\Repl2").output[0].Subnets] == [
        "{10.0.0.0/24,Up}"]  # the subnet moved from DAGNetwork02
    err = unchanged(lab, r"Remove-DatabaseAvailabilityGroupNetwork DAG\Repl2 -Confirm:$false")
    assert err.exception_type == "InvalidOperationException" and "in use by members" in err.message
    lab.run(r"Set-DatabaseAvailabilityGroupNetwork DAG\DAGNetwork02 -Subnets 10.0.0.0/24")
    assert not lab.run(r"Remove-DatabaseAvailabilityGroupNetwork DAG\Repl2 -Confirm:$false").errors
    err = unchanged(lab, r"Set-DatabaseAvailabilityGroupNetwork -Identity DAG\Nope -ReplicationEnabled:$false")
    assert err.exception_type == "ManagementObjectNotFoundException"


def test_get_mailbox_server_and_exchange_server(lab):
    lab.run(BUILD)
    r = lab.run("Get-MailboxServer")
    assert [s.Name for s in r.output] == ["MAILSERVER01", "MAILSERVER02"]
    assert str(r.output[0].DatabaseAvailabilityGroup) == "DAG"
    r = lab.run("Get-ExchangeServer MAILSERVER01")
    s = r.output[0]
    assert (s.ServerRole, s.Edition, str(s.AdminDisplayVersion)) == (
        "Mailbox, ClientAccess, HubTransport", "Enterprise", "Version 14.3 (Build 123.4)")
    assert str(s.Site) == "benet.com/Configuration/Sites/Default-First-Site-Name"
    assert lab.run("Get-ExchangeServer DC").errors


def test_set_mailbox_server(lab):
    r = lab.run("Set-MailboxServer MAILSERVER02 -DatabaseCopyAutoActivationPolicy Blocked -AutoDatabaseMountDial Lossless -MaximumActiveDatabases 20")
    assert not r.errors
    s = lab.run("Get-MailboxServer MAILSERVER02").output[0]
    assert (s.DatabaseCopyAutoActivationPolicy, s.AutoDatabaseMountDial, s.MaximumActiveDatabases) == (
        "Blocked", "Lossless", 20)
    err = unchanged(lab, "Set-MailboxServer MAILSERVER02 -MaximumActiveDatabases -1")
    assert err.exception_type == "DataValidationException"


def test_test_replication_health(lab):
    lab.run(BUILD)
    r = lab.run("Test-ReplicationHealth MAILSERVER01")
    assert [c.Check for c in r.output][:3] == ["ClusterService", "ReplayService", "ActiveManager"]
    assert all(c.Result == "Passed" for c in r.output)
    lab.org.servers["mailserver02"].up = False
    r = lab.run("Test-ReplicationHealth MAILSERVER01")
    assert {c.Check: c.Result for c in r.output}["DagMembersUp"] == "Failed"


def test_test_replication_health_outside_a_dag(lab):
    r = lab.run("Test-ReplicationHealth MAILSERVER01")
    assert r.errors[0].exception_type == "InvalidOperationException"


def test_ad_group_members(lab):
    r = lab.run(PREP + "\nGet-ADGroupMember -Identity Administrators")
    assert [p.name for p in r.output] == ["Administrator", "Enterprise Admins", "Domain Admins",
                                          "Exchange Trusted Subsystem"]
    assert lab.run('Add-ADGroupMember -Identity Administrators -Members "Nobody"').errors
