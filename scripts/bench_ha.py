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


def crash_failover_script() -> tuple[str, str]:
    setup = build_large_org_script() + (
        f"Get-MailboxDatabase | Where-Object {{ $_.Server.Name -ne '{VICTIM}' }} | "
        f"Move-ActiveMailboxDatabase -ActivateOnServer {VICTIM} -Confirm:$false | Out-Null\n")
    measured = f"Stop-SimServer -Identity {VICTIM} -Crash\n"
    return setup, measured


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
