"""Database and copy cmdlets through the shell: output, wildcards, rules, confirmations."""
import pytest

from .conftest import state, unchanged

DAG = "\n".join([
    'Add-ADGroupMember -Identity Administrators -Members "Exchange Trusted Subsystem"',
    "New-MailboxDatabase -Name mailbox01 -Server MAILSERVER01 | Out-Null",
    "Mount-Database mailbox01",
    r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG | Out-Null",
    "Add-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER01",
    "Add-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER02",
    "Add-MailboxDatabaseCopy -Identity mailbox01 -MailboxServer MAILSERVER02",
])


@pytest.fixture
def dag(lab):
    r = lab.run(DAG)
    assert not r.errors, r.error_text
    return lab


def test_get_mailbox_database_default_view(lab):
    r = lab.run("Get-MailboxDatabase")
    assert len(r.output) == 2
    header = r.text.strip().splitlines()[0].split()
    assert header == ["Name", "Server", "Recovery", "ReplicationType"]


def test_get_mailbox_database_status_and_server_set(dag):
    db = dag.run("Get-MailboxDatabase mailbox01 -Status").output[0]
    assert db.Mounted is True and db.ReplicationType == "Remote" and str(db.MasterServerOrAvailabilityGroup) == "DAG"
    assert [str(x) for x in db.ActivationPreference] == ["[MAILSERVER01, 1]", "[MAILSERVER02, 2]"]
    assert dag.run("Get-MailboxDatabase mailbox01").output[0].Mounted is None
    names = [d.Name for d in dag.run("Get-MailboxDatabase -Server MAILSERVER02").output]
    assert "mailbox01" in names and len(names) == 2
    r = dag.run("Get-MailboxDatabase mailbox01 | Format-List *lag*")
    assert "ReplayLagTimes     : {[MAILSERVER01, 00:00:00], [MAILSERVER02, 00:00:00]}" in r.text


def test_get_mailbox_database_identity_forms(dag):
    assert dag.run(r"Get-MailboxDatabase MAILSERVER01\mailbox01").output[0].Name == "mailbox01"
    assert len(dag.run('Get-MailboxDatabase "Mailbox Database*"').output) == 2
    guid = dag.run("(Get-MailboxDatabase mailbox01).Guid").output[0]
    assert dag.run(f"Get-MailboxDatabase {guid}").output[0].Name == "mailbox01"
    r = dag.run("Get-MailboxDatabase nope")
    assert r.errors[0].exception_type == "ManagementObjectNotFoundException"


def test_new_mailbox_database_rules(lab):
    r = lab.run(r"New-MailboxDatabase -Name DB1 -Server MAILSERVER01 -EdbFilePath D:\ExchangeDatabases\DB1\DB1.edb")
    assert r.output[0].EdbFilePath == r"D:\ExchangeDatabases\DB1\DB1.edb"
    assert r.output[0].LogFolderPath == r"C:\Program Files\Microsoft\Exchange Server\V14\Mailbox\DB1"
    err = unchanged(lab, "New-MailboxDatabase -Name db1 -Server MAILSERVER02")
    assert err.exception_type == "ADObjectAlreadyExistsException"
    err = unchanged(lab, "New-MailboxDatabase -Name DB2 -Server NOPE")
    assert err.message == 'Couldn\'t find server "NOPE". Make sure you have typed it correctly.'
    r = lab.run("New-MailboxDatabase -Name DB2")
    assert r.errors  # -Server is mandatory


def test_set_mailbox_database(lab):
    r = lab.run("New-MailboxDatabase -Name DB1 -Server MAILSERVER01 | Out-Null\n"
                "Set-MailboxDatabase DB1 -ProhibitSendQuota 1GB -IssueWarningQuota 900MB -DeletedItemRetention 7.00:00:00 -CircularLoggingEnabled $true")
    assert not r.errors, r.error_text
    db = lab.run("Get-MailboxDatabase DB1").output[0]
    assert str(db.ProhibitSendQuota) == "1 GB (1,073,741,824 bytes)"
    assert str(db.IssueWarningQuota) == "900 MB (943,718,400 bytes)"
    assert db.CircularLoggingEnabled is True
    err = unchanged(lab, "Set-MailboxDatabase DB1 -IssueWarningQuota 3GB")
    assert err.exception_type == "DataValidationException" and "ProhibitSendReceiveQuota" in err.message
    assert lab.run("Set-MailboxDatabase DB1 -ProhibitSendQuota lots").errors
    lab.run("Set-MailboxDatabase DB1 -RpcClientAccessServer MAILSERVER02")
    assert lab.run("Get-MailboxDatabase DB1").output[0].RpcClientAccessServer == "MAILSERVER02.benet.com"
    r = lab.run("Set-MailboxDatabase DB1 -Name DB1X -WhatIf")
    assert 'What if: Setting mailbox database "DB1".' in r.text and "db1" in lab.org.databases


def test_remove_mailbox_database(dag):
    err = unchanged(dag, "Remove-MailboxDatabase mailbox01 -Confirm:$false")
    assert "database copies" in err.message
    dag.run("New-MailboxDatabase -Name DB9 -Server MAILSERVER01 | Out-Null")
    r = dag.run("Remove-MailboxDatabase DB9 -Confirm:$false")
    assert not r.errors and r.warnings[0].startswith("The specified database has been removed.")
    dag.run("New-MailboxDatabase -Name DB8 -Server MAILSERVER01 | Out-Null\nNew-SimMailbox -Name u8 -Database DB8")
    err = unchanged(dag, "Remove-MailboxDatabase DB8 -Confirm:$false")
    assert err.message.startswith("This mailbox database contains one or more mailboxes")


def test_remove_needs_confirmation_without_a_console(dag):
    dag.run("New-MailboxDatabase -Name DB9 -Server MAILSERVER01 | Out-Null")
    r = dag.run("Remove-MailboxDatabase DB9")
    assert r.errors and "NonInteractive" in r.errors[0].message
    assert "db9" in dag.org.databases


def test_mount_dismount(dag):
    r = dag.run("Dismount-Database mailbox01 -Confirm:$false")
    assert not r.errors
    assert dag.run("Get-MailboxDatabase mailbox01 -Status").output[0].Mounted is False
    r = dag.run("Dismount-Database mailbox01 -WhatIf")
    assert ('What if: Dismounting database "mailbox01". This may result in reduced availability for mailboxes '
            "in the database.") in r.text
    assert not dag.run("Mount-Database mailbox01").errors
    assert dag.run("Get-MailboxDatabase mailbox01 -Status").output[0].Mounted is True


def test_mount_without_files(dag):
    dag.run("Dismount-Database mailbox01 -Confirm:$false\nRemove-SimDatabaseFiles -Identity mailbox01 -Server MAILSERVER01")
    err = unchanged(dag, "Mount-Database mailbox01")
    assert err.exception_type == "InvalidOperationException" and err.category == "InvalidOperation"
    assert "MapiExceptionNotFound: Unable to mount database. (hr=0x8004010f, ec=-2147221233)" in err.message


def test_copy_status_wildcards_and_sets(dag):
    names = lambda cmd: [e.Name for e in dag.run(cmd).output]  # noqa: E731
    assert names("Get-MailboxDatabaseCopyStatus mailbox01") == ["mailbox01\\MAILSERVER01", "mailbox01\\MAILSERVER02"]
    assert names(r"Get-MailboxDatabaseCopyStatus mailbox01\*") == names("Get-MailboxDatabaseCopyStatus mailbox01")
    assert names(r"Get-MailboxDatabaseCopyStatus *\MAILSERVER02")[-1] == "mailbox01\\MAILSERVER02"
    assert names("Get-MailboxDatabaseCopyStatus -Server MAILSERVER02") == names(r"Get-MailboxDatabaseCopyStatus *\MAILSERVER02")
    assert len(names("Get-MailboxDatabaseCopyStatus *")) == 4
    assert names("Get-MailboxDatabaseCopyStatus mailbox01 -Active") == ["mailbox01\\MAILSERVER01"]
    assert names("Get-MailboxDatabase mailbox01 | Get-MailboxDatabaseCopyStatus") == names(
        "Get-MailboxDatabaseCopyStatus mailbox01")
    r = dag.run(r"Get-MailboxDatabaseCopyStatus mailbox01\MAILSERVER02")
    e = r.output[0]
    assert (e.Status, e.CopyQueueLength, e.ReplayQueueLength, e.ContentIndexState) == ("Healthy", 0, 0, "Healthy")
    assert e.ActiveDatabaseCopy == "mailserver01"
    assert "CopyQueue" in r.text and "Length" in r.text
    assert dag.run("Get-MailboxDatabaseCopyStatus nope").errors


def test_add_copy_rules(dag):
    err = unchanged(dag, "Add-MailboxDatabaseCopy mailbox01 MAILSERVER02")
    assert err.exception_type == "InvalidOperationException" and "already exists" in err.message
    dag.run("New-MailboxDatabase -Name DB2 -Server MAILSERVER01 | Out-Null")
    assert "isn't mounted" in unchanged(dag, "Add-MailboxDatabaseCopy DB2 MAILSERVER02").message
    dag.run("Mount-Database DB2\nSet-MailboxDatabase DB2 -CircularLoggingEnabled $true")
    assert "circular logging" in unchanged(dag, "Add-MailboxDatabaseCopy DB2 MAILSERVER02").message
    dag.run("Set-MailboxDatabase DB2 -CircularLoggingEnabled $false")
    assert "between 1 and 2" in unchanged(dag, "Add-MailboxDatabaseCopy DB2 MAILSERVER02 -ActivationPreference 3").message
    assert "14.00:00:00" in unchanged(dag, "Add-MailboxDatabaseCopy DB2 MAILSERVER02 -ReplayLagTime 15.00:00:00").message
    r = dag.run("Add-MailboxDatabaseCopy DB2 MAILSERVER02 -ReplayLagTime 00:10:00 -TruncationLagTime 00:15:00 -SeedingPostponed")
    assert not r.errors
    e = dag.run(r"Get-MailboxDatabaseCopyStatus DB2\MAILSERVER02").output[0]
    assert e.Status == "Suspended" and e.SuspendComment == (
        "Replication is suspended for database copy 'DB2\\MAILSERVER02' because database needs to be seeded.")


def test_set_and_remove_copy(dag):
    assert not dag.run(r"Set-MailboxDatabaseCopy mailbox01\MAILSERVER02 -ReplayLagTime 3.0:0:0 -ActivationPreference 1").errors
    db = dag.run("Get-MailboxDatabase mailbox01").output[0]
    assert [str(x) for x in db.ActivationPreference] == ["[MAILSERVER02, 1]", "[MAILSERVER01, 2]"]
    assert "[MAILSERVER02, 3.00:00:00]" in [str(x) for x in db.ReplayLagTimes]
    err = unchanged(dag, r"Remove-MailboxDatabaseCopy mailbox01\MAILSERVER01 -Confirm:$false")
    assert "active copy" in err.message
    r = dag.run(r"Remove-MailboxDatabaseCopy mailbox01\MAILSERVER02 -Confirm:$false")
    assert not r.errors and r.warnings
    assert len(dag.org.databases["mailbox01"].copies) == 1


def test_suspend_resume_update(dag):
    r = dag.run(r'Suspend-MailboxDatabaseCopy mailbox01\MAILSERVER02 -SuspendComment "Maintenance" -Confirm:$false')
    assert not r.errors
    e = dag.run(r"Get-MailboxDatabaseCopyStatus mailbox01\MAILSERVER02").output[0]
    assert (e.Status, e.ActivationSuspended, e.SuspendComment) == ("Suspended", True, "Maintenance")
    err = unchanged(dag, r"Update-MailboxDatabaseCopy mailbox01\MAILSERVER02")
    assert "DeleteExistingFiles" in err.message
    assert not dag.run(r"Update-MailboxDatabaseCopy mailbox01\MAILSERVER02 -DeleteExistingFiles -Confirm:$false").errors
    assert dag.run(r"Get-MailboxDatabaseCopyStatus mailbox01\MAILSERVER02").output[0].Status == "Healthy"
    err = unchanged(dag, r"Update-MailboxDatabaseCopy mailbox01\MAILSERVER02 -DeleteExistingFiles")
    assert "must be suspended" in err.message
    dag.run(r"Suspend-MailboxDatabaseCopy mailbox01\MAILSERVER02 -ActivationOnly -Confirm:$false")
    e = dag.run(r"Get-MailboxDatabaseCopyStatus mailbox01\MAILSERVER02").output[0]
    assert (e.Status, e.ActivationSuspended) == ("Healthy", True)
    dag.run(r"Resume-MailboxDatabaseCopy mailbox01\MAILSERVER02")
    assert dag.run(r"Get-MailboxDatabaseCopyStatus mailbox01\MAILSERVER02").output[0].ActivationSuspended is False
    err = unchanged(dag, r"Suspend-MailboxDatabaseCopy mailbox01\MAILSERVER01 -Confirm:$false")
    assert "active copy" in err.message


def test_move_active_mailbox_database(dag):
    r = dag.run("Move-ActiveMailboxDatabase mailbox01 -ActivateOnServer MAILSERVER02 -Confirm:$false")
    assert not r.errors, r.error_text
    res = r.output[0]
    assert (str(res.Identity), res.ActiveServerAtStart, res.ActiveServerAtEnd, res.Status, res.NumberOfLogsLost,
            res.MountStatusAtMoveStart, res.MountStatusAtMoveEnd) == (
        "mailbox01", "mailserver01", "mailserver02", "Succeeded", 0, "Mounted", "Mounted")
    assert "ActiveServerAtS" in r.text
    err = unchanged(dag, "Move-ActiveMailboxDatabase mailbox01 MAILSERVER02 -Confirm:$false")
    assert "already the active copy" in err.message
    r = dag.run("Move-ActiveMailboxDatabase mailbox01 MAILSERVER01 -WhatIf")
    assert ('What if: Moving mailbox database "mailbox01" from server "MAILSERVER02.benet.com" to server '
            '"MAILSERVER01.benet.com".') in r.text


def test_server_switchover(dag):
    r = dag.run("Move-ActiveMailboxDatabase -Server MAILSERVER01 -Confirm:$false")
    assert [o.ActiveServerAtEnd for o in r.output] == ["mailserver02"]
    assert len(r.errors) == 1  # the default database has no other copy


def test_move_needs_confirmation(dag):
    r = dag.run("Move-ActiveMailboxDatabase mailbox01 -ActivateOnServer MAILSERVER02")
    assert r.errors and dag.org.databases["mailbox01"].active_server == "MAILSERVER01"


def test_public_folder_database(lab):
    r = lab.run("Get-PublicFolderDatabase")
    assert len(r.output) == 1 and r.output[0].Name.startswith("Public Folder Database ")
    assert str(r.output[0].Server) == "MAILSERVER01"


def test_lagged_copy_replays_after_sleep(dag):
    dag.run(r"Set-MailboxDatabaseCopy mailbox01\MAILSERVER02 -ReplayLagTime 00:10:00")
    dag.run("Send-SimMail -Database mailbox01 -Count 5")
    e = dag.run(r"Get-MailboxDatabaseCopyStatus mailbox01\MAILSERVER02").output[0]
    assert (e.CopyQueueLength, e.ReplayQueueLength) == (0, 5)
    dag.run("Start-Sleep -Seconds 700")
    e = dag.run(r"Get-MailboxDatabaseCopyStatus mailbox01\MAILSERVER02").output[0]
    assert e.ReplayQueueLength == 0


def test_state_unchanged_by_reads(dag):
    before = state(dag.org)
    dag.run("Get-MailboxDatabase -Status; Get-MailboxDatabaseCopyStatus *; Get-DatabaseAvailabilityGroup -Status; "
            "Get-ADGroupMember Administrators; Test-ReplicationHealth MAILSERVER01")
    assert state(dag.org) == before
