"""Replaying runbooks through the shell: steps, errors, stops, --before, --step, verdict."""
from ems import Shell
from ems.replay import FAILED, NOT_RUN, OK, SKIPPED, Replay
from ems.replay_state import Change

from .replay_helpers import replay


def test_steps_share_variables_and_functions_and_report_output():
    r = replay('$Server = "EX1"\nfunction Show($s) { "server $s" }\nShow $Server\n')
    assert [s.status for s in r.steps] == [OK, OK, OK]
    assert r.steps[2].output == "server EX1"
    assert r.exit_code == 0
    assert r.verdict.holds


def test_a_failing_step_is_reported_with_the_runbook_line_and_the_runbook_goes_on():
    r = replay('"one"\n\n   Get-Mailbox -Bogus\n"three"\n')
    assert [s.status for s in r.steps] == [OK, FAILED, OK]
    bad = r.steps[1]
    assert bad.error_count == 1
    assert "A parameter cannot be found that matches parameter name 'Bogus'." in bad.errors
    assert "At line:3 char:16" in bad.errors
    assert "+    Get-Mailbox -Bogus" in bad.errors
    assert r.steps[2].output == "three"
    assert r.exit_code == 1


def test_exchange_errors_fail_the_step():
    r = replay("Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX9 -Confirm:$false\n")
    assert r.steps[0].status == FAILED
    assert 'Couldn\'t find Mailbox server "EX9"' in r.steps[0].errors


def test_throw_ends_the_runbook_like_a_script():
    r = replay('"a"\nif ($true) { throw "check failed" }\n"never"\nDismount-Database DB1 -Confirm:$false\n')
    assert [s.status for s in r.steps] == [OK, FAILED, NOT_RUN, NOT_RUN]
    assert r.steps[1].ended_runbook == "a script-terminating error ended the runbook"
    assert r.final.database("DB1").mounted
    assert r.exit_code == 1


def test_error_action_preference_stop_makes_cmdlet_errors_end_the_runbook():
    r = replay('$ErrorActionPreference = "Stop"\nGet-Mailbox nobody\n"never"\n')
    assert [s.status for s in r.steps] == [OK, FAILED, NOT_RUN]


def test_a_statement_terminating_error_does_not_end_the_runbook():
    r = replay('Get-Mailbox -Bogus\n"next"\n')
    assert [s.status for s in r.steps] == [FAILED, OK]
    assert r.steps[0].ended_runbook == ""


def test_exit_ends_the_runbook_and_a_non_zero_code_fails_the_step():
    r = replay('"a"\nexit 0\n"b"\n')
    assert [s.status for s in r.steps] == [OK, OK, NOT_RUN]
    assert r.steps[1].ended_runbook == "the runbook ran exit 0"
    assert r.exit_code == 0
    r = replay('exit 3\n"b"\n')
    assert [s.status for s in r.steps] == [FAILED, NOT_RUN]
    assert r.exit_code == 1


def test_warnings_are_kept_apart_from_the_output():
    r = replay('& { Write-Warning "careful"; "out"; Write-Warning "twice" }\n')
    step = r.steps[0]
    assert step.output == "out"
    assert step.warnings == ["careful", "twice"]
    assert step.status == OK


def test_a_replay_never_prompts():
    r = replay("Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX3\n")
    assert r.steps[0].status == FAILED
    assert "NonInteractive mode" in r.steps[0].errors
    assert r.final.database("DB1").active_server == "EX1"


def test_changes_show_only_what_moved():
    r = replay("Get-MailboxDatabase | Out-Null\n"
               "Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX3 -Confirm:$false | Out-Null\n")
    assert r.steps[0].changes == []
    # the new active copy is the database's row; the old one is a passive copy now
    assert r.steps[1].changes == [
        Change("DB1", "active", "EX1 (Mounted)", "EX3 (Mounted)"),
        Change("DB1\\EX1", "copy", "Mounted", "Healthy"),
    ]


def test_before_texts_run_first_and_the_runbook_starts_from_their_result():
    r = replay('"runbook"\n', before=["Dismount-Database DB2 -Confirm:$false", "Send-SimMail DB1 -Count 3"])
    assert [s.id for s in r.before] == ["B1", "B2"]
    assert [s.status for s in r.before] == [OK, OK]
    assert r.before[0].changes[0] == Change("DB2", "active", "EX2 (Mounted)", "EX2 (Dismounted)")
    assert r.initial.database("DB2").mounted and not r.start.database("DB2").mounted
    assert r.steps[0].status == OK
    # the verdict judges the end: DB2 stayed dismounted
    assert not r.verdict.holds and r.exit_code == 1


def test_a_failing_before_text_means_the_runbook_is_not_run():
    r = replay('"runbook"\n', before=["Stop-NoSuchThing Portland", '"second"'])
    assert r.before[0].status == FAILED
    assert "is not recognized as the name of a cmdlet" in r.before[0].errors
    assert r.before[0].ended_runbook
    assert r.before[1].status == NOT_RUN
    assert r.steps[0].status == NOT_RUN
    assert r.exit_code == 1


def test_step_mode_runs_skips_and_quits_as_answered():
    asked = []
    answers = iter(["", "s", "", "q"])

    def ask(step):
        asked.append(step.source)
        return next(answers)

    r = replay('"one"\nDismount-Database DB1 -Confirm:$false\n"three"\n"four"\n"five"\n', ask=ask)
    assert asked == ['"one"', "Dismount-Database DB1 -Confirm:$false", '"three"', '"four"']
    assert [s.status for s in r.steps] == [OK, SKIPPED, OK, NOT_RUN, NOT_RUN]
    assert r.quit
    assert r.final.database("DB1").mounted          # the skipped step changed nothing
    assert r.exit_code == 0                           # quitting is not a failure; the verdict holds


def test_end_of_input_at_a_step_prompt_stops():
    r = replay('"one"\n"two"\n', ask=lambda step: None)
    assert [s.status for s in r.steps] == [NOT_RUN, NOT_RUN] and r.quit


def test_the_verdict_decides_the_exit_status_even_when_every_step_succeeds():
    r = replay("Dismount-Database DB3 -Confirm:$false\n")
    assert r.steps[0].status == OK
    check = r.verdict.checks[0]
    assert not check.ok and check.detail == "DB3 is Dismounted on EX1"
    assert r.exit_code == 1


def test_parse_error_in_the_runbook():
    r = replay('"ok"\n$x = (\n')
    assert r.parse_error and r.steps == []
    assert r.exit_code == 1


def test_listener_sees_every_step_in_order():
    from ems.replay import Listener

    class Recorder(Listener):
        def __init__(self):
            self.seen = []

        def start(self, result):
            self.seen.append("start")

        def runbook(self, result):
            self.seen.append("runbook")

        def step(self, step):
            self.seen.append(step.id)

        def finish(self, result):
            self.seen.append("finish")

    rec = Recorder()
    replay('"a"\n"b"\n', before=['"x"'], listener=rec)
    assert rec.seen == ["start", "B1", "runbook", "1", "2", "finish"]


def test_a_runbook_file_on_benet_lab(tmp_path):
    path = tmp_path / "check.ps1"
    path.write_text("# list the servers\nGet-ExchangeServer | Format-Table Name\n", encoding="utf-8")
    r = Replay(Shell(scenario="benet-lab"), str(path)).run()
    assert r.runbook == str(path)
    assert r.steps[0].comment == "list the servers"
    assert "MAILSERVER01" in r.steps[0].output
    assert r.exit_code == 0


LOSSY_FAILOVER = ["Block-SimReplication DB1\\EX2", "Block-SimReplication DB1\\EX3",
                  "Block-SimReplication DB1\\EX4", "Send-SimMail DB1 -Count 4", "Stop-SimServer EX1 -Crash"]


def test_a_lossy_failover_is_counted_and_needs_expect_loss():
    r = replay('"after the failover"\n', before=LOSSY_FAILOVER)
    crash = r.before[-1]
    assert crash.logs_lost == {"DB1": 4}
    assert crash.recovered == 4
    assert Change("DB1", "logs lost", None, "4") in crash.changes
    assert Change("DB1", "active", "EX1 (Mounted)", "EX2 (Mounted)") in crash.changes
    assert r.logs_lost == 4 and r.recovered == 4
    loss = r.verdict.checks[4]
    assert not loss.ok
    assert loss.detail == "4 logs lost (allowed 0); 4 messages recovered by the transport dumpster"
    assert r.exit_code == 1
    r = replay('"after the failover"\n', before=LOSSY_FAILOVER, expect_loss=4)
    assert r.verdict.checks[4].ok


def test_a_crashed_member_fails_the_copy_check():
    r = replay('"x"\n', before=["Stop-SimServer EX4 -Crash"])
    copies = r.verdict.checks[3]
    assert not copies.ok and "DB1\\EX4 is ServiceDown" in copies.detail
    assert r.verdict.checks[0].ok


def test_a_member_stopped_while_it_serves_fails_the_quorum_and_split_brain_checks():
    """Stop-DatabaseAvailabilityGroup -ConfigurationOnly on a running member changes only
    Active Directory: its databases stay mounted on a server Active Manager may not use."""
    r = replay("Stop-DatabaseAvailabilityGroup DAG1 -MailboxServer EX1 -ConfigurationOnly -Confirm:$false\n")
    assert r.steps[0].status == OK
    assert r.steps[0].changes == [Change("DAG1", "started", "EX1 EX2 EX3 EX4", "EX2 EX3 EX4"),
                                  Change("DAG1", "stopped", "(none)", "EX1")]
    mounted_once, quorum, split, copies, loss = r.verdict.checks
    assert mounted_once.ok and copies.ok and loss.ok
    assert not quorum.ok and quorum.detail.startswith(
        "DB1 is mounted on EX1, which is on the StoppedMailboxServers list")
    assert not split.ok and "EX1 is on the StoppedMailboxServers list of DAG1 but still a running node" in split.detail
    assert r.exit_code == 1


DAC_OFF_SWITCHOVER = [
    "Set-DatabaseAvailabilityGroup -Identity DAG1 -DatacenterActivationMode Off",
    "Stop-SimSite Portland", "Disconnect-SimSiteLink -Site Portland,Redmond",
    "Connect-ExchangeServer -ServerFqdn EX3",
    "Get-Service ClusSvc -ComputerName EX3, EX4 | Stop-Service",
    "Start-ClusterNode -Name EX3 -FixQuorum | Out-Null",
    "Remove-ClusterNode -Name EX1 -Cluster DAG1 -Force", "Remove-ClusterNode -Name EX2 -Cluster DAG1 -Force",
    r"Set-DatabaseAvailabilityGroup -Identity DAG1 -WitnessServer FS2 -WitnessDirectory C:\DAG1",
    "Start-ClusterNode -Name EX4 | Out-Null",
    "Move-ActiveMailboxDatabase -Server EX1 -ActivateOnServer EX3 -Confirm:$false | Out-Null",
    "Move-ActiveMailboxDatabase -Server EX2 -ActivateOnServer EX4 -Confirm:$false | Out-Null",
    "Get-MailboxDatabase -Server EX3 | Mount-Database", "Get-MailboxDatabase -Server EX4 | Mount-Database",
]


def test_split_brain_without_dac_fails_the_verdict():
    """Scenario 4 as a replay: after the DAC-off switchover Portland returns without its WAN
    and mounts its old copies too; the verdict names the double mounts."""
    r = replay("Start-SimSite Portland\n", before=DAC_OFF_SWITCHOVER)
    assert [s.status for s in r.before] == [OK] * len(DAC_OFF_SWITCHOVER)
    assert r.start.database("DB1").active_server == "EX3"
    row = next(c for c in r.steps[0].changes if c.subject == "DB1\\EX1")
    assert row.after.startswith("Mounted by a stale cluster (split brain)")
    mounted_once, quorum, split, copies, loss = r.verdict.checks
    assert not mounted_once.ok and "DB1 is mounted on EX1 and EX3" in mounted_once.detail
    assert not split.ok and "DB1 is mounted on EX1 and EX3" in split.detail
    assert r.exit_code == 1
