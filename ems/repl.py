"""The interactive shell: what ``ems`` opens when run with no script on a terminal.

It should feel like the Exchange Management Shell within a minute: the EMS banner and the
``[PS] C:\\Windows\\system32>`` prompt, PSReadLine's colours, PowerShell-style Tab cycling
(Tab / Shift+Tab walk through the candidates in place; Ctrl+Space opens a menu), ``>>``
continuation for unfinished blocks, history across sessions with Ctrl+R search, Ctrl+C that
cancels without leaving, and a bottom toolbar with the DAG's health.

This is the only place prompt_toolkit is imported (with the ``ems/repl_*.py`` helpers it
alone imports), so ``ems -c`` never pays for it. The pieces:

- ems/repl_tokens.py      forgiving tokenizer shared by colouring and completion
- ems/repl_lexer.py       the colours
- ems/repl_complete.py    what Tab offers (cmdlet declarations + the live organisation)
- ems/repl_identities.py  which organisation objects each identity parameter takes
- ems/repl_host.py        the console host the runtime reads answers from
- ems/repl_toolbar.py     the DAG health line
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attrs
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer, Completion
from prompt_toolkit.filters import has_completions, has_selection, is_searching
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.output import ColorDepth

from ems.repl_complete import Completions, complete
from ems.repl_host import ReplHost
from ems.repl_lexer import STYLE, PowerShellLexer
from ems.repl_tokens import scan
from ems.repl_toolbar import summary

PROMPT = "[PS] C:\\Windows\\system32>"
CONTINUATION = ">> "

BANNER = """\
                         Welcome to the Exchange Management Shell!

Full list of cmdlets: Get-Command
Only Exchange cmdlets: Get-ExCommand
Cmdlets that match a specific string: Get-Help *<string>*
Get general help: Get-Help
Get help for a cmdlet: Get-Help <cmdlet name> or <cmdlet name> -?
Show full output for a command: <command> | Format-List

This is ems: a simulated Exchange 2010 SP3 organisation; no real server is touched.
Lab loaded: {lab}. Other labs: ems --list-scenarios, then ems --scenario NAME.
Inject failures with the Sim cmdlets (Get-Command *-Sim*), e.g. Stop-SimServer EX1 -Crash;
Get-SimEvent tells what the cluster and Active Manager did and why.

"""


def history_path() -> Path:
    """``$XDG_DATA_HOME/ems/history`` (default ``~/.local/share/ems/history``)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "ems" / "history"


def _history() -> History:
    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError:         # read-only home: history for this session only
        return InMemoryHistory()
    # prompt_toolkit keeps one entry for a line run twice in a row, like PSReadLine.
    return FileHistory(str(path))


def is_complete(text: str) -> bool:
    """Whether Enter should run ``text`` or continue it on a ``>>`` line."""
    from ems.lang.parser import is_complete as parser_is_complete
    return parser_is_complete(text)


@attrs.define
class _Cycle:
    """PowerShell's Tab cycling: the candidates of the first Tab, walked by later ones."""

    completions: Completions
    before: str                 # the text before the cursor when Tab was first pressed
    after: str                  # the text after the cursor
    index: int = -1
    text: str = ""              # the buffer as the last Tab left it (any edit ends the cycle)
    cursor: int = 0


class _MenuCompleter(Completer):
    """The Ctrl+Space menu: the same candidates as Tab, shown all at once."""

    def __init__(self, shell: Any):
        self.shell = shell

    def get_completions(self, document, complete_event):
        before = document.text_before_cursor
        result = complete(before, self.shell)
        for cand in result.candidates:
            yield Completion(cand.text, start_position=result.start - len(before),
                             display=cand.display or cand.text, display_meta=cand.meta)


class Repl:
    """One interactive session over ``shell``. ``input``/``output`` are for tests."""

    def __init__(self, shell: Any, options: Any = None, *, input: Any = None, output: Any = None,
                 stream: Any = None, history: History | None = None):
        import cmdlets
        cmdlets.load_all()                  # completion reads the declarations from the start
        self.shell = shell
        # https://no-color.org: NO_COLOR set to anything but "" turns colours off.
        self.color = not (_option(options, "no_color", False) or os.environ.get("NO_COLOR"))
        self.toolbar = not _option(options, "no_toolbar", False)
        self.lab = _lab_name(shell, options)
        self.host = ReplHost(stream)
        _attach(shell, self.host, self.color)
        self._cycle: _Cycle | None = None
        self._toolbar: list[tuple[str, str]] = []
        self.session: PromptSession = PromptSession(
            message=self.prompt,
            multiline=True,
            prompt_continuation=lambda width, line, soft: CONTINUATION,
            lexer=PowerShellLexer() if self.color else None,
            style=STYLE,
            include_default_pygments_style=False,
            color_depth=None if self.color else ColorDepth.MONOCHROME,
            history=history if history is not None else _history(),
            completer=_MenuCompleter(shell),
            complete_while_typing=False,
            key_bindings=self._key_bindings(),
            bottom_toolbar=self._bottom_toolbar if self.toolbar else None,
            input=input,
            output=output,
        )

    # --- the loop ----------------------------------------------------------------------------
    def run(self) -> int:
        """Read, run, repeat until ``exit`` or Ctrl+D. Returns the exit status."""
        self.host.write(BANNER.format(lab=self.lab))
        self.refresh_toolbar()
        while True:
            try:
                text = self.session.prompt()
            except KeyboardInterrupt:
                continue
            except EOFError:
                return 0
            if not text.strip():
                continue
            status = self.execute(text)
            if status is not None:
                return status

    def execute(self, text: str) -> int | None:
        """Run one input; return an exit status when ``exit`` ended the session."""
        self.shell.width = self.shell.session.width = self.host.measure()
        try:
            result = self.shell.run(text)
        except KeyboardInterrupt:
            # Ctrl+C stops the running command and keeps the shell, as in PowerShell.
            self.host.write("\n")
            return None
        finally:
            self.refresh_toolbar()
        if getattr(result, "exited", False):
            return result.exit_code or 0
        return None

    def prompt(self) -> str:
        """EMS's ``prompt`` function is ``[PS] $(Get-Location)>``: EMS's own starting folder
        until the user runs Set-Location, then the real folder they moved to."""
        location = getattr(self.shell.session, "location", None)     # set by Set-Location
        return f"[PS] {location}>" if location else PROMPT

    # --- toolbar -----------------------------------------------------------------------------
    def refresh_toolbar(self) -> None:
        if self.toolbar:
            self._toolbar = summary(self.shell, self.lab)

    def _bottom_toolbar(self):
        return self._toolbar

    # --- keys --------------------------------------------------------------------------------
    def _key_bindings(self) -> KeyBindings:
        kb = KeyBindings()

        @kb.add("enter", filter=~has_selection & ~is_searching)
        def _(event):
            buffer = event.current_buffer
            text = buffer.text
            if buffer.complete_state is not None:
                buffer.complete_state = None            # Enter in the menu accepts the choice
            elif _ends_with_blank_line(text) or self._complete(text):
                buffer.validate_and_handle()
            else:
                buffer.insert_text("\n")

        @kb.add("tab", filter=~has_completions)
        def _(event):
            self._tab(event.current_buffer, +1)

        @kb.add("s-tab", filter=~has_completions)
        def _(event):
            self._tab(event.current_buffer, -1)

        @kb.add("c-space")
        def _(event):
            self._cycle = None
            event.current_buffer.start_completion(select_first=False)

        return kb

    def _complete(self, text: str) -> bool:
        try:
            return is_complete(text)
        except Exception:       # a parser bug must not trap the user on >> lines
            return True

    def _tab(self, buffer, step: int) -> None:
        cycle = self._cycle
        if cycle is None or buffer.text != cycle.text or buffer.cursor_position != cycle.cursor:
            doc = buffer.document
            before, after = doc.text_before_cursor, doc.text_after_cursor
            cycle = _Cycle(complete(before, self.shell), before, after)
            self._cycle = cycle
        candidates = cycle.completions.candidates
        if not candidates:
            return
        if cycle.index < 0:
            cycle.index = 0 if step > 0 else len(candidates) - 1
        else:
            cycle.index = (cycle.index + step) % len(candidates)
        head = cycle.before[:cycle.completions.start] + candidates[cycle.index].text
        buffer.text = head + cycle.after
        buffer.cursor_position = len(head)
        cycle.text, cycle.cursor = buffer.text, buffer.cursor_position


def _ends_with_blank_line(text: str) -> bool:
    """An empty ``>>`` line runs what was typed so far, as the classic console does; except
    inside a here-string, where empty lines are text."""
    if "\n" not in text or text.rsplit("\n", 1)[1].strip():
        return False
    tokens, _ = scan(text)
    last = tokens[-1] if tokens else None
    return not (last is not None and last.kind == "string" and not last.closed and last.text.startswith("@"))


def _attach(shell: Any, host: ReplHost, color: bool) -> None:
    """Make ``host`` the shell's console: output, errors and prompts all go through it."""
    shell.host = shell.session.host = host
    shell.session.interactive = True
    shell.color = color


def _lab_name(shell: Any, options: Any) -> str:
    """What the banner and toolbar call the organisation: the scenario, or the --state file
    it was loaded from."""
    state = _option(options, "state", None)
    if state and os.path.exists(state):
        return os.path.basename(state)
    return _option(options, "scenario", None) or shell.scenario


def _option(options: Any, name: str, default: Any) -> Any:
    if isinstance(options, dict):
        return options.get(name, default)
    return getattr(options, name, default)


def main(shell: Any, options: Any = None) -> int:
    """Entry point used by ems/cli.py when there is no script and stdin is a terminal."""
    return Repl(shell, options).run()
