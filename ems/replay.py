"""Runbook replay (issue #7): run a runbook statement by statement against a simulated
organisation, optionally after a disaster, and report what every statement did to the DAG.

    ems --replay RUNBOOK.ps1 [--scenario NAME | --state FILE] [--before TEXT]... [--step]
        [--report FILE.md|FILE.html]... [--expect-loss N]

How a runbook runs: it is parsed once; each top-level statement then runs on its own in the
global scope of one shell, the way an operator pastes a runbook into EMS one command at a
time (variables and functions carry over). The statement text is padded so that error
positions (``At line:N char:C``) name the runbook's own line. A statement fails when it
writes an error; a script-terminating error (``throw``, ``-ErrorAction Stop``,
``$ErrorActionPreference = 'Stop'``) or ``exit`` ends the runbook as it would end the
script. A replay never prompts: a command that wants confirmation fails with the
NonInteractive error, so runbooks say ``-Confirm:$false`` as they must for unattended runs.

Around every statement the organisation is snapshotted (``ems.replay_state``) and the
difference is the statement's "changes". At the end ``ems.replay_verdict`` judges the final
state. Reports: ``ems.replay_report`` (console text, Markdown), ``ems.replay_html``.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Callable

import attrs

from ems.replay_state import State, diff, snapshot, step_losses
from ems.replay_verdict import Verdict, judge

OK, FAILED, SKIPPED, NOT_RUN = "ok", "failed", "skipped", "not run"


@attrs.define
class Step:
    """One statement of the runbook (``kind == "step"``), its parameter defaults
    (``"param"``), or one ``--before`` text (``"before"``), with what running it did."""

    id: str
    kind: str
    line: int
    end_line: int
    source: str
    text: str
    """What runs: ``source`` padded to its runbook position."""
    comment: str = ""
    status: str = NOT_RUN
    output: str = ""
    warnings: list = attrs.Factory(list)
    errors: str = ""
    error_count: int = 0
    changes: list = attrs.Factory(list)
    logs_lost: dict = attrs.Factory(dict)
    recovered: int = 0
    ended_runbook: str = ""
    """Why the runbook stopped after this step ("" when it went on)."""

    @property
    def lines(self) -> str:
        if self.kind == "before":
            return ""
        return f"line {self.line}" if self.end_line == self.line else f"lines {self.line}-{self.end_line}"


@attrs.define
class ReplayResult:
    runbook: str
    origin: str
    """``scenario two-datacenter`` or ``state file lab.json``."""
    started: str
    """The simulated time the replay started at (as Get-Date prints it)."""
    before: list = attrs.Factory(list)
    steps: list = attrs.Factory(list)
    parse_error: str = ""
    initial: State | None = None
    """The organisation before anything ran."""
    start: State | None = None
    """... when the runbook starts (after the --before texts)."""
    final: State | None = None
    verdict: Verdict | None = None
    quit: bool = False
    """The operator stopped the replay (``q`` at a --step prompt)."""

    @property
    def all_steps(self) -> list:
        return [*self.before, *self.steps]

    @property
    def failed(self) -> list:
        return [s for s in self.all_steps if s.status == FAILED]

    @property
    def logs_lost(self) -> int:
        return sum(sum(s.logs_lost.values()) for s in self.all_steps)

    @property
    def recovered(self) -> int:
        return sum(s.recovered for s in self.all_steps)

    @property
    def exit_code(self) -> int:
        if self.parse_error or self.failed or self.verdict is None or not self.verdict.holds:
            return 1
        return 0

    def count(self, status: str) -> int:
        return sum(1 for s in self.steps if s.status == status)


class Listener:
    """Hooks a front end uses to show the replay as it happens (all optional)."""

    def start(self, result: ReplayResult) -> None:
        pass

    def runbook(self, result: ReplayResult) -> None:
        """The --before texts ran; the runbook starts (``result.start`` is set)."""

    def step(self, step: Step) -> None:
        pass

    def finish(self, result: ReplayResult) -> None:
        pass


class Replay:
    """``Replay(shell, "runbook.ps1", before=["Stop-SimSite Portland"]).run()``.

    ``ask(step)`` (for --step) is called before each runbook statement and answers ""
    (run it), ``"s"`` (skip it) or ``"q"`` (stop; None = end of input = stop).
    """

    def __init__(self, shell: Any, runbook: str, before: list | tuple = (), expect_loss: int = 0,
                 ask: Callable[[Step], str | None] | None = None, listener: Listener | None = None,
                 display_path: str | None = None, origin: str | None = None, text: str | None = None):
        self.shell = shell
        self.path = runbook
        self.display_path = display_path or runbook
        self.before = list(before)
        self.expect_loss = expect_loss
        self.ask = ask
        self.listener = listener or Listener()
        self.origin = origin or (f"state file {shell.state_path}" if shell.state_path
                                 else f"scenario {shell.scenario}")
        self.text = text

    def run(self) -> ReplayResult:
        shell = self.shell
        org = shell.org
        result = ReplayResult(self.display_path, self.origin, _ps_date(shell.session.clock.now()))
        result.initial = snapshot(org)
        source = self.text if self.text is not None else _read(self.path)
        try:
            result.steps = split_runbook(source, self.display_path)
        except RunbookError as e:
            result.parse_error = e.text
        result.before = [Step(f"B{i}", "before", 0, 0, t, t) for i, t in enumerate(self.before, 1)]
        self.listener.start(result)
        stop = ""
        for step in result.before:
            if stop:
                break
            self._execute(step)
            if step.status == FAILED:
                stop = step.ended_runbook = "the --before text failed, so the runbook was not run"
            self.listener.step(step)
        result.start = snapshot(org)
        if not result.parse_error:
            self.listener.runbook(result)
        for step in result.steps:
            if stop or result.parse_error:
                break
            if self.ask is not None:
                answer = self.ask(step)
                if answer is None or answer.strip().lower().startswith("q"):
                    result.quit = True
                    break
                if answer.strip().lower().startswith("s"):
                    step.status = SKIPPED
                    self.listener.step(step)
                    continue
            self._execute(step)
            stop = step.ended_runbook
            self.listener.step(step)
        result.final = snapshot(org)
        result.verdict = judge(result.final, result.logs_lost, self.expect_loss, result.recovered)
        self.listener.finish(result)
        return result

    def _execute(self, step: Step) -> None:
        from ems.format import warning_text
        org = self.shell.org
        before = snapshot(org)
        seen = len(org.events)
        r = self.shell.run(step.text)
        output = r.text
        for w in r.warnings:
            output = output.replace(warning_text(w), "", 1)
        step.output = _trim(output)
        step.warnings = list(r.warnings)
        step.errors = _trim(r.error_text)
        step.error_count = len(r.errors)
        step.logs_lost, step.recovered = step_losses(org.events[seen:])
        step.changes = diff(before, snapshot(org), step.logs_lost)
        failed = bool(r.errors) or r.terminated or (r.exited and r.exit_code)
        step.status = FAILED if failed else OK
        if r.exited:
            step.ended_runbook = f"the runbook ran exit {r.exit_code}"
        elif r.script_terminated:
            step.ended_runbook = "a script-terminating error ended the runbook"


# --- splitting a runbook into steps ----------------------------------------------------------

class RunbookError(Exception):
    """The runbook can't be replayed (parse error); ``text`` is the console's error text."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def split_runbook(text: str, path: str = "") -> list[Step]:
    """The runbook's top-level statements as steps, numbered from 1, each with its source
    lines and the comment lines just above it. A ``param()`` block becomes step 0, which
    assigns the parameters' default values."""
    from ems.lang.parser import parse
    from ems.runtime.errors import ParseException
    try:
        ast = parse(text, file=path or None)
    except ParseException as e:
        raise RunbookError(_parse_error_text(e)) from None
    lines = text.split("\n")
    steps: list[Step] = []
    if ast.param_block is not None and ast.param_block.parameters:
        steps.append(_param_step(ast.param_block))
    statements = []
    for block in (ast.begin, ast.process, ast.end):
        if block is None:
            continue
        if block.traps:
            trap = block.traps[0].extent
            raise RunbookError(f"A replay runs a runbook one statement at a time, so a top-level trap "
                               f"statement (line {trap.start_line}) can't apply to the statements after it. "
                               "Use try/catch around the statements instead.")
        statements += block.statements
    previous_end = 0
    for n, st in enumerate(statements, 1):
        ext = st.extent
        comment = "" if ext.start_line == previous_end else _comment_above(lines, ext.start_line)
        padded = "\n" * (ext.start_line - 1) + " " * (ext.start_column - 1) + ext.text
        steps.append(Step(str(n), "step", ext.start_line, ext.end_line, ext.text, padded, comment))
        previous_end = ext.end_line
    return steps


def _param_step(block: Any) -> Step:
    """``param([string]$Dag = "DAG1")`` -> ``[string]$Dag = "DAG1"``: a runbook's parameters
    keep their defaults (a replay passes no arguments)."""
    assignments = []
    for p in block.parameters:
        if p.default is None:
            continue
        constraint = f"[{p.type_constraint}]" if p.type_constraint is not None and not p.is_switch else ""
        assignments.append(f"{constraint}${p.name} = {p.default.extent.text}")
    ext = block.extent
    return Step("0", "param", ext.start_line, ext.end_line, ext.text, "\n".join(assignments) or "$null",
                "parameters keep their default values")


def _comment_above(lines: list[str], line: int) -> str:
    """The ``#`` comment lines directly above 1-based ``line`` (no blank line between)."""
    out = []
    i = line - 2
    while i >= 0:
        t = lines[i].strip()
        if not t.startswith("#") or t.lower().startswith("#requires"):
            break
        t = t.strip("#-=*~_ \t")   # rulers and banners: "# --- Step 1 ---" -> "Step 1"
        if t:
            out.append(t)
        i -= 1
    return "\n".join(reversed(out))


def _parse_error_text(e: Any) -> str:
    from ems.format.errorview import render
    from ems.shell import _parse_record
    return render(_parse_record(e, interactive=False), 120).rstrip()


def _trim(text: str) -> str:
    """Drop leading and trailing blank lines (the console's spacing around tables)."""
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() for line in lines)


def _read(path: str) -> str:
    with open(path, encoding="utf-8-sig") as fh:
        return fh.read().replace("\r\n", "\n")


def _ps_date(value: Any) -> str:
    from ems.lang.conversion import format_datetime_current
    return format_datetime_current(value)


# --- command line -----------------------------------------------------------------------------

REPORT_KINDS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".txt": "text"}


def main(opts: Any) -> int:
    """``ems --replay``: run the replay, print the report as it goes, write --report files.
    Exit status: 0 when no step failed and the verdict holds, 1 otherwise, 2 for bad usage."""
    from ems.replay_report import TextReport
    from ems.shell import Shell, StateError, list_scenarios

    for path in opts.reports:
        if os.path.splitext(path)[1].lower() not in REPORT_KINDS:
            sys.stderr.write(f"ems: --report {path}: the report file must end in .md, .html or .txt\n")
            return 2
    if not os.path.isfile(opts.replay):
        sys.stderr.write(f"ems: cannot read the runbook '{opts.replay}': no such file\n")
        return 2
    known = list_scenarios()
    if known and opts.scenario not in known:
        sys.stderr.write(f"ems: unknown scenario '{opts.scenario}' (available: {', '.join(known)})\n")
        return 2
    color = not opts.no_color and _isatty(sys.stdout) and not os.environ.get("NO_COLOR")
    try:
        shell = Shell(scenario=opts.scenario, state=opts.state, width=_width())
        shell.org
    except (StateError, RuntimeError, ValueError) as e:   # bad state file; a lab that can't be built
        sys.stderr.write(f"ems: {e}\n")
        return 2
    console = TextReport(sys.stdout, color=color)
    ask = _terminal_ask(console) if opts.step else None
    try:
        result = Replay(shell, opts.replay, before=opts.before, expect_loss=opts.expect_loss, ask=ask,
                        listener=console).run()
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        return 130
    for path in opts.reports:
        write_report(result, path)
    if opts.state:
        try:
            shell.save_state(opts.state)
        except (OSError, StateError) as e:
            sys.stderr.write(f"ems: cannot save state to '{opts.state}': {e}\n")
            return 1
    return result.exit_code


def write_report(result: ReplayResult, path: str) -> None:
    kind = REPORT_KINDS[os.path.splitext(path)[1].lower()]
    if kind == "html":
        from ems.replay_html import render_html
        text = render_html(result)
    else:
        from ems.replay_report import render_markdown, render_text
        text = render_markdown(result) if kind == "markdown" else render_text(result)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def _terminal_ask(console: Any) -> Callable[[Step], str | None]:
    def ask(step: Step) -> str | None:
        sys.stdout.write(console.prompt(step))
        sys.stdout.flush()
        line = sys.stdin.readline()
        return None if not line else line.rstrip("\r\n")
    return ask


def _isatty(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width() -> int:
    env = os.environ.get("EMS_WIDTH")
    return int(env) if env and env.isdigit() else 120
