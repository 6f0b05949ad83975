"""Guard against order-of-magnitude parser slowdowns (the target is ≥ 10,000 lines/s; measured
~30,000 on the runbook benchmark). Generous bounds: shared CI machines are noisy."""
import sys
import time
from pathlib import Path

from ems.lang.parser import parse

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from bench_parse_input import runbook_text  # noqa: E402


def test_runbook_parses_fast():
    text = runbook_text(2000)
    lines = text.count("\n")
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        parse(text)
        best = min(best, time.perf_counter() - t0)
    assert lines / best > 4000, f"{lines / best:.0f} lines/s"


def test_long_single_line_is_linear():
    text = "Get-X " + " ".join(f"-P{i} v{i}" for i in range(20000))
    t0 = time.perf_counter()
    command = parse(text).end.statements[0].elements[0]
    assert len(command.elements) == 40000
    assert time.perf_counter() - t0 < 2.0
