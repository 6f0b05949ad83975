"""PowerShell values as Python values, and the one member protocol every layer reads.

Mapping (kept deliberately thin so the evaluator and the formatter stay fast):

    PowerShell                Python
    ----------------------    ------------------------------------------------------------
    $null                     None
    [bool] [int] [long]       bool, int   ([int] vs [long] is tracked only where it matters)
    [double] [decimal]        float, decimal.Decimal
    [string] [char]           str
    object[]                  list        (PowerShell arrays; a tuple is never produced)
    [hashtable] / [ordered]   Hashtable   (case-insensitive keys, insertion order kept)
    [pscustomobject]          PSObject    (ordered note properties + a type-name list)
    [datetime] [timespan]     datetime.datetime, datetime.timedelta
    [ipaddress]               ipaddress.IPv4Address / IPv6Address
    [guid]                    uuid.UUID
    enums                     enum.Enum subclasses (any module); the name is the text
    Exchange objects          attrs classes from ems.exchange (see "Foreign objects" below)

Foreign objects (ems.exchange) never import this module. They take part through duck typing:

- an attrs class: its fields, in ``attrs.fields()`` order, are its PowerShell properties; the
  field name *is* the property name (``Name``, ``Servers`` ...). Fields whose name starts with
  ``_`` are hidden.
- ``PS_TYPE_NAMES``: a class attribute, a tuple of .NET type names, most derived first
  (``("Microsoft.Exchange.Data.Directory.SystemConfiguration.DatabaseAvailabilityGroup", ...)``).
  Without it the type name is ``module.ClassName``.
- ``__str__`` gives the object's ``ToString()`` (identities print as their short name, sizes
  as ``2 GB (2,147,483,648 bytes)``).
- value types that scripts type as strings (ByteQuantifiedSize, Unlimited<T>, identity
  parameters) offer a ``parse(text)`` classmethod; the binder uses it for conversion.
"""
from __future__ import annotations

import enum
from typing import Any, Iterator

import attrs


class Hashtable(dict):
    """A PowerShell hashtable: case-insensitive string keys, insertion order kept.

    Keys are stored under their lower-cased form when they are strings; the original
    spelling is kept for display (``Keys``, formatting, ``[pscustomobject]`` conversion).
    """

    __slots__ = ("_names", "ordered")

    def __init__(self, items: Any = (), ordered: bool = False):
        super().__init__()
        self._names: dict[Any, Any] = {}
        self.ordered = ordered
        pairs = items.items() if hasattr(items, "items") else items
        for k, v in pairs:
            self[k] = v

    @staticmethod
    def _fold(key: Any) -> Any:
        return key.lower() if isinstance(key, str) else key

    def __setitem__(self, key: Any, value: Any) -> None:
        f = self._fold(key)
        if f not in self._names:
            self._names[f] = key
        super().__setitem__(f, value)

    def __getitem__(self, key: Any) -> Any:
        return super().get(self._fold(key))

    def get(self, key: Any, default: Any = None) -> Any:
        return super().get(self._fold(key), default)

    def __contains__(self, key: Any) -> bool:
        return super().__contains__(self._fold(key))

    def __delitem__(self, key: Any) -> None:
        f = self._fold(key)
        super().__delitem__(f)
        del self._names[f]

    def pop(self, key: Any, *default: Any) -> Any:
        f = self._fold(key)
        self._names.pop(f, None)
        return super().pop(f, *default)

    def add(self, key: Any, value: Any) -> None:
        """``$h.Add(k, v)``: like assignment but a duplicate key is an error."""
        if key in self:
            raise KeyError(key)
        self[key] = value

    def keys(self):  # type: ignore[override]
        return list(self._names.values())

    def items(self):  # type: ignore[override]
        return [(self._names[f], v) for f, v in super().items()]

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._names.values()))

    def copy(self) -> "Hashtable":
        return Hashtable(self.items(), ordered=self.ordered)

    def clear(self) -> None:
        super().clear()
        self._names.clear()


class ArrayList(list):
    """``System.Collections.ArrayList`` (``$Error``, ``New-Object System.Collections.ArrayList``):
    a list whose ``.Add()``/``.Remove()``/``.Clear()`` work, unlike a fixed-size ``object[]``."""

    PS_TYPE_NAMES = ("System.Collections.ArrayList",)


class GenericList(ArrayList):
    """``System.Collections.Generic.List[T]``. Unlike ArrayList, its ``Add`` returns nothing
    (void in .NET) and ``Remove`` returns whether it removed; ``convert`` turns an added item
    into a ``T`` (None: any object)."""

    def __init__(self, items: Any = (), convert: Any = None, element_name: str = "System.Object"):
        super().__init__(items)
        self.convert = convert
        self.element_name = element_name

    @property
    def PS_TYPE_NAMES(self) -> tuple[str, ...]:  # noqa: N802 (the attribute every value type has)
        return (generic_list_type_name(self.element_name),)


class Enumerator:
    """``$foreach`` and ``$switch``: the IEnumerator of the running loop. ``MoveNext()`` in the
    body advances the loop itself, which scripts use to consume the next item (the value after
    a ``-Name`` in an argument list)."""

    PS_TYPE_NAMES = ("System.Array+SZArrayEnumerator",)
    __slots__ = ("_items", "_i")
    __ps_scalar__ = True  # output as itself: not unrolled into the remaining items

    def __init__(self, items: list):
        self._items = items
        self._i = -1

    def MoveNext(self) -> bool:  # noqa: N802 (.NET method name)
        if self._i < len(self._items):
            self._i += 1
        return self._i < len(self._items)

    @property
    def Current(self) -> Any:  # noqa: N802
        return self._items[self._i] if 0 <= self._i < len(self._items) else None

    def Reset(self) -> None:  # noqa: N802
        self._i = -1

    def ps_properties(self) -> list[tuple[str, Any]]:
        return [("Current", self.Current)]

    def __str__(self) -> str:
        return self.PS_TYPE_NAMES[0]


def generic_list_type_name(element_name: str) -> str:
    """The .NET full name of ``List[T]``, with T's assembly as 5.1 prints it."""
    assembly = ("System.Management.Automation, Version=3.0.0.0, Culture=neutral, "
                "PublicKeyToken=31bf3856ad364e35"
                if element_name.startswith("System.Management.Automation.") else
                "mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089")
    return f"System.Collections.Generic.List`1[[{element_name}, {assembly}]]"


class PSObject:
    """A ``[pscustomobject]``: ordered note properties and a type-name list.

    ``Select-Object`` output, ``New-Object PSObject -Property``, ``[pscustomobject]@{}`` and
    ``Import-Csv`` rows are all PSObjects. Property lookup is case-insensitive.
    """

    __slots__ = ("_props", "_names", "type_names")

    def __init__(self, props: Any = (), type_names: tuple[str, ...] | list[str] = ()):
        self._props: dict[str, Any] = {}
        self._names: dict[str, str] = {}
        self.type_names: list[str] = list(type_names) or ["System.Management.Automation.PSCustomObject"]
        if "System.Object" not in self.type_names:
            self.type_names.append("System.Object")
        pairs = props.items() if hasattr(props, "items") else props
        for k, v in pairs:
            self.set(k, v)

    def set(self, name: str, value: Any) -> None:
        f = name.lower()
        if f not in self._names:
            self._names[f] = name
        self._props[f] = value

    def has(self, name: str) -> bool:
        return name.lower() in self._props

    def get(self, name: str, default: Any = None) -> Any:
        return self._props.get(name.lower(), default)

    def properties(self) -> list[tuple[str, Any]]:
        return [(self._names[f], v) for f, v in self._props.items()]

    def __repr__(self) -> str:
        return "@{" + "; ".join(f"{k}={v}" for k, v in self.properties()) + "}"

    __str__ = __repr__


SCALAR_TYPES = (str, int, float, bool, enum.Enum)


def is_scalar(value: Any) -> bool:
    """Out-of-band values for the formatter (A.13 rule 4): printed with ToString()."""
    import decimal

    return isinstance(value, SCALAR_TYPES + (decimal.Decimal,))


def is_enumerable(value: Any) -> bool:
    """What the pipeline unrolls: arrays and lists, never strings or hashtables."""
    return isinstance(value, (list, tuple)) or (
        hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict, PSObject))
        and not attrs.has(type(value)) and not hasattr(value, "__ps_scalar__")
        and not hasattr(value, "isoformat")
    )


def type_names(value: Any) -> list[str]:
    """The .NET type-name list of a value, most derived first (for views, -is, Get-Member)."""
    if isinstance(value, PSObject):
        return value.type_names
    if isinstance(value, GenericList):
        return list(value.PS_TYPE_NAMES) + ["System.Object"]
    names = getattr(type(value), "PS_TYPE_NAMES", None)
    if names:
        return list(names) + ["System.Object"]
    if isinstance(value, enum.Enum):
        name = getattr(type(value), "PS_TYPE_NAME", None)
        if name:
            return [name, "System.Enum", "System.ValueType", "System.Object"]
    return [_DOTNET_NAMES.get(type(value), f"{type(value).__module__}.{type(value).__name__}"), "System.Object"]


def properties(value: Any) -> list[tuple[str, Any]]:
    """The PowerShell properties of a value, in display order."""
    if isinstance(value, PSObject):
        return value.properties()
    cls = type(value)
    if attrs.has(cls):
        return [(f.name, getattr(value, f.name)) for f in _fields(cls)]
    if isinstance(value, dict):
        # A hashtable's *properties* are Count/Keys/...; formatting handles hashtables itself.
        return [("Count", len(value)), ("IsReadOnly", False), ("Keys", list(value.keys())),
                ("Values", list(value.values()))]
    getter = getattr(value, "ps_properties", None)
    if getter is not None:
        return list(getter())
    return []


_FIELD_CACHE: dict[type, tuple] = {}


def _fields(cls: type) -> tuple:
    got = _FIELD_CACHE.get(cls)
    if got is None:
        got = tuple(f for f in attrs.fields(cls) if not f.name.startswith("_"))
        _FIELD_CACHE[cls] = got
    return got


_MISSING = object()


def get_property(value: Any, name: str, default: Any = None) -> Any:
    """Case-insensitive property read; ``default`` when the object has no such property."""
    if isinstance(value, PSObject):
        return value.get(name, default)
    if isinstance(value, dict):
        return value.get(name, default) if name in value else default
    cls = type(value)
    if attrs.has(cls):
        lname = name.lower()
        for f in _fields(cls):
            if f.name.lower() == lname:
                return getattr(value, f.name)
        return default
    for pname, pval in properties(value):
        if pname.lower() == name.lower():
            return pval
    return default


def has_property(value: Any, name: str) -> bool:
    return get_property(value, name, _MISSING) is not _MISSING


import datetime as _dt
import decimal as _decimal
import ipaddress as _ip
import uuid as _uuid

_DOTNET_NAMES: dict[type, str] = {
    str: "System.String",
    int: "System.Int32",
    bool: "System.Boolean",
    float: "System.Double",
    _decimal.Decimal: "System.Decimal",
    list: "System.Object[]",
    ArrayList: "System.Collections.ArrayList",
    Hashtable: "System.Collections.Hashtable",
    _dt.datetime: "System.DateTime",
    _dt.timedelta: "System.TimeSpan",
    _ip.IPv4Address: "System.Net.IPAddress",
    _ip.IPv6Address: "System.Net.IPAddress",
    _uuid.UUID: "System.Guid",
    type(None): "System.Object",
}
