"""Golden console text: each ``golden/NAME.ps1`` runs in a fresh shell and must print exactly
``golden/NAME.txt`` (trailing spaces included) and, when ``golden/NAME.err.txt`` exists,
exactly that on the error stream (otherwise no error at all).

Leading comments ``# width: N`` and ``# scenario: NAME`` set the console width (default
120) and the lab (default ``empty``). The expected
texts were checked line by line against the 5.1 rules of powershell-semantics.md A.13; the
comment at the top of each script says which rule it pins.
"""
from __future__ import annotations

import os
import re

import pytest

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
CASES = sorted(f[:-4] for f in os.listdir(GOLDEN) if f.endswith(".ps1"))


def _read(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    from ems import Shell
    script = _read(os.path.join(GOLDEN, f"{name}.ps1"))
    width = re.search(r"^#\s*width:\s*(\d+)", script, re.M)
    scenario = re.search(r"^#\s*scenario:\s*(\S+)", script, re.M)
    result = Shell(scenario=scenario.group(1) if scenario else "empty",
                   width=int(width.group(1)) if width else 120).run(script)
    assert result.text == _read(os.path.join(GOLDEN, f"{name}.txt"))
    err_path = os.path.join(GOLDEN, f"{name}.err.txt")
    expected_err = _read(err_path) if os.path.exists(err_path) else ""
    assert result.error_text == expected_err


def test_every_case_has_expected_text() -> None:
    missing = [n for n in CASES if not os.path.exists(os.path.join(GOLDEN, f"{n}.txt"))]
    assert not missing
