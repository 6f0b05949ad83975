"""Shared fixtures. Tests drive the shell as users do: text in, text and state out."""
import os

import pytest

os.environ.setdefault("EMS_START_TIME", "2026-11-21T09:00:00")


@pytest.fixture
def shell():
    from ems import Shell
    return Shell(scenario="empty")
