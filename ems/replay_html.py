"""The replay report as one self-contained HTML page.

Everything is inline (CSS in a ``<style>``, pictures as inline SVG, no script, no external
asset), so the page reads the same offline, from a mail attachment or a CI artifact. The page
has the same content as the text report, plus a timeline strip (one chip per step, coloured
by its status, linking to the step) and a picture of the organisation when the runbook starts
and after it: sites with their machines, WAN links, DAG members with the copies they hold
(which one is active, mounted or not), the witness and the alternate witness, the PAM, DACP
bits, Started/Stopped and quorum.
"""
from __future__ import annotations

from html import escape
from typing import Any

from ems.replay import ReplayResult, Step
from ems.replay_report import change_cells, dag_lines, machine_roles, step_title, verdict_summary
from ems.replay_state import SELF_PROTECTION, CopyState, State, grouped

CSS = """
:root { --ok:#2e7d32; --bad:#c62828; --warn:#b26a00; --skip:#8d6e00; --dim:#757575; --ink:#1b1b1b; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1280px; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin: .2rem 0 .6rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 0 0 .4rem; display: flex; gap: .6rem; align-items: baseline; }
code, pre { font-family: ui-monospace, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
pre { margin: .3rem 0; padding: .45rem .6rem; overflow-x: auto; white-space: pre; border-radius: 4px; }
pre.cmd { background: #012456; color: #eeedf0; }
pre.out { background: #f6f8fa; border: 1px solid #e3e6ea; }
pre.warn { background: #fff8e1; color: #6d4c00; border: 1px solid #ffe082; }
pre.err { background: #ffebee; color: #8e0000; border: 1px solid #ffcdd2; }
table { border-collapse: collapse; }
table.facts td { padding: .1rem .8rem .1rem 0; vertical-align: top; }
table.changes { margin: .3rem 0; font-size: 13px; }
table.changes th, table.changes td { border: 1px solid #e0e0e0; padding: .15rem .5rem; text-align: left;
                                     vertical-align: top; }
table.changes th { background: #fafafa; font-weight: 600; }
td.before { color: #8e0000; } td.after { color: #1b5e20; }
.result { font-weight: 600; padding: .4rem .7rem; border-radius: 4px; display: inline-block; }
.result.ok { background: #e8f5e9; color: var(--ok); } .result.bad { background: #ffebee; color: var(--bad); }
nav.timeline ol { list-style: none; display: flex; flex-wrap: wrap; gap: 4px; padding: 0; margin: .8rem 0; }
nav.timeline a { display: block; min-width: 2.1em; text-align: center; padding: .15rem .35rem; border-radius: 3px;
                 text-decoration: none; color: #fff; font-size: 12px; font-weight: 600; }
.s-ok { background: var(--ok); } .s-failed { background: var(--bad); } .s-skipped { background: var(--skip); }
.s-not-run { background: #bdbdbd; }
article.step { border: 1px solid #e0e0e0; border-left: 5px solid var(--ok); border-radius: 4px;
               padding: .6rem .8rem; margin: .7rem 0; }
article.step.failed { border-left-color: var(--bad); } article.step.skipped { border-left-color: var(--skip); }
article.step.not-run { border-left-color: #bdbdbd; color: var(--dim); }
.status { font-size: 12px; font-weight: 700; color: #fff; padding: 0 .4rem; border-radius: 3px; }
.comment { color: #4e5d6c; font-style: italic; margin: .2rem 0; white-space: pre-wrap; }
.stopped { color: var(--bad); font-weight: 600; }
figure { margin: .5rem 0 1.2rem; } figcaption { font-weight: 600; margin-bottom: .3rem; }
figure svg { max-width: 100%; height: auto; border: 1px solid #eee; border-radius: 4px; background: #fff; }
ul.dag { margin: .3rem 0; padding-left: 1.2rem; font-size: 13px; }
ul.verdict { list-style: none; padding-left: 0; } ul.verdict li { margin: .2rem 0; }
.mark-ok { color: var(--ok); font-weight: 700; } .mark-bad { color: var(--bad); font-weight: 700; }
.note { color: var(--warn); }
"""

# picture geometry (px)
MEMBER_W, SMALL_W, GAP, PAD, TITLE_H, LINE_H = 232, 232, 12, 12, 28, 16
COPY_COLORS = {
    "Mounted": "#2e7d32", "Dismounted": "#f9a825", "Mounting": "#f9a825", "Dismounting": "#f9a825",
    "Healthy": "#2e7d32", "Resynchronizing": "#1565c0", "Initializing": "#1565c0", "Seeding": "#1565c0",
    "SeedingSource": "#2e7d32", "Suspended": "#757575",
}


def render_html(result: ReplayResult) -> str:
    ok = result.exit_code == 0
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Replay of {escape(result.runbook)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           "<header>", f"<h1>Replay of <code>{escape(result.runbook)}</code></h1>", '<table class="facts">',
           f"<tr><td>Organisation</td><td>{escape(result.origin)}, {escape(result.started)}</td></tr>"]
    for step in result.before:
        out.append(f"<tr><td>Disaster</td><td><code>{escape(step.source)}</code></td></tr>")
    out += ["</table>", f'<p id="result" class="result {"ok" if ok else "bad"}">{escape(verdict_summary(result))}</p>',
            "</header>"]
    if result.parse_error:
        out += ["<h2>The runbook could not be parsed</h2>", f'<pre class="err">{escape(result.parse_error)}</pre>',
                "</body>", "</html>", ""]
        return "\n".join(out)
    out += _timeline(result)
    out += ['<section id="pictures">', "<h2>The organisation</h2>"]
    if result.before:
        out.append(_figure("before the disaster (--before)", "picture-initial", result.initial))
    out += [_figure("when the runbook starts", "picture-start", result.start),
            _figure("after the runbook", "picture-final", result.final), "</section>"]
    if result.before:
        out += ['<section id="before">', "<h2>Before the runbook</h2>"]
        out += [_step(s) for s in result.before]
        out.append("</section>")
    out += ['<section id="steps">', "<h2>Steps</h2>"]
    out += [_step(s) for s in result.steps]
    out.append("</section>")
    out += _verdict(result)
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _anchor(step: Step) -> str:
    return f"step-{step.id}"


def _status_class(status: str) -> str:
    return status.replace(" ", "-")


def _timeline(result: ReplayResult) -> list[str]:
    out = ['<nav class="timeline" aria-label="Timeline"><ol>']
    for step in result.all_steps:
        label = step.id
        tip = f"{step_title(step)}: {step.status} - {step.source.splitlines()[0] if step.source else ''}"
        out.append(f'<li><a class="s-{_status_class(step.status)}" href="#{_anchor(step)}" '
                   f'title="{escape(tip)}">{escape(label)}</a></li>')
    out.append("</ol></nav>")
    return out


def _step(step: Step) -> str:
    cls = _status_class(step.status)
    out = [f'<article class="step {cls}" id="{_anchor(step)}" data-step="{escape(step.id)}" '
           f'data-status="{escape(step.status)}">',
           f'<h3><span>{escape(step_title(step))}</span><span class="status s-{cls}">{escape(step.status)}</span></h3>']
    if step.comment:
        out.append(f'<p class="comment">{escape(step.comment)}</p>')
    out.append(f'<pre class="cmd">{escape(step.source)}</pre>')
    if step.output:
        out.append(f'<pre class="out">{escape(step.output)}</pre>')
    if step.warnings:
        out.append('<pre class="warn">' + escape("\n".join(f"WARNING: {w}" for w in step.warnings)) + "</pre>")
    if step.errors:
        out.append(f'<pre class="err">{escape(step.errors)}</pre>')
    if step.changes:
        out.append('<table class="changes"><tr><th></th><th></th><th>before</th><th>after</th></tr>')
        for subject, what, before, after in (change_cells(c) for c in grouped(step.changes)):
            out.append(f"<tr><td>{escape(subject)}</td><td>{escape(what)}</td><td class=\"before\">"
                       f"{escape(before)}</td><td class=\"after\">{escape(after)}</td></tr>")
        out.append("</table>")
    if step.ended_runbook:
        out.append(f'<p class="stopped">The replay stops here: {escape(step.ended_runbook)}.</p>')
    out.append("</article>")
    return "\n".join(out)


def _verdict(result: ReplayResult) -> list[str]:
    v = result.verdict
    out = ['<section id="verdict">', f"<h2>Verdict: {'holds' if v.holds else 'does not hold'}</h2>",
           '<ul class="verdict">']
    for c in v.checks:
        mark = '<span class="mark-ok">✔</span>' if c.ok else '<span class="mark-bad">✘</span>'
        out.append(f"<li>{mark} <strong>{escape(c.name)}</strong>: {escape(c.detail)}</li>")
    for n in v.notes:
        out.append(f'<li class="note">⚠ note: {escape(n)}</li>')
    out += ["</ul>", f'<p class="result {"ok" if result.exit_code == 0 else "bad"}">'
                     f"{escape(verdict_summary(result))}</p>", "</section>"]
    return out


# --- the picture ------------------------------------------------------------------------------

def _figure(caption: str, ident: str, state: State | None) -> str:
    if state is None:
        return ""
    lines = "".join(f"<li>{escape(line)}</li>" for line in dag_lines(state))
    return (f'<figure id="{ident}"><figcaption>The organisation {escape(caption)}</figcaption>'
            f"{picture(state, caption)}<ul class=\"dag\">{lines}</ul></figure>")


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap on ', ' and spaces for SVG text (which doesn't wrap by itself)."""
    lines: list[str] = []
    cur = ""
    for word in text.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        lines.append(cur)
    return lines


def _copy_label(c: CopyState) -> str:
    text = f"{c.database} {c.status}"
    if c.split_brain and not c.active:
        text = f"{c.database} Mounted (split brain)"
    if c.copy_queue >= SELF_PROTECTION:
        text += " CQ ∞"      # the self-protection queue (TM-CQL); the tables give the number
    elif c.copy_queue:
        text += f" CQ {c.copy_queue}"
    if c.replay_queue:
        text += f" RQ {c.replay_queue}"
    if c.activation_suspended and not c.active:
        text += " (activation suspended)"
    return text


class _Box:
    """A machine in the picture, measured before it is drawn."""

    def __init__(self, state: State, server: Any):
        self.server = server
        self.labels = _wrap(", ".join(machine_roles(state, server)), 32)
        self.copies = [c for db in state.databases for c in db.copies if c.server == server.name]
        self.copies.sort(key=lambda c: (not c.active, c.database))
        self.member = server.kind in ("member", "mailbox")
        self.width = MEMBER_W if self.member else SMALL_W
        self.height = 22 + LINE_H * len(self.labels) + LINE_H * len(self.copies) + 6
        in_use = any(d.witness_machine == server.name for d in state.dags)
        self.witness_in_use = in_use


def picture(state: State, caption: str) -> str:
    """An SVG of the sites side by side, their WAN links as arcs above them, and in each
    site its DAG members (top row, with their copies) and other machines (bottom row)."""
    sites = [(name, up) for name, up in state.sites if any(s.site == name for s in state.servers)]
    layout = []
    for name, up in sites:
        members = [_Box(state, s) for s in state.servers if s.site == name and s.kind in ("member", "mailbox")]
        others = [_Box(state, s) for s in state.servers if s.site == name and s.kind not in ("member", "mailbox")]
        cols = max(len(members), len(others), 1)
        width = PAD * 2 + cols * MEMBER_W + (cols - 1) * GAP
        layout.append((name, up, members, others, width))
    member_h = max((b.height for _, _, ms, _, _ in layout for b in ms), default=0)
    other_h = max((b.height for _, _, _, os_, _ in layout for b in os_), default=0)
    site_h = TITLE_H + member_h + (GAP if member_h and other_h else 0) + other_h + PAD
    index = {name: i for i, (name, *_rest) in enumerate(layout)}
    spans = [abs(index[a] - index[b]) for _, (a, b), _ in state.links if a in index and b in index]
    arc_h = 26 + 22 * max(spans, default=0)
    top = arc_h + 10
    xs, x = [], 10
    for *_rest, width in layout:
        xs.append(x)
        x += width + 40
    total_w = max(x - 30, 300)
    total_h = top + site_h + 36
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="org" viewBox="0 0 {total_w} {total_h}" '
           f'width="{total_w}" height="{total_h}" font-family="system-ui, sans-serif" font-size="12">',
           f"<title>The organisation {escape(caption)}</title>"]
    # WAN links
    for link_name, (a, b), connected in state.links:
        if a not in index or b not in index:
            continue
        i, j = sorted((index[a], index[b]))
        x1 = xs[i] + layout[i][4] / 2
        x2 = xs[j] + layout[j][4] / 2
        h = 14 + 22 * (j - i)
        mid = (x1 + x2) / 2
        color = "#607d8b" if connected else "#c62828"
        dash = "" if connected else ' stroke-dasharray="6 4"'
        out.append(f'<g class="link {"connected" if connected else "disconnected"}" data-link="{escape(link_name)}">'
                   f'<path d="M{x1:.0f},{top} Q{mid:.0f},{top - 2 * h} {x2:.0f},{top}" fill="none" '
                   f'stroke="{color}" stroke-width="2"{dash}/>'
                   f'<text x="{mid:.0f}" y="{top - h - 3}" text-anchor="middle" fill="{color}" font-size="11">'
                   f'{escape(link_name)}{"" if connected else " ✕ down"}</text></g>')
    for (name, up, members, others, width), sx in zip(layout, xs):
        fill, stroke = ("#fafafa", "#c62828") if not up else ("#f3f7fb", "#90a4ae")
        dash = ' stroke-dasharray="8 4"' if not up else ""
        out.append(f'<g class="site {"up" if up else "down"}" data-site="{escape(name)}">'
                   f'<rect x="{sx}" y="{top}" width="{width}" height="{site_h}" rx="8" fill="{fill}" '
                   f'stroke="{stroke}" stroke-width="1.5"{dash}/>'
                   f'<text x="{sx + PAD}" y="{top + 19}" font-size="14" font-weight="700">{escape(name)}'
                   f'{"" if up else " — down"}</text>')
        for row, y in ((members, top + TITLE_H), (others, top + TITLE_H + member_h + (GAP if member_h else 0))):
            bx = sx + PAD
            for box in row:
                out.append(_machine(box, bx, y))
                bx += box.width + GAP
        out.append("</g>")
    out.append(_legend(10, top + site_h + 22))
    out.append("</svg>")
    return "\n".join(out)


def _machine(box: _Box, x: int, y: int) -> str:
    s = box.server
    fill = "#ffffff" if s.running else "#e0e0e0"
    stroke, sw = ("#6a1b9a", 3) if box.witness_in_use else ("#78909c", 1)
    ink = "#1b1b1b" if s.running else "#757575"
    out = [f'<g class="machine {s.kind} {"running" if s.running else "down"}" data-name="{escape(s.name)}">',
           f'<rect x="{x}" y="{y}" width="{box.width}" height="{box.height}" rx="4" fill="{fill}" '
           f'stroke="{stroke}" stroke-width="{sw}"/>',
           f'<text x="{x + 8}" y="{y + 16}" font-weight="700" fill="{ink}">{escape(s.name)}</text>']
    ty = y + 16
    for line in box.labels:
        ty += LINE_H
        out.append(f'<text x="{x + 8}" y="{ty}" font-size="11" fill="#455a64">{escape(line)}</text>')
    for c in box.copies:
        ty += LINE_H
        out.append(_copy(c, x + 8, ty, s.running))
    out.append("</g>")
    return "\n".join(out)


def _copy(c: CopyState, x: int, y: int, running: bool) -> str:
    color = COPY_COLORS.get(c.status, "#c62828")
    if not running:
        color = "#9e9e9e"
    fill = color if c.active else "#ffffff"
    if c.split_brain:
        color = fill = "#c62828"
    kind = "active" if c.active else "passive"
    weight = ' font-weight="700"' if c.active else ""
    return (f'<g class="copy {kind}" data-db="{escape(c.database)}" data-server="{escape(c.server)}" '
            f'data-status="{escape(c.status)}"><circle cx="{x + 5}" cy="{y - 4}" r="5" fill="{fill}" '
            f'stroke="{color}" stroke-width="2"/><text x="{x + 16}" y="{y}"{weight} fill="#263238">'
            f"{escape(_copy_label(c))}</text></g>")


def _legend(x: int, y: int) -> str:
    items = [("#2e7d32", True, "active, mounted"), ("#f9a825", True, "active, not mounted"),
             ("#2e7d32", False, "passive, healthy"), ("#1565c0", False, "resynchronizing / initializing"),
             ("#757575", False, "suspended"), ("#c62828", False, "failed / down / disconnected")]
    out = ['<g class="legend" font-size="11">']
    for color, filled, text in items:
        out.append(f'<circle cx="{x + 5}" cy="{y - 4}" r="5" fill="{color if filled else "#fff"}" '
                   f'stroke="{color}" stroke-width="2"/><text x="{x + 14}" y="{y}">{escape(text)}</text>')
        x += 24 + 6 * len(text)
    out.append(f'<rect x="{x}" y="{y - 11}" width="14" height="12" fill="#fff" stroke="#6a1b9a" stroke-width="3"/>'
               f'<text x="{x + 20}" y="{y}">witness in use</text>')
    out.append("</g>")
    return "\n".join(out)
