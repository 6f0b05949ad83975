"""The file-system views (Get-ChildItem, Get-Location) through the shell, on real folders.

These can't be golden files: the listing shows the folder's path and the files' real
modification times. So each test builds its tree under pytest's ``tmp_path`` and pins every
time with ``os.utime`` (folders last: creating an entry touches its folder). The times are
local wall-clock times; ``item_info`` reads them back with ``datetime.fromtimestamp``, so the
listing shows them unchanged in any time zone. The expected text is 5.1's
FileSystem.format.ps1xml "children" view: ``    Directory: <path>`` (frame indented by 4,
then two blank lines), Mode 7 left, LastWriteTime 25 right (``{0,10}  {1,8}`` of the short
date and short time), Length 14 right, Name taking the rest (70 cells at 120 columns),
every row padded to the full 119 cells.
"""
from __future__ import annotations

import datetime as dt
import os

from ems import Shell
from ems.format import render_text
from ems.runtime.values import PSObject

WIDTH = 119


def _touch(path, when: dt.datetime) -> None:
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))


def _file(path, size: int, when: dt.datetime) -> None:
    path.write_bytes(b"x" * size)
    _touch(path, when)


def _row(mode: str, when: str, length: str, name: str) -> str:
    return f"{mode:<7} {when:>25} {length:>14} {name}".ljust(WIDTH)


HEADER = [_row("Mode", "LastWriteTime", "Length", "Name"), _row("----", "-------------", "------", "----")]


def _group(path, rows: list[str]) -> list[str]:
    return ["", f"    Directory: {path}", "", "", *HEADER, *rows, ""]


def _tree(tmp_path):
    """reports/ (one file), a.txt, Servers.txt: folders first, then files, by name."""
    reports = tmp_path / "reports"
    reports.mkdir()
    _file(reports / "db1.csv", 1234, dt.datetime(2025, 12, 31, 12, 0))
    _file(tmp_path / "a.txt", 0, dt.datetime(2026, 1, 5, 9, 5))
    _file(tmp_path / "Servers.txt", 14, dt.datetime(2026, 11, 21, 23, 35))
    _touch(reports, dt.datetime(2026, 11, 20, 8, 0))
    return reports


def _run(tmp_path, text: str, width: int = 120):
    result = Shell(scenario="empty", width=width).run(f"Set-Location '{tmp_path}'\n{text}")
    assert result.error_text == ""
    return result.text


def test_get_childitem_prints_the_filesystem_table(tmp_path):
    _tree(tmp_path)
    expected = ["", *_group(tmp_path, [
        _row("d-----", "11/20/2026   8:00 AM", "", "reports"),
        _row("-a----", "  1/5/2026   9:05 AM", "0", "a.txt"),
        _row("-a----", "11/21/2026  11:35 PM", "14", "Servers.txt"),
    ]), ""]
    assert _run(tmp_path, "Get-ChildItem") == "\n".join(expected) + "\n"


def test_recurse_starts_a_group_per_folder(tmp_path):
    reports = _tree(tmp_path)
    expected = ["", *_group(tmp_path, [
        _row("d-----", "11/20/2026   8:00 AM", "", "reports"),
        _row("-a----", "  1/5/2026   9:05 AM", "0", "a.txt"),
        _row("-a----", "11/21/2026  11:35 PM", "14", "Servers.txt"),
    ]), *_group(reports, [
        _row("-a----", "12/31/2025  12:00 PM", "1234", "db1.csv"),
    ]), ""]
    assert _run(tmp_path, "dir -Recurse") == "\n".join(expected) + "\n"


def test_format_table_uses_the_view_and_long_names_wrap(tmp_path):
    """The row entry has <Wrap/>: a name longer than the Name column continues below it."""
    name = "mailbox-database-copy-status-report-for-the-second-datacenter-switchover.csv"
    _file(tmp_path / name, 5, dt.datetime(2026, 11, 21, 9, 0))
    expected = ["", *_group(tmp_path, [
        _row("-a----", "11/21/2026   9:00 AM", "5", name[:70]),
        _row("", "", "", name[70:]),
    ]), ""]
    assert _run(tmp_path, "Get-ChildItem | Format-Table") == "\n".join(expected) + "\n"


def test_a_selected_item_is_no_longer_a_file_and_prints_as_a_table(tmp_path):
    _tree(tmp_path)
    text = _run(tmp_path, "Get-ChildItem -File | Select-Object Name, Length")
    assert "Directory:" not in text
    assert text.splitlines()[1].rstrip() == "Name        Length"


def test_get_location_prints_an_autosized_path_column(tmp_path):
    path = str(tmp_path)
    expected = ["", "Path".ljust(len(path)), "----".ljust(len(path)), path, "", ""]
    assert _run(tmp_path, "Get-Location") == "\n".join(expected) + "\n"


def test_long_directory_header_wraps_inside_its_frame():
    """ComplexWriter wraps the header at the width left after the frame's indentation of 4
    and indents every piece (a path without spaces is cut by character)."""
    item = PSObject((), ("System.IO.FileInfo", "System.IO.FileSystemInfo", "System.Object"))
    parent = "/srv/" + "x" * 60
    for name, value in (("PSParentPath", "Microsoft.PowerShell.Core\\FileSystem::" + parent),
                        ("Mode", "-a----"), ("LastWriteTime", dt.datetime(2026, 11, 21, 9, 0)),
                        ("Length", 1), ("Name", "f.txt")):
        item.set(name, value)
    lines = render_text([item], 50).split("\n")
    header = "Directory: " + parent
    assert lines[:6] == ["", "", "    " + header[:46], "    " + header[46:], "", ""]
