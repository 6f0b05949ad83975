"""Helpers for the replay tests: replay runbook text the way ``ems --replay`` does."""
from __future__ import annotations

import os

from ems import Shell
from ems.replay import Replay

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNBOOKS = os.path.join(REPO, "scripts", "runbooks")


def replay(text: str, scenario: str = "two-datacenter", shell=None, **kw):
    """Replay runbook ``text`` (as file ``runbook.ps1``) on a fresh lab; returns the result."""
    shell = shell or Shell(scenario=scenario)
    return Replay(shell, "runbook.ps1", text=text, **kw).run()
