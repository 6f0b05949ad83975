"""The console host: where text goes and where answers to prompts come from.

PowerShell's host is the only thing that touches the terminal. ems has two: ``ConsoleHost``
(the ``ems`` command: stdout/stderr, prompts read from stdin when it is a terminal) and no
host at all (the Python API, tests), in which case a prompt fails with the NonInteractive
error just like ``powershell -NonInteractive``. The REPL passes its own host with the same
four members.
"""
from __future__ import annotations

import sys
from typing import Any, TextIO


class ConsoleHost:
    """stdout/stderr of the process; prompts from stdin when ``interactive``."""

    def __init__(self, stdout: TextIO | None = None, stderr: TextIO | None = None,
                 stdin: TextIO | None = None, interactive: bool | None = None,
                 width: int | None = None):
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.stdin = stdin or sys.stdin
        if interactive is None:
            try:
                interactive = self.stdin.isatty() and self.stdout.isatty()
            except (AttributeError, ValueError):
                interactive = False
        self.interactive = interactive
        self.width = width

    def write(self, text: str) -> None:
        if text:
            try:
                self.stdout.write(text)
                self.stdout.flush()
            except BrokenPipeError:
                _output_closed(self.stdout)

    def write_error(self, text: str) -> None:
        if text:
            try:
                self.stdout.flush()
                self.stderr.write(text)
                self.stderr.flush()
            except BrokenPipeError:
                _output_closed(self.stderr)

    def read_line(self, prompt: str = "") -> str | None:
        """One line typed by the user (None at end of input)."""
        if prompt:
            self.write(prompt)
        line = self.stdin.readline()
        if not line:
            return None
        return line.rstrip("\r\n")


def _output_closed(stream: TextIO) -> None:
    """The reader went away (``ems -c ... | head``): stop quietly, like a console tool."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    raise SystemExit(0)


def host_is_interactive(host: Any) -> bool:
    return bool(host is not None and getattr(host, "interactive", False))
