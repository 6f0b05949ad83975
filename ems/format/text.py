"""Value -> text, as the 5.1 formatter writes it into table cells and list values.

Three functions, after PowerShell's ``PSObjectHelper`` (MshObjectUtil.cs):

- ``to_string(v)``: the object's ``ToString()`` in the en-US culture. Out-of-band scalars
  print with it; so do the items of a collection. Scalars defer to ems.lang.conversion so
  that ``"$x"``, ``-f`` and the formatter agree on doubles, dates and time spans.
- ``display_value(v, limit)``: ``SmartToString``: a collection prints as ``{a, b, c...}``
  (at most ``$FormatEnumerationLimit`` items, then ``...``), anything else as ``to_string``.
- ``format_field(v, fmt, limit)``: the ``FormatString`` of a calculated property or view.

Exchange objects take part through ``__str__`` (their ToString): identities print as short
names, sizes as ``2 GB (2,147,483,648 bytes)``, key/value pairs as ``[EX1, 1]``.
"""
from __future__ import annotations

import datetime as _dt
import decimal
import enum
import ipaddress
import uuid
from typing import Any

from ems.lang.conversion import (enum_name, format_datetime_current, format_decimal,
                                 format_double, format_timespan)
from ems.runtime.values import Hashtable, PSObject, is_enumerable, type_names

_IP_TYPES = (ipaddress.IPv4Address, ipaddress.IPv6Address, ipaddress.IPv4Network,
             ipaddress.IPv6Network, ipaddress.IPv4Interface, ipaddress.IPv6Interface)


def to_string(value: Any) -> str:
    """``value.ToString()`` (en-US): what an out-of-band object prints."""
    if value is None:
        return ""
    cls = type(value)
    if cls is str:
        return value
    if cls is int:
        return str(value)
    if cls is bool:
        return "True" if value else "False"
    fn = _TO_STRING.get(cls)
    if fn is not None:
        return fn(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, enum.Flag):
        return flag_names(value)
    if isinstance(value, enum.Enum):
        return enum_name(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return format_double(value)
    if isinstance(value, (list, tuple)):
        return "System.Object[]"
    if isinstance(value, Hashtable):
        return ("System.Collections.Specialized.OrderedDictionary" if value.ordered
                else "System.Collections.Hashtable")
    if isinstance(value, dict):
        return "System.Collections.Hashtable"
    if isinstance(value, _dt.datetime):
        return format_datetime_current(value)
    if isinstance(value, _dt.timedelta):
        return format_timespan(value)
    if isinstance(value, PSObject):
        return _psobject_string(value)
    if cls.__name__ == "ScriptBlock":
        text = getattr(value, "text", None)
        return str(text if text is not None else value)
    if overrides_tostring(cls):
        return str(value)
    # .NET's Object.ToString(): the full type name.
    return type_names(value)[0]


def flag_names(value: enum.Flag) -> str:
    """A [Flags] enum's ToString(): member names in ascending value order, ``A, B``."""
    cls = type(value)
    members = [m for m in cls if m.value and (value.value & m.value) == m.value
               and bin(m.value).count("1") == 1]
    if not members:
        zero = [m for m in cls if not m.value]
        return zero[0].name if zero else str(value.value)
    return ", ".join(m.name for m in sorted(members, key=lambda m: m.value))


def _psobject_string(obj: PSObject) -> str:
    """PSCustomObject.ToString(): ``@{a=1; b=x}``."""
    return "@{" + "; ".join(f"{name}={to_string(val)}" for name, val in obj.properties()) + "}"


_TO_STRING = {
    float: format_double,
    decimal.Decimal: format_decimal,
    _dt.datetime: format_datetime_current,
    _dt.timedelta: format_timespan,
    uuid.UUID: str,
    list: lambda v: "System.Object[]",
    tuple: lambda v: "System.Object[]",
    PSObject: _psobject_string,
    **{t: str for t in _IP_TYPES},
}

_OVERRIDES: dict[type, bool] = {}


def overrides_tostring(cls: type) -> bool:
    """Whether a class declares its own ToString (a ``__str__`` other than object's or the
    repr attrs generates). Such objects show themselves in collections; others show their
    display-name property, like PowerShell's GetObjectName."""
    got = _OVERRIDES.get(cls)
    if got is None:
        if cls in _TO_STRING or issubclass(cls, (str, int, float, enum.Enum, _dt.datetime,
                                                 _dt.timedelta, decimal.Decimal)):
            got = True
        else:
            got = cls.__str__ is not object.__str__
        _OVERRIDES[cls] = got
    return got


def is_collection(value: Any) -> bool:
    """What SmartToString enumerates: arrays, lists, dictionaries; never strings."""
    cls = type(value)
    if cls is str or cls is int or cls is bool or value is None:
        return False
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return True
    return is_enumerable(value)


def display_value(value: Any, limit: int = 4) -> str:
    """SmartToString: the text of a value in a table cell or a list line."""
    if value is None:
        return ""
    cls = type(value)
    if cls is str:
        return value
    if cls is int:
        return str(value)
    if cls is bool:
        return "True" if value else "False"
    if not is_collection(value):
        return to_string(value)
    items = value.keys() if isinstance(value, dict) else value
    is_dict = isinstance(value, dict)
    parts: list[str] = []
    more = ""
    for item in items:
        if len(parts) == limit:
            # "{a, b, c, d...}": the ellipsis is glued to the last item.
            more = "..."
            break
        parts.append(item_name(item, is_dict))
    return "{" + ", ".join(parts) + more + "}"


_DISPLAY_NAME_PATTERNS = ("name", "id", "key", "*key", "*name", "*id")
_HIDDEN_FOR_DISPLAY = {"pscomputername", "psshowcomputername", "runspaceid"}


def item_name(item: Any, is_key: bool = False) -> str:
    """GetObjectName: one element of a collection inside ``{...}``.

    A dictionary contributes its keys (DictionaryEntry's display name is its Key)."""
    if is_key:
        return to_string(item)
    if item is None:
        return "$null"
    cls = type(item)
    if cls is str:
        return item
    if (cls in (int, float, bool, decimal.Decimal) or isinstance(item, (PSObject, list, tuple, dict))
            or overrides_tostring(cls)):
        return to_string(item)
    name = display_name_value(item)
    if name is not None:
        return to_string(name[1])
    return to_string(item)


def display_name_value(obj: Any) -> tuple[str, Any] | None:
    """The object's display-name property (first of name, id, key, *key, *name, *id), as
    Format-Wide and collection items use it; remoting properties never qualify."""
    from ems.format.props import format_properties
    from ems.lang.operators import wildcard_match
    props = format_properties(obj)
    for pattern in _DISPLAY_NAME_PATTERNS:
        for name, value in props:
            low = name.lower()
            if low in _HIDDEN_FOR_DISPLAY:
                continue
            if (low == pattern) if "*" not in pattern else wildcard_match(pattern, name):
                return name, value
    return None


def format_field(value: Any, format_string: str | None, limit: int = 4) -> str:
    """FormatField: apply a FormatString (``N2``, ``{0:N0} MB``) or fall back to SmartToString.

    A bad format string gives an empty field, as in PowerShell (the error is only shown with
    ``-ShowError``)."""
    if format_string:
        from ems.lang.operators import format_operator, format_value
        try:
            if "{0" in format_string or "}" in format_string:
                return format_operator(format_string, [value])
            return format_value(value, format_string)
        except Exception:  # noqa: BLE001 - PowerShell swallows formatting errors here
            return ""
    return display_value(value, limit)
