"""Helpers for the utility-cmdlet tests: run text in a fresh shell on the empty lab."""
import pytest


@pytest.fixture
def run():
    from ems import Shell

    def _run(text: str):
        return Shell(scenario="empty").run(text)
    return _run


@pytest.fixture
def ps():
    """Run text and return its output objects, failing on any error record."""
    from ems import Shell

    def _ps(text: str):
        r = Shell(scenario="empty").run(text)
        assert not r.errors, [str(e) for e in r.errors]
        return r.output
    return _ps
