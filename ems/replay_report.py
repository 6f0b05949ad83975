"""The replay report as console text (coloured on a terminal) and as Markdown.

Both show the same things in the same order: the header (runbook, organisation, disaster),
the --before texts, the organisation when the runbook starts, every step (number, lines,
comment, command, output, warnings, errors, changes), the organisation after the runbook,
and the verdict. The console text is written step by step while the replay runs
(``TextReport`` is a ``Listener``); ``render_text`` produces the same text at once.
"""
from __future__ import annotations

import io
from typing import Any, TextIO

from ems.replay import FAILED, NOT_RUN, OK, SKIPPED, Listener, ReplayResult, Step
from ems.replay_state import Change, State, grouped

WIDTH = 119

# --- shared pieces -------------------------------------------------------------------------


def change_value(value: str | None) -> str:
    return "(absent)" if value is None else value


def change_cells(c: Change) -> tuple[str, str, str, str]:
    """(subject, what, before, after) as displayed; ``logs lost`` has no before value."""
    if c.what == "logs lost":
        return c.subject, c.what, "", c.after or ""
    if c.what == "exists":
        return c.subject, "", "(absent)" if c.before is None else "present", \
            "(absent)" if c.after is None else "present"
    return c.subject, c.what, change_value(c.before), change_value(c.after)


def step_title(step: Step) -> str:
    if step.kind == "before":
        return f"Before {step.id}"
    if step.kind == "param":
        return f"Parameters · {step.lines}"
    return f"Step {step.id} · {step.lines}"


def site_map(state: State) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per site: its title and (machine, description) rows: the picture of the sites in
    words (the HTML report draws the same)."""
    out = []
    for site, up in state.sites:
        rows = []
        for s in state.servers:
            if s.site == site:
                rows.append((s.name, machine_text(state, s)))
        out.append((f"{site}" + ("" if up else " (down)"), rows))
    return out


def machine_roles(state: State, s: Any) -> list[str]:
    """Short labels for what a machine is and its DAG state."""
    labels: list[str] = []
    if not s.running:
        labels.append(s.state_text)
    for dag in state.dags:
        if dag.witness_server == s.name:
            labels.append("witness" + (" in use" if dag.witness_machine == s.name else ""))
        if dag.alternate_witness_server == s.name:
            labels.append("alternate witness" + (" in use" if dag.witness_machine == s.name else ""))
    if s.kind == "dc":
        labels.append("domain controller")
    elif s.kind == "file" and not labels:
        labels.append("file server")
    if s.kind == "member":
        dag = state.dag(s.dag)
        if dag.pam == s.name:
            labels.append("PAM")
        if s.name in dag.stopped:
            labels.append("stopped")
        if s.name not in dag.cluster_nodes:
            labels.append("evicted, sees the old cluster" if s.name in dag.stale else "not a cluster node")
        elif s.running and not s.cluster_service:
            labels.append("cluster service stopped")
        elif s.running and (dag.quorate is None or s.name not in dag.quorate.nodes):
            labels.append("no quorum")
        if s.name in dag.forced_quorum:
            labels.append("forced quorum")
        if s.cluster_start_type != "Automatic":
            labels.append(f"ClusSvc {s.cluster_start_type}")
        if s.dacp is not None and s.running:   # DACP lives in Active Manager's memory
            labels.append(f"DACP {s.dacp}")
        if s.activation_policy != "Unrestricted":
            labels.append(s.activation_policy)
    elif s.kind == "mailbox":
        labels.append("mailbox server")
    return labels


def copies_on(state: State, server: str) -> tuple[list[str], list[str]]:
    """(active, passive) database copies on ``server``, with their status when it isn't
    the expected one (Mounted / Healthy)."""
    active: list[tuple[str, str]] = []
    passive: list[tuple[str, str]] = []
    for db in state.databases:
        c = db.copy_on(server)
        if c is None:
            continue
        if c.active:
            active.append((db.name, "" if c.status == "Mounted" else c.status))
        else:
            passive.append((db.name, "" if c.text == "Healthy" else c.text))
    return _by_status(active), _by_status(passive)


def _by_status(copies: list[tuple[str, str]]) -> list[str]:
    """``DB1 DB2 (Suspended) DB3 (Suspended)`` -> ``DB1``, ``DB2 DB3 (Suspended)``."""
    groups: dict[str, list[str]] = {}
    for name, status in copies:
        groups.setdefault(status, []).append(name)
    return [" ".join(names) + (f" ({status})" if status else "") for status, names in groups.items()]


def machine_text(state: State, s: Any) -> str:
    parts = [", ".join(machine_roles(state, s))]
    active, passive = copies_on(state, s.name)
    if active:
        parts.append("active: " + " ".join(active))
    if passive:
        parts.append("passive: " + " ".join(passive))
    return "; ".join(p for p in parts if p)


def dag_lines(state: State) -> list[str]:
    """One line per DAG fact (and one for the WAN links)."""
    out = []
    for d in state.dags:
        facts = [f"members {' '.join(d.members) or '(none)'}, DAC mode {d.dac_mode}"]
        if d.dac_mode == "DagOnly":
            facts[0] += f", started {' '.join(d.started) or '(none)'}, stopped {' '.join(d.stopped) or '(none)'}"
        facts.append(f"PAM {d.pam or '(none)'}, witness in use: {d.witness_text}")
        facts.append(f"quorum: {d.quorum_text}" + (f", witness lock held by {d.witness_lock}"
                                                   if d.witness_lock else ""))
        if d.forced_quorum:
            facts.append(f"forced quorum on {' '.join(d.forced_quorum)}")
        if d.stale:
            facts.append(f"evicted while out of reach, still seeing the old cluster: {' '.join(d.stale)}")
        out += [f"{d.name}: {fact}" for fact in facts]
    links = [f"{n} {'connected' if c else 'disconnected'}" for n, _, c in state.links]
    if links:
        out.append("WAN: " + ", ".join(links))
    return out


def verdict_summary(result: ReplayResult) -> str:
    if result.parse_error:
        return "the runbook could not be parsed"
    v = result.verdict
    parts = ["verdict holds" if v.holds else "verdict does not hold"]
    counts = [f"{result.count(s)} {s}" for s in (OK, FAILED, SKIPPED, NOT_RUN) if result.count(s)]
    if counts:
        parts.append("steps: " + ", ".join(counts))
    failed_before = [s for s in result.before if s.status == FAILED]
    if failed_before:
        parts.append(f"{len(failed_before)} --before text failed")
    if result.quit:
        parts.append("stopped by the operator")
    parts.append(f"exit status {result.exit_code}")
    return "; ".join(parts)


# --- console text --------------------------------------------------------------------------

BOLD, DIM, RED, GREEN, YELLOW, CYAN, RESET = ("\x1b[1m", "\x1b[2m", "\x1b[91m", "\x1b[92m", "\x1b[93m",
                                             "\x1b[96m", "\x1b[0m")
STATUS_COLOR = {OK: GREEN, FAILED: RED, SKIPPED: YELLOW, NOT_RUN: DIM}


class TextReport(Listener):
    """Writes the report to ``out`` while the replay runs."""

    def __init__(self, out: TextIO, color: bool = False):
        self.out = out
        self.color = color

    def c(self, text: str, color: str) -> str:
        if not self.color or not text:
            return text
        return "\n".join(f"{color}{line}{RESET}" if line else line for line in text.split("\n"))

    def w(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    # Listener
    def start(self, result: ReplayResult) -> None:
        self.w(self.c(f"Replay of {result.runbook}", BOLD))
        self.w(f"Organisation: {result.origin}, {result.started}")
        for step in result.before:
            self.w(f"Disaster: {step.source}")
        if result.parse_error:
            self.w()
            self.w(self.c(result.parse_error, RED))

    def runbook(self, result: ReplayResult) -> None:
        self.w()
        self.state("Organisation when the runbook starts", result.start)

    def step(self, step: Step) -> None:
        self.w()
        title = step_title(step)
        status = step.status.upper() if step.status == FAILED else step.status
        rule = "-" * max(3, WIDTH - len(title) - len(status) - 6)
        self.w(self.c(f"--- {title} {rule} ", CYAN) + self.c(status, STATUS_COLOR[step.status]))
        if step.comment:
            self.w(self.c("\n".join(f"# {line}" for line in step.comment.split("\n")), DIM))
        self.w(self.command(step.source))
        if step.output:
            self.w(step.output)
        for w in step.warnings:
            self.w(self.c(f"WARNING: {w}", YELLOW))
        if step.errors:
            self.w(self.c(step.errors, RED))
        if step.changes:
            self.w(self.c("Changes:", BOLD))
            for line in change_lines(grouped(step.changes)):
                self.w(line)
        if step.ended_runbook:
            self.w(self.c(f"The replay stops here: {step.ended_runbook}.", RED))

    def finish(self, result: ReplayResult) -> None:
        not_run = [s for s in result.steps if s.status == NOT_RUN]
        if not_run and not result.parse_error:
            self.w()
            self.w(self.c(f"Not run: steps {not_run[0].id}-{not_run[-1].id}" if len(not_run) > 1
                          else f"Not run: step {not_run[0].id}", DIM))
        if result.parse_error:
            self.w()
            self.w(self.c(f"Result: {verdict_summary(result)}", RED))
            return
        self.w()
        self.state("Organisation after the runbook", result.final)
        self.w()
        v = result.verdict
        self.w(self.c("Verdict: " + ("holds" if v.holds else "does not hold"), GREEN if v.holds else RED))
        for check in v.checks:
            mark = self.c("[ok]  ", GREEN) if check.ok else self.c("[FAIL]", RED)
            self.w(f"  {mark} {check.name}: {check.detail}")
        for note in v.notes:
            self.w(self.c(f"  note: {note}", YELLOW))
        self.w(self.c(f"Result: {verdict_summary(result)}", GREEN if result.exit_code == 0 else RED))

    # pieces
    def command(self, source: str) -> str:
        lines = source.split("\n")
        out = [self.c("PS> ", BOLD) + lines[0]] + [self.c(">> ", BOLD) + line for line in lines[1:]]
        return "\n".join(out)

    def state(self, title: str, state: State | None) -> None:
        self.w(self.c(title, BOLD))
        if state is None:
            return
        for site, rows in site_map(state):
            self.w(f"  {site}")
            width = max((len(name) for name, _ in rows), default=0)
            for name, text in rows:
                self.w(f"    {name.ljust(width)}  {text}")
        for line in dag_lines(state):
            self.w(f"  {line}")

    def prompt(self, step: Step) -> str:
        return (f"\n{self.c('Next: ' + step_title(step), BOLD)}\n{self.command(step.source)}\n"
                f"[Enter] run it, [s] skip it, [q] stop: ")


def change_lines(changes: list[Change]) -> list[str]:
    """``  subject  what  before -> after``, columns aligned; a long row breaks before '->'."""
    rows = [change_cells(c) for c in changes]
    ws = max(len(r[0]) for r in rows)
    ww = max(len(r[1]) for r in rows)
    out = []
    for subject, what, before, after in rows:
        head = f"  {subject.ljust(ws)}  {what.ljust(ww)}  "
        if not before:
            out.append(head + after)
            continue
        line = f"{head}{before} -> {after}"
        if len(line) <= WIDTH:
            out.append(line)
        else:
            out.append(head + before)
            out.append(" " * (len(head) - 3) + "-> " + after)
    return out


def render_text(result: ReplayResult) -> str:
    """The whole console report as plain text (what ``ems --replay`` printed, uncoloured)."""
    buf = io.StringIO()
    report = TextReport(buf)
    report.start(result)
    for step in result.before:
        if step.status != NOT_RUN:
            report.step(step)
    if not result.parse_error:
        report.runbook(result)
        for step in result.steps:
            if step.status != NOT_RUN:
                report.step(step)
    report.finish(result)
    return buf.getvalue()


# --- Markdown ------------------------------------------------------------------------------

def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _fence(text: str, lang: str = "text") -> list[str]:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return [f"{ticks}{lang}", text, ticks]


def _md_code(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    return f"{ticks}{text}{ticks}" if ticks == "`" else f"{ticks} {text} {ticks}"


def render_markdown(result: ReplayResult) -> str:
    out: list[str] = [f"# Replay of {_md_code(result.runbook)}", ""]
    out += ["| | |", "|---|---|", f"| Organisation | {_md_cell(result.origin)}, {result.started} |"]
    for step in result.before:
        out.append(f"| Disaster | {_md_code(step.source)} |")
    out += [f"| Result | **{_md_cell(verdict_summary(result))}** |", ""]
    if result.parse_error:
        out += ["## The runbook could not be parsed", ""] + _fence(result.parse_error) + [""]
        return "\n".join(out)
    if result.before:
        out += ["## Before the runbook", ""]
        for step in result.before:
            out += _md_step(step)
    out += ["## Organisation when the runbook starts", ""] + _md_state(result.start)
    out += ["## Steps", ""]
    for step in result.steps:
        out += _md_step(step)
    out += ["## Organisation after the runbook", ""] + _md_state(result.final)
    v = result.verdict
    out += ["## Verdict: " + ("holds" if v.holds else "does not hold"), ""]
    for check in v.checks:
        out.append(f"- {'✅' if check.ok else '❌'} **{check.name}**: {_md_cell(check.detail)}")
    for note in v.notes:
        out.append(f"- ⚠️ note: {_md_cell(note)}")
    out += ["", f"**Result:** {verdict_summary(result)}", ""]
    return "\n".join(out)


def _md_step(step: Step) -> list[str]:
    out = [f"### {step_title(step)} · {step.status}", ""]
    if step.status == NOT_RUN:
        out += _fence(step.source, "powershell") + ["", "Not run.", ""]
        return out
    if step.comment:
        out += ["> " + line if line else ">" for line in step.comment.split("\n")] + [""]
    out += _fence(step.source, "powershell") + [""]
    if step.output:
        out += ["Output:", ""] + _fence(step.output) + [""]
    if step.warnings:
        out += ["Warnings:", ""] + _fence("\n".join(f"WARNING: {w}" for w in step.warnings)) + [""]
    if step.errors:
        out += ["Errors:", ""] + _fence(step.errors) + [""]
    if step.changes:
        out += ["Changes:", "", "| | | before | after |", "|---|---|---|---|"]
        for subject, what, before, after in (change_cells(c) for c in grouped(step.changes)):
            out.append(f"| {_md_cell(subject)} | {_md_cell(what)} | {_md_cell(before)} | {_md_cell(after)} |")
        out.append("")
    if step.ended_runbook:
        out += [f"**The replay stops here: {step.ended_runbook}.**", ""]
    return out


def _md_state(state: State) -> list[str]:
    out = ["| site | machine | state |", "|---|---|---|"]
    for site, rows in site_map(state):
        for i, (name, text) in enumerate(rows):
            out.append(f"| {_md_cell(site) if i == 0 else ''} | {name} | {_md_cell(text)} |")
    out.append("")
    out += [f"- {_md_cell(line)}" for line in dag_lines(state)]
    out.append("")
    return out
