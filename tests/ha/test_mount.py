"""§9 mount and dismount through the shell: where they act (MD-1), the quorum refusal (MD-3),
MaximumActiveDatabases (MD-4), an administrator's dismount (MD-6); and the Q-2 thresholds for
five and six members."""
from __future__ import annotations

import pytest

from tests.ha.conftest import details, one_site_dag, status, value

MD3_QUORUM = ("Couldn't mount the database that you specified. Specified database: DB1; Error code: An Active "
              "Manager operation failed. Error An Active Manager operation encountered an error. To perform this "
              "operation, the server must be a member of a database availability group, and the database "
              "availability group must have quorum. [Server: EX1.contoso.com].")


def test_mount_and_dismount_act_on_the_active_copy_wherever_they_run():
    sh = one_site_dag(3)
    r = sh.run("Connect-ExchangeServer -ServerFqdn EX3 | Out-Null; Dismount-Database DB1 -Confirm:$false")
    assert not r.errors, r.error_text
    db = value(sh, "Get-MailboxDatabase DB1 -Status")
    assert (str(db.Server), db.Mounted) == ("EX1", False)          # dismounted on EX1, not moved
    assert "Database 'DB1' dismounted on EX1 by an administrator." in details(sh, "-Event Dismounted")
    assert not sh.run("Mount-Database DB1").errors
    db = value(sh, "Get-MailboxDatabase DB1 -Status")
    assert (str(db.Server), db.Mounted) == ("EX1", True)


def test_mount_without_quorum_is_refused_with_the_md3_text():
    sh = one_site_dag(2)
    sh.run("Stop-SimServer FS1; Stop-SimServer EX2 -Crash")        # EX1 alone: 1 of 3 votes
    r = sh.run("Mount-Database DB1")
    assert len(r.errors) == 1
    err = r.errors[0]
    assert err.message == MD3_QUORUM                               # no "Error: ..." clause for pure quorum loss
    assert err.category == "InvalidOperation"
    assert err.fully_qualified_error_id.endswith(",Microsoft.Exchange.Management.SystemConfigurationTasks.MountDatabase")
    assert sh.run("Mount-Database DB1 -Force").errors[0].message == MD3_QUORUM


def test_maximum_active_databases_refuses_a_mount():
    sh = one_site_dag(2)
    sh.run("New-MailboxDatabase DB2 -Server EX1 | Out-Null; Set-MailboxServer EX1 -MaximumActiveDatabases 1")
    r = sh.run("Mount-Database DB2")
    assert "The server EX1 has reached its maximum number of active databases (1)." in str(r.errors[0])
    assert value(sh, "Get-MailboxDatabase DB2 -Status").Mounted is False


def test_an_administrators_dismount_keeps_the_passives_healthy_and_is_not_failed_over():
    sh = one_site_dag(3)
    sh.run("Send-SimMail DB1 -Count 3; Dismount-Database DB1 -Confirm:$false")
    for copy in (r"DB1\EX2", r"DB1\EX3"):
        s = status(sh, copy)
        assert (s.Status, s.CopyQueueLength, s.ReplayQueueLength) == ("Healthy", 0, 0)
    assert status(sh, r"DB1\EX1").Status == "Dismounted"
    sh.run("Stop-SimServer EX1 -Crash; Start-SimServer EX1")
    db = value(sh, "Get-MailboxDatabase DB1 -Status")
    assert (str(db.Server), db.Mounted) == ("EX1", False)
    assert details(sh, "-Event Failover") == ""


@pytest.mark.parametrize("members, crashes, quorum", [
    (5, 2, True), (5, 3, False),          # N=5: V=5, needs 3
    (6, 3, True), (6, 4, False),          # N=6: V=7 with the witness, needs 4
])
def test_quorum_thresholds_for_five_and_six_members(members, crashes, quorum):
    sh = one_site_dag(members)
    sh.run("; ".join(f"Stop-SimServer EX{members - i} -Crash" for i in range(crashes)))
    st = value(sh, "Get-DatabaseAvailabilityGroup DAG1 -Status")
    assert len(st.OperationalServers or []) == (members - crashes if quorum else 0)
    assert value(sh, "Get-MailboxDatabase DB1 -Status").Mounted is quorum


def test_a_new_dag_is_not_in_dac_mode():
    sh = one_site_dag(2)
    assert str(value(sh, "Get-DatabaseAvailabilityGroup DAG1").DatacenterActivationMode) == "Off"   # D-1
