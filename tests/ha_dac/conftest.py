"""Helpers for the DAC / datacenter switchover tests: the two-datacenter lab driven through
the shell, and short ways to read what a command did."""
from __future__ import annotations

import pytest

from ems import Shell

SWITCHOVER_DAC = r"""
Connect-ExchangeServer -ServerFqdn EX3
Stop-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Portland -ConfigurationOnly -Confirm:$false
Get-Service ClusSvc -ComputerName EX3 | Stop-Service
Get-Service ClusSvc -ComputerName EX4 | Stop-Service
Restore-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Redmond -AlternateWitnessServer FS2 -AlternateWitnessDirectory C:\DAG1 -Confirm:$false
"""

PORTLAND_DARK = "Stop-SimSite Portland\nDisconnect-SimSiteLink -Site Portland,Redmond\n"


def lab() -> Shell:
    return Shell(scenario="two-datacenter")


def ok(sh: Shell, text: str):
    """Run text that must not fail; return the Result."""
    r = sh.run(text)
    assert not r.errors, r.error_text
    return r


def one(sh: Shell, text: str):
    out = ok(sh, text).output
    assert len(out) == 1, out
    return out[0]


def dag(sh: Shell, status: bool = True):
    return one(sh, "Get-DatabaseAvailabilityGroup DAG1" + (" -Status" if status else ""))


def names(values) -> list[str]:
    """Server ids / FQDNs as sorted short names."""
    return sorted(str(v).split(".")[0] for v in (values or []))


def mounted(sh: Shell) -> dict:
    """Database -> sorted servers where Get-MailboxDatabaseCopyStatus says Mounted."""
    out: dict = {}
    for entry in ok(sh, "Get-MailboxDatabaseCopyStatus *").output:
        if entry.Status == "Mounted":
            out.setdefault(entry.DatabaseName, []).append(str(entry.MailboxServer))
    return {k: sorted(v) for k, v in out.items()}


def cluster_nodes(sh: Shell) -> list[str]:
    return sorted(n.Name for n in ok(sh, "Get-ClusterNode -Cluster DAG1").output)


def events(sh: Shell, event: str) -> list[str]:
    return [e.Detail for e in ok(sh, f"Get-SimEvent -Event {event}").output]


@pytest.fixture
def dc() -> Shell:
    return lab()
