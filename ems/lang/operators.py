"""The operators of Windows PowerShell 5.1 with their exact value semantics.

Arithmetic widens like PowerShell (Int32 overflow -> Double, ``5/2`` = 2.5), comparisons
coerce the right operand to the left operand's type and filter when the left side is a
collection, ``-like`` uses PowerShell wildcards, ``-match``/``-replace``/``-split`` use .NET
regular expressions (translated once to Python's ``re`` and cached) and ``-f`` implements .NET
composite formatting with the en-US culture. Pure functions: the evaluator passes in what they
need (``$OFS``) and receives ``$Matches`` back.
"""
from __future__ import annotations

import datetime as _dt
import decimal
import enum
import functools
import ipaddress
import math
import re
from typing import Any

from ems.lang.conversion import (
    INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, PSType, cast_error, convert_to, dotnet_type_name,
    enum_name, format_datetime_current, format_double, format_timespan, is_instance, is_number,
    parse_datetime, parse_number, parse_timespan, to_bool, to_display_string, to_number, to_string,
)
from ems.runtime.errors import PSError, RuntimeException
from ems.runtime.values import Hashtable, is_enumerable


def _as_list(value: Any) -> list | None:
    """The elements of a collection operand, or None for a scalar."""
    if isinstance(value, list):
        return value
    if value is not None and not isinstance(value, (str, dict)) and is_enumerable(value):
        return list(value)
    return None


# =========================================================================== arithmetic

def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _int_result(a: int, b: int, r: int) -> int | float:
    """Int32 op Int32 overflowing -> Double; Int64 op overflowing Int64 -> Double."""
    if INT32_MIN <= a <= INT32_MAX and INT32_MIN <= b <= INT32_MAX:
        return r if INT32_MIN <= r <= INT32_MAX else float(r)
    return r if INT64_MIN <= r <= INT64_MAX else float(r)


def _numeric_pair(a: Any, b: Any) -> tuple[Any, Any]:
    a = to_number(a)
    b = to_number(b, dotnet_type_name(a))
    if isinstance(a, decimal.Decimal) or isinstance(b, decimal.Decimal):
        if isinstance(a, float) or isinstance(b, float):
            return float(a), float(b)
        return decimal.Decimal(a), decimal.Decimal(b)
    if isinstance(a, float) or isinstance(b, float):
        return float(a), float(b)
    return a, b


def op_error(op: str, a: Any) -> PSError:
    name = {"+": "op_Addition", "-": "op_Subtraction", "*": "op_Multiply", "/": "op_Division",
            "%": "op_Modulus"}[op]
    return RuntimeException(
        f"Method invocation failed because [{dotnet_type_name(a)}] does not contain a method named '{name}'.",
        "MethodNotFound", "InvalidOperation")


def add(a: Any, b: Any) -> Any:
    if a is None:
        if b is None:
            return None
        return list(b) if isinstance(b, list) else b
    if isinstance(a, str):
        return a + to_string(b)
    if isinstance(a, list):
        return a + b if isinstance(b, list) else a + [b]
    if isinstance(a, dict):
        if not isinstance(b, dict):
            raise RuntimeException("A hash table can only be added to another hash table.",
                                   "AddHashTableToNonHashTable", "InvalidOperation")
        out = Hashtable(a.items(), ordered=getattr(a, "ordered", False))
        for k, v in b.items():
            if k in out:
                raise RuntimeException(
                    f"Item has already been added. Key in dictionary: '{k}'  Key being added: '{k}'",
                    "ArgumentException", "OperationStopped", exception_type="ArgumentException")
            out[k] = v
        return out
    if isinstance(a, _dt.datetime):
        if isinstance(b, _dt.timedelta):
            return a + b
        if _is_int(b):
            return a + _dt.timedelta(microseconds=b // 10)
        raise op_error("+", a)
    if isinstance(a, _dt.timedelta):
        if isinstance(b, _dt.timedelta):
            return a + b
        if isinstance(b, _dt.datetime):
            return b + a
        raise op_error("+", a)
    if isinstance(a, (int, float, decimal.Decimal, bool, enum.Enum)):
        x, y = _numeric_pair(a, b)
        r = x + y
        return _int_result(x, y, r) if _is_int(r) else r
    if hasattr(a, "__add__") and not isinstance(a, (tuple,)):
        try:
            return a + b
        except TypeError:
            pass
    raise op_error("+", a)


def subtract(a: Any, b: Any) -> Any:
    if isinstance(a, _dt.datetime):
        if isinstance(b, (_dt.datetime, _dt.timedelta)):
            return a - b
        raise op_error("-", a)
    if isinstance(a, _dt.timedelta):
        if isinstance(b, _dt.timedelta):
            return a - b
        raise op_error("-", a)
    if a is None or isinstance(a, (int, float, decimal.Decimal, bool, str, enum.Enum)):
        x, y = _numeric_pair(a, b)
        r = x - y
        return _int_result(x, y, r) if _is_int(r) else r
    raise op_error("-", a)


_MAX_ITEMS = 50_000_000


def _repeat_count(a: Any, b: Any) -> int:
    n = int(to_number(b))
    if n * max(len(a), 1) > _MAX_ITEMS:
        raise RuntimeException("Array dimensions exceeded supported range.", "OutOfMemoryException",
                               "NotSpecified", exception_type="OutOfMemoryException")
    return n


def multiply(a: Any, b: Any) -> Any:
    if isinstance(a, str):
        return a * _repeat_count(a, b)
    if isinstance(a, list):
        return a * _repeat_count(a, b)
    if a is None or isinstance(a, (int, float, decimal.Decimal, bool, enum.Enum)):
        x, y = _numeric_pair(a, b)
        r = x * y
        return _int_result(x, y, r) if _is_int(r) else r
    raise op_error("*", a)


def _divide_by_zero() -> PSError:
    e = RuntimeException("Attempted to divide by zero.", "RuntimeException", "NotSpecified")
    e.inner_type = "DivideByZeroException"  # catch [System.DivideByZeroException] matches
    return e


def divide(a: Any, b: Any) -> Any:
    if not (a is None or isinstance(a, (int, float, decimal.Decimal, bool, str, enum.Enum))):
        raise op_error("/", a)
    x, y = _numeric_pair(a, b)
    if y == 0:
        if isinstance(x, float):
            return math.copysign(float("inf"), x) if x else float("nan")
        raise _divide_by_zero()
    if _is_int(x) and _is_int(y):
        q, r = divmod(x, y)
        if r == 0:
            return _int_result(x, y, q)
        return x / y
    return x / y


def modulo(a: Any, b: Any) -> Any:
    x, y = _numeric_pair(a, b)
    if y == 0:
        if isinstance(x, float):
            return float("nan")
        raise _divide_by_zero()
    if _is_int(x) and _is_int(y):
        r = abs(x) % abs(y)
        return -r if x < 0 else r
    return math.fmod(x, y) if isinstance(x, float) else x % y


def negate(a: Any) -> Any:
    n = to_number(a)
    r = -n
    return _int_result(n, 0, r) if _is_int(r) else r


def _to_integral(v: Any) -> int:
    n = to_number(v)
    if isinstance(n, int):
        return n
    return int(round(n))


def band(a: Any, b: Any) -> Any:
    return _bit_result(a, _to_integral(a) & _to_integral(b))


def bor(a: Any, b: Any) -> Any:
    return _bit_result(a, _to_integral(a) | _to_integral(b))


def bxor(a: Any, b: Any) -> Any:
    return _bit_result(a, _to_integral(a) ^ _to_integral(b))


def bnot(a: Any) -> Any:
    return ~_to_integral(a)


def shl(a: Any, b: Any) -> Any:
    n = _to_integral(a)
    r = (n << (_to_integral(b) & 31))
    if INT32_MIN <= n <= INT32_MAX:
        r &= 0xFFFFFFFF
        return r - 2**32 if r > INT32_MAX else r
    return r


def shr(a: Any, b: Any) -> Any:
    return _to_integral(a) >> (_to_integral(b) & 63)


def _bit_result(a: Any, r: int) -> Any:
    if isinstance(a, enum.Enum):
        try:
            return type(a)(r)
        except ValueError:
            return r
    return r


def range_op(a: Any, b: Any) -> list[int]:
    x, y = _to_range_int(a), _to_range_int(b)
    if abs(x - y) > _MAX_ITEMS:
        raise RuntimeException("The range operator supports at most 50,000,000 elements.",
                               "ArrayTooLarge", "InvalidOperation")
    if x <= y:
        return list(range(x, y + 1))
    return list(range(x, y - 1, -1))


def _to_range_int(v: Any) -> int:
    n = to_number(v)
    return n if isinstance(n, int) else int(round(n))


# =========================================================================== comparison

def _fold(s: str, case_sensitive: bool) -> str:
    return s if case_sensitive else s.lower()


def equals(a: Any, b: Any, case_sensitive: bool = False) -> bool:
    """LanguagePrimitives.Equals: ``b`` is converted to ``a``'s type."""
    if a is None:
        return b is None
    if b is None:
        return False
    if isinstance(a, str):
        if isinstance(b, str):
            return a == b if case_sensitive else (a == b or a.lower() == b.lower())
        return _fold(a, case_sensitive) == _fold(to_string(b), case_sensitive)
    if isinstance(a, bool):
        return a == to_bool(b)
    if isinstance(a, (int, float, decimal.Decimal)):
        if isinstance(b, bool):
            return a == int(b)
        if isinstance(b, (int, float, decimal.Decimal)):
            return a == b
        if isinstance(b, str):
            n = parse_number(b)
            if n is None or b.strip() == "":
                return False
            return a == n
        if isinstance(b, enum.Enum) and isinstance(b.value, int):
            return a == b.value
        return False
    if isinstance(a, enum.Enum):
        if isinstance(b, enum.Enum):
            return a is b or enum_name(a).lower() == enum_name(b).lower()
        if isinstance(b, str):
            return _fold(enum_name(a), case_sensitive) == _fold(b.strip(), case_sensitive)
        if isinstance(b, int):
            return a.value == b
        return False
    if isinstance(a, _dt.datetime):
        if isinstance(b, str):
            try:
                return a == parse_datetime(b)
            except ValueError:
                return False
        return a == b
    if isinstance(a, _dt.timedelta):
        if isinstance(b, str):
            try:
                return a == parse_timespan(b)
            except ValueError:
                return False
        return a == b
    if isinstance(a, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return to_string(a) == to_string(b).strip()
    if isinstance(a, list) or isinstance(b, list):
        return a is b
    if a is b:
        return True
    try:
        if a == b:
            return True
    except Exception:
        pass
    if isinstance(b, str):
        # Remote EMS hands scripts deserialized objects whose references (Server, Database,
        # identities) compare as their text; do the same for our live objects.
        parse = getattr(type(a), "parse", None)
        if parse is not None:
            try:
                if a == parse(b):
                    return True
            except Exception:
                pass
        return _fold(str(a), case_sensitive) == _fold(b, case_sensitive)
    return False


def _culture_key(s: str, case_sensitive: bool) -> tuple:
    if not case_sensitive:
        return (s.lower(),)
    # culture-aware ordering: letters compare ignoring case first; lowercase sorts first.
    return (s.lower(), [c.isupper() for c in s])


class NotComparable(Exception):
    pass


def compare(a: Any, b: Any, case_sensitive: bool = False) -> int:
    """LanguagePrimitives.Compare: <0, 0, >0 (``b`` converted to ``a``'s type)."""
    if a is None and b is None:
        return 0
    if a is None:
        if is_number(b):
            return -1 if b >= 0 else 1
        return -1
    if b is None:
        if is_number(a):
            return 1 if a >= 0 else -1
        return 1
    if isinstance(a, str):
        ka, kb = _culture_key(a, case_sensitive), _culture_key(to_string(b), case_sensitive)
        return (ka > kb) - (ka < kb)
    if isinstance(a, (int, float, decimal.Decimal, bool)):
        x = int(a) if isinstance(a, bool) else a
        if isinstance(b, str):
            y = parse_number(b)
            if y is None:
                raise cast_error(b, dotnet_type_name(a), "Input string was not in a correct format.",
                                 "InvalidCastFromStringToInteger")
        else:
            y = to_number(b, dotnet_type_name(a))
        if isinstance(x, decimal.Decimal) and isinstance(y, float):
            x = float(x)
        elif isinstance(y, decimal.Decimal) and isinstance(x, float):
            y = float(y)
        return (x > y) - (x < y)
    if isinstance(a, enum.Enum):
        if isinstance(b, str):
            for m in type(a):
                if m.name.lower() == b.strip().lower():
                    b = m
                    break
        x = a.value if isinstance(a.value, (int, float)) else enum_name(a)
        y = b.value if isinstance(b, enum.Enum) else b
        try:
            return (x > y) - (x < y)
        except TypeError:
            raise NotComparable() from None
    if isinstance(a, _dt.datetime):
        if isinstance(b, str):
            b = parse_datetime(b)
        return (a > b) - (a < b)
    if isinstance(a, _dt.timedelta):
        if isinstance(b, str):
            b = parse_timespan(b)
        return (a > b) - (a < b)
    try:
        if a == b:
            return 0
        return 1 if a > b else -1
    except TypeError:
        pass
    if isinstance(b, str) or hasattr(a, "__str__"):
        sa, sb = to_string(a), to_string(b)
        ka, kb = _culture_key(sa, case_sensitive), _culture_key(sb, case_sensitive)
        return (ka > kb) - (ka < kb)
    raise NotComparable()


def _compare_or_error(a: Any, b: Any, cs: bool) -> int:
    try:
        return compare(a, b, cs)
    except NotComparable:
        raise RuntimeException(f'Cannot compare "{to_string(a)}" because it is not IComparable.',
                               "NotIcomparable", "InvalidOperation") from None
    except PSError as e:
        raise RuntimeException(f'Could not compare "{to_string(a)}" to "{to_string(b)}". Error: "{e.message}"',
                               "ComparisonFailure", "InvalidOperation") from None
    except (TypeError, ValueError) as e:
        inner = str(e) if isinstance(e, ValueError) else (
            f'Cannot convert the "{to_string(b)}" value of type "{dotnet_type_name(b)}" to type "{dotnet_type_name(a)}".')
        raise RuntimeException(f'Could not compare "{to_string(a)}" to "{to_string(b)}". Error: "{inner}"',
                               "ComparisonFailure", "InvalidOperation") from None


_RELATIONAL = {
    "eq": lambda a, b, cs: equals(a, b, cs),
    "ne": lambda a, b, cs: not equals(a, b, cs),
    "gt": lambda a, b, cs: _compare_or_error(a, b, cs) > 0,
    "ge": lambda a, b, cs: _compare_or_error(a, b, cs) >= 0,
    "lt": lambda a, b, cs: _compare_or_error(a, b, cs) < 0,
    "le": lambda a, b, cs: _compare_or_error(a, b, cs) <= 0,
}


def split_operator_name(op: str) -> tuple[str, bool]:
    """``-ceq`` -> ('eq', True); ``-ieq``/``-eq`` -> ('eq', False)."""
    name = op.lstrip("-\u2013\u2014\u2015").lower()
    if name[:1] == "c" and name[1:] in _CASE_OPS:
        return name[1:], True
    if name[:1] == "i" and name[1:] in _CASE_OPS:
        return name[1:], False
    return name, False


_CASE_OPS = {"eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch",
             "contains", "notcontains", "in", "notin", "replace", "split"}


def relational(op: str, a: Any, b: Any, case_sensitive: bool) -> Any:
    """-eq/-ne/-gt/-ge/-lt/-le: Boolean for a scalar LHS, the matching elements for a collection."""
    test = _RELATIONAL[op]
    items = _as_list(a)
    if items is None:
        return test(a, b, case_sensitive)
    return [x for x in items if test(x, b, case_sensitive)]


def contains(collection: Any, value: Any, case_sensitive: bool) -> bool:
    items = _as_list(collection)
    if items is None:
        items = [collection]
    if isinstance(value, list):
        value = to_string(value)
    return any(equals(x, value, case_sensitive) for x in items)


# =========================================================================== wildcards

def has_wildcard(text: str) -> bool:
    """True when ``text`` holds an unescaped wildcard character (``* ? [``)."""
    prev = ""
    for c in text:
        if c in "*?[" and prev != "`":
            return True
        prev = c if prev != "`" else ""
    return False


@functools.lru_cache(maxsize=512)
def wildcard_regex(pattern: str, case_sensitive: bool = False) -> re.Pattern:
    """A PowerShell wildcard pattern as an anchored regex."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "`" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            j = pattern.find("]", i + 2)
            if j == -1:
                raise _bad_wildcard(pattern)
            body = pattern[i + 1:j]
            parts = []
            for k, ch in enumerate(body):
                if ch == "-" and 0 < k < len(body) - 1:
                    parts.append("-")
                else:
                    parts.append(re.escape(ch))
            out.append("[" + "".join(parts) + "]")
            i = j
        else:
            out.append(re.escape(c))
        i += 1
    flags = re.S if case_sensitive else re.S | re.I
    try:
        return re.compile("^" + "".join(out) + "$", flags)
    except re.error:
        raise _bad_wildcard(pattern) from None


def _bad_wildcard(pattern: str) -> PSError:
    return RuntimeException(f"The specified wildcard character pattern is not valid: {pattern}",
                            "RuntimeException", "NotSpecified", exception_type="WildcardPatternException")


def wildcard_match(pattern: str, text: Any, case_sensitive: bool = False) -> bool:
    return wildcard_regex(pattern, case_sensitive).match(to_string(text)) is not None


def like(a: Any, pattern: Any, case_sensitive: bool, negate: bool = False) -> Any:
    rx = wildcard_regex(to_string(pattern), case_sensitive)
    items = _as_list(a)
    if items is None:
        return (rx.match(to_string(a)) is not None) != negate
    return [x for x in items if (rx.match(to_string(x)) is not None) != negate]


# =========================================================================== regex

_NAMED_GROUP = re.compile(r"\(\?<(?![=!])([A-Za-z_]\w*)>")
_NAMED_GROUP_Q = re.compile(r"\(\?'([A-Za-z_]\w*)'")
_BACKREF = re.compile(r"\\k<([A-Za-z_]\w*)>")


@functools.lru_cache(maxsize=512)
def compile_regex(pattern: str, ignore_case: bool = True) -> re.Pattern:
    """A .NET regular expression compiled with Python's ``re`` (named groups translated)."""
    p = _NAMED_GROUP.sub(r"(?P<\1>", pattern)
    p = _NAMED_GROUP_Q.sub(r"(?P<\1>", p)
    p = _BACKREF.sub(r"(?P=\1)", p)
    p = p.replace("\\z", "\\Z") if "\\z" in p else p
    try:
        return re.compile(p, re.I if ignore_case else 0)
    except re.error as e:
        raise RuntimeException(
            f'The regular expression pattern {pattern} is not valid.', "InvalidRegularExpression",
            "InvalidOperation", target=pattern) from e


def matches_table(m: re.Match) -> Hashtable:
    """``$Matches``: key 0 the whole match, then numbered and named groups that took part."""
    h = Hashtable()
    names = {v: k for k, v in m.re.groupindex.items()}
    for i in range(m.re.groups, 0, -1):
        if m.group(i) is not None:
            h[names.get(i, i)] = m.group(i)
    h[0] = m.group(0)
    return h


def match(a: Any, pattern: Any, case_sensitive: bool, negate: bool = False) -> tuple[Any, Hashtable | None]:
    """-match/-notmatch: (result, $Matches or None when $Matches is left alone)."""
    rx = compile_regex(to_string(pattern), not case_sensitive)
    items = _as_list(a)
    if items is None:
        m = rx.search(to_string(a))
        if m is not None and not negate:
            return True, matches_table(m)
        return (m is not None) != negate, None
    return [x for x in items if (rx.search(to_string(x)) is not None) != negate], None


def _translate_replacement(sub: str):
    """A .NET substitution (``$1``, ``${name}``, ``$0``, ``$$``, ``$&``) as a match function."""
    parts: list[Any] = []
    i, n = 0, len(sub)
    lit = []
    while i < n:
        c = sub[i]
        if c == "$" and i + 1 < n:
            nxt = sub[i + 1]
            if nxt == "$":
                lit.append("$")
                i += 2
                continue
            if nxt.isdigit():
                j = i + 1
                while j < n and sub[j].isdigit():
                    j += 1
                parts.append("".join(lit)); lit = []
                parts.append(int(sub[i + 1:j]))
                i = j
                continue
            if nxt == "{":
                j = sub.find("}", i + 2)
                if j != -1:
                    parts.append("".join(lit)); lit = []
                    name = sub[i + 2:j]
                    parts.append(int(name) if name.isdigit() else name)
                    i = j + 1
                    continue
            if nxt == "&":
                parts.append("".join(lit)); lit = []
                parts.append(0)
                i += 2
                continue
        lit.append(c)
        i += 1
    parts.append("".join(lit))

    def repl(m: re.Match) -> str:
        out = []
        for p in parts:
            if isinstance(p, str) and not isinstance(p, bool):
                out.append(p)
            else:
                try:
                    out.append(m.group(p) or "")
                except (IndexError, re.error):
                    out.append("$" + str(p))
        return "".join(out)

    return repl


def replace(a: Any, rhs: Any, case_sensitive: bool) -> Any:
    if isinstance(rhs, list):
        if len(rhs) > 2:
            raise RuntimeException(
                "The -ireplace operator allows only two elements to follow it, not "
                f"{len(rhs)}.", "BadReplaceArgument", "InvalidOperation")
        pattern = rhs[0] if rhs else ""
        sub = rhs[1] if len(rhs) > 1 else ""
    else:
        pattern, sub = rhs, ""
    rx = compile_regex(to_string(pattern), not case_sensitive)
    repl = _translate_replacement(to_string(sub))
    items = _as_list(a)
    if items is None:
        return rx.sub(repl, to_string(a))
    return [rx.sub(repl, to_string(x)) for x in items]


def split(a: Any, rhs: Any, case_sensitive: bool) -> list:
    """Binary -split: regex delimiter, optional max-substrings and options (``'SimpleMatch'``)."""
    if isinstance(rhs, list):
        pattern = to_string(rhs[0]) if rhs else ""
        limit = int(to_number(rhs[1])) if len(rhs) > 1 else 0
        options = to_string(rhs[2]).lower() if len(rhs) > 2 else ""
    else:
        pattern, limit, options = to_string(rhs), 0, ""
    if "simplematch" in options:
        pattern = re.escape(pattern)
    if "ignorecase" in options:
        case_sensitive = False
    rx = compile_regex(pattern, not case_sensitive)
    items = _as_list(a)
    out: list = []
    for s in (items if items is not None else [a]):
        text = to_string(s)
        out.extend(rx.split(text, maxsplit=limit - 1 if limit > 0 else 0))
    return [x if x is not None else "" for x in out]


def unary_split(a: Any) -> list:
    items = _as_list(a)
    out: list = []
    for s in (items if items is not None else [a]):
        out.extend(w for w in re.split(r"\s+", to_string(s).strip()) if w != "" or False)
    return out or [""]


def join(a: Any, sep: Any, ofs: str = " ") -> str:
    items = _as_list(a)
    if items is None:
        return to_string(a, ofs)
    return to_string(sep).join(to_string(x, ofs) for x in items)


# =========================================================================== type operators

def is_type(a: Any, t: PSType) -> bool:
    return is_instance(a, t)


def as_type(a: Any, t: PSType) -> Any:
    try:
        return convert_to(a, t)
    except PSError:
        return None
    except Exception:
        return None


# =========================================================================== -f formatting

_FORMAT_ITEM = re.compile(r"\{\{|\}\}|\{(\d+)\s*(?:,\s*(-?\d+)\s*)?(?::([^}]*))?\}|[{}]")


def format_error() -> PSError:
    return RuntimeException(
        "Error formatting a string: Index (zero based) must be greater than or equal to zero "
        "and less than the size of the argument list..", "FormatError", "InvalidOperation")


def format_operator(fmt: str, args: list) -> str:
    """.NET String.Format with en-US culture: ``{0,-10}``, ``{1:N2}``, ``{{``."""
    out: list[str] = []
    pos = 0
    for m in _FORMAT_ITEM.finditer(fmt):
        out.append(fmt[pos:m.start()])
        pos = m.end()
        tok = m.group(0)
        if tok == "{{":
            out.append("{")
            continue
        if tok == "}}":
            out.append("}")
            continue
        if m.group(1) is None:
            raise RuntimeException("Error formatting a string: Input string was not in a correct format..",
                                   "FormatError", "InvalidOperation")
        idx = int(m.group(1))
        if idx >= len(args):
            raise format_error()
        text = format_value(args[idx], m.group(3))
        if m.group(2):
            width = int(m.group(2))
            text = text.ljust(-width) if width < 0 else text.rjust(width)
        out.append(text)
    out.append(fmt[pos:])
    return "".join(out)


def format_value(value: Any, spec: str | None) -> str:
    """``value.ToString(spec)`` for numbers, dates and time spans (en-US)."""
    if spec is None or spec == "":
        if isinstance(value, list):
            return "System.Object[]"
        return to_display_string(value)
    if isinstance(value, bool):
        return to_string(value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return format_number(value, spec)
    if isinstance(value, _dt.datetime):
        return format_datetime(value, spec)
    if isinstance(value, _dt.timedelta):
        return format_timespan_spec(value, spec)
    if isinstance(value, enum.Enum):
        if spec.upper() == "D" and isinstance(value.value, int):
            return str(value.value)
        return enum_name(value)
    return to_display_string(value)


def _round_half_away(d: decimal.Decimal, digits: int) -> decimal.Decimal:
    return d.quantize(decimal.Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_UP)


def _to_dec(x: Any) -> decimal.Decimal:
    if isinstance(x, float):
        return decimal.Decimal(format_double(x)) if "E" not in format_double(x) else decimal.Decimal(repr(x))
    return decimal.Decimal(x)


def _group(intpart: str) -> str:
    neg = intpart.startswith("-")
    digits = intpart[1:] if neg else intpart
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ("-" if neg else "") + ",".join(groups)


def _fixed(x: Any, digits: int, grouping: bool) -> str:
    d = _round_half_away(_to_dec(x), digits)
    neg = d < 0
    text = format(abs(d), "f")
    if "." in text:
        ip, fp = text.split(".")
    else:
        ip, fp = text, ""
    if grouping:
        ip = _group(ip)
    res = ip + ("." + fp if digits > 0 else "")
    if neg and d != 0:
        res = "-" + res
    return res


def format_number(x: Any, spec: str) -> str:
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return format_double(x)
    m = re.fullmatch(r"([A-Za-z])(\d{0,2})", spec)
    if m:
        kind, digits_s = m.group(1), m.group(2)
        k = kind.upper()
        digits = int(digits_s) if digits_s else None
        if k == "N":
            return _fixed(x, 2 if digits is None else digits, True)
        if k == "F":
            return _fixed(x, 2 if digits is None else digits, False)
        if k == "D":
            if not isinstance(x, int):
                raise RuntimeException("Error formatting a string: Format specifier was invalid..",
                                       "FormatError", "InvalidOperation")
            s = str(abs(x)).rjust(digits or 0, "0")
            return ("-" if x < 0 else "") + s
        if k == "X":
            if not isinstance(x, int):
                raise RuntimeException("Error formatting a string: Format specifier was invalid..",
                                       "FormatError", "InvalidOperation")
            v = x if x >= 0 else (x + (2**32 if x >= INT32_MIN else 2**64))
            s = format(v, "X" if kind == "X" else "x")
            return s.rjust(digits or 0, "0")
        if k == "P":
            return _fixed(_to_dec(x) * 100, 2 if digits is None else digits, True) + " %"
        if k == "C":
            s = _fixed(x, 2 if digits is None else digits, True)
            return f"(${s[1:]})" if s.startswith("-") else f"${s}"
        if k == "E":
            d = 6 if digits is None else digits
            s = f"{float(x):.{d}{'E' if kind == 'E' else 'e'}}"
            mant, exp = s.split("E" if kind == "E" else "e")
            sign = exp[0]
            return f"{mant}{kind}{sign}{exp[1:].lstrip('0').rjust(3, '0')}"
        if k == "G" or k == "R":
            if digits:
                return ("%." + str(digits) + "G") % x
            return to_string(x)
    return _custom_number(x, spec)


def _custom_number(x: Any, spec: str) -> str:
    """Custom numeric format strings: ``0``, ``#``, ``.``, ``,`` (grouping), ``%``, literals."""
    sections = spec.split(";")
    section = sections[0]
    if len(sections) > 1 and to_number(x) < 0:
        section = sections[1]
        x = -to_number(x)
    elif len(sections) > 2 and to_number(x) == 0:
        section = sections[2]
    value = _to_dec(to_number(x))
    if "%" in section:
        value *= 100
    # split literal text from the numeric picture
    m = re.search(r"[0#][0#,.]*|\.[0#]+", section)
    if not m:
        return section
    picture = m.group(0)
    prefix, suffix = section[:m.start()], section[m.end():]
    grouping = "," in picture.split(".")[0]
    int_pic, _, frac_pic = picture.replace(",", "").partition(".")
    max_frac = len(frac_pic)
    min_frac = len(frac_pic.rstrip("#")) if frac_pic else 0
    min_int = len(int_pic) - len(int_pic.lstrip("#")) if False else int_pic.count("0")
    d = _round_half_away(value, max_frac)
    neg = d < 0
    text = format(abs(d), "f")
    ip, _, fp = text.partition(".")
    fp = fp.rstrip("0")
    fp = fp.ljust(min_frac, "0")
    ip = ip.lstrip("0")
    ip = ip.rjust(min_int, "0")
    if grouping and ip:
        ip = _group(ip)
    res = ip + ("." + fp if fp else "")
    if neg and res.strip("0.,"):
        res = "-" + res
    return prefix.replace("'", "").replace('"', "") + res + suffix.replace("'", "").replace('"', "")


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_STANDARD_DATE = {
    "d": "M/d/yyyy", "D": "dddd, MMMM d, yyyy", "f": "dddd, MMMM d, yyyy h:mm tt",
    "F": "dddd, MMMM d, yyyy h:mm:ss tt", "g": "M/d/yyyy h:mm tt", "G": "M/d/yyyy h:mm:ss tt",
    "m": "MMMM d", "M": "MMMM d", "s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss", "t": "h:mm tt",
    "T": "h:mm:ss tt", "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'", "y": "MMMM yyyy", "Y": "MMMM yyyy",
    "o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffff", "O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffff",
    "r": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", "R": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
    "U": "dddd, MMMM d, yyyy h:mm:ss tt",
}

_DATE_TOKEN = re.compile(r"'[^']*'|\"[^\"]*\"|\\.|d{1,4}|M{1,4}|y{1,5}|h{1,2}|H{1,2}|m{1,2}|s{1,2}|f{1,7}|F{1,7}|t{1,2}|z{1,3}|K|.", re.S)


def format_datetime(d: _dt.datetime, spec: str) -> str:
    """DateTime.ToString(format) for the en-US culture."""
    pattern = _STANDARD_DATE.get(spec, spec) if len(spec) == 1 else spec
    if len(spec) == 2 and spec[0] == "%":
        pattern = spec[1]
    out = []
    for tok in _DATE_TOKEN.findall(pattern):
        c = tok[0]
        n = len(tok)
        if c in "'\"":
            out.append(tok[1:-1])
        elif c == "\\":
            out.append(tok[1:])
        elif c == "d":
            out.append([str(d.day), f"{d.day:02d}", _DAYS[d.weekday()][:3], _DAYS[d.weekday()]][n - 1])
        elif c == "M":
            out.append([str(d.month), f"{d.month:02d}", _MONTHS[d.month - 1][:3], _MONTHS[d.month - 1]][n - 1])
        elif c == "y":
            out.append(str(d.year % 100) if n == 1 else f"{d.year % 100:02d}" if n == 2 else str(d.year).rjust(n, "0"))
        elif c == "h":
            h = d.hour % 12 or 12
            out.append(str(h) if n == 1 else f"{h:02d}")
        elif c == "H":
            out.append(str(d.hour) if n == 1 else f"{d.hour:02d}")
        elif c == "m":
            out.append(str(d.minute) if n == 1 else f"{d.minute:02d}")
        elif c == "s":
            out.append(str(d.second) if n == 1 else f"{d.second:02d}")
        elif c in "fF":
            frac = f"{d.microsecond:06d}0"[:n]
            out.append(frac.rstrip("0") if c == "F" else frac)
        elif c == "t":
            out.append(("AM" if d.hour < 12 else "PM")[:n])
        elif c == "z":
            out.append(["+0", "+00", "+00:00"][n - 1])
        elif c == "K":
            out.append("")
        else:
            out.append(tok)
    return "".join(out)


def format_timespan_spec(td: _dt.timedelta, spec: str) -> str:
    if spec in ("c", "t", "T"):
        return format_timespan(td)
    if spec in ("g", "G"):
        total = td.total_seconds()
        sign = "-" if total < 0 else ""
        td2 = abs(td)
        days, rem = divmod(td2.days * 86400 + td2.seconds, 86400)
        h, rem = divmod(rem, 3600)
        mi, s = divmod(rem, 60)
        if spec == "G":
            return f"{sign}{days}:{h:02d}:{mi:02d}:{s:02d}.{td2.microseconds * 10:07d}"
        text = f"{sign}{days}:" if days else sign
        text += f"{h}:{mi:02d}:{s:02d}"
        if td2.microseconds:
            text += f".{td2.microseconds * 10:07d}".rstrip("0")
        return text
    total = abs(td)
    days = total.days
    h, rem = divmod(total.seconds, 3600)
    mi, s = divmod(rem, 60)
    out = []
    for tok in re.findall(r"'[^']*'|\\.|d{1,8}|h{1,2}|m{1,2}|s{1,2}|f{1,7}|.", spec):
        c, n = tok[0], len(tok)
        if c == "'":
            out.append(tok[1:-1])
        elif c == "\\":
            out.append(tok[1:])
        elif c == "d":
            out.append(str(days).rjust(n, "0"))
        elif c == "h":
            out.append(str(h).rjust(n, "0"))
        elif c == "m":
            out.append(str(mi).rjust(n, "0"))
        elif c == "s":
            out.append(str(s).rjust(n, "0"))
        elif c == "f":
            out.append(f"{total.microseconds:06d}0"[:n])
        else:
            raise RuntimeException("Error formatting a string: Input string was not in a correct format..",
                                   "FormatError", "InvalidOperation")
    return "".join(out)


__all__ = [
    "add", "subtract", "multiply", "divide", "modulo", "negate", "band", "bor", "bxor", "bnot",
    "shl", "shr", "range_op", "equals", "compare", "relational", "contains", "like", "match",
    "replace", "split", "unary_split", "join", "is_type", "as_type", "format_operator",
    "format_value", "wildcard_match", "wildcard_regex", "has_wildcard", "compile_regex",
    "format_datetime_current",
]
