"""Format views: the ``format.ps1xml`` of ems, one registry keyed by .NET type name.

A view says how objects of its types print without (or with) a Format-* command:
``TableView`` (columns with optional widths/alignment, optional GroupBy, AutoSize),
``ListView``, ``WideView`` and ``CustomView`` (a function that writes the lines, for
DateTime's long form). The first view registered for a type is its default view (A.13
rule 1); Format-Table/-List/-Wide pick the first view of their shape.

This module holds the views of PowerShell's own types (DotNetTypes, PowerShellCore and
FileSystem format.ps1xml); the Exchange types are in ``exchange_views`` (one table per
type). Views are never defined in cmdlets. One view object registered under several types
is a selection set: an object of any of them fits a document the others started.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

import attrs

from ems.format.props import (ALIGN_LEFT, ALIGN_RIGHT, ALIGN_UNDEFINED, MISSING, Field,
                              property_value)


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
    wrap: bool = False
    """The row entry's ``<Wrap/>``: cells wrap as with ``Format-Table -Wrap``."""
    group_header: Callable[[Any], list[tuple[int, str]]] | None = None
    """The group's custom control (``GroupBy/CustomControlName``): a function of the group's
    first object giving what ComplexWriter writes, as (left indentation, text) pieces, each
    word-wrapped to the width left after its indentation. None: ``   Label: value``."""


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
          name: str = "", wrap: bool = False,
          group_header: Callable[[Any], list[tuple[int, str]]] | None = None) -> TableView:
    return TableView(tuple(columns), autosize, group_by, name, wrap, group_header)


# --------------------------------------------------------------------------- PowerShell's own

def _command_name(cmd: Any) -> Any:
    """5.1's CommandInfo view: aliases show ``gmb -> Get-Mailbox``."""
    if str(getattr(cmd, "CommandType", "")) == "Alias":
        return getattr(cmd, "DisplayName", None) or getattr(cmd, "Name", "")
    return getattr(cmd, "Name", "")


def _long_datetime(d: Any) -> list[str]:
    from ems.lang.operators import format_datetime
    return [format_datetime(d, "dddd, MMMM d, yyyy h:mm:ss tt")]


def _value(obj: Any, name: str) -> Any:
    value = property_value(obj, name)
    return None if value is MISSING else value


_FILESYSTEM_PROVIDER = "Microsoft.PowerShell.Core\\FileSystem::"


def _directory_header(item: Any) -> list[tuple[int, str]]:
    """FileSystem.format.ps1xml "FileSystemTypes-GroupingFormat": a frame indented by 4 with
    ``Directory: `` and ``$_.PSParentPath.Replace("Microsoft.PowerShell.Core\\FileSystem::", "")``
    and a NewLine; ComplexWriter's final flush of the (now empty) buffer adds an empty line,
    which is why 5.1 prints two blank lines between the header and the column labels."""
    parent = _value(item, "PSParentPath") or ""
    return [(4, "Directory: " + str(parent).replace(_FILESYSTEM_PROVIDER, "")), (0, "")]


def _last_write_time(item: Any) -> Any:
    """``[String]::Format("{0,10}  {1,8}", $_.LastWriteTime.ToString("d"),
    $_.LastWriteTime.ToString("t"))`` (en-US short date and short time)."""
    from ems.lang.operators import format_datetime
    when = _value(item, "LastWriteTime")
    if not isinstance(when, _dt.datetime):
        return None
    return f"{format_datetime(when, 'd'):>10}  {format_datetime(when, 't'):>8}"


def _filesystem_views() -> dict[str, tuple[View, ...]]:
    """FileSystem.format.ps1xml "children": Mode 7 left, LastWriteTime 25 right, Length 14
    right, Name (rest); rows wrap; one group (``    Directory: <path>``) per parent folder."""
    children = table(
        col("Mode", 7, align=ALIGN_LEFT), col(_last_write_time, 25, "LastWriteTime", ALIGN_RIGHT),
        col("Length", 14, align=ALIGN_RIGHT), col("Name"),
        group_by="PSParentPath", name="children", wrap=True, group_header=_directory_header)
    return {"System.IO.DirectoryInfo": (children,), "System.IO.FileInfo": (children,)}


def _powershell_views() -> dict[str, tuple[View, ...]]:
    return {
        **_filesystem_views(),
        # PowerShellCore.format.ps1xml "Variable" (Get-Variable).
        "System.Management.Automation.PSVariable": (
            table(col("Name", 30), col("Value")),),
        # "PathInfo" (Get-Location): one column without a width, so auto-sized.
        "System.Management.Automation.PathInfo": (table(col("Path")),),
        # "GroupInfoNoElement" (Group-Object -NoElement): Count 5 right, Name 25.
        "Microsoft.PowerShell.Commands.GroupInfoNoElement": (
            table(col("Count", 5, align=ALIGN_RIGHT), col("Name", 25)),),
        # 5.1 "PSSnapInInfo" (Get-PSSnapin): a list.
        "System.Management.Automation.PSSnapInInfo": (
            ListView(tuple(col(n) for n in ("Name", "PSVersion", "Description"))),),
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
        # DotNetTypes.format.ps1xml "service" (Get-Service): Status 8, Name 18, DisplayName 38.
        "System.ServiceProcess.ServiceController": (
            table(col("Status", 8), col("Name", 18), col("DisplayName", 38)),),
        # FailoverClusters.format.ps1xml (Windows Server 2008 R2): Get-ClusterNode's Name and State.
        "Microsoft.FailoverClusters.PowerShell.ClusterNode": (
            table(col("Name"), col("State")),),
    }


_REGISTRY: dict[str, tuple[View, ...]] | None = None
_SELECTIONS: dict[str, frozenset[str]] = {}
"""Type name -> every type name that shares one of its views (5.1's selection sets, e.g.
FileSystemTypes = DirectoryInfo + FileInfo): a view fixed by a file also takes folders."""


def registry() -> dict[str, tuple[View, ...]]:
    """Type name (lower-case) -> its views, default first. Built once, on first use."""
    global _REGISTRY
    if _REGISTRY is None:
        from ems.format.exchange_views import exchange_views
        merged: dict[str, tuple[View, ...]] = {}
        for source in (_powershell_views(), exchange_views()):
            for type_name, views in source.items():
                merged[type_name.lower()] = merged.get(type_name.lower(), ()) + views
        sharing: dict[int, set[str]] = {}
        for type_name, views in merged.items():
            for view in views:
                sharing.setdefault(id(view), set()).add(type_name)
        for type_name, views in merged.items():
            names = {type_name}
            for view in views:
                names |= sharing[id(view)]
            if len(names) > 1:
                _SELECTIONS[type_name] = frozenset(names)
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
    """IsObjectApplicable: does an object with these type names belong to the view's type
    (or to a type that shares its views)?"""
    registry()
    selection = _SELECTIONS.get(view_type)
    for name in type_list:
        low = name.lower()
        if low.startswith(_DESERIALIZED):
            low = low[len(_DESERIALIZED):]
        if low == view_type or (selection is not None and low in selection):
            return True
    return False
