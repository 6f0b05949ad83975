"""PowerShell's value conversions (LanguagePrimitives): truthiness, value -> string, casts.

Everything that turns one PowerShell value into another lives here so that the evaluator,
the operators, the binder and the cmdlets agree: ``[int]'7'``, ``"$x"``, ``if ($list)``,
binding ``'7.00:00:00'`` to a TimeSpan parameter and ``-as`` all call the same functions.

Types are resolved by name (``resolve_type('int')``) to a ``PSType``: a .NET name, an
``is_instance`` test and a ``convert`` function. Foreign value types (Exchange's
ByteQuantifiedSize, identities) join through their ``parse(text)`` classmethod.
"""
from __future__ import annotations

import datetime as _dt
import decimal
import enum
import ipaddress
import math
import re

from ems.dotnet import format_timespan, parse_timespan
import uuid
from typing import Any, Callable

import attrs

from ems.runtime.errors import PSError
from ems.runtime.values import Hashtable, PSObject, is_enumerable

INT32_MIN, INT32_MAX = -2**31, 2**31 - 1
INT64_MIN, INT64_MAX = -2**63, 2**63 - 1


class PSInvalidCastException(PSError):
    exception_type = "PSInvalidCastException"
    category = "InvalidArgument"


def cast_error(value: Any, type_name: str, inner: str | None, error_id: str) -> PSError:
    """The error of a failed conversion, in the 5.1 wording (A.15).

    Shown by the console as reason ``RuntimeException`` (the cast error is wrapped) with the
    specific ``InvalidCastXxx`` id; the binder re-wraps ``.message`` into its own text.
    """
    if inner is None:
        msg = (f'Cannot convert the "{to_string(value)}" value of type '
               f'"{dotnet_type_name(value)}" to type "{type_name}".')
    else:
        msg = f'Cannot convert value "{to_string(value)}" to type "{type_name}". Error: "{inner}"'
    err = PSError(msg, error_id, "InvalidArgument", exception_type="RuntimeException")
    err.cast_inner = inner
    return err


# --------------------------------------------------------------------------- truthiness

def to_bool(value: Any) -> bool:
    """A.8: $null, $false, 0, '', empty collection, one-element collection of a false value."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value != ""
    if isinstance(value, (int, float, decimal.Decimal)):
        return value != 0
    if isinstance(value, list):
        if not value:
            return False
        if len(value) == 1:
            return to_bool(value[0])
        return True
    if isinstance(value, SwitchValue):
        return value.present
    if isinstance(value, enum.Enum):
        v = value.value
        return bool(v) if isinstance(v, int) else True
    return True


class SwitchValue:
    """A ``[switch]`` parameter value inside a function: ``$s.IsPresent``, truthy when set."""

    __slots__ = ("present",)

    def __init__(self, present: bool):
        self.present = bool(present)

    def __bool__(self) -> bool:
        return self.present

    def __eq__(self, other: Any) -> bool:
        return to_bool(other) == self.present

    def __hash__(self) -> int:
        return hash(self.present)

    def __str__(self) -> str:
        return "True" if self.present else "False"

    def ps_properties(self):
        return [("IsPresent", self.present)]


# --------------------------------------------------------------------------- to string

def format_double(x: float) -> str:
    """Double.ToString() of .NET Framework (15 significant digits, 'G15'): 0.1+0.2 -> 0.3."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    text = "%.15G" % x
    if "E" in text:
        mant, exp = text.split("E")
        if "." in mant:
            mant = mant.rstrip("0").rstrip(".")
        sign = exp[0]
        digits = exp[1:].lstrip("0").rjust(2, "0")
        return f"{mant}E{sign}{digits}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_decimal(d: decimal.Decimal) -> str:
    text = format(d, "f")
    return text


def format_datetime_invariant(d: _dt.datetime) -> str:
    """DateTime in an expandable string / [string] cast: invariant culture 'MM/dd/yyyy HH:mm:ss'."""
    return d.strftime("%m/%d/%Y %H:%M:%S")


def format_datetime_current(d: _dt.datetime) -> str:
    """DateTime.ToString() in the en-US culture: '11/21/2026 9:00:00 AM'."""
    hour = d.hour % 12 or 12
    return f"{d.month}/{d.day}/{d.year} {hour}:{d.minute:02d}:{d.second:02d} {'AM' if d.hour < 12 else 'PM'}"


def to_string(value: Any, ofs: str = " ") -> str:
    """PowerShell's conversion to [string] (invariant culture; arrays joined with $OFS)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_double(value)
    if isinstance(value, decimal.Decimal):
        return format_decimal(value)
    if isinstance(value, list):
        return ofs.join(to_string(v, ofs) for v in value)
    if isinstance(value, enum.Enum):
        return enum_name(value)
    if isinstance(value, _dt.datetime):
        return format_datetime_invariant(value)
    if isinstance(value, _dt.timedelta):
        return format_timespan(value)
    if isinstance(value, Hashtable):
        return "System.Collections.Specialized.OrderedDictionary" if value.ordered else "System.Collections.Hashtable"
    if isinstance(value, dict):
        return "System.Collections.Hashtable"
    return str(value)


def to_display_string(value: Any) -> str:
    """``ToString()`` (current culture, en-US) as opposed to the invariant PowerShell cast."""
    if isinstance(value, _dt.datetime):
        return format_datetime_current(value)
    if isinstance(value, list):
        return "System.Object[]"
    return to_string(value)


def enum_name(value: enum.Enum) -> str:
    """An enum's text. Flag combinations print as 'A, B' like .NET."""
    if isinstance(value, enum.Flag):
        members = [m for m in type(value) if m.value and (m.value & value.value) == m.value
                   and bin(m.value).count("1") == 1]
        if len(members) > 1 or value.name is None:
            return ", ".join(m.name for m in members)
    return value.name


# --------------------------------------------------------------------------- numbers

_HEX = re.compile(r"^\s*([+-]?)0x([0-9a-f]+)\s*$", re.I)
_NUM = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$", re.I)
_MULT = {"kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4, "pb": 1024**5}


def parse_number(text: str) -> int | float | None:
    """A numeric string as PowerShell reads it for arithmetic (``'12' + 0``, ``'0x1f'``, ``'1e3'``)."""
    s = text.strip()
    if s == "":
        return 0
    m = _HEX.match(s)
    if m:
        v = int(m.group(2), 16)
        return -v if m.group(1) == "-" else v
    mult = 1
    low = s.lower()
    if len(low) > 2 and low[-2:] in _MULT:
        mult = _MULT[low[-2:]]
        s = s[:-2]
    if not _NUM.match(s):
        return None
    if re.match(r"^\s*[+-]?\d+\s*$", s):
        return int(s) * mult
    f = float(s) * mult
    return f


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def to_number(value: Any, for_type: str = "System.Int32") -> int | float | decimal.Decimal:
    """Operand of arithmetic: numbers stay, bools/null/strings/enums convert; else a cast error."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return value
    if isinstance(value, str):
        n = parse_number(value)
        if n is None:
            raise cast_error(value, for_type, "Input string was not in a correct format.",
                             "InvalidCastFromStringToInteger")
        return n
    if isinstance(value, enum.Enum) and isinstance(value.value, int):
        return value.value
    if isinstance(value, SwitchValue):
        return int(value.present)
    if isinstance(value, list) and len(value) == 1:
        return to_number(value[0], for_type)
    if isinstance(value, _dt.timedelta):
        raise cast_error(value, for_type, None, "InvalidCastFromTimeSpan")
    raise cast_error(value, for_type, None, "InvalidCast")


def bankers_int(x: float | decimal.Decimal) -> int:
    """[int]2.5 -> 2, [int]3.5 -> 4 (round half to even, as .NET's Convert.ToInt32)."""
    return int(round(x))


def _int_range(value: Any, lo: int, hi: int, type_name: str) -> int:
    if isinstance(value, str):
        n = parse_number(value)
        if n is None:
            raise cast_error(value, type_name, "Input string was not in a correct format.",
                             "InvalidCastFromStringToInteger")
        value = n
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise cast_error(value, type_name, f"Value was either too large or too small for an {type_name.split('.')[-1]}.",
                         "InvalidCastIConvertible")
    n = to_number(value, type_name)
    if not isinstance(n, int):
        n = bankers_int(n)
    if n < lo or n > hi:
        short = type_name.split(".")[-1]
        article = "an" if short[0] in "AEIOU" else "a"
        raise cast_error(value, type_name, f"Value was either too large or too small for {article} {short}.",
                         "InvalidCastIConvertible")
    return n


def to_int32(value: Any) -> int:
    return _int_range(value, INT32_MIN, INT32_MAX, "System.Int32")


def to_int64(value: Any) -> int:
    return _int_range(value, INT64_MIN, INT64_MAX, "System.Int64")


def to_double(value: Any) -> float:
    if isinstance(value, str):
        n = parse_number(value)
        if n is None:
            raise cast_error(value, "System.Double", "Input string was not in a correct format.",
                             "InvalidCastFromStringToDoubleOrSingle")
        return float(n)
    try:
        return float(to_number(value, "System.Double"))
    except PSError:
        raise cast_error(value, "System.Double", None, "InvalidCast") from None


def to_decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    if isinstance(value, str):
        try:
            return decimal.Decimal(value.strip())
        except decimal.InvalidOperation:
            raise cast_error(value, "System.Decimal", "Input string was not in a correct format.",
                             "InvalidCastFromStringToDecimal") from None
    return decimal.Decimal(to_number(value, "System.Decimal"))


# --------------------------------------------------------------------------- dates, spans

_DATE_FORMATS = (
    "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d",
    "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%b %d %Y",
    "%A, %B %d, %Y %I:%M:%S %p", "%A, %B %d, %Y",
)


def parse_datetime(text: str, now: _dt.datetime | None = None) -> _dt.datetime:
    """DateTime.Parse with the invariant culture (what a cast or a parameter binding does)."""
    s = text.strip()
    if s.endswith("Z"):
        s = s[:-1]
    for fmt in _DATE_FORMATS:
        try:
            return _dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
    for fmt in ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p"):
        try:
            t = _dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
        base = now or _dt.datetime.now()
        return base.replace(hour=t.hour, minute=t.minute, second=t.second, microsecond=0)
    try:
        return _dt.datetime.fromisoformat(s)
    except ValueError:
        raise ValueError("String was not recognized as a valid DateTime.") from None


# --------------------------------------------------------------------------- small value types

@attrs.frozen(order=True)
class Version:
    """System.Version: ``[version]'14.3.123.4'``."""

    PS_TYPE_NAMES = ("System.Version",)
    major: int
    minor: int
    build: int = -1
    revision: int = -1

    @classmethod
    def parse(cls, text: str) -> "Version":
        parts = str(text).strip().split(".")
        if not 2 <= len(parts) <= 4 or not all(p.isdigit() for p in parts):
            raise ValueError("Version string portion was too short or too long.")
        nums = [int(p) for p in parts] + [-1] * (4 - len(parts))
        return cls(*nums)

    def ps_properties(self):
        return [("Major", self.major), ("Minor", self.minor), ("Build", self.build),
                ("Revision", self.revision)]

    def __str__(self) -> str:
        return ".".join(str(p) for p in (self.major, self.minor, self.build, self.revision) if p >= 0)


class ValueRef:
    """``[ref]`` around a value: ``.Value`` reads and writes the box."""

    PS_TYPE_NAMES = ("System.Management.Automation.PSReference",)

    def __init__(self, value: Any):
        self._value = value

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, v: Any) -> None:
        self._value = v

    def ps_properties(self) -> list:
        return [("Value", self.value)]

    def __str__(self) -> str:
        return "System.Management.Automation.PSReference"


class Regex:
    """A ``[regex]`` value: a compiled .NET-style pattern."""

    PS_TYPE_NAMES = ("System.Text.RegularExpressions.Regex",)

    def __init__(self, pattern: str, ignore_case: bool = False):
        from ems.lang.operators import compile_regex
        self.pattern = pattern
        self.compiled = compile_regex(pattern, ignore_case)

    def __str__(self) -> str:
        return self.pattern


# --------------------------------------------------------------------------- types

class PSType:
    """A .NET type as the language sees it: ``[int]``, ``[string[]]``, ``[datetime]``."""

    def __init__(self, full_name: str, check: Callable[[Any], bool],
                 convert: Callable[[Any], Any], static: dict[str, Any] | None = None,
                 pytype: Any = None, element: "PSType | None" = None):
        self.full_name = full_name
        self.check = check
        self._convert = convert
        self.static = static or {}
        self.pytype = pytype
        self.element = element

    @property
    def name(self) -> str:
        if "`" in self.full_name:  # a generic: List`1[[System.String, mscorlib, ...]] -> List`1
            return self.full_name.split("[", 1)[0].rsplit(".", 1)[-1]
        return self.full_name.rsplit(".", 1)[-1]

    def is_instance(self, value: Any) -> bool:
        return self.check(value)

    def convert(self, value: Any) -> Any:
        return self._convert(value)

    def __str__(self) -> str:
        return self.full_name

    def __repr__(self) -> str:
        return f"[{self.full_name}]"

    def ps_properties(self):
        return [("IsPublic", True), ("IsSerial", True), ("Name", self.name),
                ("BaseType", "System.Object"), ("FullName", self.full_name)]


def _conv_string(v: Any) -> str:
    if v is None:
        return ""
    return to_string(v)


def _conv_bool(v: Any) -> bool:
    return to_bool(v)


def _conv_array(v: Any) -> list:
    if v is None:
        return []
    if isinstance(v, list):
        return v
    if is_enumerable(v):
        return list(v)
    return [v]


def _typed_array(elem: PSType) -> PSType:
    def conv(v: Any) -> list:
        return [elem.convert(x) for x in _conv_array(v)]

    def check(v: Any) -> bool:
        return isinstance(v, list)

    return PSType(elem.full_name + "[]", check, conv, element=elem, pytype=list)


def _generic_list(elem: PSType) -> PSType:
    """``[System.Collections.Generic.List[T]]``: a GenericList converting its items to T."""
    from ems.runtime.values import GenericList, generic_list_type_name
    convert = None if elem.full_name == "System.Object" else elem.convert

    def conv(v: Any) -> GenericList:
        items = _conv_array(v)
        return GenericList([convert(x) for x in items] if convert else items, convert, elem.full_name)

    def check(v: Any) -> bool:
        return isinstance(v, GenericList) and v.element_name == elem.full_name

    return PSType(generic_list_type_name(elem.full_name), check, conv, element=elem,
                  pytype=GenericList)


def _conv_hashtable(v: Any) -> Hashtable:
    if isinstance(v, Hashtable):
        return v
    if isinstance(v, dict):
        return Hashtable(v.items())
    raise cast_error(v, "System.Collections.Hashtable", None, "InvalidCast")


def _conv_pscustomobject(v: Any) -> Any:
    if isinstance(v, dict):
        return PSObject(v.items())
    return v


def _conv_datetime(v: Any) -> _dt.datetime:
    if isinstance(v, _dt.datetime):
        return v
    if isinstance(v, str):
        try:
            return parse_datetime(v)
        except ValueError as e:
            raise cast_error(v, "System.DateTime", str(e), "InvalidCastParseTargetInvocation") from None
    if isinstance(v, int) and not isinstance(v, bool):
        try:
            return _dt.datetime(1, 1, 1) + _dt.timedelta(microseconds=v // 10)
        except OverflowError:
            raise cast_error(v, "System.DateTime", "Ticks must be between DateTime.MinValue.Ticks and "
                             "DateTime.MaxValue.Ticks.\r\nParameter name: ticks", "InvalidCastConstructorException") from None
    raise cast_error(v, "System.DateTime", None, "InvalidCastFromAnyTypeToDateTime")


def _conv_timespan(v: Any) -> _dt.timedelta:
    if isinstance(v, _dt.timedelta):
        return v
    if isinstance(v, str):
        try:
            return parse_timespan(v)
        except ValueError as e:
            raise cast_error(v, "System.TimeSpan", str(e), "InvalidCastParseTargetInvocation") from None
    if isinstance(v, int) and not isinstance(v, bool):
        return _dt.timedelta(microseconds=v // 10)
    if hasattr(v, "to_timedelta"):
        return v.to_timedelta()
    raise cast_error(v, "System.TimeSpan", None, "InvalidCast")


def _conv_ip(v: Any) -> Any:
    if isinstance(v, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return v
    if isinstance(v, str):
        try:
            return ipaddress.ip_address(v.strip())
        except ValueError:
            raise cast_error(v, "System.Net.IPAddress", "An invalid IP address was specified.",
                             "InvalidCastParseTargetInvocation") from None
    raise cast_error(v, "System.Net.IPAddress", None, "InvalidCast")


def _conv_guid(v: Any) -> uuid.UUID:
    if isinstance(v, uuid.UUID):
        return v
    if isinstance(v, str):
        try:
            return uuid.UUID(v.strip().strip("{}"))
        except ValueError:
            raise cast_error(v, "System.Guid",
                             "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).",
                             "InvalidCastParseTargetInvocation") from None
    raise cast_error(v, "System.Guid", None, "InvalidCast")


def _conv_version(v: Any) -> Version:
    if isinstance(v, Version):
        return v
    try:
        return Version.parse(to_string(v))
    except ValueError as e:
        raise cast_error(v, "System.Version", str(e), "InvalidCastParseTargetInvocation") from None


def _conv_char(v: Any) -> str:
    if isinstance(v, str):
        if len(v) != 1:
            raise cast_error(v, "System.Char", "String must be exactly one character long.",
                             "InvalidCastParseTargetInvocation")
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        if 0 <= v <= 0xFFFF:
            return chr(v)
        raise cast_error(v, "System.Char", "Value was either too large or too small for a character.",
                         "InvalidCastIConvertible")
    raise cast_error(v, "System.Char", None, "InvalidCast")


def _conv_regex(v: Any) -> Regex:
    if isinstance(v, Regex):
        return v
    return Regex(to_string(v))


def _conv_switch(v: Any) -> SwitchValue:
    if isinstance(v, SwitchValue):
        return v
    return SwitchValue(to_bool(v))


def _conv_scriptblock(v: Any) -> Any:
    if hasattr(v, "invoke") and hasattr(v, "text"):
        return v
    raise cast_error(v, "System.Management.Automation.ScriptBlock", None, "InvalidCast")


def _conv_object(v: Any) -> Any:
    return v


def _conv_single(v: Any) -> float:
    return to_double(v)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _ranged(lo: int, hi: int, name: str) -> Callable[[Any], int]:
    return lambda v: _int_range(v, lo, hi, name)


def _math_round(x: Any, digits: Any = 0, *rest: Any) -> Any:
    if isinstance(x, decimal.Decimal):
        return x.quantize(decimal.Decimal(1).scaleb(-int(digits)), rounding=decimal.ROUND_HALF_EVEN)
    x = to_double(x)
    if rest or (isinstance(digits, str) and digits.lower() == "awayfromzero"):
        mode = rest[0] if rest else digits
        nd = int(digits) if rest else 0
        if to_string(mode).lower() == "awayfromzero":
            q = decimal.Decimal(repr(x)).quantize(decimal.Decimal(1).scaleb(-nd), rounding=decimal.ROUND_HALF_UP)
            return float(q)
    return float(round(x, int(digits)))


def _math_max(a: Any, b: Any) -> Any:
    a2, b2 = to_number(a), to_number(b)
    res = a2 if a2 >= b2 else b2
    if isinstance(a2, float) or isinstance(b2, float):
        return float(res)
    return res


def _math_min(a: Any, b: Any) -> Any:
    a2, b2 = to_number(a), to_number(b)
    res = a2 if a2 <= b2 else b2
    if isinstance(a2, float) or isinstance(b2, float):
        return float(res)
    return res


def _math_floor(x: Any) -> Any:
    n = to_number(x)
    return float(math.floor(n)) if isinstance(n, float) else (decimal.Decimal(math.floor(n)) if isinstance(n, decimal.Decimal) else float(n))


def _math_ceiling(x: Any) -> Any:
    n = to_number(x)
    return float(math.ceil(n)) if isinstance(n, float) else (decimal.Decimal(math.ceil(n)) if isinstance(n, decimal.Decimal) else float(n))


def _math_abs(x: Any) -> Any:
    return abs(to_number(x))


def _math_truncate(x: Any) -> Any:
    n = to_number(x)
    return float(math.trunc(n))


def _math_pow(x: Any, y: Any) -> float:
    return float(to_double(x) ** to_double(y))


def _math_sqrt(x: Any) -> float:
    v = to_double(x)
    return math.sqrt(v) if v >= 0 else float("nan")


def _string_join(sep: Any, *items: Any) -> str:
    if len(items) == 1 and isinstance(items[0], list):
        items = tuple(items[0])
    return to_string(sep).join(to_string(i) for i in items)


def _string_is_null_or_empty(s: Any) -> bool:
    return s is None or to_string(s) == ""


def _string_is_null_or_whitespace(s: Any) -> bool:
    return s is None or to_string(s).strip() == ""


def _string_format(fmt: Any, *args: Any) -> str:
    from ems.lang.operators import format_operator
    if len(args) == 1 and isinstance(args[0], list):
        args = tuple(args[0])
    return format_operator(to_string(fmt), list(args))


def _string_concat(*items: Any) -> str:
    return "".join(to_string(i) for i in items)


def _string_compare(a: Any, b: Any, ignore_case: Any = False) -> int:
    a, b = to_string(a), to_string(b)
    if to_bool(ignore_case):
        a, b = a.lower(), b.lower()
    return (a > b) - (a < b)


def _ip_parse(text: Any) -> Any:
    try:
        return ipaddress.ip_address(to_string(text).strip())
    except ValueError:
        raise PSError('Exception calling "Parse" with "1" argument(s): "An invalid IP address was specified."',
                      "FormatException", "NotSpecified", exception_type="MethodInvocationException") from None


def _ip_try_parse(text: Any, ref: Any = None) -> bool:
    try:
        value = ipaddress.ip_address(to_string(text).strip())
    except ValueError:
        return False
    if ref is not None and hasattr(ref, "value"):
        ref.value = value
    return True


def _datetime_parse(text: Any) -> _dt.datetime:
    try:
        return parse_datetime(to_string(text))
    except ValueError as e:
        raise PSError(f'Exception calling "Parse" with "1" argument(s): "{e}"', "FormatException",
                      "NotSpecified", exception_type="MethodInvocationException") from None


# .NET custom date format specifiers -> regex groups, longest first (ParseExact).
_EXACT_PARTS = [("yyyy", r"(?P<y>\d{4})"), ("yy", r"(?P<y2>\d{2})"), ("MMMM", r"(?P<mon>[A-Za-z]+)"),
                ("MMM", r"(?P<mon>[A-Za-z]{3})"), ("MM", r"(?P<m>\d{2})"), ("M", r"(?P<m>\d{1,2})"),
                ("dddd", r"(?:[A-Za-z]+)"), ("ddd", r"(?:[A-Za-z]{3})"), ("dd", r"(?P<d>\d{2})"),
                ("d", r"(?P<d>\d{1,2})"), ("HH", r"(?P<H>\d{2})"), ("H", r"(?P<H>\d{1,2})"),
                ("hh", r"(?P<h>\d{2})"), ("h", r"(?P<h>\d{1,2})"), ("mm", r"(?P<min>\d{2})"),
                ("m", r"(?P<min>\d{1,2})"), ("ss", r"(?P<s>\d{2})"), ("s", r"(?P<s>\d{1,2})"),
                ("fff", r"(?P<f>\d{3})"), ("ff", r"(?P<f>\d{2})"), ("f", r"(?P<f>\d)"),
                ("tt", r"(?P<tt>[AaPp][Mm])")]
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _datetime_parse_exact(text: Any, fmt: Any, *_culture_and_styles: Any) -> _dt.datetime:
    """``[datetime]::ParseExact(text, format, culture)`` for the custom format specifiers."""
    text, fmt = to_string(text).strip(), to_string(fmt)
    pattern, i = "", 0
    while i < len(fmt):
        for spec, rx in _EXACT_PARTS:
            if fmt.startswith(spec, i):
                pattern += rx
                i += len(spec)
                break
        else:
            ch = fmt[i]
            if ch == "'" and "'" in fmt[i + 1:]:
                j = fmt.index("'", i + 1)
                pattern += re.escape(fmt[i + 1:j])
                i = j + 1
                continue
            pattern += re.escape(fmt[i + 1]) if ch == "\\" and i + 1 < len(fmt) else re.escape(ch)
            i += 2 if ch == "\\" else 1
    m = re.fullmatch(pattern, text)
    try:
        if m is None:
            raise ValueError
        g = m.groupdict()
        year = int(g["y"]) if g.get("y") else (2000 + int(g["y2"]) if g.get("y2") else 1)
        month = int(g["m"]) if g.get("m") else (_MONTHS.index(g["mon"][:3].lower()) + 1 if g.get("mon") else 1)
        hour = int(g.get("H") or 0)
        if g.get("h"):
            hour = int(g["h"]) % 12 + (12 if (g.get("tt") or "").lower() == "pm" else 0)
        micro = int((g.get("f") or "0").ljust(6, "0"))
        return _dt.datetime(year, month, int(g.get("d") or 1), hour, int(g.get("min") or 0),
                            int(g.get("s") or 0), micro)
    except ValueError:
        raise PSError('Exception calling "ParseExact" with "3" argument(s): "String was not recognized as a '
                      'valid DateTime."', "FormatException", "NotSpecified",
                      exception_type="MethodInvocationException") from None


class CultureInfo:
    """``[System.Globalization.CultureInfo]``: only a name; ems formats in en-US (and the
    invariant culture where PowerShell does), whatever culture a script passes."""

    PS_TYPE_NAMES = ("System.Globalization.CultureInfo",)

    def __init__(self, name: str):
        self.Name = name

    def ps_properties(self) -> list[tuple[str, Any]]:
        return [("Name", self.Name)]

    def __str__(self) -> str:
        return self.Name


def _array_sort(items: Any, *_rest: Any) -> None:
    """``[array]::Sort($a)``: in place, with PowerShell's comparison."""
    if isinstance(items, list):
        import functools
        from ems.lang.operators import compare
        items.sort(key=functools.cmp_to_key(lambda a, b: compare(a, b)))


def _timespan_parse(text: Any) -> _dt.timedelta:
    try:
        return parse_timespan(to_string(text))
    except ValueError as e:
        raise PSError(f'Exception calling "Parse" with "1" argument(s): "{e}"', "FormatException",
                      "NotSpecified", exception_type="MethodInvocationException") from None


def _int_parse(text: Any) -> int:
    s = to_string(text).strip()
    if not re.match(r"^[+-]?\d+$", s):
        raise PSError('Exception calling "Parse" with "1" argument(s): "Input string was not in a correct format."',
                      "FormatException", "NotSpecified", exception_type="MethodInvocationException")
    return to_int32(s)


def _try_parse(convert: Callable[[str], Any]) -> Callable[..., bool]:
    """``[int]::TryParse($text, [ref]$result)``."""
    def try_parse(text: Any, ref: Any = None) -> bool:
        try:
            value = convert(to_string(text).strip())
        except (PSError, ValueError):
            return False
        if ref is not None and hasattr(ref, "value"):
            ref.value = value
        return True
    return try_parse


def _guid_new() -> uuid.UUID:
    from ems.runtime.session import current_session
    return current_session().new_guid()


def _now() -> _dt.datetime:
    from ems.runtime.session import current_session
    return current_session().clock.now()


def _today() -> _dt.datetime:
    return _now().replace(hour=0, minute=0, second=0, microsecond=0)


def _environment_machine_name() -> str:
    from ems.runtime.session import current_session
    return current_session().computer_name


_TYPES: dict[str, PSType] = {}
_ALIASES: dict[str, str] = {}


def _add(full: str, check, convert, aliases=(), static=None, pytype=None) -> PSType:
    t = PSType(full, check, convert, static, pytype)
    _TYPES[full.lower()] = t
    _ALIASES[full.rsplit(".", 1)[-1].lower()] = full.lower()
    for a in aliases:
        _ALIASES[a.lower()] = full.lower()
    return t


class DayOfWeek(enum.Enum):
    """System.DayOfWeek (``(Get-Date).DayOfWeek``): an enum, so it prints by name and sits
    right-aligned in a table."""

    Sunday = 0
    Monday = 1
    Tuesday = 2
    Wednesday = 3
    Thursday = 4
    Friday = 5
    Saturday = 6


DayOfWeek.PS_TYPE_NAME = "System.DayOfWeek"  # type: ignore[attr-defined]


def _add_enum(cls: type[enum.Enum]) -> None:
    """A .NET enum scripts name as a type literal (``[System.DayOfWeek]::Monday``)."""
    t = enum_type(cls)
    _TYPES[t.full_name.lower()] = t
    _ALIASES[t.full_name.rsplit(".", 1)[-1].lower()] = t.full_name.lower()


def _build_types() -> None:
    nan = float("nan")
    from ems.runtime.preferences import ActionPreference, ConfirmImpact
    for cls in (DayOfWeek, ActionPreference, ConfirmImpact):
        _add_enum(cls)
    _add("System.Object", lambda v: True, _conv_object, ("object", "psobject", "System.Management.Automation.PSObject"))
    _add("System.String", lambda v: isinstance(v, str), _conv_string, ("string",),
         {"Join": _string_join, "IsNullOrEmpty": _string_is_null_or_empty,
          "IsNullOrWhiteSpace": _string_is_null_or_whitespace, "Format": _string_format,
          "Concat": _string_concat, "Compare": _string_compare, "Empty": ""}, str)
    _add("System.Char", lambda v: isinstance(v, str) and len(v) == 1, _conv_char, ("char",))
    _add("System.Boolean", lambda v: isinstance(v, bool), _conv_bool, ("bool", "boolean"),
         {"TrueString": "True", "FalseString": "False"}, bool)
    _add("System.Int32", lambda v: _is_int(v) and INT32_MIN <= v <= INT32_MAX, to_int32, ("int", "int32"),
         {"MaxValue": INT32_MAX, "MinValue": INT32_MIN, "Parse": _int_parse,
          "TryParse": _try_parse(_int_parse)}, int)
    _add("System.Int64", lambda v: _is_int(v) and not (INT32_MIN <= v <= INT32_MAX), to_int64, ("long", "int64"),
         {"MaxValue": INT64_MAX, "MinValue": INT64_MIN, "Parse": lambda s: to_int64(s)}, int)
    _add("System.Int16", _is_int, _ranged(-2**15, 2**15 - 1, "System.Int16"), ("short", "int16"),
         {"MaxValue": 2**15 - 1, "MinValue": -2**15})
    _add("System.Byte", _is_int, _ranged(0, 255, "System.Byte"), ("byte",), {"MaxValue": 255, "MinValue": 0})
    _add("System.SByte", _is_int, _ranged(-128, 127, "System.SByte"), ("sbyte",))
    _add("System.UInt16", _is_int, _ranged(0, 2**16 - 1, "System.UInt16"), ("uint16", "ushort"))
    _add("System.UInt32", _is_int, _ranged(0, 2**32 - 1, "System.UInt32"), ("uint32", "uint"),
         {"MaxValue": 2**32 - 1, "MinValue": 0})
    _add("System.UInt64", _is_int, _ranged(0, 2**64 - 1, "System.UInt64"), ("uint64", "ulong"),
         {"MaxValue": 2**64 - 1, "MinValue": 0})
    _add("System.Double", lambda v: isinstance(v, float), to_double, ("double",),
         {"MaxValue": 1.7976931348623157e308, "MinValue": -1.7976931348623157e308, "NaN": nan,
          "PositiveInfinity": float("inf"), "NegativeInfinity": float("-inf"),
          "Parse": lambda s: to_double(s), "TryParse": _try_parse(to_double)}, float)
    _add("System.Single", lambda v: isinstance(v, float), _conv_single, ("single", "float"))
    _add("System.Decimal", lambda v: isinstance(v, decimal.Decimal), to_decimal, ("decimal",),
         {"MaxValue": decimal.Decimal("79228162514264337593543950335")})
    _add("System.Globalization.CultureInfo", lambda v: isinstance(v, CultureInfo),
         lambda v: v if isinstance(v, CultureInfo) else CultureInfo(to_string(v)), ("cultureinfo",),
         {"InvariantCulture": CultureInfo(""), "CurrentCulture": CultureInfo("en-US"),
          "CurrentUICulture": CultureInfo("en-US"), "GetCultureInfo": lambda name: CultureInfo(to_string(name))})
    _add("System.Array", lambda v: isinstance(v, list), _conv_array, ("array",),
         {"Sort": _array_sort, "Reverse": lambda items, *rest: items.reverse() if isinstance(items, list) else None,
          "IndexOf": lambda items, value, *rest: next((i for i, x in enumerate(items) if x == value), -1)},
         pytype=list)
    _add("System.Object[]", lambda v: isinstance(v, list), _conv_array, (), pytype=list)
    _add("System.Collections.Hashtable", lambda v: isinstance(v, dict), _conv_hashtable, ("hashtable",), pytype=Hashtable)
    _add("System.Collections.Specialized.OrderedDictionary", lambda v: isinstance(v, Hashtable) and v.ordered,
         lambda v: Hashtable(_conv_hashtable(v).items(), ordered=True), ("ordered",))
    _add("System.Management.Automation.PSCustomObject", lambda v: isinstance(v, PSObject), _conv_pscustomobject,
         ("pscustomobject",))
    _add("System.DateTime", lambda v: isinstance(v, _dt.datetime), _conv_datetime, ("datetime",),
         {"Now": _now, "Today": _today, "Parse": _datetime_parse, "TryParse": _try_parse(parse_datetime),
          "ParseExact": _datetime_parse_exact,
          "MinValue": _dt.datetime(1, 1, 1), "MaxValue": _dt.datetime(9999, 12, 31, 23, 59, 59, 999999),
          "UtcNow": _now}, _dt.datetime)
    _add("System.TimeSpan", lambda v: isinstance(v, _dt.timedelta), _conv_timespan, ("timespan",),
         {"Zero": _dt.timedelta(0), "Parse": _timespan_parse,
          "MaxValue": _dt.timedelta(days=10675199, seconds=10085, microseconds=477580),
          "FromSeconds": lambda s: _dt.timedelta(seconds=to_double(s)),
          "FromMinutes": lambda s: _dt.timedelta(minutes=to_double(s)),
          "FromHours": lambda s: _dt.timedelta(hours=to_double(s)),
          "FromDays": lambda s: _dt.timedelta(days=to_double(s)),
          "FromMilliseconds": lambda s: _dt.timedelta(milliseconds=to_double(s))}, _dt.timedelta)
    _add("System.Net.IPAddress", lambda v: isinstance(v, (ipaddress.IPv4Address, ipaddress.IPv6Address)), _conv_ip,
         ("ipaddress",),
         {"None": ipaddress.IPv4Address("255.255.255.255"), "Any": ipaddress.IPv4Address("0.0.0.0"),
          "Broadcast": ipaddress.IPv4Address("255.255.255.255"), "Loopback": ipaddress.IPv4Address("127.0.0.1"),
          "IPv6Any": ipaddress.IPv6Address("::"), "IPv6Loopback": ipaddress.IPv6Address("::1"),
          "Parse": _ip_parse, "TryParse": _ip_try_parse}, ipaddress.IPv4Address)
    _add("System.Guid", lambda v: isinstance(v, uuid.UUID), _conv_guid, ("guid",),
         {"NewGuid": _guid_new, "Empty": uuid.UUID(int=0), "Parse": lambda s: _conv_guid(to_string(s))}, uuid.UUID)
    _add("System.Version", lambda v: isinstance(v, Version), _conv_version, ("version",), pytype=Version)
    _add("System.Text.RegularExpressions.Regex", lambda v: isinstance(v, Regex), _conv_regex, ("regex",),
         {"Escape": lambda s: re.escape(to_string(s)), "Matches": None}, Regex)
    _add("System.Management.Automation.SwitchParameter", lambda v: isinstance(v, SwitchValue), _conv_switch,
         ("switch",))
    _add("System.Management.Automation.ScriptBlock", lambda v: hasattr(v, "invoke") and hasattr(v, "text"),
         _conv_scriptblock, ("scriptblock",))
    _add("System.Void", lambda v: False, lambda v: None, ("void",))
    _add("System.Management.Automation.PSReference", lambda v: isinstance(v, ValueRef),
         lambda v: v if isinstance(v, ValueRef) else ValueRef(v), ("ref",))
    _add("System.Math", lambda v: False, _conv_object, ("math",),
         {"Max": _math_max, "Min": _math_min, "Round": _math_round, "Abs": _math_abs,
          "Floor": _math_floor, "Ceiling": _math_ceiling, "Truncate": _math_truncate,
          "Pow": _math_pow, "Sqrt": _math_sqrt, "PI": math.pi, "E": math.e})
    _add("System.Environment", lambda v: False, _conv_object, ("environment",),
         {"MachineName": _environment_machine_name, "NewLine": "\r\n",
          "UserName": "Administrator", "UserDomainName": ""})
    _add("System.Management.Automation.ErrorRecord", lambda v: type(v).__name__ == "ErrorRecord",
         _conv_object, ("ErrorRecord",))
    _add("System.Exception", lambda v: isinstance(v, BaseException), _conv_object, ("Exception",))
    from ems.runtime.values import ArrayList
    _add("System.Collections.ArrayList", lambda v: isinstance(v, ArrayList), lambda v: ArrayList(_conv_array(v)), ())
    _add("System.Collections.Generic.List", lambda v: isinstance(v, list), lambda v: ArrayList(_conv_array(v)), ())
    _add("System.Enum", lambda v: isinstance(v, enum.Enum), _conv_object, ())
    _add("System.ValueType", lambda v: isinstance(v, (int, float, bool, decimal.Decimal, _dt.datetime, _dt.timedelta)),
         _conv_object, ())
    _add("System.Xml.XmlDocument", lambda v: False, _conv_xml, ("xml",))


def _conv_xml(v: Any) -> Any:
    raise PSError("[xml] is not supported by ems.", "TypeNotSupported", "NotImplemented")


_EXTRA_TYPES: list[Callable[[str], PSType | None]] = []
"""Resolvers other layers may add (e.g. for enums the cmdlets declare)."""


def register_type_resolver(fn: Callable[[str], PSType | None]) -> None:
    _EXTRA_TYPES.append(fn)


def enum_type(cls: type[enum.Enum], full_name: str | None = None) -> PSType:
    """A PSType for a Python enum (string -> member, case-insensitive; ints by value)."""
    name = full_name or getattr(cls, "PS_TYPE_NAME", None) or cls.__name__

    def conv(v: Any) -> Any:
        return convert_enum(v, cls, name)

    return PSType(name, lambda v: isinstance(v, cls), conv, {m.name: m for m in cls}, pytype=cls)


def convert_enum(v: Any, cls: type[enum.Enum], type_name: str) -> Any:
    if isinstance(v, cls):
        return v
    if isinstance(v, enum.Enum):
        v = v.name
    if isinstance(v, int) and not isinstance(v, bool):
        try:
            return cls(v)
        except ValueError:
            pass
    text = to_string(v).strip()
    parts = [p.strip() for p in text.split(",")] if issubclass(cls, enum.Flag) else [text]
    found = []
    for part in parts:
        member = None
        for m in cls:
            if m.name.lower() == part.lower():
                member = m
                break
        if member is None and part.lstrip("-").isdigit():
            try:
                member = cls(int(part))
            except ValueError:
                member = None
        if member is None:
            names = ", ".join(m.name for m in cls)
            inner = (f"Unable to match the identifier name {part} to a valid enumerator name. "
                     f"Specify one of the following enumerator names and try again:\n{names}")
            raise cast_error(v, type_name, inner, "InvalidCastFromStringToEnum")
        found.append(member)
    result = found[0]
    for m in found[1:]:
        result = result | m
    return result


def construct(t: PSType, args: list) -> Any:
    """A new ``t`` from constructor arguments (``New-Object T args``, ``[T]::new(args)``): the
    constructors scripts use - collections, PSObject, value types from one value, DateTime
    (y, m, d[, h, min, s]) and TimeSpan ([d,] h, min, s). LookupError when ems has none."""
    from ems.runtime.values import ArrayList, GenericList
    pytype = t.pytype
    if pytype is GenericList or pytype is list or (
            "collections" in t.full_name.lower() and "hashtable" not in t.full_name.lower()):
        items = args[0] if len(args) == 1 and isinstance(args[0], list) else []
        return t.convert(items) if pytype is GenericList else ArrayList(items)
    if pytype is Hashtable:
        return Hashtable()
    if t.full_name in ("System.Object", "System.Management.Automation.PSCustomObject") and not args:
        return PSObject()
    if pytype is _dt.datetime and len(args) in (3, 6, 7):
        return _dt.datetime(*(to_int32(a) for a in args[:6]))
    if pytype is _dt.timedelta and len(args) in (3, 4):
        parts = [to_int32(a) for a in args]
        days = parts.pop(0) if len(parts) == 4 else 0
        return _dt.timedelta(days=days, hours=parts[0], minutes=parts[1], seconds=parts[2])
    if len(args) == 1:
        return t.convert(args[0])
    if not args and pytype in (int, float, bool, _dt.datetime, _dt.timedelta):
        return _dt.datetime(1, 1, 1) if pytype is _dt.datetime else (
            _dt.timedelta(0) if pytype is _dt.timedelta else pytype())
    raise LookupError(t.full_name)


def resolve_type(name: str) -> PSType | None:
    """``[name]`` -> PSType, or None when no such type is known (TypeNotFound)."""
    if not _TYPES:
        _build_types()
    key = name.strip().lower()
    if key.endswith("[]"):
        elem = resolve_type(key[:-2])
        return _typed_array(elem) if elem else None
    m = re.match(r"^(?:system\.collections\.generic\.)?list\[(.+)\]$", key)
    if m:
        elem = resolve_type(m.group(1))
        return _generic_list(elem) if elem else None
    if key.startswith("system.") is False and "system." + key in _TYPES:
        return _TYPES["system." + key]
    t = _TYPES.get(key)
    if t is None and key in _ALIASES:
        t = _TYPES[_ALIASES[key]]
    if t is None:
        for fn in _EXTRA_TYPES:
            t = fn(name.strip())
            if t is not None:
                break
    return t


def type_of(value: Any) -> PSType:
    """``$x.GetType()``: the PSType of a value (a synthetic one for foreign objects)."""
    if not _TYPES:
        _build_types()
    if isinstance(value, bool):
        return _TYPES["system.boolean"]
    if isinstance(value, int):
        return _TYPES["system.int32" if INT32_MIN <= value <= INT32_MAX else "system.int64"]
    if isinstance(value, enum.Enum):
        return enum_type(type(value))
    name = dotnet_type_name(value)
    t = _TYPES.get(name.lower())
    if t is not None:
        return t
    return PSType(name, lambda v, n=name: dotnet_type_name(v) == n, _conv_object)


def dotnet_type_name(value: Any) -> str:
    """The full .NET type name of a value (``System.String``, ``System.Object[]``...)."""
    from ems.runtime.values import type_names
    if isinstance(value, bool):
        return "System.Boolean"
    if isinstance(value, int):
        return "System.Int32" if INT32_MIN <= value <= INT32_MAX else "System.Int64"
    if isinstance(value, PSObject):
        return "System.Management.Automation.PSCustomObject"
    if isinstance(value, enum.Enum):
        return getattr(type(value), "PS_TYPE_NAME", None) or type(value).__name__
    if isinstance(value, Hashtable) and value.ordered:
        return "System.Collections.Specialized.OrderedDictionary"
    if isinstance(value, SwitchValue):
        return "System.Management.Automation.SwitchParameter"
    if isinstance(value, BaseException):
        return "System." + getattr(value, "exception_type", "Exception") if "." not in getattr(value, "exception_type", "Exception") else value.exception_type
    cls_name = type(value).__name__
    if cls_name == "ScriptBlock":
        return "System.Management.Automation.ScriptBlock"
    if cls_name == "ErrorRecord":
        return "System.Management.Automation.ErrorRecord"
    if isinstance(value, PSType):
        return "System.RuntimeType"
    return type_names(value)[0]


def is_instance(value: Any, t: PSType) -> bool:
    """``-is``: the PSType test, then the object's type-name list (Exchange PS_TYPE_NAMES)."""
    if t.check(value):
        return value is not None or t.full_name == "System.Object" and False
    from ems.runtime.values import type_names
    if value is None:
        return False
    low = t.full_name.lower()
    return any(n.lower() == low or n.lower().endswith("." + low) for n in type_names(value))


def convert_to(value: Any, t: PSType) -> Any:
    """A cast ``[T]value`` (errors as PSError with the 5.1 message)."""
    return t.convert(value)


def convert_to_pytype(value: Any, pytype: Any, type_name: str | None = None) -> Any:
    """Conversion to a parameter's Python type (str, int, enum class, class with parse())."""
    if pytype is str:
        if isinstance(value, list):
            raise cast_error(value, "System.String", None, "InvalidCast")
        return to_string(value)
    if pytype is int:
        return to_int32(value)
    if pytype is float:
        return to_double(value)
    if pytype is bool:
        return to_bool(value)
    if pytype is decimal.Decimal:
        return to_decimal(value)
    if pytype is _dt.timedelta:
        return _conv_timespan(value)
    if pytype is _dt.datetime:
        return _conv_datetime(value)
    if pytype in (ipaddress.IPv4Address, ipaddress.IPv6Address):
        return _conv_ip(value)
    if pytype is uuid.UUID:
        return _conv_guid(value)
    if isinstance(pytype, type) and issubclass(pytype, enum.Enum):
        return convert_enum(value, pytype, type_name or getattr(pytype, "PS_TYPE_NAME", pytype.__name__))
    if isinstance(pytype, type):
        if isinstance(value, pytype):
            return value
        parse = getattr(pytype, "parse", None)
        if parse is not None:
            name = type_name or getattr(pytype, "PS_TYPE_NAME", None) or pytype.__name__
            try:
                return parse(to_string(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else value)
            except PSError:
                raise
            except Exception as e:  # the value type's own validation message
                raise cast_error(value, name, str(e), "InvalidCastParseTargetInvocation") from None
        return value
    return value


__all__ = [
    "to_bool", "to_string", "to_number", "to_int32", "to_int64", "to_double", "to_decimal",
    "convert_to", "convert_to_pytype", "resolve_type", "type_of", "dotnet_type_name",
    "is_instance", "parse_timespan", "parse_datetime", "format_timespan", "format_double",
    "SwitchValue", "PSType", "Version", "Regex", "ValueRef", "cast_error",
]
