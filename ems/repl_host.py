"""The console host of the interactive shell: where the runtime writes and asks for input.

PowerShell separates the engine from the *host* that shows text and reads answers
(``$Host.UI``). The runtime calls this object for everything that needs a person at the
keyboard: confirmation prompts (``[Y] Yes  [A] Yes to All ...``), ``Read-Host``, and the
``Supply values for the following parameters:`` prompts for missing mandatory parameters.
The non-interactive host (scripts, ``-c``, piped stdin) lives with the runtime; this one reads
with prompt_toolkit, so answers get line editing, and writes colours the way the Windows
console shows errors, warnings and ``Write-Host -ForegroundColor``.
"""
from __future__ import annotations

import sys
from typing import IO

from prompt_toolkit import PromptSession
from prompt_toolkit.application.current import get_app_session

# ConsoleColor -> ANSI SGR foreground code (the 16 Windows console colours).
CONSOLE_COLORS = {
    "black": 30, "darkblue": 34, "darkgreen": 32, "darkcyan": 36, "darkred": 31,
    "darkmagenta": 35, "darkyellow": 33, "gray": 37, "darkgray": 90, "blue": 94,
    "green": 92, "cyan": 96, "red": 91, "magenta": 95, "yellow": 93, "white": 97,
}

ERROR_COLOR = "red"          # $Host.PrivateData.ErrorForegroundColor
WARNING_COLOR = "yellow"     # WarningForegroundColor, also Verbose and Debug


class ReplHost:
    """The interactive host: ``read_line``, ``write``, ``write_error``, ``width``."""

    is_interactive = True

    def __init__(self, stream: IO[str] | None = None, color: bool = True):
        self.stream = stream if stream is not None else sys.stdout
        self.color = color
        self._reader: PromptSession | None = None
        self._width: int | None = None

    # --- size ------------------------------------------------------------------------------
    @property
    def width(self) -> int:
        """Console columns: the terminal's, measured before each command (``refresh``)."""
        if self._width is None:
            self.refresh()
        return self._width or 120

    def refresh(self) -> None:
        try:
            self._width = get_app_session().output.get_size().columns or 120
        except Exception:       # no terminal to ask (tests, odd consoles): PowerShell's default
            self._width = 120

    # --- output ----------------------------------------------------------------------------
    def write(self, text: str, foreground: str | None = None, background: str | None = None) -> None:
        self.stream.write(self._paint(text, foreground, background))
        self.stream.flush()

    def write_error(self, text: str) -> None:
        self.write(text, ERROR_COLOR)

    def write_warning(self, text: str) -> None:
        self.write(text, WARNING_COLOR)

    def _paint(self, text: str, foreground: str | None, background: str | None) -> str:
        if not self.color or not (foreground or background) or not text:
            return text
        codes = []
        if foreground and foreground.lower() in CONSOLE_COLORS:
            codes.append(str(CONSOLE_COLORS[foreground.lower()]))
        if background and background.lower() in CONSOLE_COLORS:
            codes.append(str(CONSOLE_COLORS[background.lower()] + 10))
        if not codes:
            return text
        start, end = f"\x1b[{';'.join(codes)}m", "\x1b[0m"
        # Colour each line separately so a newline never drags a background across the screen.
        return "\n".join(start + line + end if line else line for line in text.split("\n"))

    def clear(self) -> None:
        """``cls`` / ``Clear-Host``."""
        output = get_app_session().output
        output.erase_screen()
        output.cursor_goto(0, 0)
        output.flush()

    # --- input -----------------------------------------------------------------------------
    def read_line(self, prompt: str = "", secure: bool = False) -> str:
        """One line typed by the user. Ctrl+C propagates (``KeyboardInterrupt``) and stops the
        running command, as in PowerShell; Ctrl+D at an answer prompt counts as Ctrl+C."""
        if self._reader is None:
            self._reader = PromptSession()
        self.stream.flush()
        try:
            return self._reader.prompt(prompt, is_password=secure)
        except EOFError:
            raise KeyboardInterrupt from None

    def read_secure(self, prompt: str = "") -> str:
        """``Read-Host -AsSecureString`` and credential prompts: typed text is masked."""
        return self.read_line(prompt, secure=True)

