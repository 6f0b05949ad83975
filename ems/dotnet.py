""".NET value text that every layer shares: TimeSpan's ToString() and Parse().

A leaf module (standard library only) so that the organisation (ems.exchange), the language
(ems.lang) and the formatter read and write TimeSpans by one rule, without importing each
other across the layer boundaries.
"""
from __future__ import annotations

import datetime as _dt
import re


def format_timespan(td: _dt.timedelta | None) -> str:
    """TimeSpan.ToString() ('c'): ``[-][d.]hh:mm:ss[.fffffff]`` (``00:00:00``, ``7.00:00:00``);
    ``None`` (an unset TimeSpan? property) prints as nothing."""
    if td is None:
        return ""
    total_us = td.days * 86400_000_000 + td.seconds * 1_000_000 + td.microseconds
    sign = "-" if total_us < 0 else ""
    total_us = abs(total_us)
    days, rem = divmod(total_us, 86400_000_000)
    hours, rem = divmod(rem, 3600_000_000)
    minutes, rem = divmod(rem, 60_000_000)
    seconds, us = divmod(rem, 1_000_000)
    text = f"{sign}{days}." if days else sign
    text += f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if us:
        text += f".{us * 10:07d}"
    return text


_TIMESPAN = re.compile(
    r"^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?\s*$")
_TIMESPAN_DAYS = re.compile(r"^\s*(-)?(\d+)\s*$")
_TIMESPAN_D_HMS = re.compile(r"^\s*(-)?(\d+):(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?\s*$")


def parse_timespan(text: str) -> _dt.timedelta:
    """TimeSpan.Parse: ``7.00:00:00``, ``00:15:00``, ``1:30``, ``14`` (days), ``1:02:03:04``.
    Raises ValueError with .NET's message."""
    m = _TIMESPAN.match(text)
    if m:
        neg, d, h, mi, s, frac = m.groups()
        if int(h) > 23 or int(mi) > 59 or (s and int(s) > 59):
            raise ValueError("The TimeSpan could not be parsed because at least one of the numeric "
                             "components is out of range or contains too many digits.")
    else:
        m = _TIMESPAN_D_HMS.match(text)
        if m:
            neg, d, h, mi, s, frac = m.groups()
        else:
            m = _TIMESPAN_DAYS.match(text)
            if not m:
                raise ValueError("String was not recognized as a valid TimeSpan.")
            neg, d = m.groups()
            h = mi = s = frac = None
    td = _dt.timedelta(days=int(d or 0), hours=int(h or 0), minutes=int(mi or 0),
                       seconds=int(s or 0), microseconds=int((frac or "0").ljust(7, "0")) // 10)
    return -td if neg else td
