"""``ems --replay`` from the command line: exit status, --before, --step, --report, --state."""
import json
import os
import subprocess
import sys

from .replay_helpers import REPO

ENV = dict(os.environ, EMS_START_TIME="2026-11-21T09:00:00", NO_COLOR="1")
ENV.pop("EMS_DEBUG", None)


def ems(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "ems", *args], input=stdin, capture_output=True, text=True,
                          env=ENV, cwd=cwd or REPO, timeout=120)


def write(tmp_path, text, name="runbook.ps1"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_clean_replay_exits_0(tmp_path):
    rb = write(tmp_path, 'Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX2 -Confirm:$false | Out-Null\n')
    r = ems("--replay", rb, "--scenario", "two-datacenter")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith(f"Replay of {rb}\nOrganisation: scenario two-datacenter, 11/21/2026 9:00:00 AM\n")
    assert "  DB1      active  EX1 (Mounted) -> EX2 (Mounted)\n" in r.stdout
    assert r.stdout.rstrip().endswith("Result: verdict holds; steps: 1 ok; exit status 0")
    assert r.stderr == ""


def test_a_failed_step_or_verdict_exits_1(tmp_path):
    assert ems("--replay", write(tmp_path, "Get-Mailbox -Bogus\n"), "--scenario", "two-datacenter").returncode == 1
    rb = write(tmp_path, "Dismount-Database DB1 -Confirm:$false\n", "dismount.ps1")
    r = ems("--replay", rb, "--scenario", "two-datacenter")
    assert r.returncode == 1 and "[FAIL] every database mounted exactly once: DB1 is Dismounted on EX1" in r.stdout


def test_before_is_repeatable_and_runs_first(tmp_path):
    rb = write(tmp_path, "Mount-Database DB1\nMount-Database DB2\n")
    r = ems("--replay", rb, "--scenario", "two-datacenter", "--before", "Dismount-Database DB1 -Confirm:$false",
            "--before", "Dismount-Database DB2 -Confirm:$false")
    assert r.returncode == 0, r.stdout
    assert "Disaster: Dismount-Database DB1 -Confirm:$false\nDisaster: Dismount-Database DB2 -Confirm:$false\n" \
        in r.stdout
    assert r.stdout.index("--- Before B2") < r.stdout.index("--- Step 1")


def test_step_mode_reads_answers_from_stdin(tmp_path):
    rb = write(tmp_path, '"one"\nDismount-Database DB1 -Confirm:$false\n"three"\n"four"\n')
    r = ems("--replay", rb, "--scenario", "two-datacenter", "--step", stdin="\ns\n\nq\n")
    assert r.returncode == 0, r.stdout
    assert "Next: Step 2 · line 2\nPS> Dismount-Database DB1 -Confirm:$false\n[Enter] run it, [s] skip it, [q] stop: " \
        in r.stdout
    assert "--- Step 2 · line 2" in r.stdout and r.stdout.count(" skipped\n") == 1
    assert "--- Step 4" not in r.stdout and "Not run: step 4" in r.stdout
    assert "stopped by the operator" in r.stdout


def test_reports_are_written(tmp_path):
    rb = write(tmp_path, '"hello"\n')
    md, page, txt = tmp_path / "r.md", tmp_path / "r.html", tmp_path / "r.txt"
    r = ems("--replay", rb, "--scenario", "two-datacenter", "--report", str(md), "--report", str(page),
            "--report", str(txt))
    assert r.returncode == 0
    assert md.read_text(encoding="utf-8").startswith(f"# Replay of `{rb}`")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert txt.read_text(encoding="utf-8") == r.stdout


def test_usage_errors_exit_2(tmp_path):
    rb = write(tmp_path, '"x"\n')
    r = ems("--replay", str(tmp_path / "missing.ps1"))
    assert r.returncode == 2 and "cannot read the runbook" in r.stderr
    r = ems("--replay", rb, "--report", str(tmp_path / "r.pdf"))
    assert r.returncode == 2 and "must end in .md, .html or .txt" in r.stderr
    r = ems("--before", "Get-Date", "-c", "1")
    assert r.returncode == 2 and "go with --replay" in r.stderr
    r = ems("--replay", rb, "--expect-loss", "many")
    assert r.returncode == 2
    r = ems("--replay", rb, "--scenario", "nowhere")
    assert r.returncode == 2 and "unknown scenario" in r.stderr


def test_state_file_is_the_starting_point_and_is_saved_back(tmp_path):
    state = str(tmp_path / "lab.json")
    assert ems("--scenario", "two-datacenter", "--state", state, "-c", "Get-Date | Out-Null").returncode == 0
    rb = write(tmp_path, "Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX4 -Confirm:$false | Out-Null\n")
    r = ems("--replay", rb, "--state", state)
    assert r.returncode == 0, r.stdout
    assert f"Organisation: state file {state}, " in r.stdout
    data = json.loads((tmp_path / "lab.json").read_text())
    assert data  # saved back: a second replay starts where the first ended
    r = ems("--replay", write(tmp_path, '"again"\n', "again.ps1"), "--state", state)
    assert "    EX4  DACP 1; active: DB1;" in r.stdout


def _in_a_terminal(*args):
    """Run ``ems *args`` with its stdout on a pseudo-terminal; (exit status, output)."""
    import pty
    env = dict(ENV)
    env.pop("NO_COLOR", None)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "ems", *args], stdout=slave, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, cwd=REPO)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:        # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    proc.wait(timeout=120)
    proc.stderr.close()
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_colour_in_a_terminal_only(tmp_path):
    rb = write(tmp_path, "Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX2 -Confirm:$false | Out-Null\n")
    code, out = _in_a_terminal("--replay", rb, "--scenario", "two-datacenter")
    assert code == 0
    assert "\x1b[1mReplay of " in out and "\x1b[92mok\x1b[0m" in out
    env = dict(ENV)
    env.pop("NO_COLOR", None)
    piped = subprocess.run([sys.executable, "-m", "ems", "--replay", rb, "--scenario", "two-datacenter"],
                           capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert piped.returncode == 0 and "\x1b[" not in piped.stdout     # a pipe or a file: plain text
    code, out = _in_a_terminal("--replay", rb, "--scenario", "two-datacenter", "--no-color")
    assert code == 0 and "\x1b[" not in out


def test_expect_loss_accepts_a_stated_loss(tmp_path):
    rb = write(tmp_path, "# EX1 is back: it resynchronizes\nStart-SimServer EX1\n")
    before = []
    for text in ("Block-SimReplication DB1\\EX2", "Block-SimReplication DB1\\EX3", "Block-SimReplication DB1\\EX4",
                 "Send-SimMail DB1 -Count 4", "Stop-SimServer EX1 -Crash"):
        before += ["--before", text]
    r = ems("--replay", rb, "--scenario", "two-datacenter", *before)
    assert r.returncode == 1
    assert "[FAIL] data loss within the stated limit: 4 logs lost (allowed 0); 4 messages recovered" in r.stdout
    r = ems("--replay", rb, "--scenario", "two-datacenter", "--expect-loss", "4", *before)
    assert r.returncode == 0, r.stdout
    assert "[ok]   data loss within the stated limit: 4 logs lost (allowed 4)" in r.stdout
    r = ems("--replay", rb, "--scenario", "two-datacenter", "--expect-loss", "3", *before)
    assert r.returncode == 1
    assert "[FAIL] data loss within the stated limit: 4 logs lost (allowed 3)" in r.stdout
