"""The Python API contract (DESIGN.md): Shell, Result, lazy organisation, clock, output."""
import datetime as dt

from ems import Shell


def test_result_fields():
    r = Shell(scenario="empty").run("'a'; Write-Warning 'w'; Write-Error 'e'; 1")
    assert r.output == ["a", 1]
    assert r.text == "a\nWARNING: w\n1\n"
    assert [e.message for e in r.errors] == ["e"]
    assert "+ FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException" in r.error_text
    assert r.warnings == ["w"]
    assert r.exit_code == 0


def test_organisation_is_built_lazily_and_shares_the_clock():
    sh = Shell(scenario="empty")
    sh.run("Get-Date; Start-Sleep -Seconds 30")
    assert not sh.session.org_built
    org = sh.org
    assert sh.session.org_built
    assert org.clock.now() == sh.run("Get-Date").output[0]
    sh.run("Start-Sleep -Seconds 60")
    assert org.clock.now() == sh.run("Get-Date").output[0]


def test_clock_starts_at_ems_start_time(monkeypatch):
    monkeypatch.setenv("EMS_START_TIME", "2030-01-02T03:04:05")
    assert Shell(scenario="empty").run("Get-Date").output == [dt.datetime(2030, 1, 2, 3, 4, 5)]


def test_one_out_default_per_run_first_object_fixes_the_view():
    text = Shell(scenario="empty").run(
        "[pscustomobject]@{A=1}; [pscustomobject]@{B=2}").text
    # one table; the second object is shown under the first object's columns
    assert text.startswith("\nA\n-\n1\n")
    assert "B" not in text


def test_state_persists_between_runs_of_one_shell():
    sh = Shell(scenario="empty")
    sh.run("$keep = 5; function Get-Keep { $keep * 2 }")
    assert sh.run("Get-Keep").output == [10]


def test_width_reaches_the_formatter():
    wide = Shell(scenario="empty", width=200).run("[pscustomobject]@{A='x' * 150}").text
    narrow = Shell(scenario="empty", width=80).run("[pscustomobject]@{A='x' * 150}").text
    assert max(len(line) for line in wide.splitlines()) > max(len(line) for line in narrow.splitlines())


def test_scriptblock_invoke_for_python_callers():
    sb = Shell(scenario="empty").run("{ $_ * 2 + $args[0] }").output[0]
    assert sb.invoke(dollar_under=5, args=(1,)) == [11]
    assert str(sb) == " $_ * 2 + $args[0] "


def test_guids_are_deterministic():
    a = Shell(scenario="empty").run("[guid]::NewGuid()").output
    b = Shell(scenario="empty").run("[guid]::NewGuid()").output
    assert a == b
