"""exchange-behaviour.md §10 (V-1..V-11) and the documented preconditions, through the shell.

Every violation is checked for its exception type, error category, message, the remote-EMS
error layout, and that it changed nothing: neither the organisation nor what the relevant
Get- command prints (``refused`` in conftest). V-10 (Stop-/Restore-DatabaseAvailabilityGroup
need DAC mode) belongs to the HA engine and is tested in tests/ha_dac.
"""
import pytest

from ems import Shell

from .conftest import refused

PREP = 'Add-ADGroupMember -Identity Administrators -Members "Exchange Trusted Subsystem"'
DAG = "\n".join([
    PREP,
    r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG | Out-Null",
    "Add-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER01",
    "Add-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER02",
    "New-MailboxDatabase -Name mailbox01 -Server MAILSERVER01 | Out-Null",
    "Mount-Database mailbox01",
    "Add-MailboxDatabaseCopy -Identity mailbox01 -MailboxServer MAILSERVER02",
])
SHOW_DAG = "Get-DatabaseAvailabilityGroup -Status | Format-List"
SHOW_DB = "Get-MailboxDatabase -Status | Format-List; Get-MailboxDatabaseCopyStatus * | Format-List"
SHOW_NET = "Get-DatabaseAvailabilityGroupNetwork | Format-List"


def extra_server(name, last_octet, extra=""):
    return (f"New-SimServer -Name {name} -Site Default-First-Site-Name -IPAddress 192.168.10.{last_octet},"
            f"10.0.0.{last_octet} -Role Mailbox,ClientAccess,HubTransport {extra}")


@pytest.fixture
def dag(lab):
    r = lab.run(DAG)
    assert not r.errors, r.error_text
    return lab


# --- V-1 DAG name: a valid computer name of at most 15 characters, unique --------------------

@pytest.mark.parametrize("name, exc, text", [
    ("ABCDEFGHIJKLMNOP", "DataValidationException",
     "The length of the property is too long. The maximum length is 15 and the length of the value provided is 16."),
    ('"DAG 2"', "DataValidationException", "The name 'DAG 2' isn't a valid computer name."),
    ("DAG_2", "DataValidationException", "The name 'DAG_2' isn't a valid computer name."),
    ("12345", "DataValidationException", "The name '12345' isn't a valid computer name."),
    ("DAG", "ADObjectAlreadyExistsException", "A database availability group with the name 'DAG' already exists."),
    ("dag", "ADObjectAlreadyExistsException", "A database availability group with the name 'dag' already exists."),
    ("MAILSERVER01", "ADObjectAlreadyExistsException",
     "The name 'MAILSERVER01' is already used by a computer account in the domain."),
])
def test_v1_dag_name(dag, name, exc, text):
    refused(dag, f"New-DatabaseAvailabilityGroup -Name {name} -WitnessServer DC -WitnessDirectory C:\\D2",
            exc, "NotSpecified", text, SHOW_DAG)


def test_v1_fifteen_characters_are_allowed(lab):
    r = lab.run("New-DatabaseAvailabilityGroup -Name ABCDEFGHIJKLMNO -WitnessServer DC")
    assert not r.errors and r.output[0].Name == "ABCDEFGHIJKLMNO"


# --- V-2 members: Mailbox servers, one DAG each, at most 16, same version, not a DC -------------

def test_v2_server_already_in_this_dag(dag):
    refused(dag, "Add-DatabaseAvailabilityGroupServer DAG MAILSERVER01", "DagTaskServerException", "InvalidArgument",
            "Server 'MAILSERVER01' is already a member of database availability group 'DAG'.", SHOW_DAG)


def test_v2_one_dag_per_server(dag):
    dag.run(r"New-DatabaseAvailabilityGroup -Name DAG2 -WitnessServer DC -WitnessDirectory C:\DAG2 | Out-Null")
    refused(dag, "Add-DatabaseAvailabilityGroupServer DAG2 MAILSERVER02", "DagTaskServerException", "InvalidArgument",
            "Server 'MAILSERVER02' is already a member of database availability group 'DAG'. A server can be a "
            "member of only one database availability group.", SHOW_DAG)


def test_v2_a_domain_controller_is_no_mailbox_server(dag):
    refused(dag, "Add-DatabaseAvailabilityGroupServer DAG DC", "ManagementObjectNotFoundException", "NotSpecified",
            'Couldn\'t find Mailbox server "DC". Make sure you have typed it correctly.', SHOW_DAG)


def test_v2_same_exchange_version(dag):
    dag.run(extra_server("EX15", 40, '-Version "15.0"'))
    refused(dag, "Add-DatabaseAvailabilityGroupServer DAG EX15", "DagTaskServerException", "InvalidArgument",
            "Server 'EX15' runs a different version of Exchange than the members of database availability group "
            "'DAG'. All members must run the same version of Exchange.", SHOW_DAG)
    dag.run(extra_server("EX14", 41, "-Version 14.2"))  # a different service pack is the same version
    assert not dag.run("Add-DatabaseAvailabilityGroupServer DAG EX14").errors


def test_v2_at_most_sixteen_members():
    shell = Shell(scenario="empty")
    lines = ["New-SimServer -Name FS -Site Default-First-Site-Name -IPAddress 192.168.1.5 -Role FileServer",
             'Add-SimLocalAdministrator -Server FS -Member "Exchange Trusted Subsystem"',
             r"New-DatabaseAvailabilityGroup -Name BIG -WitnessServer FS -WitnessDirectory C:\BIG | Out-Null"]
    for i in range(1, 18):
        lines.append(f"New-SimServer -Name M{i} -Site Default-First-Site-Name -IPAddress 192.168.1.{20 + i} "
                     "-Role Mailbox -NoDefaultDatabase")
    for i in range(1, 17):
        lines.append(f"Add-DatabaseAvailabilityGroupServer BIG M{i}")
    r = shell.run("\n".join(lines))
    assert not r.errors, r.error_text
    assert len(shell.org.dags["big"].servers) == 16
    refused(shell, "Add-DatabaseAvailabilityGroupServer BIG M17", "DagTaskServerException", "InvalidArgument",
            "Database availability group 'BIG' already has 16 members, the maximum number of members a database "
            "availability group can have.", "Get-DatabaseAvailabilityGroup | Format-List")


def test_v2_an_unreachable_server_cant_join(dag):
    dag.run(extra_server("MAILSERVER03", 40) + "\nStop-SimServer MAILSERVER03")
    refused(dag, "Add-DatabaseAvailabilityGroupServer DAG MAILSERVER03", "DagTaskOperationFailedException",
            "InvalidOperation", "Unable to contact server 'MAILSERVER03.benet.com'.", SHOW_DAG)


# --- V-3 witness: not a member, Exchange Trusted Subsystem an administrator, own directory ------

WITNESS_DENIED = ("Error: An error occurred during discovery of the database availability group topology. Error: An "
                  "error occurred while attempting a cluster operation. Error: Cluster API \"AddClusterNode() "
                  "(MaxPercentage=12) failed with 0x80070005. Error: Access is denied.\"")


WITNESS_RIGHTS = ("The Exchange Trusted Subsystem is not a member of the local Administrators group on specified "
                  "witness server DC.benet.com.")


def test_v3_the_lab_witness_problem_and_its_fix(lab):
    """benet's DC lacks Exchange Trusted Subsystem in its Administrators: New-DAG warns (as
    Exchange 2010 does), adding a member fails with the documented access-denied error (the
    full text), leaving the DAG empty; after Add-ADGroupMember the same command works."""
    r = lab.run(r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG")
    assert not r.errors and r.warnings == [WITNESS_RIGHTS]
    assert r.text.startswith("WARNING: " + WITNESS_RIGHTS + "\n\nName")  # the warning comes before the result
    err = refused(lab, "Add-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER01",
                  "DagTaskOperationFailedException", "InvalidOperation", WITNESS_DENIED, SHOW_DAG)
    assert err.message == WITNESS_DENIED
    r = lab.run("Add-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER01")
    assert r.error_text.startswith(WITNESS_DENIED + "\n    + CategoryInfo          : InvalidOperation: (:) "
                                   "[Add-DatabaseAvailabilityGroupServer], DagTaskOperationFailedExcep")
    assert lab.run("Get-DatabaseAvailabilityGroup DAG").output[0].Servers == []
    assert lab.run("Get-MailboxServer MAILSERVER01").output[0].DatabaseAvailabilityGroup is None
    r = lab.run(PREP + "\nAdd-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER01")
    assert not r.errors and not r.warnings and [str(s) for s in lab.run("Get-DatabaseAvailabilityGroup DAG").output[0].Servers] == [
        "MAILSERVER01"]


def test_v3_a_file_server_witness_needs_the_group_too(lab):
    lab.run("New-SimServer -Name FS1 -Site Default-First-Site-Name -IPAddress 192.168.10.50 -Role FileServer\n"
            r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer FS1 -WitnessDirectory C:\DAG | Out-Null")
    refused(lab, "Add-DatabaseAvailabilityGroupServer DAG MAILSERVER01", "DagTaskOperationFailedException",
            "InvalidOperation", WITNESS_DENIED, SHOW_DAG)
    lab.run('Add-SimLocalAdministrator -Server FS1 -Member "Exchange Trusted Subsystem"')
    assert not lab.run("Add-DatabaseAvailabilityGroupServer DAG MAILSERVER01").errors
    r = lab.run("Set-DatabaseAvailabilityGroup DAG -AlternateWitnessServer DC")  # DC isn't prepared
    assert r.warnings == [WITNESS_RIGHTS]
    assert not lab.run("Set-DatabaseAvailabilityGroup DAG -WitnessServer FS1").warnings
    assert not lab.run("New-DatabaseAvailabilityGroup DAG2 -WitnessServer MAILSERVER02").warnings  # Exchange server


@pytest.mark.parametrize("command, text", [
    ("Set-DatabaseAvailabilityGroup DAG -WitnessServer MAILSERVER01",
     "The witness server 'MAILSERVER01' is a member of database availability group 'DAG'. A member of the database "
     "availability group can't be its witness server."),
    ("Set-DatabaseAvailabilityGroup DAG -AlternateWitnessServer MAILSERVER02 -AlternateWitnessDirectory C:\\ALT",
     "The alternate witness server 'MAILSERVER02' is a member of database availability group 'DAG'."),
    ("Set-DatabaseAvailabilityGroup DAG -AlternateWitnessDirectory C:\\ALT",
     "AlternateWitnessDirectory can't be set without an AlternateWitnessServer."),
])
def test_v3_witness_is_not_a_member(dag, command, text):
    refused(dag, command, "DagTaskServerException", "InvalidArgument", text, SHOW_DAG)


def test_v3_a_member_to_be_cant_be_the_witness(lab):
    lab.run(PREP + "\n" + extra_server("MAILSERVER03", 40) + "\n"
            r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer MAILSERVER03 -WitnessDirectory C:\DAG | Out-Null")
    refused(lab, "Add-DatabaseAvailabilityGroupServer DAG MAILSERVER03", "DagTaskServerException", "InvalidArgument",
            "Server 'MAILSERVER03' is the witness server of database availability group 'DAG'.", SHOW_DAG)


def test_v3_each_dag_its_own_witness_directory(dag):
    refused(dag, r"New-DatabaseAvailabilityGroup -Name DAG2 -WitnessServer DC -WitnessDirectory C:\DAG",
            "DagTaskServerException", "InvalidArgument",
            "The witness directory 'C:\\DAG' on server 'DC' is already used by database availability group 'DAG'.",
            SHOW_DAG)
    refused(dag, r"New-DatabaseAvailabilityGroup -Name DAG2 -WitnessServer DC -WitnessDirectory DAG",
            "DataValidationException", "NotSpecified", "'DAG' isn't a valid witness directory.", SHOW_DAG)


def test_v3_witness_defaults(lab):
    r = lab.run("New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC")
    assert r.output[0].WitnessDirectory == r"C:\DAGFileShareWitnesses\DAG.benet.com"
    refused(lab, "New-DatabaseAvailabilityGroup -Name DAG2", "DagTaskServerException", "InvalidArgument",
            "The task couldn't find a Hub Transport server without the Mailbox server role to use as the witness "
            "server.", SHOW_DAG)
    lab.run("New-SimServer -Name HUB1 -Site Default-First-Site-Name -IPAddress 192.168.10.60 -Role HubTransport")
    r = lab.run("New-DatabaseAvailabilityGroup -Name DAG2")
    assert not r.errors and (r.output[0].WitnessServer, r.output[0].WitnessDirectory) == (
        "HUB1.benet.com", r"C:\DAGFileShareWitnesses\DAG2.benet.com")


def test_v3_unreachable_witness_gives_the_documented_warnings(lab):
    lab.run(PREP + "\nStop-SimServer DC")
    r = lab.run(r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG")
    assert not r.errors and r.warnings == [
        "Unable to access file shares on witness server 'DC'. Until this problem is corrected, the database "
        "availability group may be more vulnerable to failures. You can use the Set-DatabaseAvailabilityGroup "
        "cmdlet to try the operation again. Error: The network path was not found."]
    assert "WARNING: Unable to access file shares on witness server 'DC'." in r.text + r.error_text


# --- V-4 DAG IP addresses ----------------------------------------------------------------------

@pytest.mark.parametrize("addresses, text", [
    ("192.168.10.20", "The IP address 192.168.10.20 is already in use by 'MAILSERVER01'."),
    ("169.254.1.1", "The IP address 169.254.1.1 is an automatic private IP address (APIPA)."),
    ("192.168.10.100,192.168.10.101", "The IP addresses 192.168.10.100 and 192.168.10.101 are both on subnet "
                                      "192.168.10.0/24. A database availability group can have only one IP "
                                      "address on each subnet."),
    ("2001:db8::5", "A database availability group can't use only IPv6 addresses."),
])
def test_v4_ip_addresses(dag, addresses, text):
    refused(dag, f"Set-DatabaseAvailabilityGroup DAG -DatabaseAvailabilityGroupIpAddresses {addresses}",
            "DagTaskServerException", "InvalidArgument", text, SHOW_DAG)


def test_v4_ip_addresses_are_restated_and_dhcp_is_empty(dag):
    dag.run("Set-DatabaseAvailabilityGroup DAG -DatabaseAvailabilityGroupIpAddresses 192.168.10.100")
    dag.run("Set-DatabaseAvailabilityGroup DAG -DatabaseAvailabilityGroupIpAddresses 192.168.10.101,2001:db8::5")
    ips = dag.run("(Get-DatabaseAvailabilityGroup DAG).DatabaseAvailabilityGroupIpAddresses").output
    assert [str(a) for a in ips] == ["192.168.10.101", "2001:db8::5"]
    dag.run("Set-DatabaseAvailabilityGroup DAG -DatabaseAvailabilityGroupIpAddresses 0.0.0.0")
    assert "DatabaseAvailabilityGroupIpAddresses : {}" in dag.run(
        "Get-DatabaseAvailabilityGroup DAG | Format-List *IpAddresses").text


# --- V-5 DAG networks ---------------------------------------------------------------------------

@pytest.mark.parametrize("command, exc, text", [
    ("New-DatabaseAvailabilityGroupNetwork -DatabaseAvailabilityGroup DAG -Name DAGNetwork01",
     "ADObjectAlreadyExistsException", "A network named 'DAGNetwork01' already exists in database availability "
                                       "group 'DAG'."),
    ('New-DatabaseAvailabilityGroupNetwork -DatabaseAvailabilityGroup DAG -Name ("n" * 129)',
     "DataValidationException", "The maximum length is 128 and the length of the value provided is 129."),
    ('New-DatabaseAvailabilityGroupNetwork DAG3 DAG -Description ("d" * 257)',
     "DataValidationException", "The maximum length is 256 and the length of the value provided is 257."),
    ("New-DatabaseAvailabilityGroupNetwork DAG3 DAG -Subnets 10.0.0.0/99",
     "DataValidationException", "'10.0.0.0/99' isn't a valid subnet."),
    (r"Set-DatabaseAvailabilityGroupNetwork DAG\DAGNetwork01 -Name DAGNetwork02",
     "ADObjectAlreadyExistsException", "A network named 'DAGNetwork02' already exists"),
    (r"Remove-DatabaseAvailabilityGroupNetwork DAG\DAGNetwork01 -Confirm:$false",
     "InvalidOperationException", "The network 'DAG\\DAGNetwork01' can't be removed because its subnets "
                                  "(192.168.10.0/24) are in use by members of database availability group 'DAG'."),
])
def test_v5_networks(dag, command, exc, text):
    category = "InvalidOperation" if exc == "InvalidOperationException" else "NotSpecified"
    refused(dag, command, exc, category, text, SHOW_NET)


def test_v5_replication_port_and_network_options(dag):
    for port in (0, 70000):
        refused(dag, f"Set-DatabaseAvailabilityGroup DAG -ReplicationPort {port}", "DataValidationException",
                "NotSpecified", "The ReplicationPort value must be between 1 and 65535.", SHOW_DAG)
    r = dag.run("Set-DatabaseAvailabilityGroup DAG -NetworkEncryption Sometimes")
    assert r.errors[0].exception_type == "ParameterBindingException"
    assert "Disabled, Enabled, InterSubnetOnly, SeedOnly" in r.errors[0].message
    assert not dag.run("Set-DatabaseAvailabilityGroup DAG -NetworkEncryption Enabled -NetworkCompression Disabled "
                       "-ReplicationPort 64330").errors
    d = dag.run("Get-DatabaseAvailabilityGroup DAG -Status").output[0]
    assert (d.NetworkEncryption, d.NetworkCompression, d.ReplicationPort) == ("Enabled", "Disabled", 64330)


# --- V-6 Add-MailboxDatabaseCopy -----------------------------------------------------------------

def test_v6_one_copy_per_server(dag):
    for server in ("MAILSERVER02", "MAILSERVER01"):
        refused(dag, f"Add-MailboxDatabaseCopy mailbox01 {server}", "InvalidOperationException", "InvalidOperation",
                f"A copy of database 'mailbox01' already exists on server '{server}'. A server can host only one "
                "copy of a database.", SHOW_DB)


def test_v6_target_in_the_same_dag(dag):
    dag.run(extra_server("MAILSERVER03", 40))
    refused(dag, "Add-MailboxDatabaseCopy mailbox01 MAILSERVER03", "InvalidOperationException", "InvalidOperation",
            "Server 'MAILSERVER03' isn't a member of database availability group 'DAG'.", SHOW_DB)
    db3 = dag.run("(Get-MailboxDatabase -Server MAILSERVER03).Name").output[0]
    refused(dag, f'Add-MailboxDatabaseCopy "{db3}" MAILSERVER01', "InvalidOperationException", "InvalidOperation",
            "which isn't a member of a database availability group. Add the server to a database availability group "
            "before adding copies.", SHOW_DB)


def test_v6_active_copy_mounted_and_circular_logging(dag):
    dag.run("New-MailboxDatabase -Name DB2 -Server MAILSERVER01 | Out-Null")
    refused(dag, "Add-MailboxDatabaseCopy DB2 MAILSERVER02", "InvalidOperationException", "InvalidOperation",
            "Database 'DB2' isn't mounted on server 'MAILSERVER01'. The active copy must be mounted to add a database "
            "copy.", SHOW_DB)
    dag.run("Mount-Database DB2\nSet-MailboxDatabase DB2 -CircularLoggingEnabled $true")
    refused(dag, "Add-MailboxDatabaseCopy DB2 MAILSERVER02", "InvalidOperationException", "InvalidOperation",
            "Database 'DB2' has circular logging enabled. Disable circular logging with Set-MailboxDatabase "
            "-CircularLoggingEnabled $false before adding the second copy.", SHOW_DB)


@pytest.mark.parametrize("options, text", [
    ("-ActivationPreference 3", "The value of ActivationPreference must be between 1 and 2, the number of copies of "
                                "database 'DB2'."),
    ("-ActivationPreference 0", "The value of ActivationPreference must be between 1 and 2"),
    ("-ReplayLagTime 14.00:00:01", "The value of property 'ReplayLagTime' must be between 00:00:00 and 14.00:00:00. "
                                   "The value specified is 14.00:00:01."),
    ("-TruncationLagTime 15.00:00:00", "The value of property 'TruncationLagTime' must be between 00:00:00 and "
                                       "14.00:00:00. The value specified is 15.00:00:00."),
])
def test_v6_preference_and_lag_ranges(dag, options, text):
    dag.run("New-MailboxDatabase -Name DB2 -Server MAILSERVER01 | Out-Null\nMount-Database DB2")
    refused(dag, f"Add-MailboxDatabaseCopy DB2 MAILSERVER02 {options}", "DataValidationException", "NotSpecified",
            text, SHOW_DB)


def test_v6_needs_quorum(dag):
    dag.run("New-MailboxDatabase -Name DB2 -Server MAILSERVER01 | Out-Null\nMount-Database DB2\n"
            "Stop-SimServer MAILSERVER02\nStop-SimServer DC")
    refused(dag, "Add-MailboxDatabaseCopy DB2 MAILSERVER02", "DagTaskQuorumNotAchievedException", "InvalidOperation",
            "Database availability group 'DAG' doesn't have quorum.", SHOW_DB)


def test_v6_the_largest_copy_limits_hold(dag):
    r = dag.run("New-MailboxDatabase -Name DB2 -Server MAILSERVER01 | Out-Null\nMount-Database DB2\n"
                "Add-MailboxDatabaseCopy DB2 MAILSERVER02 -ActivationPreference 1 -ReplayLagTime 14.00:00:00 "
                "-TruncationLagTime 14.00:00:00")
    assert not r.errors, r.error_text
    assert [str(p) for p in dag.run("Get-MailboxDatabase DB2").output[0].ActivationPreference] == [
        "[MAILSERVER02, 1]", "[MAILSERVER01, 2]"]  # inserting an AP already used shifts the others


# --- V-7 Remove-MailboxDatabaseCopy -----------------------------------------------------------

def test_v7_cannot_remove_the_active_copy(dag):
    refused(dag, r"Remove-MailboxDatabaseCopy mailbox01\MAILSERVER01 -Confirm:$false", "InvalidOperationException",
            "InvalidOperation", "Database copy 'mailbox01\\MAILSERVER01' is the active copy and can't be removed.",
            SHOW_DB)


def test_v7_last_passive_copy_needs_circular_logging_off(dag):
    dag.run("Set-MailboxDatabase mailbox01 -CircularLoggingEnabled $true")
    refused(dag, r"Remove-MailboxDatabaseCopy mailbox01\MAILSERVER02 -Confirm:$false", "InvalidOperationException",
            "InvalidOperation", "Database 'mailbox01' has continuous replication circular logging enabled. Disable "
                                "circular logging before removing the last passive copy.", SHOW_DB)


def test_v7_files_are_left_on_disk(dag):
    r = dag.run(r"Remove-MailboxDatabaseCopy mailbox01\MAILSERVER02 -Confirm:$false")
    assert not r.errors and r.warnings == [
        "The database copy has been removed. The files of database copy 'mailbox01\\MAILSERVER02' weren't removed "
        "from server 'MAILSERVER02'. Remove them manually before you add a copy of this database to that server "
        "again."]


def test_v7_needs_quorum(dag):
    dag.run("Stop-SimServer MAILSERVER02\nStop-SimServer DC")
    refused(dag, r"Remove-MailboxDatabaseCopy mailbox01\MAILSERVER02 -Confirm:$false",
            "DagTaskQuorumNotAchievedException", "InvalidOperation",
            "Database availability group 'DAG' doesn't have quorum.", SHOW_DB)


# --- V-8 membership removal and DAG removal --------------------------------------------------

def test_v8_member_hosting_copies_cant_leave(dag):
    for server in ("MAILSERVER02", "MAILSERVER01"):
        refused(dag, f"Remove-DatabaseAvailabilityGroupServer DAG -MailboxServer {server} -Confirm:$false",
                "DagTaskServerException", "InvalidArgument",
                f"Server '{server}' can't be removed from database availability group 'DAG' because it hosts copies "
                "of replicated databases: mailbox01. Remove the database copies first.", SHOW_DAG)


def test_v8_dag_with_members_cant_be_removed(dag):
    refused(dag, "Remove-DatabaseAvailabilityGroup DAG -Confirm:$false", "InvalidOperationException",
            "InvalidOperation", "The database availability group 'DAG' can't be removed because it still has member "
                                "servers: MAILSERVER01, MAILSERVER02.", SHOW_DAG)


def test_v8_not_a_member(dag):
    dag.run(extra_server("MAILSERVER03", 40))
    refused(dag, "Remove-DatabaseAvailabilityGroupServer DAG MAILSERVER03 -Confirm:$false", "DagTaskServerException",
            "InvalidArgument", "Server 'MAILSERVER03' isn't a member of database availability group 'DAG'.", SHOW_DAG)


def test_v8_a_dead_member_needs_configuration_only(dag):
    dag.run(r"Remove-MailboxDatabaseCopy mailbox01\MAILSERVER02 -Confirm:$false" + "\nStop-SimServer MAILSERVER02")
    refused(dag, "Remove-DatabaseAvailabilityGroupServer DAG MAILSERVER02 -Confirm:$false",
            "DagTaskOperationFailedException", "InvalidOperation",
            "Unable to contact server 'MAILSERVER02.benet.com'. Use the ConfigurationOnly parameter", SHOW_DAG)
    r = dag.run("Remove-DatabaseAvailabilityGroupServer DAG MAILSERVER02 -ConfigurationOnly -Confirm:$false")
    assert not r.errors, r.error_text
    assert [str(s) for s in dag.run("Get-DatabaseAvailabilityGroup DAG").output[0].Servers] == ["MAILSERVER01"]


# --- V-9 Update-MailboxDatabaseCopy --------------------------------------------------------------

def test_v9_update_needs_suspended(dag):
    refused(dag, r"Update-MailboxDatabaseCopy mailbox01\MAILSERVER02 -Confirm:$false", "InvalidOperationException",
            "InvalidOperation", "The seeding operation failed. Error: Database copy 'mailbox01\\MAILSERVER02' must be "
                                "suspended before it can be seeded.", SHOW_DB)


def test_v9_update_of_the_active_copy(dag):
    refused(dag, r"Update-MailboxDatabaseCopy mailbox01\MAILSERVER01 -Confirm:$false", "InvalidOperationException",
            "InvalidOperation", "because it is the active copy of the database", SHOW_DB)


def test_v9_existing_files_need_delete_existing_files(dag):
    dag.run(r"Suspend-MailboxDatabaseCopy mailbox01\MAILSERVER02 -Confirm:$false")
    refused(dag, r"Update-MailboxDatabaseCopy mailbox01\MAILSERVER02 -Confirm:$false", "InvalidOperationException",
            "InvalidOperation", "already exists on server 'MAILSERVER02'. Remove the files or use the "
                                "DeleteExistingFiles parameter.", SHOW_DB)


def test_v9_replication_service_must_answer(dag):
    dag.run(r"Suspend-MailboxDatabaseCopy mailbox01\MAILSERVER02 -Confirm:$false" + "\nStop-SimServer MAILSERVER02")
    refused(dag, r"Update-MailboxDatabaseCopy mailbox01\MAILSERVER02 -DeleteExistingFiles -Confirm:$false",
            "InvalidOperationException", "InvalidOperation",
            "The Microsoft Exchange Replication service on server 'MAILSERVER02' couldn't be contacted.", SHOW_DB)


# --- V-11 Set-MailboxServer values --------------------------------------------------------------

@pytest.mark.parametrize("parameter, values", [
    ("DatabaseCopyAutoActivationPolicy", "Unrestricted, IntrasiteOnly, Blocked"),
    ("AutoDatabaseMountDial", "Lossless, GoodAvailability, BestAvailability"),
])
def test_v11_enumerations(lab, parameter, values):
    before = lab.run("Get-MailboxServer MAILSERVER01 | Format-List").text
    r = lab.run(f"Set-MailboxServer MAILSERVER01 -{parameter} Sometimes")
    e = r.errors[0]
    assert (e.exception_type, e.category) == ("ParameterBindingException", "InvalidArgument")
    assert e.message.startswith(f"Cannot bind parameter '{parameter}'.") and e.message.endswith(values + '"')
    assert lab.run("Get-MailboxServer MAILSERVER01 | Format-List").text == before


def test_v11_defaults_and_null_maximum(lab):
    s = lab.run("Get-MailboxServer MAILSERVER01").output[0]
    assert (s.DatabaseCopyAutoActivationPolicy, s.AutoDatabaseMountDial, s.MaximumActiveDatabases) == (
        "Unrestricted", "GoodAvailability", None)
    lab.run("Set-MailboxServer MAILSERVER01 -MaximumActiveDatabases 3\nSet-MailboxServer MAILSERVER01 "
            "-MaximumActiveDatabases $null")
    assert lab.run("Get-MailboxServer MAILSERVER01").output[0].MaximumActiveDatabases is None
    refused(lab, "Set-MailboxServer MAILSERVER01 -MaximumActiveDatabases -1", "DataValidationException",
            "NotSpecified", "The value of property 'MaximumActiveDatabases' must be a non-negative number.",
            "Get-MailboxServer MAILSERVER01 | Format-List")


def test_maximum_active_databases_refuses_the_mount(dag):
    dag.run("Dismount-Database mailbox01 -Confirm:$false\nSet-MailboxServer MAILSERVER01 -MaximumActiveDatabases 1")
    refused(dag, "Mount-Database mailbox01", "InvalidOperationException", "InvalidOperation",
            "Error code: The server MAILSERVER01 has reached its maximum number of active databases (1).", SHOW_DB)


# --- per-server database limit: 100 on Enterprise, 5 on Standard --------------------------------

LIMIT_TEXT = "Exchange Server 2010 {} Edition supports up to {} databases per server."


def test_standard_edition_holds_five_databases(lab):
    lab.run("New-SimServer -Name STD1 -Site Default-First-Site-Name -IPAddress 192.168.10.41 -Role Mailbox "
            "-Edition Standard")
    r = lab.run("1..4 | ForEach-Object { New-MailboxDatabase -Name \"S$_\" -Server STD1 } | Out-Null")
    assert not r.errors, r.error_text
    assert len(lab.run("Get-MailboxDatabase -Server STD1").output) == 5  # with the default database
    refused(lab, "New-MailboxDatabase -Name S5 -Server STD1", "InvalidOperationException", "InvalidOperation",
            "Server 'STD1' already hosts 5 databases. " + LIMIT_TEXT.format("Standard", 5),
            "Get-MailboxDatabase | Format-List")


def test_enterprise_edition_holds_one_hundred_databases(lab):
    # MAILSERVER01 has its default database and the public folder database
    r = lab.run("1..98 | ForEach-Object { New-MailboxDatabase -Name \"E$_\" -Server MAILSERVER01 } | Out-Null")
    assert not r.errors, r.error_text
    refused(lab, "New-MailboxDatabase -Name E99 -Server MAILSERVER01", "InvalidOperationException", "InvalidOperation",
            "Server 'MAILSERVER01' already hosts 100 databases. " + LIMIT_TEXT.format("Enterprise", 100),
            "Get-MailboxDatabase -Server MAILSERVER01")


def test_database_limit_counts_passive_copies(lab):
    lab.run(PREP + "\nNew-SimServer -Name STD1 -Site Default-First-Site-Name -IPAddress 192.168.10.41,10.0.0.41 "
            "-Role Mailbox -Edition Standard\n"
            "1..4 | ForEach-Object { New-MailboxDatabase -Name \"S$_\" -Server STD1 } | Out-Null\n"
            r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG | Out-Null" + "\n"
            "Add-DatabaseAvailabilityGroupServer DAG MAILSERVER01\nAdd-DatabaseAvailabilityGroupServer DAG STD1\n"
            "New-MailboxDatabase -Name X1 -Server MAILSERVER01 | Out-Null\nMount-Database X1")
    refused(lab, "Add-MailboxDatabaseCopy X1 STD1", "InvalidOperationException", "InvalidOperation",
            LIMIT_TEXT.format("Standard", 5), SHOW_DB)


# --- other documented preconditions ----------------------------------------------------------

def test_remove_database_with_copies_or_mailboxes(dag):
    refused(dag, "Remove-MailboxDatabase mailbox01 -Confirm:$false", "InvalidOperationException", "InvalidOperation",
            "Database 'mailbox01' has one or more database copies.", SHOW_DB)
    dag.run("New-MailboxDatabase -Name DB8 -Server MAILSERVER01 | Out-Null\nNew-SimMailbox -Name u8 -Database DB8")
    refused(dag, "Remove-MailboxDatabase DB8 -Confirm:$false", "InvalidOperationException", "InvalidOperation",
            "This mailbox database contains one or more mailboxes", SHOW_DB)


def test_suspend_and_resume_refuse_the_active_copy(dag):
    for verb, extra in (("Suspend", " -Confirm:$false"), ("Resume", "")):
        refused(dag, rf"{verb}-MailboxDatabaseCopy mailbox01\MAILSERVER01{extra}", "InvalidOperationException",
                "InvalidOperation", f"The {verb.lower()} operation can't be performed on database copy "
                                    "'mailbox01\\MAILSERVER01' because it is the active copy of the database.", SHOW_DB)


def test_suspend_comment_at_most_512_characters(dag):
    refused(dag, r'Suspend-MailboxDatabaseCopy mailbox01\MAILSERVER02 -SuspendComment ("c" * 513) -Confirm:$false',
            "DataValidationException", "NotSpecified",
            "The length of the property is too long. The maximum length is 512 and the length of the value provided "
            "is 513.", SHOW_DB)


@pytest.mark.parametrize("command, text", [
    ("Set-MailboxDatabase mailbox01 -ProhibitSendReceiveQuota 1MB",
     "The value of property 'ProhibitSendReceiveQuota' must be greater than or equal to that of property "
     "'IssueWarningQuota'. ProhibitSendReceiveQuota: '1 MB (1,048,576 bytes)', IssueWarningQuota: "
     "'1.9 GB (2,040,109,465 bytes)'."),
    ("Set-MailboxDatabase mailbox01 -RecoverableItemsWarningQuota 40GB",
     "The value of property 'RecoverableItemsQuota' must be greater than or equal to that of property "
     "'RecoverableItemsWarningQuota'."),
    ("Set-MailboxDatabase mailbox01 -EventHistoryRetentionPeriod 31.00:00:00",
     "The value of property 'EventHistoryRetentionPeriod' must be between 00:00:01 and 30.00:00:00."),
    ('Set-MailboxDatabase mailbox01 -Name ("n" * 65)',
     "The length of the property is too long. The maximum length is 64 and the length of the value provided is 65."),
])
def test_set_mailbox_database_validation(dag, command, text):
    refused(dag, command, "DataValidationException", "NotSpecified", text, SHOW_DB)


def test_database_names_and_paths(dag):
    refused(dag, "New-MailboxDatabase -Name MAILBOX01 -Server MAILSERVER02", "ADObjectAlreadyExistsException",
            "NotSpecified", 'The name "MAILBOX01" is already used by another database in the organization.', SHOW_DB)
    refused(dag, r"New-MailboxDatabase -Name DB2 -Server MAILSERVER02 -EdbFilePath D:\db2.txt",
            "DataValidationException", "NotSpecified", "'D:\\db2.txt' isn't a valid database file path.", SHOW_DB)
    edb = r"C:\Program Files\Microsoft\Exchange Server\V14\Mailbox\mailbox01\mailbox01.edb"
    refused(dag, f'New-MailboxDatabase -Name DB2 -Server MAILSERVER01 -EdbFilePath "{edb}"', "InvalidOperationException",
            "InvalidOperation", "is already used by database 'mailbox01' on server 'MAILSERVER01'.", SHOW_DB)


def test_move_to_the_active_copy_is_refused(dag):
    refused(dag, "Move-ActiveMailboxDatabase mailbox01 -ActivateOnServer MAILSERVER01 -Confirm:$false",
            "InvalidOperationException", "InvalidOperation",
            "Database copy 'mailbox01' on server 'MAILSERVER01' is already the active copy.", SHOW_DB)


def test_mount_without_files_and_force(dag):
    dag.run("Dismount-Database mailbox01 -Confirm:$false\n"
            "Remove-SimDatabaseFiles -Identity mailbox01 -Server MAILSERVER01")
    refused(dag, "Mount-Database mailbox01", "InvalidOperationException", "InvalidOperation",
            "Couldn't mount the database that you specified. Specified database: mailbox01; Error code: An Active "
            "Manager operation failed. Error: The database action failed. Error: Operation failed with message: "
            "MapiExceptionNotFound: Unable to mount database. (hr=0x8004010f, ec=-2147221233) [Database: mailbox01, "
            "Server: MAILSERVER01.benet.com].", SHOW_DB)


# --- recipients, client access, transport ----------------------------------------------------

SHOW_BOXES = "Get-Mailbox | Format-List"


@pytest.mark.parametrize("command, exc, text", [
    ("New-Mailbox -Name user1 -UserPrincipalName u1b@contoso.com -Password x -Database DB1", "RecipientTaskException",
     'The name "user1" is already being used. Please try another name.'),
    ("New-Mailbox -Name user9 -UserPrincipalName user1@contoso.com -Password x -Database DB1",
     "RecipientTaskException", 'The alias "user1" is being used by another recipient object. Please specify a unique '
                               'value.'),
    ("New-Mailbox -Name user9 -UserPrincipalName u9@contoso.com -Password x -Database DB*",
     "ManagementObjectAmbiguousException", "The operation couldn't be performed because 'DB*' matches multiple "
                                           "entries."),
    ("Set-Mailbox user1 -Name user2", "RecipientTaskException", 'The name "user2" is already being used.'),
    ("Set-Mailbox user1 -Alias user2", "RecipientTaskException", 'The alias "user2" is being used by another recipient'),
    ("Set-Mailbox user1 -UseDatabaseQuotaDefaults $false -IssueWarningQuota 3GB -ProhibitSendReceiveQuota 2GB",
     "DataValidationException", "The value of property 'ProhibitSendReceiveQuota' must be greater than or equal to "
                                "that of property 'IssueWarningQuota'. ProhibitSendReceiveQuota: '2 GB (2,147,483,648 "
                                "bytes)', IssueWarningQuota: '3 GB (3,221,225,472 bytes)'."),
    ("Set-Mailbox user1 -EmailAddresses a@contoso.com -PrimarySmtpAddress b@contoso.com", "RecipientTaskException",
     "The EmailAddresses and PrimarySmtpAddress parameters can't be used together."),
])
def test_recipient_rules(dc_lab, command, exc, text):
    refused(dc_lab, command, exc, "NotSpecified", text, SHOW_BOXES)


@pytest.mark.parametrize("command, text", [
    ("New-Mailbox -Name user9 -UserPrincipalName u9@contoso.com -Password x -Database DB1 -PrimarySmtpAddress bad",
     'Cannot bind parameter \'PrimarySmtpAddress\'. Cannot convert value "bad" to type "SmtpAddress". Error: "The '
     'email address "bad" isn\'t correct. Please use this format: user name, the @ sign, followed by the domain name. '
     'For example, tonysmith@contoso.com or tony.smith@contoso.com."'),
    ('New-ClientAccessArray -Fqdn "bad fqdn" -Site Olympia', "'bad fqdn' isn't a valid fully qualified domain name."),
    ('Set-ClientAccessServer EX1 -AutoDiscoverServiceInternalUri "not a uri"',
     "Invalid URI: The format of the URI could not be determined."),
    ("Set-Mailbox user1 -ProhibitSendQuota lots", "The value 'lots' is not a valid size."),
])
def test_values_that_dont_convert_are_binding_errors(dc_lab, command, text):
    refused(dc_lab, command, "ParameterBindingException", "InvalidArgument", text,
            SHOW_BOXES + "; Get-ClientAccessServer | Format-List; Get-ClientAccessArray")


@pytest.mark.parametrize("command, text", [
    ("Set-TransportConfig -MaxDumpsterTime -1.00:00:00",
     "The value of property 'MaxDumpsterTime' must be between 00:00:00 and 24855.03:14:07."),
    ("Set-TransportConfig -MaxDumpsterSizePerDatabase 3000000000",
     "The value of property 'MaxDumpsterSizePerDatabase' must be between 0 KB and 2147483647 KB."),
    ("Set-TransportConfig -ShadowHeartbeatRetryCount 0",
     "The value of property 'ShadowHeartbeatRetryCount' must be between 1 and 15."),
])
def test_transport_config_ranges(dc_lab, command, text):
    refused(dc_lab, command, "DataValidationException", "NotSpecified", text, "Get-TransportConfig | Format-List")


def test_one_client_access_array_per_site(dc_lab):
    dc_lab.run("New-ClientAccessArray -Fqdn outlook.contoso.com -Site Portland | Out-Null")
    refused(dc_lab, "New-ClientAccessArray -Fqdn cas2.contoso.com -Site Portland", "InvalidOperationException",
            "InvalidOperation", "only one Client Access array", "Get-ClientAccessArray | Format-List")
    refused(dc_lab, "New-ClientAccessArray -Fqdn x.contoso.com -Site NOPE", "ManagementObjectNotFoundException",
            "NotSpecified", 'Couldn\'t find Active Directory site "NOPE".', "Get-ClientAccessArray | Format-List")


@pytest.mark.parametrize("command", ["Add-ADGroupMember Nope -Members Administrator",
                                     "Add-ADGroupMember Administrators -Members Nobody", "Get-ADGroupMember Nope"])
def test_ad_identity_not_found(dc_lab, command):
    """The AD module runs locally: its error has the local layout and stops the command."""
    name, kind = ("Nobody", "ADPrincipal") if "Nobody" in command else ("Nope", "ADGroup")
    refused(dc_lab, command, "ADIdentityNotFoundException", "ObjectNotFound",
            f"Cannot find an object with identity: '{name}' under: 'DC=contoso,DC=com'.",
            "Get-ADGroupMember Administrators | Format-List")
    text = dc_lab.run(command + '; "next"').error_text
    assert text.startswith(f"{command.split()[0]} : Cannot find an object with identity: '{name}'")
    assert f"+ CategoryInfo          : ObjectNotFound: ({name}:{kind}) [{command.split()[0]}], " \
           "ADIdentityNotFoundException" in text
    assert "ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException" in "".join(
        text.split())
