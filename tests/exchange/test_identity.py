"""Identity parameters through the shell: names, FQDNs, DNs, DB\\Server forms, GUIDs, piped
objects, and the real EMS not-found error for a wrong identity."""
import pytest

from .conftest import unchanged

DC = "DC1.contoso.com"


def names(shell, command, prop="Name"):
    r = shell.run(command)
    assert not r.errors, r.error_text
    return [str(getattr(o, prop)) for o in r.output]


@pytest.mark.parametrize("command, expected", [
    ("Get-ExchangeServer EX1", ["EX1"]),
    ("Get-ExchangeServer ex1.contoso.com", ["EX1"]),
    ('Get-ExchangeServer "CN=EX1,CN=Servers,$((Get-ExchangeServer EX1).DistinguishedName.Split(",",3)[2])"', ["EX1"]),
    ("Get-ExchangeServer (Get-ExchangeServer EX2).Guid", ["EX2"]),
    ('Get-ExchangeServer "$((Get-ExchangeServer EX2).Guid)"', ["EX2"]),
    ('Get-ExchangeServer "{$((Get-ExchangeServer EX2).Guid)}"', ["EX2"]),
    ("Get-ExchangeServer EX*", ["EX1", "EX2", "EX3", "EX4"]),
    ("Get-MailboxServer (Get-ExchangeServer EX3).Guid", ["EX3"]),
    ("Get-ExchangeServer EX4 | Get-MailboxServer", ["EX4"]),
    ("Get-DatabaseAvailabilityGroup (Get-DatabaseAvailabilityGroup DAG1).Guid", ["DAG1"]),
    ("Get-DatabaseAvailabilityGroup (Get-DatabaseAvailabilityGroup DAG1).DistinguishedName", ["DAG1"]),
    ("Get-MailboxDatabase DB2", ["DB2"]),
    (r"Get-MailboxDatabase EX2\DB2", ["DB2"]),
    (r"Get-MailboxDatabase ex2.contoso.com\DB2", ["DB2"]),
    ("Get-MailboxDatabase (Get-MailboxDatabase DB3).Guid", ["DB3"]),
    ("(Get-MailboxDatabase DB3).Guid | Get-MailboxDatabase", ["DB3"]),
    ('"DB4" | Get-MailboxDatabase', ["DB4"]),
    ("Get-MailboxDatabase DB[12]", ["DB1", "DB2"]),
    ("Get-Mailbox user3@contoso.com", ["user3"]),
    (r"Get-Mailbox CONTOSO\user3", ["user3"]),
    ("Get-Mailbox contoso.com/Users/user3", ["user3"]),
    ("Get-Mailbox (Get-Mailbox user4).Guid", ["user4"]),
    ('"user2" | Get-Mailbox', ["user2"]),
    ("Get-ClientAccessServer (Get-ExchangeServer EX1).Guid", ["EX1"]),
])
def test_identity_forms(dc_lab, command, expected):
    assert names(dc_lab, command) == expected


def test_copy_identity_forms(dc_lab):
    assert names(dc_lab, r"Get-MailboxDatabaseCopyStatus DB1\EX3") == ["DB1\\EX3"]
    assert names(dc_lab, r"Get-MailboxDatabaseCopyStatus DB1\ex3.contoso.com") == ["DB1\\EX3"]
    assert names(dc_lab, r"Get-MailboxDatabaseCopyStatus *\EX3") == ["DB1\\EX3", "DB2\\EX3", "DB3\\EX3", "DB4\\EX3"]
    # a database's copies in activation-preference order (DB2: EX2, EX1, EX4, EX3)
    assert names(dc_lab, r"Get-MailboxDatabaseCopyStatus DB2\*") == ["DB2\\EX2", "DB2\\EX1", "DB2\\EX4", "DB2\\EX3"]
    assert names(dc_lab, "Get-MailboxDatabaseCopyStatus (Get-MailboxDatabase DB2).Guid") == names(
        dc_lab, "Get-MailboxDatabaseCopyStatus DB2")
    # a stored status entry and its Identity property name the same copy
    assert names(dc_lab, r"$c = Get-MailboxDatabaseCopyStatus DB4\EX1; Get-MailboxDatabaseCopyStatus $c") == ["DB4\\EX1"]
    assert names(dc_lab, r"$c = Get-MailboxDatabaseCopyStatus DB4\EX1; Get-MailboxDatabaseCopyStatus $c.Identity") == [
        "DB4\\EX1"]


def test_network_identity_forms(dc_lab):
    assert names(dc_lab, "Get-DatabaseAvailabilityGroupNetwork DAG1", "Identity") == [
        "DAG1\\DAGNetwork01", "DAG1\\DAGNetwork02"]
    assert names(dc_lab, r"Get-DatabaseAvailabilityGroupNetwork DAG1\*02", "Identity") == ["DAG1\\DAGNetwork02"]
    assert names(dc_lab, "Get-DatabaseAvailabilityGroup DAG1 | Get-DatabaseAvailabilityGroupNetwork", "Identity") == [
        "DAG1\\DAGNetwork01", "DAG1\\DAGNetwork02"]


def test_mailbox_statistics_by_exchange_guid(dc_lab):
    assert names(dc_lab, "(Get-Mailbox user1).ExchangeGuid | Get-MailboxStatistics", "DisplayName") == ["user1"]
    assert names(dc_lab, "Get-MailboxStatistics (Get-MailboxStatistics user3).Identity", "DisplayName") == ["user3"]


# --- piped objects bind the parameter their IdParameter type takes -----------------------------

def test_pipe_server_to_get_mailbox_database_binds_server(dc_lab):
    assert names(dc_lab, "Get-ExchangeServer EX1 | Get-MailboxDatabase") == ["DB1", "DB2", "DB3", "DB4"]


def test_pipe_database_to_get_mailbox_statistics_binds_database(dc_lab):
    # documented example: Get-MailboxDatabase | Get-MailboxStatistics -Filter ...
    assert names(dc_lab, "Get-MailboxDatabase | Get-MailboxStatistics", "DisplayName") == [
        f"user{i}" for i in range(1, 9)]
    assert names(dc_lab, "Get-MailboxServer EX2 | Get-MailboxStatistics", "DisplayName") == [
        "user3", "user4", "user7", "user8"]


def test_pipe_database_or_server_to_get_mailbox(dc_lab):
    assert names(dc_lab, "Get-MailboxDatabase DB3 | Get-Mailbox") == ["user5", "user6"]
    assert names(dc_lab, "Get-MailboxServer EX1 | Get-Mailbox") == ["user1", "user2", "user5", "user6"]


def test_pipe_server_to_copy_status_and_public_folders(lab):
    assert names(lab, "Get-MailboxServer MAILSERVER02 | Get-MailboxDatabaseCopyStatus") == [
        n + "\\MAILSERVER02" for n in names(lab, "Get-MailboxDatabase -Server MAILSERVER02")]
    assert len(names(lab, "Get-ExchangeServer MAILSERVER01 | Get-PublicFolderDatabase")) == 1
    assert names(lab, "Get-ExchangeServer MAILSERVER02 | Get-PublicFolderDatabase") == []


def test_pipe_databases_of_a_server_to_mount_and_dismount(dc_lab):
    r = dc_lab.run("Get-MailboxDatabase -Server EX1 | Dismount-Database -Confirm:$false")
    assert not r.errors, r.error_text
    assert not any(d.mounted for d in dc_lab.org.databases.values())
    r = dc_lab.run("Get-MailboxDatabase -Server EX1 | Mount-Database")
    assert not r.errors, r.error_text
    assert all(d.mounted for d in dc_lab.org.databases.values())


def test_pipe_copy_status_to_suspend_resume_and_update(dc_lab):
    r = dc_lab.run("Get-MailboxDatabaseCopyStatus -Server EX3 | Suspend-MailboxDatabaseCopy -Confirm:$false")
    assert not r.errors, r.error_text
    assert {e.Status for e in dc_lab.run("Get-MailboxDatabaseCopyStatus -Server EX3").output} == {"Suspended"}
    r = dc_lab.run(r"Get-MailboxDatabaseCopyStatus *\EX3 | Update-MailboxDatabaseCopy -DeleteExistingFiles -Confirm:$false")
    assert not r.errors, r.error_text
    assert {e.Status for e in dc_lab.run("Get-MailboxDatabaseCopyStatus -Server EX3").output} == {"Healthy"}
    dc_lab.run("Get-MailboxDatabaseCopyStatus -Server EX4 | Suspend-MailboxDatabaseCopy -ActivationOnly -Confirm:$false")
    r = dc_lab.run("Get-MailboxDatabaseCopyStatus -Server EX4 | Resume-MailboxDatabaseCopy")
    assert not r.errors, r.error_text
    assert not any(e.ActivationSuspended for e in dc_lab.run("Get-MailboxDatabaseCopyStatus -Server EX4").output)


def test_pipe_database_to_copy_status_and_move(dc_lab):
    assert names(dc_lab, "Get-MailboxDatabase DB1 | Get-MailboxDatabaseCopyStatus") == [
        "DB1\\EX1", "DB1\\EX2", "DB1\\EX3", "DB1\\EX4"]
    r = dc_lab.run("Get-MailboxDatabase DB1 | Move-ActiveMailboxDatabase -ActivateOnServer EX2 -Confirm:$false")
    assert not r.errors, r.error_text and dc_lab.org.databases["db1"].active_server == "EX2"


def test_pipe_objects_to_set_cmdlets(dc_lab):
    r = dc_lab.run("Get-DatabaseAvailabilityGroup DAG1 | Set-DatabaseAvailabilityGroup -ReplicationPort 64330\n"
                   "Get-MailboxServer EX1 | Set-MailboxServer -MaximumActiveDatabases 5\n"
                   "Get-ClientAccessServer EX1 | Set-ClientAccessServer -IsOutOfService $false\n"
                   "Get-Mailbox user1 | Set-Mailbox -DisplayName 'User One'\n"
                   "Get-MailboxDatabase DB1 | Set-MailboxDatabase -IssueWarningQuota 1GB\n"
                   r"Get-MailboxDatabaseCopyStatus DB1\EX4 | Set-MailboxDatabaseCopy -ReplayLagTime 01:00:00")
    assert not r.errors, r.error_text
    org = dc_lab.org
    assert org.dags["dag1"].replication_port == 64330 and org.servers["ex1"].maximum_active_databases == 5
    assert org.mailboxes["user1"].display_name == "User One"
    assert str(dc_lab.run("(Get-MailboxDatabase DB1).IssueWarningQuota").output[0]).startswith("1 GB")
    assert str(dc_lab.run("(Get-MailboxDatabase DB1).ReplayLagTimes[3]").output[0]) == "[EX4, 01:00:00]"


def test_pipe_servers_to_test_replication_health(dc_lab):
    r = dc_lab.run("Get-MailboxServer | Test-ReplicationHealth")
    assert not r.errors and sorted({c.Server for c in r.output}) == ["EX1", "EX2", "EX3", "EX4"]


# --- a wrong identity: the remote EMS not-found error, nothing changed --------------------------

@pytest.mark.parametrize("command, shown", [
    ("Get-ExchangeServer NOPE", "NOPE"),
    ("Get-MailboxServer NOPE", "NOPE"),
    ("Get-DatabaseAvailabilityGroup NOPE", "NOPE"),
    ("Get-MailboxDatabase NOPE", "NOPE"),
    (r"Get-MailboxDatabase EX1\NOPE", "EX1\\NOPE"),
    ("Get-MailboxDatabase 11111111-2222-3333-4444-555555555555", "11111111-2222-3333-4444-555555555555"),
    (r"Get-MailboxDatabaseCopyStatus DB1\NOPE", "DB1\\NOPE"),
    ("Get-Mailbox nobody", "nobody"),
    ("Get-MailboxStatistics nobody", "nobody"),
    ("Get-ClientAccessServer NOPE", "NOPE"),
    ("Get-ClientAccessArray NOPE", "NOPE"),
    (r"Get-DatabaseAvailabilityGroupNetwork DAG1\NOPE", "DAG1\\NOPE"),
    ("Set-DatabaseAvailabilityGroup NOPE -ReplicationPort 1", "NOPE"),
    ("Set-MailboxServer NOPE -MaximumActiveDatabases 1", "NOPE"),
    ("Set-MailboxDatabase NOPE -CircularLoggingEnabled $true", "NOPE"),
    ("Mount-Database NOPE", "NOPE"),
    ("Dismount-Database NOPE -Confirm:$false", "NOPE"),
    ("Remove-MailboxDatabase NOPE -Confirm:$false", "NOPE"),
    (r"Suspend-MailboxDatabaseCopy DB1\NOPE -Confirm:$false", "DB1\\NOPE"),
    (r"Resume-MailboxDatabaseCopy DB1\NOPE", "DB1\\NOPE"),
    (r"Update-MailboxDatabaseCopy DB1\NOPE -Confirm:$false", "DB1\\NOPE"),
    (r"Set-MailboxDatabaseCopy DB1\NOPE -ActivationPreference 1", "DB1\\NOPE"),
    (r"Remove-MailboxDatabaseCopy DB1\NOPE -Confirm:$false", "DB1\\NOPE"),
    ("Move-ActiveMailboxDatabase NOPE -ActivateOnServer EX2 -Confirm:$false", "NOPE"),
    ("Set-Mailbox nobody -DisplayName x", "nobody"),
    ("Remove-Mailbox nobody -Confirm:$false", "nobody"),
    ("Test-ReplicationHealth NOPE", "NOPE"),
    ("Set-ClientAccessServer NOPE -IsOutOfService $true", "NOPE"),
    ("Remove-ClientAccessArray NOPE -Confirm:$false", "NOPE"),
])
def test_wrong_identity_is_the_ems_not_found_error(dc_lab, command, shown):
    err = unchanged(dc_lab, command)
    assert err.exception_type == "ManagementObjectNotFoundException" and err.category == "NotSpecified"
    assert err.message == f"The operation couldn't be performed because object '{shown}' couldn't be found on '{DC}'."
    assert "CategoryInfo:NotSpecified:(:)[" in "".join(dc_lab.run(command).error_text.split())


@pytest.mark.parametrize("command, text", [
    ("Get-MailboxDatabase -Server NOPE", 'Couldn\'t find server "NOPE". Make sure you have typed it correctly.'),
    ("Add-MailboxDatabaseCopy DB1 -MailboxServer NOPE", 'Couldn\'t find Mailbox server "NOPE".'),
    ("Move-ActiveMailboxDatabase DB1 -ActivateOnServer NOPE -Confirm:$false", 'Couldn\'t find Mailbox server "NOPE".'),
    ("Get-Mailbox -Database NOPE", 'Couldn\'t find database "NOPE".'),
])
def test_wrong_referenced_object(dc_lab, command, text):
    err = unchanged(dc_lab, command)
    assert err.exception_type == "ManagementObjectNotFoundException" and text in err.message


def test_ambiguous_identity(lab):
    err = unchanged(lab, 'Set-MailboxDatabase "Mailbox Database*" -CircularLoggingEnabled $true')
    assert err.exception_type == "ManagementObjectAmbiguousException"
    assert err.message == ("The operation couldn't be performed because 'Mailbox Database*' matches multiple entries.")
