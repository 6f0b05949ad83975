"""Move-ActiveMailboxDatabase: targets, best copy selection, mount dial override, Skip* checks, results."""
from __future__ import annotations

import pytest

from tests.ha.conftest import details, one_site_dag, status, value


def move(sh, args: str):
    return sh.run(f"Move-ActiveMailboxDatabase {args} -Confirm:$false")


def test_result_object():
    sh = one_site_dag(2)
    sh.run("Start-Sleep -Seconds 60; Send-SimMail DB1 -Count 2")
    r = move(sh, "DB1 -ActivateOnServer EX2")
    res = r.output[0]
    assert (str(res.Identity), res.ActiveServerAtStart, res.ActiveServerAtEnd, res.Status, res.NumberOfLogsLost,
            res.MountStatusAtMoveStart, res.MountStatusAtMoveEnd, res.ErrorMessage) == (
        "DB1", "ex1", "ex2", "Succeeded", 0, "Mounted", "Mounted", None)
    assert res.RecoveryPointObjective == sh.org.now()
    assert status(sh, r"DB1\EX1").Status == "Healthy"
    assert "administrator switchover" in details(sh, "-Event Switchover")


def test_move_comment_goes_to_the_timeline():
    sh = one_site_dag(2)
    move(sh, 'DB1 EX2 -MoveComment "patching EX1"')
    assert "administrator switchover: patching EX1" in details(sh, "-Event Switchover")


def test_targetless_move_is_lossless_and_ordered_by_preference():
    sh = one_site_dag(3)
    sh.run(r"Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 4")
    r = move(sh, "DB1")
    assert r.output[0].ActiveServerAtEnd == "ex2" and r.output[0].NumberOfLogsLost == 0  # AP 2 first; ACLL
    r = move(sh, "DB1 -MountDialOverride GoodAvailability")  # not lossless: shortest copy queue first
    assert r.output[0].ActiveServerAtEnd in ("ex1", "ex3")


def test_targetless_move_without_candidates_leaves_the_database_mounted():
    sh = one_site_dag(2)
    sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX2 -ActivationOnly -Confirm:$false")
    r = move(sh, "DB1")
    assert r.errors
    assert ("An error occurred while trying to select a database copy for possible activation. Error: Database copy "
            "'DB1' on server 'EX2' was skipped because activation is suspended on the copy.") in str(r.errors[0])
    d = value(sh, "Get-MailboxDatabase DB1 -Status")
    assert (str(d.Server), d.Mounted) == ("EX1", True)


def test_server_switchover():
    sh = one_site_dag(3)
    sh.run("New-MailboxDatabase DB2 -Server EX1 | Out-Null; Mount-Database DB2; "
           "Add-MailboxDatabaseCopy DB2 -MailboxServer EX3")
    r = sh.run("Move-ActiveMailboxDatabase -Server EX1 -Confirm:$false")
    assert not r.errors, r.error_text
    assert {(str(o.Identity), o.ActiveServerAtEnd) for o in r.output} == {("DB1", "ex2"), ("DB2", "ex3")}
    r = sh.run("Move-ActiveMailboxDatabase -Server EX2 -ActivateOnServer EX3 -Confirm:$false")
    assert [(str(o.Identity), o.ActiveServerAtEnd) for o in r.output] == [("DB1", "ex3")]


@pytest.mark.parametrize("override, lost_ok", [(None, False), ("None", True), ("GoodAvailability", True),
                                               ("BestEffort", True), ("Lossless", False)])
def test_mount_dial_override(override, lost_ok):
    sh = one_site_dag(2)
    sh.run(r"Set-MailboxServer EX2 -AutoDatabaseMountDial BestAvailability; Block-SimReplication DB1\EX2; "
           "Send-SimMail DB1 -Count 8")
    sh.org.servers["ex1"].up = False  # the old active can't supply its logs (no reaction: a frozen moment)
    arg = f" -MountDialOverride {override}" if override else ""
    r = move(sh, f"DB1 -ActivateOnServer EX2 -SkipLagChecks{arg}")
    if not lost_ok:
        assert "would lose 8 log file(s)" in str(r.errors[0])
        return
    if override == "GoodAvailability":
        assert "more than the mount dial setting 'GoodAvailability' allows" in str(r.errors[0])
        return
    assert not r.errors, r.error_text
    assert r.output[0].NumberOfLogsLost == 8
    assert "with 8 log file(s) lost" in r.text  # the warning


def test_best_effort_with_any_loss():
    sh = one_site_dag(2)
    sh.run(r"Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 30; Stop-SimServer EX1 -Crash")
    assert str(value(sh, "Get-MailboxDatabase DB1").Server) == "EX1"  # 30 > 6: no automatic failover
    r = move(sh, "DB1 -ActivateOnServer EX2 -MountDialOverride BestEffort -SkipActiveCopyChecks "
                 "-SkipClientExperienceChecks -SkipHealthChecks -SkipLagChecks")
    assert not r.errors, r.error_text
    res = r.output[0]
    # the database failed (nobody dismounted it), so it mounts on its new server (M-8)
    assert (res.NumberOfLogsLost, res.MountStatusAtMoveStart, res.MountStatusAtMoveEnd) == (30, "Dismounted", "Mounted")
    assert "redelivered 30 message(s)" in details(sh, "-Event Redelivered")
    r = sh.run("Mount-Database DB1")
    assert not r.errors and value(sh, "Get-MailboxDatabase DB1 -Status").Mounted


def test_lag_checks():
    sh = one_site_dag(2)
    sh.run(r"Set-MailboxDatabaseCopy DB1\EX2 -ReplayLagTime 1.00:00:00; Send-SimMail DB1 -Count 55")
    r = move(sh, "DB1 EX2")
    assert "has a copy queue length of 0 and a replay queue length of 55" in str(r.errors[0])
    r = move(sh, "DB1 EX2 -SkipLagChecks")
    assert not r.errors and r.output[0].NumberOfLogsLost == 0


def test_health_checks():
    sh = one_site_dag(2)
    sh.org.databases["db1"].copy_on("EX2").status = "Failed"
    r = move(sh, "DB1 EX2")
    assert "Use -SkipHealthChecks" in str(r.errors[0])
    r = move(sh, "DB1 EX2 -SkipHealthChecks")
    assert not r.errors and r.output[0].ActiveServerAtEnd == "ex2"


def test_client_experience_checks():
    sh = one_site_dag(2)
    sh.run(r"Set-SimContentIndex DB1\EX2 Failed")
    assert "Use -SkipClientExperienceChecks" in str(move(sh, "DB1 EX2").errors[0])
    assert not move(sh, "DB1 EX2 -SkipClientExperienceChecks").errors


def test_explicit_target_checks():
    sh = one_site_dag(3)
    assert "already the active copy" in str(move(sh, "DB1 EX1").errors[0])
    sh.run(r"Suspend-MailboxDatabaseCopy DB1\EX2 -Confirm:$false")
    assert "has status 'Suspended'" in str(move(sh, "DB1 EX2").errors[0])
    sh.run("Stop-SimServer EX3")
    assert "isn't reachable" in str(move(sh, "DB1 EX3").errors[0])
    sh.run("Start-SimServer EX3; Set-MailboxServer EX3 -MaximumActiveDatabases 0")
    assert "maximum number of active databases" in str(move(sh, "DB1 EX3").errors[0])


def test_terminate_on_warning():
    sh = one_site_dag(2)
    sh.run(r"Block-SimReplication DB1\EX2; Send-SimMail DB1 -Count 2")
    sh.org.servers["ex1"].up = False
    r = move(sh, "DB1 EX2 -MountDialOverride BestEffort -TerminateOnWarning")
    assert "TerminateOnWarning" in str(r.errors[0])
    assert sh.org.databases["db1"].active_server == "EX1"


def test_mount_checks_apply_to_the_target():
    from ems.exchange import activation

    def no_ex2(org, db, server):
        return "Automount consensus not reached." if server.name == "EX2" else None

    sh = one_site_dag(3)
    activation.MOUNT_CHECKS.append(no_ex2)
    try:
        r = move(sh, "DB1 EX2")
        assert "can't be mounted there" in str(r.errors[0]) and "Automount consensus not reached." in str(r.errors[0])
        sh.run("Stop-SimServer EX1 -Crash")
        assert str(value(sh, "Get-MailboxDatabase DB1").Server) == "EX3"
        assert "rejected EX2 may not mount: Automount consensus not reached." in details(sh, "-Event BestCopySelection")
        r = sh.run("Move-ActiveMailboxDatabase DB1 EX2 -Confirm:$false")
        assert r.errors
    finally:
        activation.MOUNT_CHECKS.remove(no_ex2)
