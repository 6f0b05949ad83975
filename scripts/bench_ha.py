"""The HA benchmark: a crash of the member that hosts every active database of the largest DAG,
failed over by best copy selection (target: < 1 s for the measured text).

``crash_failover_script()`` returns ``(setup_text, measured_text)``: run the setup on the
``empty`` scenario (it builds the 16-member/100-database DAG of ``bench_org`` and moves every
database to MBX01), then time the measured text (MBX01 loses power; Active Manager fails the
100 databases over).

    python scripts/bench_ha.py        # builds once and prints the timing
"""
from __future__ import annotations

from bench_org import build_large_org_script

VICTIM = "MBX01"


def datacenter_switchover_script() -> tuple[str, str]:
    """The 16 members split over Portland and Redmond (DAC mode, every database active in
    Portland). Setup ends with Portland dark; the measured text is the DAC switchover in
    Redmond: Stop-DatabaseAvailabilityGroup, the Cluster service stopped on the 8 survivors,
    Restore-DatabaseAvailabilityGroup, and Active Manager activating all 100 databases there
    (target: < 2 s)."""
    from bench_org import MEMBERS
    survivors = [f"MBX{i:02d}" for i in range(MEMBERS // 2 + 1, MEMBERS + 1)]
    setup = build_large_org_script(two_sites=True) + "Stop-SimSite -Identity Portland\n"
    measured = "\n".join([
        f"Connect-ExchangeServer -ServerFqdn {survivors[0]} | Out-Null",
        "Stop-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Portland -ConfigurationOnly "
        "-Confirm:$false",
        f"Get-Service ClusSvc -ComputerName {','.join(survivors)} | Stop-Service",
        r"Restore-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Redmond -AlternateWitnessServer FS2 "
        r"-AlternateWitnessDirectory C:\DAG1 -Confirm:$false",
    ]) + "\n"
    return setup, measured


def crash_failover_script() -> tuple[str, str]:
    setup = build_large_org_script() + (
        f"Get-MailboxDatabase | Where-Object {{ $_.Server.Name -ne '{VICTIM}' }} | "
        f"Move-ActiveMailboxDatabase -ActivateOnServer {VICTIM} -Confirm:$false | Out-Null\n")
    measured = f"Stop-SimServer -Identity {VICTIM} -Crash\n"
    return setup, measured


def _time_switchover(shell_cls) -> None:
    import time
    setup, measured = datacenter_switchover_script()
    shell = shell_cls(scenario="empty")
    r = shell.run(setup)
    assert not r.errors, r.error_text[:2000]
    t0 = time.perf_counter()
    r = shell.run(measured)
    t1 = time.perf_counter()
    assert not r.errors, r.error_text[:2000]
    redmond = sum(1 for db in shell.org.databases.values()
                  if db.mounted and shell.org.servers[db.active_server.lower()].site == "Redmond")
    print(f"datacenter switchover (8 members): {t1 - t0:.3f} s, {redmond} databases mounted in Redmond")


if __name__ == "__main__":
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ems import Shell

    setup, measured = crash_failover_script()
    shell = Shell(scenario="empty")
    t0 = time.perf_counter()
    r = shell.run(setup)
    t1 = time.perf_counter()
    assert not r.errors, r.error_text[:2000]
    active = sum(1 for db in shell.org.databases.values() if db.active_server == VICTIM)
    t2 = time.perf_counter()
    r = shell.run(measured)
    t3 = time.perf_counter()
    assert not r.errors, r.error_text[:2000]
    mounted = sum(1 for db in shell.org.databases.values() if db.mounted and db.active_server != VICTIM)
    print(f"setup: {t1 - t0:.2f} s ({active} databases active on {VICTIM}); crash + failover: {t3 - t2:.3f} s, "
          f"{mounted} databases mounted elsewhere")
    _time_switchover(Shell)
