"""The bottom toolbar: the lab and a one-line DAG health summary, after every command.

    two-datacenter | DAG1: 4/4 members up | DBs 4/4 mounted | quorum OK

The numbers come from the organisation model (``shell.org``); this module only counts what
the model reports and never re-derives HA state. A model that cannot answer a question
(a lab without a DAG, a model still being built) leaves that part out rather than guessing.
"""
from __future__ import annotations

from typing import Any

Fragments = list[tuple[str, str]]

SEPARATOR = ("class:bottom-toolbar", "  |  ")


def _items(container: Any) -> list[Any]:
    if container is None:
        return []
    if isinstance(container, dict):
        return list(container.values())
    return list(container)


def _name(obj: Any) -> str:
    return str(getattr(obj, "Name", obj))


def _state(ok: bool | None, text: str) -> tuple[str, str]:
    style = {True: "class:bottom-toolbar.good", False: "class:bottom-toolbar.bad"}.get(ok, "class:bottom-toolbar")
    return style, text


def dag_parts(org: Any, dag: Any) -> Fragments:
    members = _items(getattr(dag, "Servers", None))
    up = getattr(org, "operational_servers", None)
    parts: Fragments = []
    if callable(up):
        running = _items(up(dag))
        parts.append(_state(len(running) == len(members),
                            f"{_name(dag)}: {len(running)}/{len(members)} members up"))
    else:
        parts.append(("class:bottom-toolbar", f"{_name(dag)}: {len(members)} members"))
    quorum = getattr(org, "has_quorum", None)
    if callable(quorum):
        ok = bool(quorum(dag))
        parts += [SEPARATOR, _state(ok, "quorum OK" if ok else "NO QUORUM")]
    return parts


def database_parts(org: Any) -> Fragments:
    dbs = _items(getattr(org, "databases", None))
    if not dbs:
        return []
    mounted = getattr(org, "is_mounted", None)
    if not callable(mounted):
        return [("class:bottom-toolbar", f"{len(dbs)} databases")]
    n = sum(1 for db in dbs if mounted(db))
    return [_state(n == len(dbs), f"DBs {n}/{len(dbs)} mounted")]


def summary(shell: Any, lab: str) -> Fragments:
    """Toolbar fragments for the shell's current organisation."""
    parts: Fragments = [("class:bottom-toolbar", f" {lab}")]
    try:
        org = shell.org
        dags = _items(getattr(org, "dags", None))
        sections = [dag_parts(org, dag) for dag in dags] or [[("class:bottom-toolbar", "no DAG")]]
        sections.append(database_parts(org))
    except Exception:       # a broken model must not take the prompt down with it
        sections = [[("class:bottom-toolbar", "organisation unavailable")]]
    for section in sections:
        if section:
            parts.append(SEPARATOR)
            parts += section
    return parts
