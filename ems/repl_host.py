"""The console host of the interactive shell: where the runtime writes and asks for input.

PowerShell separates the engine from the *host* that shows text and reads answers
(``$Host.UI``). The runtime (ems/runtime/host.py describes the protocol) calls this object
for everything that needs a person at the keyboard: confirmation prompts (``[Y] Yes  [A] Yes
to All ...``), ``Read-Host``, and ``Supply values for the following parameters:`` for missing
mandatory parameters. ``ConsoleHost`` reads plain stdin; this one reads with prompt_toolkit,
so answers get line editing and Ctrl+C stops the command the way it does in PowerShell.
Text arrives already coloured (or not) from the shell, which knows ``--no-color``.
"""
from __future__ import annotations

import os
import sys
from typing import IO

from prompt_toolkit import PromptSession
from prompt_toolkit.application.current import get_app_session

DEFAULT_WIDTH = 120
"""The EMS console's buffer width, used when the terminal cannot be asked."""


class ReplHost:
    """The interactive host: ``write``, ``write_error``, ``read_line``, ``clear``, ``width``."""

    interactive = True

    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream if stream is not None else sys.stdout
        self.reader: PromptSession | None = None
        """The prompt answers are typed into (created on the first question)."""
        self.width = DEFAULT_WIDTH

    def measure(self) -> int:
        """Console columns for the next command: ``$env:EMS_WIDTH`` if set, else the
        terminal's current width (so a resized window reflows the next table)."""
        env = os.environ.get("EMS_WIDTH", "")
        if env.isdigit() and int(env) > 0:
            self.width = int(env)
        else:
            try:
                self.width = get_app_session().output.get_size().columns or DEFAULT_WIDTH
            except Exception:       # no terminal to ask: keep the EMS default
                self.width = DEFAULT_WIDTH
        return self.width

    # --- output ----------------------------------------------------------------------------
    def write(self, text: str) -> None:
        if text:
            self.stream.write(text)
            self.stream.flush()

    def write_error(self, text: str) -> None:
        # One terminal: errors interleave with output exactly where they happened.
        self.write(text)

    def clear(self) -> None:
        """``cls`` / ``Clear-Host``."""
        output = get_app_session().output
        output.erase_screen()
        output.cursor_goto(0, 0)
        output.flush()

    # --- input -----------------------------------------------------------------------------
    def read_line(self, prompt: str = "") -> str:
        """One line typed by the user. Ctrl+C raises ``KeyboardInterrupt``, which stops the
        running command (the REPL catches it); Ctrl+D at an answer prompt does the same."""
        if self.reader is None:
            self.reader = PromptSession()
        self.stream.flush()
        try:
            return self.reader.prompt(prompt)
        except EOFError:
            raise KeyboardInterrupt from None
