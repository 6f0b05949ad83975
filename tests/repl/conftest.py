"""Fixtures for the REPL tests: throwaway cmdlets and the built-in labs.

The throwaway cmdlets pin down completion's parameter-set logic independently of how the
real cmdlets evolve. They are registered for one test and removed afterwards, so the rest of
the suite never sees them; their names carry a ``ReplTest`` noun that no real cmdlet uses.
"""
import enum

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
        Parameter("WitnessServer", IDENTITY, type_name="FileShareWitnessServerName"),
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


@pytest.fixture(scope="session")
def dc_shell():
    """The two-datacenter lab (DAG1: EX1-EX4, DB1-DB4, FS1-FS3, DC1-DC2), built once; tests
    that read it must not change it."""
    from ems import Shell
    shell = Shell(scenario="two-datacenter")
    shell.org
    return shell


@pytest.fixture(scope="session")
def benet_shell():
    """The benet lab: default databases named ``Mailbox Database <10 digits>``."""
    from ems import Shell
    shell = Shell(scenario="benet-lab")
    shell.org
    return shell

