"""The HA engine's speed targets (issue #5), on the 16-member, 100-database DAG of bench_org:

- ``datacenter_switchover_script()``: a datacenter switchover of 8 members, < 2 s;
- ``crash_failover_script()``: a crash of the member hosting all 100 active databases, failed
  over by best copy selection, < 1 s.

Each returns ``(setup_text, measured_text)``: run the setup on the ``empty`` scenario, then time
the measured text. The matching ``check_*(org)`` says whether the measured text did its work
(every database activated where it should be): it returns None, or what is wrong. Checking is
not part of the measured time.

    python scripts/bench_ha.py        # builds each organisation once and prints the timings
"""
from __future__ import annotations

from typing import Any

from bench_org import DATABASES, MEMBERS, build_large_org_script

VICTIM = "MBX01"
SURVIVORS = [f"MBX{i:02d}" for i in range(MEMBERS // 2 + 1, MEMBERS + 1)]


def datacenter_switchover_script() -> tuple[str, str]:
    """The 16 members split over Portland and Redmond (DAC mode, every database active in
    Portland). Setup ends with Portland dark; the measured text is the DAC switchover in
    Redmond: Stop-DatabaseAvailabilityGroup, the Cluster service stopped on the 8 survivors,
    Restore-DatabaseAvailabilityGroup, and Active Manager activating all 100 databases there."""
    setup = build_large_org_script(two_sites=True) + "Stop-SimSite -Identity Portland\n"
    measured = "\n".join([
        f"Connect-ExchangeServer -ServerFqdn {SURVIVORS[0]} | Out-Null",
        "Stop-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Portland -ConfigurationOnly "
        "-Confirm:$false",
        f"Get-Service ClusSvc -ComputerName {','.join(SURVIVORS)} | Stop-Service",
        r"Restore-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Redmond -AlternateWitnessServer FS2 "
        r"-AlternateWitnessDirectory C:\DAG1 -Confirm:$false",
    ]) + "\n"
    return setup, measured


def check_datacenter_switchover(org: Any) -> str | None:
    """None when every database is mounted on one of the 8 Redmond members."""
    return _check(org, lambda db: db.active_server in SURVIVORS, "mounted in Redmond")


def crash_failover_script() -> tuple[str, str]:
    """One site, 16 members; setup moves every database to MBX01; the measured text is MBX01
    losing power (Active Manager fails the 100 databases over with best copy selection)."""
    setup = build_large_org_script() + (
        f"Get-MailboxDatabase | Where-Object {{ $_.Server.Name -ne '{VICTIM}' }} | "
        f"Move-ActiveMailboxDatabase -ActivateOnServer {VICTIM} -Confirm:$false | Out-Null\n")
    measured = f"Stop-SimServer -Identity {VICTIM} -Crash\n"
    return setup, measured


def check_crash_setup(org: Any) -> str | None:
    """None when the setup left every database mounted on MBX01."""
    return _check(org, lambda db: db.active_server == VICTIM, f"mounted on {VICTIM}")


def check_crash_failover(org: Any) -> str | None:
    """None when every database is mounted on a member other than MBX01, chosen by best copy
    selection (one BestCopySelection and one Failover entry per database on the timeline)."""
    wrong = _check(org, lambda db: db.active_server != VICTIM, f"mounted away from {VICTIM}")
    if wrong:
        return wrong
    for kind in ("BestCopySelection", "Failover"):
        done = {e.database for e in org.events if e.event == kind}
        if len(done) < DATABASES:
            return f"only {len(done)} of {DATABASES} databases have a {kind} entry on the timeline"
    return None


def _check(org: Any, where: Any, what: str) -> str | None:
    dbs = list(org.databases.values())
    good = sum(1 for db in dbs if db.mounted and where(db))
    if len(dbs) != DATABASES or good != DATABASES:
        return f"{good} of {len(dbs)} databases {what}, expected {DATABASES}"
    return None


def _time(name: str, script: Any, checks: tuple) -> None:
    import time

    from ems import Shell
    setup, measured = script()
    shell = Shell(scenario="empty")
    r = shell.run(setup)
    assert not r.errors, r.error_text[:2000]
    if checks[0] is not None:
        assert checks[0](shell.org) is None, checks[0](shell.org)
    t0 = time.perf_counter()
    r = shell.run(measured)
    elapsed = time.perf_counter() - t0
    assert not r.errors, r.error_text[:2000]
    problem = checks[1](shell.org)
    print(f"{name}: {elapsed:.3f} s" + (f" - {problem}" if problem else ", every database activated"))


if __name__ == "__main__":
    _time("datacenter switchover (8 members, target < 2 s)", datacenter_switchover_script,
          (None, check_datacenter_switchover))
    _time("crash of the member with 100 active databases (target < 1 s)", crash_failover_script,
          (check_crash_setup, check_crash_failover))
