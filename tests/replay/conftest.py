"""Fixtures of the replay tests (helpers live in replay_helpers.py)."""
import pytest

from ems import Shell


@pytest.fixture
def lab():
    return Shell(scenario="two-datacenter")
