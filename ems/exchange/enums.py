"""Exchange enumerations used as cmdlet parameter types (ValidateSet via the enum names).

The model stores the member *name* (a plain string) so saved state stays readable and
scripts compare with strings (``$_.Status -eq 'Healthy'``); ``text(value)`` converts either.
"""
from __future__ import annotations

import enum
from typing import Any


class DatacenterActivationModeOption(enum.Enum):
    Off = 0
    DagOnly = 1


class NetworkOption(enum.Enum):
    Disabled = 0
    Enabled = 1
    InterSubnetOnly = 2
    SeedOnly = 3


class ThirdPartyReplicationMode(enum.Enum):
    Disabled = 0
    Enabled = 1


class AutoDatabaseMountDial(enum.Enum):
    Lossless = 0
    GoodAvailability = 6
    BestAvailability = 12


class DatabaseMountDialOverride(enum.Enum):
    None_ = -1
    Lossless = 0
    GoodAvailability = 6
    BestAvailability = 12
    BestEffort = 10


# "None" is a keyword in Python; expose it under its PowerShell name.
DatabaseMountDialOverride._member_map_["None"] = DatabaseMountDialOverride.None_
DatabaseMountDialOverride.None_._name_ = "None"


class DatabaseCopyAutoActivationPolicyType(enum.Enum):
    Unrestricted = 0
    IntrasiteOnly = 1
    Blocked = 2


class DataMoveReplicationConstraintParameter(enum.Enum):
    None_ = 0
    SecondCopy = 1
    SecondDatacenter = 2
    AllDatacenters = 3
    AllCopies = 4


DataMoveReplicationConstraintParameter._member_map_["None"] = DataMoveReplicationConstraintParameter.None_
DataMoveReplicationConstraintParameter.None_._name_ = "None"


class UseDagDefaultOnOff(enum.Enum):
    UseDagDefault = 0
    Off = 1
    On = 2


class ConvertibleMailboxSubType(enum.Enum):
    Regular = 0
    Room = 1
    Equipment = 2
    Shared = 3


class RecipientTypeDetails(enum.Enum):
    UserMailbox = 1
    LinkedMailbox = 2
    SharedMailbox = 4
    LegacyMailbox = 8
    RoomMailbox = 16
    EquipmentMailbox = 32
    DiscoveryMailbox = 536870912


def text(value: Any) -> Any:
    """The stored form of an enum-typed setting: its name (strings pass through)."""
    if isinstance(value, enum.Enum):
        return value.name
    return value
