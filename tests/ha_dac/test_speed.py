"""Speed: a datacenter switchover of 8 members on the 16-member/100-database DAG of
scripts/bench_org.py (Stop-DatabaseAvailabilityGroup, the Cluster service stopped on the
survivors, Restore-DatabaseAvailabilityGroup, Active Manager activating every database)
must take less than 2 s."""
from __future__ import annotations

import os
import sys
import time

from ems import Shell

SCRIPTS = os.path.join(os.path.dirname(__file__), "..", "..", "scripts")


def test_datacenter_switchover_of_8_members_under_2_seconds():
    sys.path.insert(0, SCRIPTS)
    try:
        from bench_ha import datacenter_switchover_script
    finally:
        sys.path.remove(SCRIPTS)
    setup, measured = datacenter_switchover_script()
    sh = Shell(scenario="empty")
    r = sh.run(setup)
    assert not r.errors, r.error_text[:2000]
    t0 = time.perf_counter()
    r = sh.run(measured)
    elapsed = time.perf_counter() - t0
    assert not r.errors, r.error_text[:2000]
    org = sh.org
    assert sum(1 for db in org.databases.values()
               if db.mounted and org.servers[db.active_server.lower()].site == "Redmond") == 100
    assert elapsed < 2.0, f"switchover took {elapsed:.2f} s"
