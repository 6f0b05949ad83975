"""The real ``ems`` program in a real terminal (tmux): prompt, Tab completion, a table.

The pipe-input tests drive the REPL object; this one checks what a user actually sees when
they type ``ems`` — the CLI choosing the interactive shell, the terminal's width, the
screen after Tab and Enter.
"""
import os
import shlex
import shutil
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed: the terminal test needs it")


class Tmux:
    """One tmux server on a private socket, so the test never touches the user's sessions."""

    def __init__(self, tmp_path):
        self.socket = f"ems-test-{os.getpid()}"
        self.session = "ems"
        self.env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"), TERM="xterm-256color")

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.socket, *args], env=self.env,
                              capture_output=True, text=True, timeout=10)

    def start(self, command):
        self.tmux("new-session", "-d", "-s", self.session, "-x", "130", "-y", "40", command)

    def send(self, *keys):
        self.tmux("send-keys", "-t", self.session, *keys)

    def screen(self):
        return self.tmux("capture-pane", "-t", self.session, "-p").stdout

    def wait_for(self, text, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on the screen:\n{self.screen()}")

    def stop(self):
        self.tmux("kill-server")


@pytest.fixture
def term(tmp_path):
    t = Tmux(tmp_path)
    yield t
    t.stop()


def test_ems_in_a_terminal(term):
    command = shlex.join([sys.executable, "-m", "ems", "--scenario", "two-datacenter"])
    term.start(command)
    term.wait_for("[PS] C:\\Windows\\system32>")
    assert "Welcome to the Exchange Management Shell!" in term.screen()

    term.send("Get-MailboxDatabaseCopyS", "Tab")
    term.wait_for(">Get-MailboxDatabaseCopyStatus")

    term.send(" DB1", "Enter")
    screen = term.wait_for("DB1\\EX4")
    lines = screen.splitlines()
    header = next(line for line in lines if line.startswith("Name "))
    assert "Status" in header and "CopyQueue" in header
    assert any(set(line.replace(" ", "")) == {"-"} for line in lines)      # the ---- rule
    assert any(line.startswith("DB1\\EX1") and "Mounted" in line for line in lines)
    assert "DAG1: 4/4 members up" in screen                                  # the toolbar

    term.send("exit", "Enter")
    deadline = time.monotonic() + 10
    while term.tmux("has-session", "-t", term.session).returncode == 0:
        assert time.monotonic() < deadline, "ems did not leave on `exit`"
        time.sleep(0.1)
