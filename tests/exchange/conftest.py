"""Fixtures for the Exchange layer: a benet lab model in Python and shells on the built-in labs."""
from __future__ import annotations

import json

import pytest

from ems.exchange.clock import Clock
from ems.exchange.organization import Organization

SITE = "Default-First-Site-Name"
ROLES = ["Mailbox", "ClientAccess", "HubTransport"]


def build_benet(ets_admin: bool = False) -> Organization:
    """The benet lab, built directly on the model (no interpreter involved)."""
    org = Organization(clock=Clock(), domain="benet.com")
    org.new_site(SITE, ["192.168.10.0/24", "10.0.0.0/24"])
    org.new_server("DC", SITE, ["192.168.10.10"], ["DomainController"])
    org.new_server("MAILSERVER01", SITE, ["192.168.10.20", "10.0.0.20"], ROLES, public_folder_database=True)
    org.new_server("MAILSERVER02", SITE, ["192.168.10.30", "10.0.0.30"], ROLES)
    if ets_admin:
        org.add_group_members("Administrators", ["Exchange Trusted Subsystem"])
    return org


def build_dag(org: Organization | None = None) -> Organization:
    """benet with the DAG built and mailbox01 replicated to MAILSERVER02."""
    org = org or build_benet(ets_admin=True)
    m1, m2 = org.servers["mailserver01"], org.servers["mailserver02"]
    db = org.new_mailbox_database("mailbox01", m1)
    org.mount_database(db)
    dag = org.new_dag("DAG", "DC", r"C:\DAG", ["192.168.10.100"])
    org.add_dag_server(dag, m1)
    org.add_dag_server(dag, m2)
    org.new_mailbox("user1", db, user_principal_name="user1@benet.com")
    org.add_database_copy(db, m2)
    return org


def state(org: Organization) -> str:
    """The whole organisation as text (to prove a failed call changed nothing)."""
    data = org.to_dict()
    data["events"] = []  # the timeline may record attempts; the state must not change
    return json.dumps(data, sort_keys=True)


@pytest.fixture
def benet() -> Organization:
    return build_benet()


@pytest.fixture
def dagorg() -> Organization:
    return build_dag()


@pytest.fixture
def lab():
    from ems import Shell
    return Shell(scenario="benet-lab")


@pytest.fixture
def dc_lab():
    from ems import Shell
    return Shell(scenario="two-datacenter")


def unchanged(shell, command: str):
    """Run a command that must fail; return its single error, asserting no state change."""
    before = state(shell.org)
    r = shell.run(command)
    assert r.errors, f"{command!r} should have failed:\n{r.text}"
    assert state(shell.org) == before, f"{command!r} changed the organisation"
    return r.errors[0]


def refused(shell, command: str, exception_type: str, category: str, text: str, show: str = ""):
    """A rule violation: exactly the Exchange error (type, category, message containing ``text``),
    shown in the remote-EMS layout, and nothing changed -- neither the organisation nor what
    ``show`` (the relevant Get- command) prints."""
    seen = shell.run(show).text if show else ""
    err = unchanged(shell, command)
    assert (err.exception_type, err.category) == (exception_type, category), (err.exception_type, err.category,
                                                                              err.message)
    assert text in err.message, err.message
    if show:
        assert shell.run(show).text == seen, f"{command!r} changed what {show!r} shows"
    layout = "".join(shell.run(command).error_text.split())
    assert f"CategoryInfo:{category}:" in layout and f"],{exception_type}" in layout, layout
    return err
