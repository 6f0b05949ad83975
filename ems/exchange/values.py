"""Exchange value types: what a property holds and how EMS prints it (``ToString()``).

These are light (stdlib + nothing else) because cmdlet declarations use them as parameter
types at import time. Each value type that scripts type as text has ``parse(text)``; each has
``__str__`` = the .NET ``ToString()``; ``PS_TYPE_NAME(S)`` gives the .NET type for ``-is``,
Get-Member and binding errors. ``__ps_scalar__`` tells the runtime not to enumerate them.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ems.dotnet import format_timespan, parse_timespan as _parse_timespan


def parse_timespan(text: Any) -> _dt.timedelta:
    """A TimeSpan from a timedelta (kept), a number (.NET ticks) or text (TimeSpan.Parse)."""
    if isinstance(text, _dt.timedelta):
        return text
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return _dt.timedelta(microseconds=int(text) / 10)
    return _parse_timespan(str(text))


_UNITS = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}
_SIZE_RE = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([KMGT]?B)?\s*(?:\(([0-9,]+) bytes\))?\s*$", re.I)


class ByteQuantifiedSize:
    """A size in bytes, or ``unlimited`` (Exchange's ``Unlimited<ByteQuantifiedSize>``).

    ToString: ``2 GB (2,147,483,648 bytes)`` — the largest unit with a value >= 1, rounded to
    three decimals with trailing zeros dropped (``2.3 GB``, ``1.899 GB``); ``unlimited``.
    """

    __slots__ = ("bytes",)
    __ps_scalar__ = True
    PS_TYPE_NAME = "Unlimited"
    PS_TYPE_NAMES = ("Microsoft.Exchange.Data.Unlimited`1[[Microsoft.Exchange.Data.ByteQuantifiedSize]]",
                     "System.ValueType")
    default_unit = "B"
    """Unit of an unqualified number (bytes; MaxDumpsterSizePerDatabase uses KB)."""

    def __init__(self, value: int | None):
        self.bytes = None if value is None else int(value)

    @classmethod
    def unlimited(cls) -> "ByteQuantifiedSize":
        return cls(None)

    @classmethod
    def parse(cls, text: Any) -> "ByteQuantifiedSize":
        if isinstance(text, ByteQuantifiedSize):
            return cls(text.bytes)
        if isinstance(text, bool):
            raise ValueError(f"The value '{text}' is not a valid size.")
        if isinstance(text, (int, float)):
            return cls(int(text * _UNITS[cls.default_unit]))
        s = str(text).strip()
        if s.lower() == "unlimited":
            return cls(None)
        m = _SIZE_RE.match(s)
        if not m:
            raise ValueError(f"The value '{s}' is not a valid size. Valid units are B, KB, MB, GB and TB.")
        number, unit, exact = m.groups()
        if exact:
            return cls(int(exact.replace(",", "")))
        factor = _UNITS[(unit or cls.default_unit).upper()]
        return cls(int(round(float(number.replace(",", "")) * factor)))

    @property
    def is_unlimited(self) -> bool:
        return self.bytes is None

    def __str__(self) -> str:
        b = self.bytes
        if b is None:
            return "unlimited"
        for unit in ("TB", "GB", "MB", "KB"):
            factor = _UNITS[unit]
            if b >= factor:
                value = f"{round(b / factor, 3):.3f}".rstrip("0").rstrip(".")
                return f"{value} {unit} ({b:,} bytes)"
        return f"{b} B ({b:,} bytes)"

    __repr__ = __str__

    def _key(self) -> float:
        return float("inf") if self.bytes is None else self.bytes

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, ByteQuantifiedSize):
            return self.bytes == other.bytes
        if isinstance(other, str):
            try:
                return self == ByteQuantifiedSize.parse(other)
            except ValueError:
                return False
        if isinstance(other, int) and not isinstance(other, bool):
            return self.bytes == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.bytes)

    def __lt__(self, other: "ByteQuantifiedSize") -> bool:
        return self._key() < other._key()

    def __le__(self, other: "ByteQuantifiedSize") -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: "ByteQuantifiedSize") -> bool:
        return self._key() > other._key()

    def __ge__(self, other: "ByteQuantifiedSize") -> bool:
        return self._key() >= other._key()

    # PowerShell members: $q.IsUnlimited, $q.Value.ToMB()
    def ps_properties(self) -> list[tuple[str, Any]]:
        return [("IsUnlimited", self.is_unlimited), ("Value", None if self.bytes is None else self)]

    def ToBytes(self) -> int | None:
        return self.bytes

    def ToKB(self) -> int | None:
        return None if self.bytes is None else self.bytes // 1024

    def ToMB(self) -> int | None:
        return None if self.bytes is None else self.bytes // 1024 ** 2

    def ToGB(self) -> int | None:
        return None if self.bytes is None else self.bytes // 1024 ** 3

    def ToTB(self) -> int | None:
        return None if self.bytes is None else self.bytes // 1024 ** 4

    def to_json(self) -> Any:
        return "unlimited" if self.bytes is None else self.bytes


class KilobyteSize(ByteQuantifiedSize):
    """A size whose unqualified numbers are kilobytes (Set-TransportConfig
    -MaxDumpsterSizePerDatabase: "Unqualified values are treated as kilobytes")."""

    __slots__ = ()
    default_unit = "KB"
    PS_TYPE_NAME = "ByteQuantifiedSize"


class _CheckedText:
    """A string parameter type that Exchange validates while binding (``parse`` returns the
    text or raises ValueError with Exchange's message, which the binder wraps)."""

    PS_TYPE_NAME = ""
    _pattern: re.Pattern
    _message = ""

    @classmethod
    def parse(cls, text: Any) -> str:
        s = str(text).strip()
        if not cls._pattern.match(s):
            raise ValueError(cls._message.format(s))
        return s


class SmtpAddress(_CheckedText):
    """``-PrimarySmtpAddress``: user@domain (the message is Exchange 2010's)."""

    PS_TYPE_NAME = "SmtpAddress"
    _pattern = re.compile(r"^[^@\s\"<>]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$")
    _message = ('The email address "{0}" isn\'t correct. Please use this format: user name, the @ sign, followed '
                "by the domain name. For example, tonysmith@contoso.com or tony.smith@contoso.com.")


class Fqdn(_CheckedText):
    """A host or domain name (``-Fqdn``, ``-Domain``, ``-DomainController``) [plausible message]."""

    PS_TYPE_NAME = "Fqdn"
    _pattern = re.compile(r"^(?=.{1,255}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$")
    _message = "'{0}' isn't a valid fully qualified domain name."


class AbsoluteUri(_CheckedText):
    """A System.Uri built from text: absolute (``scheme://host...``), as the Uri constructor needs."""

    PS_TYPE_NAME = "Uri"
    _pattern = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/]+\S*$")
    _message = "Invalid URI: The format of the URI could not be determined."


class ObjectId:
    """A reference to a directory object (ADObjectId): prints as its display form.

    Server references print as the short name (``EX1``), sites as their canonical path
    (``benet.com/Configuration/Sites/Default-First-Site-Name``), mailboxes as
    ``benet.com/Users/user1``. Equality is case-insensitive against other ids and strings, so
    ``$db.Server -eq 'ex1'`` behaves as in EMS.
    """

    __slots__ = ("display", "name", "dn")
    __ps_scalar__ = True
    PS_TYPE_NAME = "ADObjectId"
    PS_TYPE_NAMES = ("Microsoft.Exchange.Data.Directory.ADObjectId",)

    def __init__(self, display: str, name: str | None = None, dn: str = ""):
        self.display = display
        self.name = name if name is not None else display
        self.dn = dn

    def __str__(self) -> str:
        return self.display

    __repr__ = __str__

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, ObjectId):
            return self.display.lower() == other.display.lower()
        if isinstance(other, str):
            low = other.lower()
            return low == self.display.lower() or low == self.name.lower()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.display.lower())

    def ps_properties(self) -> list[tuple[str, Any]]:
        return [("Name", self.name), ("DistinguishedName", self.dn)]

    @property
    def Name(self) -> str:
        return self.name


class KeyValue:
    """One entry of ActivationPreference / ReplayLagTimes: prints ``[EX1, 1]``."""

    __slots__ = ("key", "value")
    __ps_scalar__ = True
    PS_TYPE_NAMES = ("System.Collections.Generic.KeyValuePair`2",)

    def __init__(self, key: Any, value: Any):
        self.key, self.value = key, value

    def __str__(self) -> str:
        v = format_timespan(self.value) if isinstance(self.value, _dt.timedelta) else self.value
        return f"[{self.key}, {v}]"

    __repr__ = __str__

    def ps_properties(self) -> list[tuple[str, Any]]:
        return [("Key", self.key), ("Value", self.value)]

    @property
    def Key(self) -> Any:
        return self.key

    @property
    def Value(self) -> Any:
        return self.value


class DagSubnet:
    """A DAG network subnet with its state: prints ``{192.168.10.0/24,Up}``."""

    __slots__ = ("subnet", "state")
    __ps_scalar__ = True
    PS_TYPE_NAMES = ("Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseAvailabilityGroupNetworkSubnet",)

    def __init__(self, subnet: Any, state: str = "Up"):
        self.subnet, self.state = subnet, state

    def __str__(self) -> str:
        return f"{{{self.subnet},{self.state}}}"

    __repr__ = __str__

    def ps_properties(self) -> list[tuple[str, Any]]:
        return [("SubnetId", str(self.subnet)), ("State", self.state)]


class DagNetworkInterface:
    """A member's NIC on a DAG network: prints ``{MAILSERVER01,Up,192.168.10.20}``."""

    __slots__ = ("node", "state", "ip")
    __ps_scalar__ = True
    PS_TYPE_NAMES = ("Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseAvailabilityGroupNetworkInterface",)

    def __init__(self, node: str, state: str, ip: Any):
        self.node, self.state, self.ip = node, state, ip

    def __str__(self) -> str:
        return f"{{{self.node},{self.state},{self.ip}}}"

    __repr__ = __str__

    def ps_properties(self) -> list[tuple[str, Any]]:
        return [("NodeName", self.node), ("State", self.state), ("IPAddress", self.ip)]


class ServerVersion:
    """AdminDisplayVersion: prints ``Version 14.3 (Build 123.4)``."""

    __slots__ = ("major", "minor", "build", "revision")
    __ps_scalar__ = True
    PS_TYPE_NAMES = ("Microsoft.Exchange.Data.ServerVersion",)

    def __init__(self, major: int, minor: int, build: int, revision: int):
        self.major, self.minor, self.build, self.revision = major, minor, build, revision

    def __str__(self) -> str:
        return f"Version {self.major}.{self.minor} (Build {self.build}.{self.revision})"

    __repr__ = __str__

    def ps_properties(self) -> list[tuple[str, Any]]:
        return [("Major", self.major), ("Minor", self.minor), ("Build", self.build),
                ("Revision", self.revision)]

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, ServerVersion):
            return (self.major, self.minor, self.build, self.revision) == (
                other.major, other.minor, other.build, other.revision)
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.major, self.minor, self.build, self.revision))


# Builds shipped for each version an administrator may give to New-SimServer -Version.
VERSION_BUILDS = {
    "14.0": (14, 0, 639, 21),
    "14.1": (14, 1, 218, 15),
    "14.2": (14, 2, 247, 5),
    "14.3": (14, 3, 123, 4),
    "15.0": (15, 0, 1497, 2),
}
