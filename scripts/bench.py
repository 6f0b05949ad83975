"""The benchmark: every speed target of the issues, measured the way a user pays for it.

    python scripts/bench.py            # all measurements
    python scripts/bench.py startup    # only the ones whose name contains "startup"

Each measurement runs in a fresh Python process (so imports, peak memory and caches are what a
real run pays) and prints one line: name, measured value, target, OK/SLOW. The exit status is 1
when a target is missed. Timings are wall-clock medians over a few runs; never use these numbers
in tests.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

# Code run in a child process; it prints one JSON object {"seconds": ..., extra...}.
_CHILD_PRELUDE = """
import json, resource, sys, time
sys.path.insert(0, {scripts!r})
"""


def _child(code: str) -> dict:
    src = _CHILD_PRELUDE.format(scripts=str(ROOT / "scripts")) + code
    env = dict(os.environ, EMS_START_TIME="2026-11-21T09:00:00")
    proc = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, env=env,
                          cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_startup() -> tuple[float, str]:
    """`ems -c 'Get-Date'` end to end, through the installed console script's module."""
    runs = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ems", "-c", "Get-Date"], capture_output=True,
                       check=True, env=dict(os.environ, EMS_START_TIME="2026-11-21T09:00:00"))
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), "s"


def bench_parse() -> tuple[float, str]:
    """Lines per second parsing a realistic 5,000-line runbook-style script."""
    got = _child("""
from bench_parse_input import runbook_text
from ems.lang.parser import parse
text = runbook_text(5000)
lines = text.count("\\n") + 1
best = None
for _ in range(3):
    t = time.perf_counter(); parse(text); d = time.perf_counter() - t
    best = d if best is None else min(best, d)
print(json.dumps({"value": lines / best}))
""")
    return got["value"], "lines/s"


def _format_copies(view: str) -> tuple[float, str]:
    got = _child(f"""
from ems import Shell
from bench_org import build_large_org_script
sh = Shell(scenario="empty")
sh.run(build_large_org_script(members=16, databases=100))
# 1,600 copies twice over, cut to 3,000: the objects exist before the clock starts.
sh.run("$c = @(Get-MailboxDatabaseCopyStatus *); $c = ($c + $c)[0..2999]")
t = time.perf_counter()
r = sh.run("$c {view}")
d = time.perf_counter() - t
assert r.text.count("\\n") >= 3000, r.error_text
print(json.dumps({{"value": d}}))
""")
    return got["value"], "s"


def bench_format_table() -> tuple[float, str]:
    """3,000 copy-status objects as the default table (run with Out-Default)."""
    return _format_copies("")


def bench_format_list() -> tuple[float, str]:
    """3,000 copy-status objects as `fl`."""
    return _format_copies("| Format-List")


def bench_build_large_dag() -> tuple[float, str]:
    """16 members, 100 databases, a copy of each on every member, built through the cmdlets."""
    got = _child("""
from ems import Shell
from bench_org import build_large_org_script
sh = Shell(scenario="empty")
text = build_large_org_script(members=16, databases=100)
t = time.perf_counter(); r = sh.run(text); d = time.perf_counter() - t
assert not r.errors, r.error_text
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"value": d, "peak_mb": peak}))
""")
    return got["value"], f"s (peak {got['peak_mb']:.0f} MB)"


def bench_copy_status_all() -> tuple[float, str]:
    """`Get-MailboxDatabaseCopyStatus *` over the 1,600 copies, formatted as the default table."""
    got = _child("""
from ems import Shell
from bench_org import build_large_org_script
sh = Shell(scenario="empty")
sh.run(build_large_org_script(members=16, databases=100))
t = time.perf_counter(); r = sh.run("Get-MailboxDatabaseCopyStatus *"); d = time.perf_counter() - t
assert r.text.count("\\n") > 1600
print(json.dumps({"value": d}))
""")
    return got["value"], "s"


def _ha(script_fn: str) -> tuple[float, str]:
    """Run a scenario's setup untimed, then time its measured text; all 100 databases must end
    up mounted (read back through the cmdlets, as an administrator would check)."""
    got = _child(f"""
from ems import Shell
from bench_ha import {script_fn}
setup, measured = {script_fn}()
sh = Shell(scenario="empty")
r = sh.run(setup); assert not r.errors, r.error_text[:2000]
t = time.perf_counter(); r = sh.run(measured); d = time.perf_counter() - t
assert not r.errors, r.error_text[:2000]
mounted = sh.run("@(Get-MailboxDatabase -Status | Where-Object {{ $_.Mounted }}).Count").output[0]
assert mounted == 100, mounted
print(json.dumps({{"value": d}}))
""")
    return got["value"], "s (100 databases mounted)"


def bench_datacenter_switchover() -> tuple[float, str]:
    """DAC switchover of 8 surviving members: Stop, Restore, activation of every database."""
    return _ha("datacenter_switchover_script")


def bench_crash_failover() -> tuple[float, str]:
    """A member hosting all 100 active databases crashes; BCS fails every database over."""
    return _ha("crash_failover_script")


# name -> (function, target, "max" | "min")
BENCHMARKS = {
    "startup (ems -c Get-Date)": (bench_startup, 0.35, "max"),
    "parse (5,000-line runbook)": (bench_parse, 10_000, "min"),
    "format 3,000 copies as table": (bench_format_table, 0.5, "max"),
    "format 3,000 copies as list": (bench_format_list, 0.5, "max"),
    "build 16x100 DAG via cmdlets": (bench_build_large_dag, 3.0, "max"),
    "Get-MailboxDatabaseCopyStatus * (1,600)": (bench_copy_status_all, 1.0, "max"),
    "datacenter switchover (8 members)": (bench_datacenter_switchover, 2.0, "max"),
    "crash of 100 actives, BCS failover": (bench_crash_failover, 1.0, "max"),
}


def main(argv: list[str]) -> int:
    wanted = [a.lower() for a in argv]
    failed = False
    for name, (fn, target, kind) in BENCHMARKS.items():
        if wanted and not any(w in name.lower() for w in wanted):
            continue
        try:
            value, unit = fn()
        except Exception as exc:  # a missing piece is reported, not hidden
            print(f"{name:42} ERROR  {exc}")
            failed = True
            continue
        ok = value <= target if kind == "max" else value >= target
        failed |= not ok
        bound = "<=" if kind == "max" else ">="
        print(f"{name:42} {value:>12,.3f} {unit:22} target {bound} {target:,}  {'OK' if ok else 'SLOW'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
