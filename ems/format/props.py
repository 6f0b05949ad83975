"""The properties the formatter sees on an object, and the fields of a formatted entry.

``format_properties(obj)`` is the adapter view of an object for formatting: note properties
of a PSObject, attrs fields of an Exchange object, the .NET properties of DateTime,
TimeSpan, IPAddress and Guid. ``Field`` is one column / list line after ``-Property``
resolution: a label and a way to read the value, plus the Width/Alignment/FormatString keys
of a calculated property. Resolution of names and wildcards follows PowerShell's
PSPropertyExpression.ResolveNames (member order, duplicates removed within one name).
"""
from __future__ import annotations

import ipaddress
import uuid
from typing import Any, Callable, ClassVar

import attrs

from ems.runtime.properties import (PropertySpec, invoke_script, member_list, member_value,
                                    resolve_names, scriptblock_text)
from ems.runtime.values import PSObject, properties

MISSING = object()

ALIGN_UNDEFINED, ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT = 0, 1, 2, 3
ALIGNMENTS = {"left": ALIGN_LEFT, "center": ALIGN_CENTER, "right": ALIGN_RIGHT}


@attrs.define
class DictionaryEntry:
    """What enumerating a hashtable yields to the formatter (System.Collections.DictionaryEntry).

    ``Name`` is PowerShell's alias property for ``Key`` (types.ps1xml)."""

    PS_TYPE_NAMES: ClassVar = ("System.Collections.DictionaryEntry", "System.ValueType")
    Name: Any
    Key: Any
    Value: Any


def dictionary_entries(table: dict) -> list[DictionaryEntry]:
    return [DictionaryEntry(k, k, v) for k, v in table.items()]


def _ip_properties(ip: Any) -> list[tuple[str, Any]]:
    v4 = isinstance(ip, ipaddress.IPv4Address)
    address = int.from_bytes(ip.packed, "little") if v4 else None
    return [("Address", address),
            ("AddressFamily", "InterNetwork" if v4 else "InterNetworkV6"),
            ("ScopeId", None if v4 else 0),
            ("IsIPv6Multicast", (not v4) and ip.is_multicast),
            ("IsIPv6LinkLocal", (not v4) and ip.is_link_local),
            ("IsIPv6SiteLocal", (not v4) and ip.is_site_local),
            ("IsIPv6Teredo", (not v4) and ip.teredo is not None),
            ("IsIPv4MappedToIPv6", (not v4) and ip.ipv4_mapped is not None),
            ("IPAddressToString", str(ip))]


def format_properties(obj: Any) -> list[tuple[str, Any]]:
    """(name, value) pairs of the object's properties, in member order."""
    if isinstance(obj, PSObject):
        return obj.properties()
    if attrs.has(type(obj)):
        return properties(obj)
    if isinstance(obj, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return _ip_properties(obj)
    if isinstance(obj, uuid.UUID):
        return [("Guid", str(obj))]
    return member_list(obj)


_FIELD_NAMES: dict[type, frozenset] = {}


def _field_names(cls: type) -> frozenset:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(
            f.name for f in attrs.fields(cls) if not f.name.startswith("_"))
    return names


def has_properties(obj: Any) -> bool:
    """False for property-less objects (they print out of band as their ToString)."""
    if attrs.has(type(obj)):
        return bool(_field_names(type(obj)))
    if isinstance(obj, PSObject):
        return bool(obj.properties())
    return bool(format_properties(obj))


def property_value(obj: Any, name: str) -> Any:
    """A property by name (case-insensitive); MISSING when the object has none."""
    if isinstance(obj, PSObject):
        return obj.get(name, MISSING)
    cls = type(obj)
    if attrs.has(cls):
        if name in _field_names(cls):
            return getattr(obj, name)
        return member_value(obj, name, MISSING)
    low = name.lower()
    for pname, value in format_properties(obj):
        if pname.lower() == low:
            return value
    return MISSING


def names_matching(obj: Any, pattern: str) -> list[str]:
    """Property names a -Property entry stands for on ``obj`` (wildcards in member order;
    a plain name gives the property's own spelling, or nothing)."""
    if isinstance(obj, PSObject) or attrs.has(type(obj)):
        return resolve_names(obj, pattern)
    from ems.lang.operators import has_wildcard, wildcard_match
    names = [n for n, _ in format_properties(obj)]
    if has_wildcard(pattern):
        return [n for n in names if wildcard_match(pattern, n)]
    low = pattern.lower()
    return [n for n in names if n.lower() == low][:1]


@attrs.frozen
class Field:
    """One resolved column / list line: ``label`` and how to read the value.

    ``getter`` is a property name (str) or a function of the object (script blocks and the
    computed columns of views). ``width``/``align``/``format`` come from a calculated
    property or a view; 0 / ALIGN_UNDEFINED / None when not given."""

    label: str
    getter: str | Callable[[Any], Any]
    width: int = 0
    align: int = ALIGN_UNDEFINED
    format: str | None = None

    def value(self, obj: Any) -> Any:
        """The value, or MISSING when the object lacks the named property."""
        g = self.getter
        if type(g) is str:
            return property_value(obj, g)
        return g(obj)


def script_getter(sb: Any) -> Callable[[Any], Any]:
    def run(obj: Any) -> Any:
        try:
            return invoke_script(sb, obj)
        except Exception:  # noqa: BLE001 - a failing expression shows an empty cell (5.1)
            return None
    return run


def fields_for_spec(spec: PropertySpec, obj: Any, keep_unresolved: bool) -> list[Field]:
    """Expand one -Property entry on ``obj``. ``keep_unresolved``: Format-Table keeps a
    column for a plain name the object does not have; Format-List drops it."""
    opts = spec.options
    width = opts.get("width", 0)
    align = ALIGNMENTS.get(str(opts.get("alignment", "")).lower(), ALIGN_UNDEFINED)
    fmt = opts.get("formatstring")
    if spec.is_script:
        label = spec.label or scriptblock_text(spec.expression)
        return [Field(label, script_getter(spec.expression), width, align, fmt)]
    names = names_matching(obj, spec.expression)
    if not names:
        if keep_unresolved and not spec.has_wildcard:
            return [Field(spec.label or spec.expression, spec.expression, width, align, fmt)]
        return []
    out: list[Field] = []
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        out.append(Field(spec.label or name, name, width, align, fmt))
    return out


def fields_for_specs(specs: list[PropertySpec], obj: Any, keep_unresolved: bool) -> list[Field]:
    out: list[Field] = []
    for spec in specs:
        out += fields_for_spec(spec, obj, keep_unresolved)
    return out


_SHOW_COMPUTER_NAME = "psshowcomputername"
_COMPUTER_NAME = "pscomputername"
_REMOTE_CLASSES: dict[type, bool] = {}


def displayed_properties(obj: Any) -> list[tuple[str, Any]]:
    """The properties a list or table shows when no -Property is given.

    Remote objects (A.13): ``PSShowComputerName`` is never shown, and ``PSComputerName`` is
    hidden unless ``PSShowComputerName`` is true."""
    pairs = format_properties(obj)
    cls = type(obj)
    if attrs.has(cls):
        remote = _REMOTE_CLASSES.get(cls)
        if remote is None:
            remote = _REMOTE_CLASSES[cls] = any(
                n.lower() == _SHOW_COMPUTER_NAME for n in _field_names(cls))
        if not remote:
            return pairs
    elif not any(name.lower() == _SHOW_COMPUTER_NAME for name, _ in pairs):
        return pairs
    show = any(name.lower() == _SHOW_COMPUTER_NAME and value is True for name, value in pairs)
    hidden = {_SHOW_COMPUTER_NAME} if show else {_SHOW_COMPUTER_NAME, _COMPUTER_NAME}
    return [(n, v) for n, v in pairs if n.lower() not in hidden]


def all_fields(obj: Any) -> list[Field]:
    return [Field(name, name) for name, _ in displayed_properties(obj)]
