"""The bottom toolbar: the lab and a one-line DAG health summary, after every command.

    two-datacenter  |  DAG1: 4/4 members up, quorum OK  |  DBs 4/4 mounted

The numbers are questions put to the organisation model (``machine_running``,
``has_quorum``, a database's ``mounted``); this module only counts the answers and never
re-derives HA state. If the model cannot answer, the toolbar says so instead of taking the
prompt down.
"""
from __future__ import annotations

from typing import Any

Fragments = list[tuple[str, str]]

PLAIN, GOOD, BAD = "class:bottom-toolbar", "class:bottom-toolbar.good", "class:bottom-toolbar.bad"
SEPARATOR = (PLAIN, "  |  ")


def _count(ok: int, total: int, text: str) -> tuple[str, str]:
    return (GOOD if ok == total else BAD), text


def dag_parts(org: Any, dag: Any) -> Fragments:
    """``DAG1: 3/4 members up, quorum OK`` for one DAG."""
    members = [org.servers[name.lower()] for name in dag.servers if name.lower() in org.servers]
    if not members:
        return [(PLAIN, f"{dag.name}: no members")]
    up = sum(1 for server in members if org.machine_running(server))
    quorum = org.has_quorum(dag)
    return [_count(up, len(members), f"{dag.name}: {up}/{len(members)} members up"),
            (PLAIN, ", "),
            (GOOD, "quorum OK") if quorum else (BAD, "NO QUORUM")]


def database_parts(org: Any) -> Fragments:
    dbs = list(org.databases.values())
    if not dbs:
        return [(PLAIN, "no databases")]
    mounted = sum(1 for db in dbs if db.mounted)
    return [_count(mounted, len(dbs), f"DBs {mounted}/{len(dbs)} mounted")]


def summary(shell: Any, lab: str) -> Fragments:
    """Toolbar fragments for the shell's current organisation."""
    try:
        org = shell.org
        sections = [dag_parts(org, dag) for dag in org.dags.values()] or [[(PLAIN, "no DAG")]]
        sections.append(database_parts(org))
    except Exception:       # a broken model must not take the prompt down with it
        sections = [[(BAD, "organisation unavailable")]]
    parts: Fragments = [(PLAIN, f" {lab}")]
    for section in sections:
        parts.append(SEPARATOR)
        parts += section
    return parts
