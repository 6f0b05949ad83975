"""The real ``ems`` command, driven through subprocess (DESIGN.md "Command line")."""
import json
import os
import subprocess
import sys

import pytest

ENV = dict(os.environ, EMS_START_TIME="2026-11-21T09:00:00", NO_COLOR="1")
ENV.pop("EMS_DEBUG", None)


def ems(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "ems", *args], input=stdin, capture_output=True,
                          text=True, env=ENV, cwd=cwd, timeout=60)


def test_command_output_and_exit_code():
    r = ems("-c", "1+1; 'x'")
    assert r.stdout == "2\nx\n"
    assert r.stderr == ""
    assert r.returncode == 0


def test_get_date_uses_simulated_clock():
    r = ems("-c", "Get-Date -Format 'yyyy-MM-dd HH:mm:ss'")
    assert r.stdout == "2026-11-21 09:00:00\n"


def test_start_sleep_advances_the_clock():
    r = ems("-c", "Start-Sleep -Seconds 90; (Get-Date).ToString('HH:mm:ss')")
    assert r.stdout == "09:01:30\n"


def test_exit_codes():
    assert ems("-c", "exit 7").returncode == 7
    r = ems("-c", "throw 'boom'; 'not reached'")
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.startswith("boom\nAt line:1 char:1\n+ throw 'boom'; 'not reached'\n+ ~~~~~~~~~~~~\n")
    assert ems("-c", "Write-Error 'soft'; 'after'").returncode == 0


def test_parse_error_exit_code_and_layout():
    r = ems("-c", "Get-Mailbox (")
    assert r.returncode == 1
    assert r.stderr == (
        "At line:1 char:14\n"
        "+ Get-Mailbox (\n"
        "+              ~\n"
        "Missing closing ')' in expression.\n"
        "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\n"
        "    + FullyQualifiedErrorId : MissingEndParenthesisInExpression\n"
        " \n")


def test_command_not_found_layout_on_stderr():
    r = ems("-c", "foo")
    assert r.stderr == (
        "foo : The term 'foo' is not recognized as the name of a cmdlet, function, script file, or operable "
        "program. Check the spelling of the name, or if a path was included, verify that the path is correct "
        "and try again.\n"
        "At line:1 char:1\n"
        "+ foo\n"
        "+ ~~~\n"
        "    + CategoryInfo          : ObjectNotFound: (foo:String) [], CommandNotFoundException\n"
        "    + FullyQualifiedErrorId : CommandNotFoundException\n"
        " \n")


def test_stdin_script_and_dash():
    assert ems(stdin="'from stdin'\n2*3\n").stdout == "from stdin\n6\n"
    assert ems("-c", "-", stdin="'dash'").stdout == "dash\n"


def test_script_file_with_params_and_args(tmp_path):
    script = tmp_path / "s.ps1"
    script.write_text("param([string]$Name = 'none', [int]$Count = 1)\n"
                      "\"$Name x $Count\"\n"
                      "$args.Count\n"
                      "Split-Path -Leaf $PSScriptRoot\n")
    r = ems(str(script), "-Name", "db1", "-Count", "3")
    assert r.stdout.splitlines()[:2] == ["db1 x 3", "0"]
    r = ems("-File", str(script), "pos")
    assert r.stdout.splitlines()[0] == "pos x 1"


def test_script_exit_code_and_error_position(tmp_path):
    script = tmp_path / "e.ps1"
    script.write_text("'one'\nexit 4\n'never'\n")
    r = ems(str(script))
    assert (r.stdout, r.returncode) == ("one\n", 4)
    bad = tmp_path / "bad.ps1"
    bad.write_text("'a'\nthrow 'stop here'\n'b'\n")
    r = ems(str(bad))
    assert r.returncode == 1
    assert r.stdout == "a\n"
    assert f"At {bad}:2 char:1\n+ throw 'stop here'\n+ ~~~~~~~~~~~~~~~~~\n" in r.stderr


def test_dot_sourcing_a_library(tmp_path):
    lib = tmp_path / "lib.ps1"
    lib.write_text("function Get-Answer { 42 }\n$libVar = 'set'\n")
    main = tmp_path / "main.ps1"
    main.write_text(". $PSScriptRoot\\lib.ps1\nGet-Answer\n$libVar\n& $PSScriptRoot/lib.ps1\n")
    r = ems(str(main))
    assert r.stdout == "42\nset\n", r.stderr


def test_missing_script_file():
    r = ems("-File", "/nonexistent/x.ps1")
    assert r.returncode == 1
    assert "does not exist" in r.stderr


def test_version_help_list_and_replay():
    assert ems("--version").stdout.startswith("ems ")
    assert "usage: ems" in ems("--help").stdout
    r = ems("--list-scenarios")
    assert r.returncode == 0
    r = ems("--replay", "/nonexistent/x.ps1")
    assert r.returncode == 2 and r.stderr.startswith("ems: ")
    r = ems("--bogus")
    assert r.returncode == 2


def test_unknown_scenario_is_rejected():
    from ems.shell import list_scenarios
    if not list_scenarios():
        pytest.skip("no scenario files yet")
    r = ems("--scenario", "nope", "-c", "1")
    assert r.returncode == 2 and "unknown scenario" in r.stderr


def test_state_round_trip(tmp_path):
    state = tmp_path / "org.json"
    r = ems("--scenario", "empty", "--state", str(state), "-c", "'hello'")
    assert r.returncode == 0, r.stderr
    assert state.exists()
    data = json.loads(state.read_text())
    assert data.get("format") == "ems-state"
    r = ems("--state", str(state), "-c", "Start-Sleep -Seconds 60; 'again'")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "again\n"


def test_corrupt_state_is_reported_and_kept(tmp_path):
    state = tmp_path / "bad.json"
    state.write_text("{not json")
    r = ems("--state", str(state), "-c", "'x'")
    assert r.returncode == 2
    assert "not valid JSON" in r.stderr
    assert state.read_text() == "{not json"
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"hello": 1}')
    r = ems("--state", str(foreign), "-c", "'x'")
    assert r.returncode == 2
    assert foreign.read_text() == '{"hello": 1}'


def test_no_traceback_for_deep_recursion():
    r = ems("-c", "function f { f }; f")
    assert "call depth overflow" in r.stderr
    assert "Traceback" not in r.stderr


def test_exit_in_a_called_script_returns_to_the_caller(tmp_path):
    inner = tmp_path / "inner.ps1"
    inner.write_text("'inner'\nexit 3\n'not printed'\n")
    outer = tmp_path / "outer.ps1"
    outer.write_text("& $PSScriptRoot/inner.ps1\n\"code $LASTEXITCODE\"\nexit 5\n")
    r = ems(str(outer))
    assert (r.stdout, r.returncode) == ("inner\ncode 3\n", 5)


def _ems_on_a_terminal(columns: int, *args) -> str:
    """Run ems with stdout on a pseudo-terminal ``columns`` wide; its output."""
    import fcntl
    import pty
    import struct
    import termios
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "ems", *args], stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=subprocess.DEVNULL, env=ENV)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_tables_take_the_terminal_width_else_120():
    table = "[pscustomobject]@{Name='DB1'; Description='x' * 300}"
    widths = {len(line) for line in _ems_on_a_terminal(80, "-c", table).split("\n") if line}
    assert widths == {79}
    widths = {len(line) for line in ems("-c", table).stdout.split("\n") if line}
    assert widths == {119}
