"""The simulated clock. The session normally passes its own (same two methods)."""
from __future__ import annotations

import datetime as _dt

DEFAULT_START = _dt.datetime(2026, 11, 21, 9, 0, 0)


class Clock:
    """``now()`` and ``advance(delta)``; time only moves when something advances it."""

    def __init__(self, start: _dt.datetime | None = None):
        self._now = start or DEFAULT_START

    def now(self) -> _dt.datetime:
        return self._now

    def advance(self, delta: _dt.timedelta) -> None:
        self._now = self._now + delta
