"""Property specifications: what ``-Property`` means to Select/Sort/Group/Measure-Object.

NOTE for the formatter (Format-Table/List/Wide): this module is importable on its own (it
needs only ems.runtime.values/errors and, lazily, ems.lang.operators). ``parse_specs(values,
FORMAT_TABLE_KEYS)`` validates calculated-property hashtables with PowerShell's rules
(abbreviated keys, the exact 5.1 error texts) and ``evaluate(spec, obj)`` resolves one spec
on one object (wildcards, missing names, script blocks). Use them rather than a second copy.

NOTE for the formatter, views the utility cmdlets' objects want (5.1 format.ps1xml):
- ``System.Management.Automation.PSVariable`` (Get-Variable): table Name (width 30), Value.
- ``System.Management.Automation.PathInfo`` (Get-Location): table with the single column Path.
- ``Microsoft.PowerShell.Commands.GroupInfoNoElement`` (Group-Object -NoElement): table
  Count (5, right), Name.
- ``System.IO.DirectoryInfo``/``System.IO.FileInfo`` (Get-ChildItem, New-Item): table Mode,
  LastWriteTime, Length, Name grouped by PSParentPath (``    Directory: <path>``).
- ``System.Management.Automation.PSSnapInInfo`` (Get-PSSnapin): list Name, PSVersion, Description.
(cmdlets/objects.py, utility.py, files.py and help.py define these classes.)

A spec given on the command line is one of:
- a property name, possibly with wildcards (``Name``, ``*Queue*``);
- a script block (``{$_.CopyQueueLength + 1}``), labelled with its own text;
- a hashtable whose keys may be abbreviated to any unambiguous prefix (``@{n='Size';e={...}}``).

Member lookup follows PowerShell's object adapter, not the language's: a hashtable's keys are
not properties here (``@{a=1} | Select-Object a`` gives an empty ``a``), exactly as in 5.1.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

import attrs

from ems.runtime.errors import PSError
from ems.runtime.values import PSObject, get_property, properties

MISSING = object()


# --------------------------------------------------------------------------- script blocks

def is_scriptblock(value: Any) -> bool:
    """Script blocks are the interpreter's objects; recognised by duck typing."""
    return type(value).__name__ == "ScriptBlock" and hasattr(value, "invoke")


def scriptblock_text(sb: Any) -> str:
    """The text PowerShell shows for a script block (its body without the braces)."""
    text = getattr(sb, "text", None)
    return str(text if text is not None else sb)


def invoke_script(sb: Any, obj: Any, invoke: Callable | None = None) -> Any:
    """Run ``sb`` with ``$_`` = obj; 0 results -> None, 1 -> the object, more -> a list."""
    out = invoke(sb, obj) if invoke is not None else sb.invoke(dollar_under=obj)
    if out is None:
        return None
    if not isinstance(out, list):
        return out
    if not out:
        return None
    return out[0] if len(out) == 1 else list(out)


# --------------------------------------------------------------------------- members

_DATETIME_NAMES = ("Date", "Day", "DayOfWeek", "DayOfYear", "Hour", "Kind", "Millisecond", "Minute",
                   "Month", "Second", "Ticks", "TimeOfDay", "Year")
_TIMESPAN_NAMES = ("Ticks", "Days", "Hours", "Milliseconds", "Minutes", "Seconds", "TotalDays",
                   "TotalHours", "TotalMilliseconds", "TotalMinutes", "TotalSeconds")
_LIST_NAMES = ("Count", "Length", "LongLength", "Rank", "SyncRoot", "IsReadOnly", "IsFixedSize",
               "IsSynchronized")
"""The .NET properties of the primitives, in member order; their values come from the
language's member access (ems.lang.members), so both agree on every value."""


def member_list(obj: Any) -> list[tuple[str, Any]]:
    """The adapter's properties of ``obj`` in member order, as (name, value) pairs.

    .NET primitives show their properties (string Length, array Count, DateTime and TimeSpan
    parts) so that ``'abc' | Select-Object Length`` works as in PowerShell."""
    if obj is None:
        return []
    if isinstance(obj, (str, list, _dt.datetime, _dt.timedelta)):
        from ems.lang.members import get_member
        if isinstance(obj, str):
            names: tuple[str, ...] = ("Length",)
        elif isinstance(obj, list):
            return [(n, len(obj) if n in ("Count", "Length", "LongLength") else
                     1 if n == "Rank" else obj if n == "SyncRoot" else n == "IsFixedSize")
                    for n in _LIST_NAMES]
        elif isinstance(obj, _dt.datetime):
            return [(n, get_member(obj, n)) for n in _DATETIME_NAMES] + [("DateTime", _long_datetime(obj))]
        else:
            names = _TIMESPAN_NAMES
        return [(n, get_member(obj, n)) for n in names]
    return properties(obj)


def _long_datetime(d: _dt.datetime) -> str:
    """The DateTime script property: the en-US long date and long time."""
    from ems.lang.operators import format_datetime
    return format_datetime(d, "dddd, MMMM d, yyyy h:mm:ss tt")


def member_value(obj: Any, name: str, default: Any = MISSING) -> Any:
    """One property by (case-insensitive) name, or ``default`` when the object has none."""
    if isinstance(obj, PSObject) or attrs.has(type(obj)):
        return get_property(obj, name, default)
    low = name.lower()
    for pname, value in member_list(obj):
        if pname.lower() == low:
            return value
    return default


def resolve_names(obj: Any, pattern: str) -> list[str]:
    """The property names ``pattern`` stands for on ``obj`` (member order; wildcards allowed)."""
    from ems.lang.operators import has_wildcard, wildcard_match
    names = [n for n, _ in member_list(obj)]
    if has_wildcard(pattern):
        return [n for n in names if wildcard_match(pattern, n)]
    low = pattern.lower()
    return [n for n in names if n.lower() == low][:1]


# --------------------------------------------------------------------------- specs

@attrs.frozen
class KeyDef:
    """One hashtable key a command accepts: its name, an alternative name, the allowed value
    types (by .NET name) and whether it is mandatory."""

    name: str
    types: tuple[str, ...]
    alias: str | None = None
    mandatory: bool = False

    def matches(self, key: str) -> bool:
        low = key.lower()
        return any(n.startswith(low) for n in (self.name, self.alias) if n)


_STRING = "System.String"
_SCRIPT = "System.Management.Automation.ScriptBlock"
_BOOL = "System.Boolean"
_INT = "System.Int32"

_EXPRESSION = KeyDef("expression", (_STRING, _SCRIPT), mandatory=True)
_NAME = KeyDef("name", (_STRING,), alias="label")
SELECT_KEYS = (_EXPRESSION, _NAME)
SORT_KEYS = (_EXPRESSION, KeyDef("ascending", (_BOOL,)), KeyDef("descending", (_BOOL,)))
GROUP_KEYS = (_EXPRESSION,)
COMPARE_KEYS = (_EXPRESSION,)
FORMAT_TABLE_KEYS = (_EXPRESSION, _NAME, KeyDef("formatstring", (_STRING,)),
                     KeyDef("width", (_INT,)), KeyDef("alignment", (_STRING,)))
FORMAT_LIST_KEYS = (_EXPRESSION, _NAME, KeyDef("formatstring", (_STRING,)))
FORMAT_WIDE_KEYS = (_EXPRESSION, KeyDef("formatstring", (_STRING,)))


@attrs.frozen
class PropertySpec:
    """A normalised property spec: ``expression`` is a name (maybe a wildcard) or a script
    block; ``label`` the Name/Label key; ``options`` the other keys by full lower-case name."""

    expression: Any
    label: str | None = None
    options: dict = attrs.field(factory=dict)

    @property
    def is_script(self) -> bool:
        return is_scriptblock(self.expression)

    @property
    def has_wildcard(self) -> bool:
        from ems.lang.operators import has_wildcard
        return not self.is_script and has_wildcard(self.expression)

    @property
    def text(self) -> str:
        """How the expression prints (the column label when there is no Name)."""
        return scriptblock_text(self.expression) if self.is_script else str(self.expression)

    @property
    def display_name(self) -> str:
        return self.label if self.label else self.text


def spec_error(message: str, error_id: str) -> PSError:
    """The terminating error PowerShell raises for a bad spec (NotSupportedException with
    the message in ErrorDetails, category InvalidArgument)."""
    return PSError(message, error_id, "InvalidArgument", exception_type="NotSupportedException")


def _type_name(value: Any) -> str:
    from ems.lang.conversion import dotnet_type_name
    return dotnet_type_name(value)


def _value_type_ok(value: Any, types: tuple[str, ...]) -> bool:
    for t in types:
        if t == _STRING and isinstance(value, str):
            return True
        if t == _SCRIPT and is_scriptblock(value):
            return True
        if t == _BOOL and isinstance(value, bool):
            return True
        if t == _INT and isinstance(value, int) and not isinstance(value, bool):
            return True
    return False


def _types_text(types: tuple[str, ...]) -> str:
    return "{" + ", ".join(types) + "}"


def parse_specs(values: Any, keys: tuple[KeyDef, ...]) -> list[PropertySpec]:
    """Validate and normalise ``-Property`` arguments; raise the 5.1 error for a bad one."""
    if values is None:
        return []
    if not isinstance(values, list):
        values = [values]
    return [_parse_one(v, keys) for v in values]


def _parse_one(value: Any, keys: tuple[KeyDef, ...]) -> PropertySpec:
    if isinstance(value, dict):
        return _parse_hashtable(value, keys)
    first = keys[0]
    if _value_type_ok(value, first.types):
        if isinstance(value, str) and value == "":
            raise spec_error("An empty string value is not allowed.", "DictionaryKeyUnknownType")
        return PropertySpec(value)
    if value is None:
        raise spec_error("The value of a parameter was null; one of the following types was "
                         f"expected: {_types_text(first.types)}.", "DictionaryKeyUnknownType")
    raise spec_error(f"Cannot convert {_type_name(value)} to one of the following types "
                     f"{_types_text(first.types)}.", "DictionaryKeyUnknownType")


def _parse_hashtable(table: dict, keys: tuple[KeyDef, ...]) -> PropertySpec:
    found: dict[str, Any] = {}
    given: dict[str, str] = {}
    for key, val in table.items():
        if key is None:
            raise spec_error("The value of a key cannot be null.", "DictionaryKeyNull")
        if not isinstance(key, str):
            raise spec_error(f"The {type(key).__name__} key type is not valid. The key must be a string.",
                             "DictionaryKeyNonString")
        matches = [k for k in keys if k.matches(key)]
        if len(matches) > 1:
            raise spec_error(f"The {key} key is ambiguous; {matches[0].name} and {matches[1].name} conflict.",
                             "DictionaryKeyAmbiguous")
        if not matches:
            raise spec_error(f"The {key} key is not valid.", "DictionaryKeyIllegal")
        kd = matches[0]
        if kd.name in found:
            raise spec_error(f'The duplicated key "{key}" conflicts with "{kd.name}".', "DictionaryKeyDuplicate")
        if val is None:
            raise spec_error(f"The {key} key has no value.", "DictionaryKeyMissingValue")
        if not _value_type_ok(val, kd.types):
            if len(kd.types) > 1:
                raise spec_error(f'The "{key}" key has a type, {_type_name(val)}, that is not valid; '
                                 f'expected types are {_types_text(kd.types)}.', "DictionaryKeyIllegalValue1")
            raise spec_error(f'The "{key}" key has a type, {_type_name(val)}, that is not valid; '
                             f'expected type is {kd.types[0]}.', "DictionaryKeyIllegalValue2")
        found[kd.name] = val
        given[kd.name] = key
    _check_values(found, given)
    for kd in keys:
        if kd.mandatory and kd.name not in found:
            raise spec_error(f"A mandatory entry for {kd.name} is missing.", "DictionaryKeyMandatoryEntry")
    expr = found.pop("expression", None)
    label = found.pop("name", None)
    return PropertySpec(expr, label, found)


def _check_values(found: dict[str, Any], given: dict[str, str]) -> None:
    """Range checks of the formatting keys (Width > 0, Alignment, non-empty strings)."""
    expr = found.get("expression")
    if isinstance(expr, str) and expr == "":
        raise spec_error(f'The "{given["expression"]}" key cannot have an empty string value.',
                         "DictionaryKeyIllegalValue")
    if "width" in found and found["width"] <= 0:
        raise spec_error(f'The value "{found["width"]}" for key "{given["width"]}" should be greater than 0.',
                         "DictionaryKeyIllegalValue")
    if "alignment" in found and found["alignment"].lower() not in ("left", "center", "right"):
        raise spec_error(f'The value "{found["alignment"]}" for key "{given["alignment"]}" is not valid; '
                         'valid values are left, center, right.', "DictionaryKeyIllegalValue")
    if "formatstring" in found and found["formatstring"] == "":
        raise spec_error(f'Cannot have an empty formatting string for key "{given["formatstring"]}".',
                         "DictionaryKeyIllegalValue")


# --------------------------------------------------------------------------- evaluation

def evaluate(spec: PropertySpec, obj: Any, invoke: Callable | None = None) -> list[tuple[str, Any]]:
    """Resolve one spec on one object: (name, value) per matched property.

    A script block yields one pair labelled with its text (or the spec's label); a wildcard
    yields every matching property; a plain name yields its property, or nothing when the
    object has no such property (callers decide what a miss means for them)."""
    if spec.is_script:
        return [(spec.display_name, invoke_script(spec.expression, obj, invoke))]
    out = []
    for name in resolve_names(obj, spec.expression):
        out.append((name, member_value(obj, name, None)))
    return out


def sort_values(specs: list[PropertySpec], obj: Any, invoke: Callable | None = None) -> list[Any]:
    """The keys Sort-Object and Group-Object order by: one value per resolved property,
    ``MISSING`` where the object lacks a named property."""
    if not specs:
        return [obj]
    keys: list[Any] = []
    for spec in specs:
        pairs = evaluate(spec, obj, invoke)
        if not pairs and not spec.is_script:
            keys.append(MISSING)
        keys += [v for _, v in pairs]
    return keys
