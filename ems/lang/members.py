"""Member access, method calls and indexing on PowerShell values (A.8).

``$x.Name``, ``$x.Method(args)``, ``[Type]::Member``, ``$a[0]`` over the Python value model:
strings, arrays (with member-access enumeration), hashtables (keys before properties),
dates, time spans, error records, PSObjects and the attrs objects of ems.exchange (their
fields are properties; their public Python methods named like .NET methods are callable).
"""
from __future__ import annotations

import datetime as _dt
import decimal
import enum
import ipaddress
import re
from typing import Any

import attrs

from ems.lang import operators as ops
from ems.lang.conversion import (
    DayOfWeek, PSType, Regex, SwitchValue, construct, dotnet_type_name, format_timespan, resolve_type, to_bool,
    to_display_string, to_int32, to_number, to_string, type_of,
)
from ems.runtime.errors import ErrorRecord, PSError, RuntimeException
from ems.runtime.values import Hashtable, PSObject, get_property

_MISSING = object()


# ============================================================================ errors

def _method_not_found(obj: Any, name: str, extent: Any) -> PSError:
    return RuntimeException(
        f"Method invocation failed because [{dotnet_type_name(obj)}] does not contain a method named '{name}'.",
        "MethodNotFound", "InvalidOperation", extent=extent)


def _null_method(extent: Any) -> PSError:
    return RuntimeException("You cannot call a method on a null-valued expression.", "InvokeMethodOnNull",
                            "InvalidOperation", extent=extent)


def _method_exception(name: str, args: list, message: str, extent: Any) -> PSError:
    return RuntimeException(f'Exception calling "{name}" with "{len(args)}" argument(s): "{message}"',
                            _exception_id(message), "NotSpecified",
                            exception_type="MethodInvocationException", extent=extent)


def _exception_id(message: str) -> str:
    if "cannot be null" in message:
        return "ArgumentNullException"
    if "out of range" in message or "outside the bounds" in message or "cannot be" in message:
        return "ArgumentOutOfRangeException"
    return "MethodInvocationException"


def _property_not_found(name: str, extent: Any) -> PSError:
    return RuntimeException(
        f"The property '{name}' cannot be found on this object. Verify that the property exists.",
        "PropertyNotFoundStrict", "NotSpecified", exception_type="PropertyNotFoundException", extent=extent)


# ============================================================================ error-record views

class _ExceptionView:
    """``$_.Exception`` of an ErrorRecord."""

    def __init__(self, record: ErrorRecord):
        self._r = record

    @property
    def Message(self) -> str:
        return self._r.message

    def ps_properties(self):
        inner = self._r.exception
        return [("Message", self._r.message), ("ErrorRecord", self._r),
                ("InnerException", None), ("Source", ""), ("HResult", -2146233087),
                ("TargetSite", None), ("StackTrace", None), ("Data", Hashtable()),
                ("HelpLink", None), ("WasThrownFromThrowStatement", self._r.script_level and inner is None)]

    @property
    def type_full_name(self) -> str:
        t = self._r.exception_type
        if "." in t:
            return t
        if t in ("RuntimeException", "ParameterBindingException", "CommandNotFoundException",
                 "ActionPreferenceStopException", "ParseException", "PSInvalidCastException",
                 "MethodInvocationException", "PSInvalidOperationException", "ItemNotFoundException",
                 "ParentContainsErrorRecordException", "PSArgumentException", "ScriptCallDepthException"):
            return "System.Management.Automation." + t
        if t == "WriteErrorException":
            return "Microsoft.PowerShell.Commands.WriteErrorException"
        if self._r.remote:
            return "Microsoft.Exchange.Configuration.Tasks." + t if "ManagementObject" in t else t
        return "System." + t

    def __str__(self) -> str:
        return self._r.message


class _CategoryInfoView:
    def __init__(self, record: ErrorRecord):
        self._r = record

    def ps_properties(self):
        r = self._r
        inv = r.invocation
        return [("Category", r.category), ("Activity", r.activity or (inv.command_name if inv else "")),
                ("Reason", r.exception_type), ("TargetName", to_string(r.target) if r.target is not None else ""),
                ("TargetType", dotnet_type_name(r.target).rsplit(".", 1)[-1] if r.target is not None else "")]

    def __str__(self) -> str:
        from ems.format.errorview import category_info
        return category_info(self._r)


class _InvocationView:
    def __init__(self, record: ErrorRecord):
        self._r = record

    def ps_properties(self):
        inv = self._r.invocation
        if inv is None:
            return []
        from ems.format.errorview import position_message
        pm = position_message(inv.script_name, inv.line_number, inv.column, inv.line_text,
                              inv.extent_text) if inv.line_number else ""
        return [("MyCommand", inv.command_name or None), ("ScriptLineNumber", inv.line_number),
                ("OffsetInLine", inv.column), ("ScriptName", inv.script_name), ("Line", inv.line_text),
                ("PositionMessage", pm), ("InvocationName", inv.invocation_name)]


def error_record_member(record: ErrorRecord, name: str) -> Any:
    n = name.lower()
    if n == "exception":
        return _ExceptionView(record)
    if n == "categoryinfo":
        return _CategoryInfoView(record)
    if n == "fullyqualifiederrorid":
        return record.fully_qualified_error_id
    if n == "targetobject":
        return record.target
    if n == "invocationinfo":
        return _InvocationView(record)
    if n == "errordetails":
        return record.details or None
    if n == "scriptstacktrace":
        inv = record.invocation
        return f"at <ScriptBlock>, {inv.script_name or '<No file>'}: line {inv.line_number}" if inv else ""
    if n == "pipelineiterationinfo":
        return []
    return _MISSING


def error_record_properties(record: ErrorRecord) -> list:
    return [("Exception", _ExceptionView(record)), ("TargetObject", record.target),
            ("CategoryInfo", _CategoryInfoView(record)),
            ("FullyQualifiedErrorId", record.fully_qualified_error_id),
            ("ErrorDetails", record.details or None), ("InvocationInfo", _InvocationView(record)),
            ("ScriptStackTrace", error_record_member(record, "ScriptStackTrace")),
            ("PipelineIterationInfo", [])]


# ============================================================================ properties

def _datetime_member(d: _dt.datetime, n: str) -> Any:
    if n == "year": return d.year
    if n == "month": return d.month
    if n == "day": return d.day
    if n == "hour": return d.hour
    if n == "minute": return d.minute
    if n == "second": return d.second
    if n == "millisecond": return d.microsecond // 1000
    if n == "dayofweek": return DayOfWeek((d.weekday() + 1) % 7)
    if n == "dayofyear": return d.timetuple().tm_yday
    if n == "date": return d.replace(hour=0, minute=0, second=0, microsecond=0)
    if n == "timeofday": return _dt.timedelta(hours=d.hour, minutes=d.minute, seconds=d.second, microseconds=d.microsecond)
    if n == "ticks": return (d - _dt.datetime(1, 1, 1)) // _dt.timedelta(microseconds=1) * 10
    if n == "kind": return "Local"
    return _MISSING


def _timespan_member(t: _dt.timedelta, n: str) -> Any:
    total_us = t // _dt.timedelta(microseconds=1)
    sign = -1 if total_us < 0 else 1
    a = abs(total_us)
    if n == "days": return sign * (a // 86400_000_000)
    if n == "hours": return sign * (a // 3600_000_000 % 24)
    if n == "minutes": return sign * (a // 60_000_000 % 60)
    if n == "seconds": return sign * (a // 1_000_000 % 60)
    if n == "milliseconds": return sign * (a // 1000 % 1000)
    if n == "totaldays": return total_us / 86400_000_000
    if n == "totalhours": return total_us / 3600_000_000
    if n == "totalminutes": return total_us / 60_000_000
    if n == "totalseconds": return total_us / 1_000_000
    if n == "totalmilliseconds": return total_us / 1000
    if n == "ticks": return total_us * 10
    return _MISSING


def _scalar_member(obj: Any, name: str) -> Any:
    n = name.lower()
    if isinstance(obj, str):
        if n == "length":
            return len(obj)
        return _MISSING
    if isinstance(obj, _dt.datetime):
        return _datetime_member(obj, n)
    if isinstance(obj, _dt.timedelta):
        return _timespan_member(obj, n)
    if isinstance(obj, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        if n == "addressfamily":
            return "InterNetwork" if obj.version == 4 else "InterNetworkV6"
        if n == "ipaddresstostring":
            return str(obj)
        return _MISSING
    if isinstance(obj, ErrorRecord):
        return error_record_member(obj, name)
    if isinstance(obj, SwitchValue):
        return obj.present if n == "ispresent" else _MISSING
    if isinstance(obj, enum.Enum):
        if n == "value__":
            return obj.value
        return _MISSING
    if isinstance(obj, PSType):
        for k, v in obj.ps_properties():
            if k.lower() == n:
                return v
        return _MISSING
    return _MISSING


def get_member(obj: Any, name: str, frame: Any = None, extent: Any = None) -> Any:
    """``obj.name`` with PowerShell's rules (member enumeration, .Count on scalars...)."""
    n = name.lower()
    strict = frame is not None and frame.session.strict_version >= 2
    if obj is None:
        if n in ("count", "length") and not strict:
            return 0
        if strict:
            raise _property_not_found(name, extent)
        return None
    if isinstance(obj, dict):
        if name in obj:
            return obj[name]
        if n == "count":
            return len(obj)
        if n == "keys":
            return list(obj.keys())
        if n == "values":
            return list(obj.values())
        if n == "isreadonly":
            return False
        return _missing_property(name, frame, extent)
    if isinstance(obj, PSObject):
        v = obj.get(name, _MISSING)
        if v is not _MISSING:
            return v
        if n == "psobject":
            return obj
        if n in ("count", "length") and not strict:
            return 1
        return _missing_property(name, frame, extent)
    if isinstance(obj, list):
        if n in ("count", "length"):
            return len(obj)
        if n == "rank":
            return 1
        if n in ("issynchronized", "isfixedsize", "isreadonly"):
            return n == "isfixedsize"
        out: list = []
        for item in obj:
            if item is None:
                continue
            v = get_member(item, name, None, extent)
            if v is None:
                continue
            if isinstance(v, list):
                out.extend(v)
            else:
                out.append(v)
        if not out:
            return None
        return out[0] if len(out) == 1 else out
    v = _scalar_member(obj, name)
    if v is not _MISSING:
        return v
    if not isinstance(obj, (str, int, float, bool, decimal.Decimal)):
        v = get_property(obj, name, _MISSING)
        if v is not _MISSING:
            return v
        attr = _python_attribute(obj, name)
        if attr is not _MISSING and not callable(attr):
            return attr
    if n in ("count", "length") and not strict:
        return 1  # PS3+ gives scalars a Count of 1 (not under Set-StrictMode -Version 2 in 5.1)
    return _missing_property(name, frame, extent)


def _missing_property(name: str, frame: Any, extent: Any) -> Any:
    if frame is not None and frame.session.strict_version >= 2:
        raise _property_not_found(name, extent)
    return None


def _python_attribute(obj: Any, name: str) -> Any:
    """A public attribute/method of a foreign object whose name matches case-insensitively."""
    if name.startswith("_"):
        return _MISSING
    v = getattr(obj, name, _MISSING)
    if v is not _MISSING:
        return v
    low = name.lower()
    for attr in dir(type(obj)):
        if attr.lower() == low and not attr.startswith("_"):
            return getattr(obj, attr, _MISSING)
    return _MISSING


def set_member(obj: Any, name: str, value: Any, frame: Any = None, extent: Any = None) -> None:
    if name.lower() == "value" and hasattr(type(obj), "value") and hasattr(obj, "ps_properties") \
            and "PSReference" in getattr(obj, "PS_TYPE_NAMES", ("",))[0]:
        obj.value = value
        return
    if obj is None:
        raise RuntimeException(f"The property '{name}' cannot be found on this object. Verify that the "
                               "property exists and can be set.", "PropertyNotFound", "InvalidOperation",
                               extent=extent)
    if isinstance(obj, dict):
        obj[name] = value
        return
    if isinstance(obj, PSObject):
        if obj.has(name):
            obj.set(_canonical_ps_name(obj, name), value)
            return
    elif attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            if f.name.lower() == name.lower() and not f.name.startswith("_"):
                try:
                    object.__setattr__(obj, f.name, value)
                except Exception as e:
                    raise RuntimeException(f'Exception setting "{name}": "{e}"', "ExceptionWhenSetting",
                                           "NotSpecified", exception_type="SetValueInvocationException",
                                           extent=extent) from None
                return
    else:
        # Read/write properties of .NET-like records ($Host.UI.RawUI.WindowTitle = '...').
        for field in getattr(type(obj), "PS_SETTABLE", ()):
            if field.lower() == name.lower():
                setattr(obj, field, value)
                return
    raise RuntimeException(f"The property '{name}' cannot be found on this object. Verify that the "
                           "property exists and can be set.", "PropertyNotFound", "InvalidOperation",
                           extent=extent)


def _canonical_ps_name(obj: PSObject, name: str) -> str:
    for k, _ in obj.properties():
        if k.lower() == name.lower():
            return k
    return name


# ============================================================================ indexing

def get_index(obj: Any, index: Any, frame: Any = None) -> Any:
    if obj is None:
        raise RuntimeException("Cannot index into a null array.", "NullArray", "InvalidOperation")
    if isinstance(obj, dict):
        if isinstance(index, list):
            return [obj.get(i) for i in index]
        if index is None:
            raise _null_index()
        return obj.get(index)
    if isinstance(index, list):
        out = []
        for i in index:
            v = get_index(obj, i, frame)
            if v is not None or isinstance(obj, list):
                out.append(v)
        return out
    if isinstance(obj, str):
        i = _int_index(index)
        if -len(obj) <= i < len(obj):
            return obj[i]
        return None
    if isinstance(obj, list):
        i = _int_index(index)
        if -len(obj) <= i < len(obj):
            return obj[i]
        return None
    if isinstance(obj, PSObject):
        return obj.get(to_string(index))
    if isinstance(obj, Regex) or hasattr(obj, "__getitem__") and not attrs.has(type(obj)):
        try:
            return obj[index]
        except Exception:
            return None
    # a scalar behaves like a one-element array
    try:
        i = _int_index(index)
    except PSError:
        return None
    return obj if i in (0, -1) else None


def _null_index(extent: Any = None) -> PSError:
    """A hashtable indexed with $null (.NET: a dictionary key cannot be null)."""
    return RuntimeException("Index operation failed; the array index evaluated to null.", "NullArrayIndex",
                            "InvalidOperation", extent=extent)


def _int_index(index: Any) -> int:
    return to_int32(index)


def set_index(obj: Any, index: Any, value: Any, extent: Any = None) -> None:
    if obj is None:
        raise RuntimeException("Cannot index into a null array.", "NullArray", "InvalidOperation", extent=extent)
    if isinstance(obj, dict):
        if index is None:
            raise _null_index(extent)
        obj[index] = value
        return
    if isinstance(obj, list):
        i = _int_index(index)
        if not -len(obj) <= i < len(obj):
            raise RuntimeException("Index was outside the bounds of the array.", "IndexOutOfRange",
                                   "InvalidOperation", extent=extent)
        obj[i] = value
        return
    if isinstance(obj, PSObject):
        obj.set(to_string(index), value)
        return
    raise RuntimeException(f"Unable to index into an object of type {dotnet_type_name(obj)}.",
                           "CannotIndex", "InvalidOperation", extent=extent)


# ============================================================================ methods

def call_method(obj: Any, name: str, args: list, frame: Any = None, extent: Any = None) -> Any:
    if obj is None:
        raise _null_method(extent)
    n = name.lower()
    try:
        handler = _find_method(obj, n)
        if handler is not None:
            return handler(obj, *args) if not getattr(handler, "wants_frame", False) else handler(obj, frame, *args)
    except PSError as e:
        if getattr(e, "extent", None) is None:
            e.extent = extent
        raise
    except (TypeError, ValueError, IndexError, KeyError, OverflowError, ZeroDivisionError) as e:
        raise _method_exception(name, args, _dotnet_message(e), extent) from None
    if n == "gettype":
        if isinstance(obj, _ExceptionView):
            name = obj.type_full_name
            return PSType(name, lambda v: False, lambda v: v)
        return type_of(obj)
    if n == "tostring":
        if args:
            return ops.format_value(obj, to_string(args[0]))
        return to_display_string(obj) if not isinstance(obj, list) else "System.Object[]"
    if n == "equals":
        return ops.equals(obj, args[0] if args else None) if not isinstance(obj, list) else obj is (args[0] if args else None)
    if n == "gethashcode":
        return hash(to_string(obj)) & 0x7FFFFFFF
    if n == "compareto" and args:
        return ops.compare(obj, args[0])
    if isinstance(obj, list):
        # member-access enumeration of a method over the elements (PS3+)
        results = [call_method(item, name, args, frame, extent) for item in obj if item is not None]
        if not results:
            raise _method_not_found(obj, name, extent)
        return results if len(results) != 1 else results[0]
    attr = _python_attribute(obj, name) if not isinstance(obj, (str, int, float, bool)) else _MISSING
    if attr is not _MISSING and callable(attr):
        try:
            return attr(*args)
        except PSError as e:
            if type(obj).__name__ == "PSCmdletShim" and e.exception_type == "PSInvalidOperationException":
                # a .NET method failing: PowerShell reports it as a MethodInvocationException
                raise RuntimeException(f'Exception calling "{name}" with "{len(args)}" argument(s): "{e.message}"',
                                       "PSInvalidOperationException", "NotSpecified",
                                       exception_type="MethodInvocationException", extent=extent) from None
            raise
        except Exception as e:
            if hasattr(e, "exception_type") and hasattr(e, "category"):
                raise
            raise _method_exception(name, args, _dotnet_message(e), extent) from None
    if isinstance(obj, dict):
        v = obj.get(name)
        if hasattr(v, "invoke") and hasattr(v, "text"):
            return v.invoke(args=args)
    if isinstance(obj, PSObject):
        v = obj.get(name)
        if hasattr(v, "invoke") and hasattr(v, "text"):
            return v.invoke(args=args)
    raise _method_not_found(obj, name, extent)


def _dotnet_message(e: Exception) -> str:
    text = str(e)
    return text[0].upper() + text[1:] if text else type(e).__name__


def _find_method(obj: Any, n: str) -> Any:
    if isinstance(obj, str):
        return _STRING_METHODS.get(n)
    if isinstance(obj, list):
        return _LIST_METHODS.get(n)
    if isinstance(obj, dict):
        return _DICT_METHODS.get(n)
    if isinstance(obj, _dt.datetime):
        return _DATETIME_METHODS.get(n)
    if isinstance(obj, _dt.timedelta):
        return _TIMESPAN_METHODS.get(n)
    if isinstance(obj, Regex):
        return _REGEX_METHODS.get(n)
    if hasattr(obj, "invoke") and hasattr(obj, "text") and n in ("invoke", "invokereturnasis", "getnewclosure"):
        return _SCRIPTBLOCK_METHODS[n]
    if isinstance(obj, ErrorRecord) and n == "tostring":
        return lambda r: r.details or r.message
    return None


# -- strings --------------------------------------------------------------------------

def _split_chars(s: str, *args: Any) -> list:
    if not args:
        return re.split(r"[ \t\n\r\f\v\u0085\u00a0\u2028\u2029]", s) if s else [""]
    sep = args[0]
    count = None
    options = ""
    rest = list(args[1:])
    if rest and isinstance(rest[0], int) and not isinstance(rest[0], bool):
        count = rest.pop(0)
    if rest:
        options = to_string(rest[0])
    if isinstance(sep, list):
        seps = [to_string(x) for x in sep]
    else:
        text = to_string(sep)
        # String.Split(char[]) in PowerShell: a string argument converts to char[]
        seps = list(text) if not options else [text]
    if not seps or seps == [""]:
        parts = [s]
    else:
        pattern = "|".join(re.escape(x) for x in sorted(seps, key=len, reverse=True) if x)
        parts = re.split(pattern, s, maxsplit=(count - 1) if count else 0) if pattern else [s]
    if "removeemptyentries" in options.lower():
        parts = [p for p in parts if p != ""]
    return parts


def _trim_chars(args: tuple) -> str | None:
    if not args:
        return None
    chars = []
    for a in args:
        if isinstance(a, list):
            chars.extend(to_string(x) for x in a)
        else:
            chars.append(to_string(a))
    return "".join(chars)


def _substring(s: str, start: Any, length: Any = None) -> str:
    start = to_int32(start)
    if start < 0 or start > len(s):
        raise ValueError("startIndex cannot be larger than length of string.\r\nParameter name: startIndex")
    if length is None:
        return s[start:]
    length = to_int32(length)
    if length < 0 or start + length > len(s):
        raise ValueError("Index and length must refer to a location within the string.\r\nParameter name: length")
    return s[start:start + length]


def _index_of(s: str, value: Any, start: Any = 0, *rest: Any) -> int:
    if isinstance(start, str):
        start = 0
    return s.find(to_string(value), to_int32(start))


def _pad(s: str, width: Any, ch: Any = " ", left: bool = True) -> str:
    w = to_int32(width)
    c = to_string(ch) or " "
    return s.rjust(w, c) if left else s.ljust(w, c)


def _replace(s: str, old: Any, new: Any = "") -> str:
    old = to_string(old)
    if old == "":
        raise ValueError("String cannot be of zero length.\r\nParameter name: oldValue")
    return s.replace(old, to_string(new))


def _starts(s: str, value: Any, *opts: Any) -> bool:
    v = to_string(value)
    if opts and "ignorecase" in to_string(opts[0]).lower():
        return s.lower().startswith(v.lower())
    return s.startswith(v)


def _ends(s: str, value: Any, *opts: Any) -> bool:
    v = to_string(value)
    if opts and "ignorecase" in to_string(opts[0]).lower():
        return s.lower().endswith(v.lower())
    return s.endswith(v)


def _insert(s: str, index: Any, value: Any) -> str:
    i = to_int32(index)
    return s[:i] + to_string(value) + s[i:]


def _remove(s: str, start: Any, count: Any = None) -> str:
    i = to_int32(start)
    if count is None:
        return s[:i]
    return s[:i] + s[i + to_int32(count):]


def _str_equals(s: str, other: Any, *opts: Any) -> bool:
    o = to_string(other) if other is not None else None
    if o is None:
        return False
    if opts and "ignorecase" in to_string(opts[0]).lower():
        return s.lower() == o.lower()
    return s == o


_STRING_METHODS = {
    "toupper": lambda s, *a: s.upper(),
    "tolower": lambda s, *a: s.lower(),
    "toupperinvariant": lambda s: s.upper(),
    "tolowerinvariant": lambda s: s.lower(),
    "trim": lambda s, *a: s.strip(_trim_chars(a)) if a else s.strip(),
    "trimstart": lambda s, *a: s.lstrip(_trim_chars(a)) if a else s.lstrip(),
    "trimend": lambda s, *a: s.rstrip(_trim_chars(a)) if a else s.rstrip(),
    "split": _split_chars,
    "replace": _replace,
    "substring": _substring,
    "startswith": _starts,
    "endswith": _ends,
    "contains": lambda s, v: to_string(v) in s,
    "indexof": _index_of,
    "lastindexof": lambda s, v, *a: s.rfind(to_string(v)),
    "padleft": lambda s, w, c=" ": _pad(s, w, c, True),
    "padright": lambda s, w, c=" ": _pad(s, w, c, False),
    "insert": _insert,
    "remove": _remove,
    "tochararray": lambda s: list(s),
    "equals": _str_equals,
    "compareto": lambda s, o: ops.compare(s, o, True),
    "tostring": lambda s, *a: s,
    "clone": lambda s: s,
    "normalize": lambda s, *a: s,
    "getenumerator": lambda s: list(s),
}


# -- arrays -----------------------------------------------------------------------------

def _fixed_size(name: str):
    def fail(lst: list, *args: Any) -> Any:
        if isinstance(lst, GenericList) and name in _GENERIC_LIST_METHODS:
            return _GENERIC_LIST_METHODS[name](lst, *args)
        if isinstance(lst, ArrayList):
            return _ARRAYLIST_METHODS[name](lst, *args)
        raise ValueError("Collection was of a fixed size.")
    return fail


from ems.runtime.values import ArrayList, GenericList  # noqa: E402  (ArrayList re-exported for callers)


def _al_add(lst: list, item: Any) -> int:
    lst.append(item)
    return len(lst) - 1


def _al_remove(lst: list, item: Any) -> None:
    for i, x in enumerate(lst):
        if ops.equals(x, item):
            del lst[i]
            return None
    return None


_ARRAYLIST_METHODS = {
    "add": _al_add,
    "addrange": lambda lst, items: lst.extend(items if isinstance(items, list) else [items]),
    "remove": _al_remove,
    "removeat": lambda lst, i: lst.pop(to_int32(i)) and None,
    "insert": lambda lst, i, v: lst.insert(to_int32(i), v),
    "clear": lambda lst: lst.clear(),
}


def _gl_item(lst: GenericList, item: Any) -> Any:
    return lst.convert(item) if lst.convert is not None else item


def _gl_remove(lst: GenericList, item: Any) -> bool:
    for i, x in enumerate(lst):
        if ops.equals(x, item):
            del lst[i]
            return True
    return False


# List<T> differs from ArrayList: Add/Insert/AddRange return nothing, Remove returns a bool.
_GENERIC_LIST_METHODS = {
    "add": lambda lst, item: lst.append(_gl_item(lst, item)),
    "addrange": lambda lst, items: lst.extend(_gl_item(lst, x) for x in
                                              (items if isinstance(items, list) else [items])),
    "insert": lambda lst, i, v: lst.insert(to_int32(i), _gl_item(lst, v)),
    "remove": _gl_remove,
}


def _list_foreach(lst: list, frame: Any, sb: Any = None, *args: Any) -> list:
    out: list = []
    for item in lst:
        if hasattr(sb, "invoke_in"):
            out.extend(sb.invoke_in(frame, dollar_under=item))
        else:
            name = to_string(sb)
            if args:
                out.append(call_method(item, name, list(args), frame))
            else:
                out.append(get_member(item, name, frame))
    return out


_list_foreach.wants_frame = True  # type: ignore[attr-defined]


def _list_where(lst: list, frame: Any, sb: Any, mode: Any = None, count: Any = None) -> list:
    out = [item for item in lst if to_bool(sb.invoke_in(frame, dollar_under=item) or None)
           and to_bool(_last_value(sb.invoke_in(frame, dollar_under=item)))]
    m = to_string(mode).lower() if mode is not None else ""
    if m == "first":
        return out[: (to_int32(count) if count else 1)]
    if m == "last":
        return out[-(to_int32(count) if count else 1):]
    return out


_list_where.wants_frame = True  # type: ignore[attr-defined]


def _last_value(out: list) -> Any:
    if not out:
        return None
    return out[0] if len(out) == 1 else out


_LIST_METHODS = {
    "add": _fixed_size("add"),
    "addrange": _fixed_size("addrange"),
    "remove": _fixed_size("remove"),
    "removeat": _fixed_size("removeat"),
    "insert": _fixed_size("insert"),
    "clear": lambda lst: lst.clear() if isinstance(lst, ArrayList) else lst.__setitem__(slice(None), [None] * len(lst)),
    "contains": lambda lst, v: any(ops.equals(x, v) for x in lst),
    "indexof": lambda lst, v, *a: next((i for i, x in enumerate(lst) if ops.equals(x, v)), -1),
    "clone": lambda lst: type(lst)(lst),
    "toarray": lambda lst: list(lst),
    "getenumerator": lambda lst: list(lst),
    "foreach": _list_foreach,
    "where": _list_where,
    "gettype": lambda lst: (resolve_type(f"System.Collections.Generic.List[{lst.element_name}]")
                            if isinstance(lst, GenericList) else
                            resolve_type("System.Collections.ArrayList") if isinstance(lst, ArrayList)
                            else resolve_type("object[]")),
    "sort": lambda lst: lst.sort(key=_sort_key),
    "reverse": lambda lst: lst.reverse(),
}


def _sort_key(v: Any) -> Any:
    import functools
    return functools.cmp_to_key(lambda a, b: ops.compare(a, b))(v)


# -- hashtables -------------------------------------------------------------------------

def _dict_add(h: dict, key: Any, value: Any) -> None:
    if key is None:
        raise ValueError("Key cannot be null.\r\nParameter name: key")
    if key in h:
        raise ValueError(f"Item has already been added. Key in dictionary: '{to_string(key)}'  "
                         f"Key being added: '{to_string(key)}'")
    h[key] = value


def _dict_entries(h: dict) -> list:
    return [PSObject([("Name", k), ("Key", k), ("Value", v)],
                     type_names=["System.Collections.DictionaryEntry"]) for k, v in h.items()]


_DICT_METHODS = {
    "containskey": lambda h, k: k in h,
    "contains": lambda h, k: k in h,
    "containsvalue": lambda h, v: any(ops.equals(x, v) for x in h.values()),
    "add": _dict_add,
    "remove": lambda h, k: (h.pop(k, None), None)[1],
    "clear": lambda h: h.clear(),
    "clone": lambda h: h.copy(),
    "getenumerator": _dict_entries,
    "item": lambda h, k: h.get(k),
}


# -- dates and spans ----------------------------------------------------------------------

def _add_months(d: _dt.datetime, months: int) -> _dt.datetime:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    import calendar
    day = min(d.day, calendar.monthrange(y, m)[1])
    return d.replace(year=y, month=m, day=day)


def _dt_tostring(d: _dt.datetime, fmt: Any = None, *rest: Any) -> str:
    if fmt is None:
        return to_display_string(d)
    return ops.format_datetime(d, to_string(fmt))


_DATETIME_METHODS = {
    "adddays": lambda d, n: d + _dt.timedelta(days=to_number(n)),
    "addhours": lambda d, n: d + _dt.timedelta(hours=to_number(n)),
    "addminutes": lambda d, n: d + _dt.timedelta(minutes=to_number(n)),
    "addseconds": lambda d, n: d + _dt.timedelta(seconds=to_number(n)),
    "addmilliseconds": lambda d, n: d + _dt.timedelta(milliseconds=to_number(n)),
    "addticks": lambda d, n: d + _dt.timedelta(microseconds=to_number(n) / 10),
    "addmonths": lambda d, n: _add_months(d, to_int32(n)),
    "addyears": lambda d, n: _add_months(d, 12 * to_int32(n)),
    "add": lambda d, t: d + t,
    "subtract": lambda d, o: d - o,
    "tostring": _dt_tostring,
    "toshortdatestring": lambda d: ops.format_datetime(d, "d"),
    "tolongdatestring": lambda d: ops.format_datetime(d, "D"),
    "toshorttimestring": lambda d: ops.format_datetime(d, "t"),
    "tolongtimestring": lambda d: ops.format_datetime(d, "T"),
    "touniversaltime": lambda d: d,
    "tolocaltime": lambda d: d,
    "compareto": lambda d, o: ops.compare(d, o),
    "equals": lambda d, o: ops.equals(d, o),
}

_TIMESPAN_METHODS = {
    "add": lambda t, o: t + o,
    "subtract": lambda t, o: t - o,
    "negate": lambda t: -t,
    "duration": lambda t: abs(t),
    "tostring": lambda t, fmt=None, *r: format_timespan(t) if fmt is None else ops.format_timespan_spec(t, to_string(fmt)),
    "compareto": lambda t, o: ops.compare(t, o),
    "equals": lambda t, o: ops.equals(t, o),
}


# -- regex and script blocks ---------------------------------------------------------------

def _regex_match_object(m: re.Match | None) -> PSObject:
    if m is None:
        return PSObject([("Success", False), ("Value", ""), ("Index", 0), ("Length", 0), ("Groups", [])])
    groups = [PSObject([("Success", m.group(i) is not None), ("Value", m.group(i) or ""), ("Name", str(i))])
              for i in range(m.re.groups + 1)]
    return PSObject([("Success", True), ("Value", m.group(0)), ("Index", m.start()), ("Length", len(m.group(0))),
                     ("Groups", groups)])


_REGEX_METHODS = {
    "ismatch": lambda r, s: r.compiled.search(to_string(s)) is not None,
    "match": lambda r, s: _regex_match_object(r.compiled.search(to_string(s))),
    "matches": lambda r, s: [_regex_match_object(m) for m in r.compiled.finditer(to_string(s))],
    "replace": lambda r, s, rep: ops.replace(to_string(s), [r.pattern, rep], True),
    "split": lambda r, s: r.compiled.split(to_string(s)),
    "tostring": lambda r: r.pattern,
}


def _sb_invoke(sb: Any, *args: Any) -> Any:
    return sb.invoke(args=list(args))


_SCRIPTBLOCK_METHODS = {
    "invoke": _sb_invoke,
    "invokereturnasis": lambda sb, *args: _last_value(sb.invoke(args=list(args))),
    "getnewclosure": lambda sb: sb,
}


# ============================================================================ static members

def get_static_member(t: PSType, name: str, extent: Any = None) -> Any:
    for k, v in t.static.items():
        if k.lower() == name.lower():
            if callable(v) and not isinstance(v, (type, PSType)):
                if k in ("Now", "Today", "UtcNow", "MachineName"):
                    return v()
                return v
            return v
    enum_cls = t.pytype if isinstance(t.pytype, type) and issubclass(t.pytype, enum.Enum) else None
    if enum_cls is not None:
        for m in enum_cls:
            if m.name.lower() == name.lower():
                return m
    return None


def call_static_method(t: PSType, name: str, args: list, frame: Any = None, extent: Any = None) -> Any:
    if name.lower() == "new" and "new" not in (k.lower() for k in t.static):
        try:
            return construct(t, args)
        except LookupError:
            raise RuntimeException(f'Cannot find an overload for "new" and the argument count: "{len(args)}".',
                                   "MethodCountCouldNotFindBest", "NotSpecified",
                                   exception_type="MethodException", extent=extent) from None
    if t.full_name == "System.Text.RegularExpressions.Regex":
        n = name.lower()
        if n in ("match", "ismatch", "matches", "replace", "split") and args:
            r = Regex(to_string(args[1]) if len(args) > 1 else "")
            return call_method(r, name, [args[0]] + list(args[2:]), frame, extent)
    for k, v in t.static.items():
        if k.lower() == name.lower() and callable(v):
            try:
                return v(*args)
            except PSError as e:
                if getattr(e, "extent", None) is None:
                    e.extent = extent
                raise
            except (TypeError, ValueError, OverflowError) as e:
                raise _method_exception(name, args, _dotnet_message(e), extent) from None
    raise RuntimeException(
        f"Method invocation failed because [{t.full_name}] does not contain a method named '{name}'.",
        "MethodNotFound", "InvalidOperation", extent=extent)


# ============================================================================ attributes

def evaluate_attribute_args(attr: Any, frame: Any) -> tuple[list, dict]:
    from ems.lang.evaluator import compile_expr
    pos = [compile_expr(a)(frame) for a in attr.positional_args]
    named = {}
    for na in attr.named_args:
        named[na.name] = True if na.value is None else compile_expr(na.value)(frame)
    return pos, named


def validators_for(p: Any, frame: Any) -> tuple[list, tuple | None]:
    """ValidateSet/NotNull/NotNullOrEmpty/Range/Pattern/Length/Script as binder checks."""
    checks = []
    values = None
    for attr in p.attributes:
        if not hasattr(attr, "positional_args"):
            continue
        n = attr.type_name.name.lower().replace("system.management.automation.", "")
        if n.endswith("attribute"):
            n = n[:-9]
        if n == "validateset":
            pos, _ = evaluate_attribute_args(attr, frame)
            flat = []
            for v in pos:
                flat.extend(v if isinstance(v, list) else [v])
            values = tuple(to_string(v) for v in flat)
        elif n in ("validatenotnullorempty", "validatenotnull"):
            empty_too = n == "validatenotnullorempty"

            def nn(v: Any, empty_too=empty_too) -> str | None:
                if v is None:
                    return "The argument is null. Provide a valid value for the argument, and then try running the command again."
                if empty_too and (v == "" or (isinstance(v, list) and not v)):
                    return ("The argument is null or empty. Provide an argument that is not null or empty, "
                            "and then try the command again.")
                return None
            checks.append(nn)
        elif n == "validaterange":
            pos, _ = evaluate_attribute_args(attr, frame)
            lo, hi = pos[0], pos[1]

            def rng(v: Any, lo=lo, hi=hi) -> str | None:
                for x in (v if isinstance(v, list) else [v]):
                    if ops.compare(x, lo) < 0:
                        return (f"The {to_string(x)} argument is less than the minimum allowed range of "
                                f"{to_string(lo)}. Supply an argument that is greater than or equal to "
                                f"{to_string(lo)} and then try the command again.")
                    if ops.compare(x, hi) > 0:
                        return (f"The {to_string(x)} argument is greater than the maximum allowed range of "
                                f"{to_string(hi)}. Supply an argument that is less than or equal to "
                                f"{to_string(hi)} and then try the command again.")
                return None
            checks.append(rng)
        elif n == "validatepattern":
            pos, _ = evaluate_attribute_args(attr, frame)
            pattern = to_string(pos[0])

            def pat(v: Any, pattern=pattern) -> str | None:
                for x in (v if isinstance(v, list) else [v]):
                    if not ops.compile_regex(pattern, True).search(to_string(x)):
                        return (f'The argument "{to_string(x)}" does not match the "{pattern}" pattern. Supply '
                                "an argument that matches \"" + pattern + "\" and try the command again.")
                return None
            checks.append(pat)
        elif n == "validatelength":
            pos, _ = evaluate_attribute_args(attr, frame)
            lo, hi = int(to_number(pos[0])), int(to_number(pos[1]))

            def length(v: Any, lo=lo, hi=hi) -> str | None:
                for x in (v if isinstance(v, list) else [v]):
                    s = to_string(x)
                    if len(s) < lo:
                        return (f"The character length of the {len(s)} argument is too short. Specify an "
                                f"argument with a length that is greater than or equal to \"{lo}\", and then "
                                "try the command again.")
                    if len(s) > hi:
                        return (f"The character length ({len(s)}) of the argument is too long. Specify an "
                                f"argument with a length that is less than or equal to \"{hi}\" and then try "
                                "the command again.")
                return None
            checks.append(length)
        elif n == "validatescript":
            pos, _ = evaluate_attribute_args(attr, frame)
            sb = pos[0]

            def script(v: Any, sb=sb) -> str | None:
                for x in (v if isinstance(v, list) else [v]):
                    if not to_bool(_last_value(sb.invoke_in(frame, dollar_under=x))):
                        return (f'The "{sb.text}" validation script for the argument with value '
                                f'"{to_string(x)}" did not return a result of True. Determine why the '
                                "validation script failed, and then try the command again.")
                return None
            checks.append(script)
    return checks, values


__all__ = ["get_member", "set_member", "get_index", "set_index", "call_method", "call_static_method",
           "get_static_member", "ArrayList", "error_record_properties", "evaluate_attribute_args",
           "validators_for"]
