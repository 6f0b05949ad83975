"""Fixtures for the REPL tests: throwaway cmdlets and a small stand-in organisation.

The throwaway cmdlets are registered for one test and removed afterwards, so the rest of the
suite never sees them; their names carry a ``ReplTest`` noun that no real cmdlet uses.
"""
import enum
import types

import pytest

from ems.runtime.cmdlet import IDENTITY, REGISTRY, SWITCH, Cmdlet, Parameter


class AutoDatabaseMountDial(enum.Enum):
    BestAvailability = 0
    GoodAvailability = 1
    Lossless = 2


class MoveReplTestDatabase(Cmdlet):
    name = "Move-ReplTestDatabase"
    aliases = ("mrtd",)
    synopsis = "Moves a test database."
    supports_should_process = True
    default_set = "Identity"
    parameters = (
        Parameter("Identity", IDENTITY, mandatory=True, position=0, pipeline=True,
                  sets=("Identity",), type_name="DatabaseIdParameter"),
        Parameter("Server", IDENTITY, mandatory=True, position=0, sets=("Server",),
                  type_name="MailboxServerIdParameter"),
        Parameter("ActivateOnServer", IDENTITY, position=1, type_name="MailboxServerIdParameter"),
        Parameter("MountDialOverride", str, values=("None", "Lossless", "GoodAvailability",
                                                    "BestAvailability", "BestEffort")),
        Parameter("SkipHealthChecks", SWITCH),
        Parameter("MoveComment", str),
    )


class SetReplTestDag(Cmdlet):
    name = "Set-ReplTestDag"
    synopsis = "Sets a test DAG."
    parameters = (
        Parameter("Identity", IDENTITY, position=0, type_name="DatabaseAvailabilityGroupIdParameter"),
        Parameter("DatacenterActivationMode", str, values=("Off", "DagOnly")),
        Parameter("WitnessServer", IDENTITY, type_name="FileShareWitnessServerParameter"),
        Parameter("DatabaseAvailabilityGroupIpAddresses", str, array=True),
        Parameter("Enabled", bool),
        Parameter("AutoDatabaseMountDial", AutoDatabaseMountDial),
    )


class ResumeReplTestCopy(Cmdlet):
    name = "Resume-ReplTestCopy"
    parameters = (
        Parameter("Identity", IDENTITY, position=0, type_name="DatabaseCopyIdParameter"),
        Parameter("Site", IDENTITY, array=True, type_name="AdSiteIdParameter"),
        Parameter("Path", str),
    )


TEST_CMDLETS = (MoveReplTestDatabase, SetReplTestDag, ResumeReplTestCopy)


@pytest.fixture
def test_cmdlets():
    added = []
    for cls in TEST_CMDLETS:
        key = cls.name.lower()
        if key not in REGISTRY:
            REGISTRY[key] = cls
            added.append(key)
    yield TEST_CMDLETS
    for key in added:
        REGISTRY.pop(key, None)


def _ns(**kw):
    return types.SimpleNamespace(**kw)


@pytest.fixture
def fake_shell():
    """A shell stand-in with the attributes completion reads: org, session.variables."""
    ex = [_ns(Name=n, ServerRole="Mailbox, ClientAccess, HubTransport") for n in ("EX1", "EX2", "EX3")]
    others = [_ns(Name="DC1", ServerRole=None), _ns(Name="FS1", ServerRole=None)]
    dbs = [_ns(Name="DB1", ActivationPreference=[(ex[0], 1), (ex[1], 2)]),
           _ns(Name="DB2", ActivationPreference=[(ex[1], 1), (ex[0], 2)]),
           _ns(Name="Mailbox Database 0123456789", ActivationPreference=[(ex[2], 1)])]
    org = _ns(databases=dbs, servers=ex + others, dags=[_ns(Name="DAG1")],
              sites=[_ns(Name="Portland"), _ns(Name="Redmond")])
    session = _ns(variables={"dbs": dbs, "DAGName": "DAG1", "true": True}, aliases={}, functions={})
    return _ns(org=org, session=session)
