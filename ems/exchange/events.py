"""The timeline: what the lab, the cluster, Active Manager, replication and transport did, and
why (Get-SimEvent).

Every decision the HA engine takes is one ``Event`` on ``org.events`` (``org.log_event``):
quorum gained or lost and by how many votes, who holds the witness lock, where the Primary
Active Manager went, which copy best copy selection chose and which it skipped and why, how
many logs a lossy activation lost, which mount was refused and why, what resynchronisation
discarded, what the transport dumpster redelivered. ``timeline`` selects them and turns them
into ``SimEvent`` objects: four properties, so PowerShell shows them as a table.
"""
from __future__ import annotations

import datetime as _dt
import fnmatch
from typing import Any

import attrs


@attrs.frozen
class SimEvent:
    """One line of the timeline as Get-SimEvent writes it."""

    Time: _dt.datetime
    Source: str
    Event: str
    Detail: str

    PS_TYPE_NAMES = ("EMS.Simulation.SimEvent", "System.Object")

    def __str__(self) -> str:
        return self.Detail


def _matches(pattern: str | None, value: str | None) -> bool:
    if pattern is None:
        return True
    return value is not None and fnmatch.fnmatchcase(value.lower(), pattern.lower())


def event_name(e: Any) -> str:
    """The Event column: the engine's short name, else the entry's kind."""
    return e.event or e.kind


def timeline(org: Any, newest: int | None = None, source: str | None = None, event: str | None = None,
             database: str | None = None, server: str | None = None, after: _dt.datetime | None = None) -> list:
    """The timeline, oldest first, filtered (wildcards allowed in the text filters);
    ``newest`` keeps the last N."""
    picked = [e for e in org.events
              if _matches(source, e.source) and _matches(event, event_name(e))
              and _matches(database, e.database) and _matches(server, e.server)
              and (after is None or e.time >= after)]
    if newest is not None:
        picked = picked[-newest:] if newest > 0 else []
    return [SimEvent(e.time, e.source, event_name(e), e.message) for e in picked]
