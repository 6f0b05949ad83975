"""The Windows PowerShell 5.1 rendering of an ErrorRecord ($ErrorView = NormalView, A.14).

One function, ``render(record, width)``, gives the exact text the console writes for an
error: prefix, message, the ``At line:L char:C`` position block with the ``~~~`` marker,
the indented ``+ CategoryInfo`` / ``+ FullyQualifiedErrorId`` lines and the trailing line
holding one space. Parse errors and remote (Exchange server-side) errors use their own
variants of the same layout. ``Out-Default``/``Out-String`` call this for error records so
that every place an error is shown prints it the same way.
"""
from __future__ import annotations

from typing import Any

MAX_SOURCE_LINE = 69
"""PositionUtilities.VerboseMessage keeps at most 69 characters of the source line."""


def position_message(file: str, line_number: int, column: int, line_text: str,
                     extent_text: str) -> str:
    """``At {file}:{line} char:{col}`` + source line + marker line (5.1 windowing)."""
    file = file or "line"
    source = line_text.rstrip()
    head = f"At {file}:{line_number} char:{column}"
    if not source:
        return head
    before = column - 1
    first_line_of_extent = extent_text.split("\n", 1)[0].rstrip("\r")
    if "\n" in extent_text or before + len(first_line_of_extent) > len(source):
        length = len(source) - column + 1
    else:
        length = len(first_line_of_extent)
    if "\t" in source:
        pre = source[:before].replace("\t", "    ")
        err = source[before:before + length].replace("\t", "    ")
        post = source[before + length:].replace("\t", "    ")
        source, before, length = pre + err + post, len(pre), len(err)
    prefix_dots = suffix_dots = False
    if len(source) > MAX_SOURCE_LINE:
        total_prefix = before
        prefix = min(total_prefix, 12)
        total_suffix = len(source) - length - before
        suffix = min(total_suffix, 8)
        candidate = prefix + length + suffix
        if candidate >= MAX_SOURCE_LINE:
            if prefix + length >= MAX_SOURCE_LINE:
                length = MAX_SOURCE_LINE - prefix
            suffix_dots = True
        else:
            available = total_prefix - prefix
            if available > 0:
                prefix += min(available, MAX_SOURCE_LINE - candidate)
                candidate = prefix + length + suffix
            if candidate < MAX_SOURCE_LINE and total_suffix > 0:
                suffix += min(total_suffix, MAX_SOURCE_LINE - candidate)
            suffix_dots = suffix < total_suffix
        prefix_dots = prefix < total_prefix
        start = max(before - prefix, 0)
        source = source[start:start + MAX_SOURCE_LINE]
        before = min(before, prefix)
        length = min(length, MAX_SOURCE_LINE - before)
    text = ("... " if prefix_dots else "") + source + (" ..." if suffix_dots else "")
    marker = " " * (before + (4 if prefix_dots else 0)) + "~" * max(length, 1)
    return f"{head}\n+ {text}\n+ {marker}"


def ellipsize(text: str) -> str:
    """ErrorCategoryInfo parts longer than 40 characters: first 15 + '...' + last 15."""
    if len(text) > 40:
        return text[:15] + "..." + text[-15:]
    return text


def _target_parts(target: Any) -> tuple[str, str]:
    if target is None:
        return "", ""
    from ems.lang.conversion import dotnet_type_name, to_string
    name = to_string(target)
    tname = dotnet_type_name(target).rsplit(".", 1)[-1]
    return name, tname


def category_info(record: Any) -> str:
    """``{Category}: ({TargetName}:{TargetType}) [{Activity}], {Reason}``."""
    if getattr(record, "remote", False):
        name, tname = "", ""
    else:
        name, tname = _target_parts(record.target)
    inv = record.invocation
    activity = ""
    if inv is not None and not record.script_level:
        activity = inv.command_name
    if record.activity:
        activity = record.activity
    return (f"{record.category}: ({ellipsize(name)}:{ellipsize(tname)}) "
            f"[{ellipsize(activity)}], {record.exception_type}")


def _indent_detail(line: str, width: int) -> str:
    """Lines of the detail block: 4 spaces, chunks of ``width - 6`` (console wraps them)."""
    chunk = max(width - 6, 10)
    if len(line) <= chunk:
        return "    " + line
    return "".join("    " + line[i:i + chunk] for i in range(0, len(line), chunk))


def prefix_of(record: Any) -> str:
    inv = record.invocation
    if record.remote or record.category == "ParserError" or inv is None:
        return ""
    if record.prefix is not None:
        return record.prefix
    if record.script_level or not inv.command_name:
        return f"{inv.invocation_name} : " if inv.invocation_name and not record.script_level else ""
    return f"{inv.invocation_name or inv.command_name} : "


def render(record: Any, width: int = 120, show_traceback: bool = False) -> str:
    """The console text of one error record (without the final newline). ``show_traceback``
    (``-Verbose`` / ``$env:EMS_DEBUG``) appends the Python traceback of an internal error."""
    if record.category == "ParserError" and record.parse_errors:
        return render_parse_error(record, width)
    message = record.details or record.message
    parts = [prefix_of(record) + message]
    inv = record.invocation
    if not record.remote and inv is not None and inv.line_number and record.show_position:
        parts.append(position_message(inv.script_name, inv.line_number, inv.column, inv.line_text,
                                      inv.extent_text))
    detail = [_indent_detail("+ CategoryInfo          : " + category_info(record), width),
              _indent_detail("+ FullyQualifiedErrorId : " + record.fully_qualified_error_id, width)]
    if record.remote and record.computer_name:
        detail.append(_indent_detail("+ PSComputerName        : " + record.computer_name, width))
    text = "\n".join(parts) + "\n" + "\n".join(detail)
    if (show_traceback or record.show_traceback) and record.python_traceback:
        text += "\n" + record.python_traceback.rstrip("\n")
    if not record.details:
        text += "\n "
    return text


def render_parse_error(record: Any, width: int = 120) -> str:
    """Parse errors: per error ``PositionMessage`` + newline + message, no prefix (A.14)."""
    pieces = []
    for message, _error_id, extent in record.parse_errors[:10]:
        if extent is not None:
            pieces.append(position_message(extent.file or "", extent.start_line, extent.start_column,
                                           extent.line_text, extent.text) + "\n" + message)
        else:
            pieces.append(message)
    if len(record.parse_errors) > 10:
        pieces.append("Not all parse errors were reported.  Correct the reported errors and try again.")
    text = "\n".join(pieces)
    detail = [_indent_detail("+ CategoryInfo          : " + category_info(record), width),
              _indent_detail("+ FullyQualifiedErrorId : " + record.fully_qualified_error_id, width)]
    return text + "\n" + "\n".join(detail) + "\n "
