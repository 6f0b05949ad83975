"""Format views: the ``format.ps1xml`` of ems, one registry keyed by .NET type name.

A view says how objects of its types print without (or with) a Format-* command:
``TableView`` (columns with optional widths/alignment, optional GroupBy, AutoSize),
``ListView``, ``WideView`` and ``CustomView`` (a function that writes the lines, for
DateTime's long form). The first view registered for a type is its default view (A.13
rule 1); Format-Table/-List/-Wide pick the first view of their shape.

This module holds the views of PowerShell's own types (DotNetTypes/PowerShellCore
format.ps1xml); the Exchange types are in ``exchange_views`` (one table per type). Views
are never defined in cmdlets.
"""
from __future__ import annotations

from typing import Any, Callable

import attrs

from ems.format.props import ALIGN_RIGHT, ALIGN_UNDEFINED, Field


def col(getter: str | Callable[[Any], Any], width: int = 0, label: str | None = None,
        align: int = ALIGN_UNDEFINED, fmt: str | None = None) -> Field:
    """A view column: a property name (the label defaults to it) or a function with a label."""
    if label is None:
        label = getter if isinstance(getter, str) else ""
    return Field(label, getter, width, align, fmt)


@attrs.frozen
class TableView:
    columns: tuple[Field, ...]
    autosize: bool = False
    group_by: str | None = None
    """A property name: a new group (``   TypeName: X`` header) whenever its value changes."""
    name: str = ""


@attrs.frozen
class ListView:
    items: tuple[Field, ...]
    name: str = ""


@attrs.frozen
class WideView:
    item: Field
    name: str = ""


@attrs.frozen
class CustomView:
    render: Callable[[Any], list[str]]
    name: str = ""


View = TableView | ListView | WideView | CustomView


def table(*columns: Field, autosize: bool = False, group_by: str | None = None,
          name: str = "") -> TableView:
    return TableView(tuple(columns), autosize, group_by, name)


# --------------------------------------------------------------------------- PowerShell's own

def _command_name(cmd: Any) -> Any:
    """5.1's CommandInfo view: aliases show ``gmb -> Get-Mailbox``."""
    if str(getattr(cmd, "CommandType", "")) == "Alias":
        return getattr(cmd, "DisplayName", None) or getattr(cmd, "Name", "")
    return getattr(cmd, "Name", "")


def _long_datetime(d: Any) -> list[str]:
    from ems.lang.operators import format_datetime
    return [format_datetime(d, "dddd, MMMM d, yyyy h:mm:ss tt")]


def _powershell_views() -> dict[str, tuple[View, ...]]:
    return {
        # DotNetTypes.format.ps1xml "Dictionary": a hashtable prints as Name/Value rows.
        "System.Collections.DictionaryEntry": (
            table(col("Name", 30), col("Value")),),
        # PowerShellCore.format.ps1xml "GroupInfo".
        "Microsoft.PowerShell.Commands.GroupInfo": (
            table(col("Count", 5, align=ALIGN_RIGHT), col("Name", 25), col("Group")),),
        # "CommandInfo" (5.1): CommandType 15, Name 50, Version 10, Source.
        "System.Management.Automation.CommandInfo": (
            table(col("CommandType", 15), col(_command_name, 50, "Name"), col("Version", 10),
                  col("Source")),),
        # Get-Member: one autosized table per type, grouped under "   TypeName: X".
        "Microsoft.PowerShell.Commands.MemberDefinition": (
            table(col("Name"), col("MemberType"), col("Definition"), autosize=True,
                  group_by="TypeName"),),
        # DateTime prints its DateTime script property (long date + long time).
        "System.DateTime": (CustomView(_long_datetime, "DateTime"),),
        "System.TimeSpan": (
            ListView(tuple(col(n) for n in (
                "Days", "Hours", "Minutes", "Seconds", "Milliseconds", "Ticks", "TotalDays",
                "TotalHours", "TotalMinutes", "TotalSeconds", "TotalMilliseconds"))),),
    }


_REGISTRY: dict[str, tuple[View, ...]] | None = None


def registry() -> dict[str, tuple[View, ...]]:
    """Type name (lower-case) -> its views, default first. Built once, on first use."""
    global _REGISTRY
    if _REGISTRY is None:
        from ems.format.exchange_views import exchange_views
        merged: dict[str, tuple[View, ...]] = {}
        for source in (_powershell_views(), exchange_views()):
            for type_name, views in source.items():
                merged[type_name.lower()] = merged.get(type_name.lower(), ()) + views
        _REGISTRY = merged
    return _REGISTRY


_DESERIALIZED = "deserialized."


def find_view(type_list: list[str], kind: type | None = None) -> tuple[View | None, str | None]:
    """The default view (``kind`` None) or the first view of a shape for these types."""
    reg = registry()
    for name in type_list:
        low = name.lower()
        if low.startswith(_DESERIALIZED):
            low = low[len(_DESERIALIZED):]
        for view in reg.get(low, ()):
            if kind is None or isinstance(view, kind):
                return view, low
    return None, None


def applies_to(type_list: list[str], view_type: str) -> bool:
    """IsObjectApplicable: does an object with these type names belong to the view's type?"""
    for name in type_list:
        low = name.lower()
        if low.startswith(_DESERIALIZED):
            low = low[len(_DESERIALIZED):]
        if low == view_type:
            return True
    return False

