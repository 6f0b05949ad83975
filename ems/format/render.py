"""Format data -> console lines: PowerShell's OutCommandInner (Out-Default, Out-String,
Out-File, Out-Host all end here).

Raw objects go through an implicit formatter (``Formatter(None)``) first; format data from
Format-* commands is rendered as it comes. The blank lines are 5.1's: one at format start,
one at format end; one at group end; a list group also opens with one, as does a -GroupBy
header (``""``, ``   Label: value``, ``""``). Each list entry is followed by a blank line.

Tables whose first column has no declared width (property tables, ``ft a,b``) and
``-AutoSize`` tables are buffered per group and auto-sized: each column as wide as its label
and its widest cell. As in 5.1, once buffering is on it stays on for the rest of this
renderer (a later view table in the same Out-Default is auto-sized too).
"""
from __future__ import annotations

from typing import Any

from ems.format.engine import (CUSTOM, LIST, TABLE, WIDE, FormatData, FormatEndData,
                               FormatEntryData, FormatStartData, Formatter, GroupEndData,
                               GroupStartData)
from ems.format.listing import write_list
from ems.format.table import TableWriter
from ems.format.wrap import generate_lines
from ems.runtime.errors import PSError

_OUT_OF_SEQUENCE = ('The object of type "{0}" is not valid or not in the correct sequence. This is '
                    'likely caused by a user-specified "{1}" command which is conflicting with the '
                    'default formatting.')
_VIOLATING_COMMAND = {TABLE: "format-table", LIST: "format-list", WIDE: "format-wide",
                      CUSTOM: "format-complex"}


class FormatSequenceError(PSError):
    """Format data in an order Out-Default cannot render (``ft | sort``, ``ft | select -last 2``):
    5.1's ConsoleLineOutputOutOfSequencePacket, a terminating error of the output command. Its
    text is the record's ErrorDetails (so the error view ends without the blank line)."""

    def __init__(self, packet: FormatData):
        violating = "format-*"
        if isinstance(packet, FormatStartData):
            violating = _VIOLATING_COMMAND.get(packet.shape, violating)
        details = _OUT_OF_SEQUENCE.format(packet.PS_TYPE_NAMES[0], violating)
        super().__init__("Operation is not valid due to the current state of the object.",
                         "ConsoleLineOutputOutOfSequencePacket", "InvalidData",
                         exception_type="InvalidOperationException")
        self.record_details = details


def wide_items_per_row(item_width: int, screen: int) -> int:
    """ComputeWideViewBestItemsPerRowFit."""
    if item_width <= 0 or screen < 1 or item_width >= screen:
        return 1
    n = 1
    while item_width * (n + 1) + n < screen:
        n += 1
    return n


class _GroupQueue:
    """OutputGroupQueue: holds a whole group, then lets the renderer size it."""

    def __init__(self, notify):
        self.notify = notify
        self.queue: list[FormatData] = []
        self.start: FormatStartData | None = None
        self.active = False

    def add(self, p: FormatData) -> list[FormatData]:
        if isinstance(p, FormatStartData):
            self.start = p
        if not self.active and isinstance(p, GroupStartData):
            self.active = True
            self.queue.append(p)
            return []
        if self.active and isinstance(p, GroupEndData):
            self.queue.append(p)
            self.notify(self.start, [q for q in self.queue
                                     if not (isinstance(q, FormatEntryData) and q.out_of_band)])
            self.active = False
            out, self.queue = self.queue, []
            return out
        if self.active:
            self.queue.append(p)
            return []
        return [p]

    def drain(self) -> list[FormatData]:
        out, self.queue = self.queue, []
        self.active = False
        return out


_ENTRY_SHAPE = {"row": TABLE, "list": LIST, "wide": WIDE, "custom": CUSTOM}


class _Group:
    """An open group: table, list, wide or custom."""

    def __init__(self, renderer: "Renderer", start: FormatStartData):
        self.r = renderer
        self.start = start
        self.shape = start.shape
        self.writer: TableWriter | None = None
        self.buffer: list[str] = []
        self.per_row = 2
        hint = renderer.take_hint()
        width = renderer.width
        if self.shape == TABLE and start.columns:
            widths = hint if hint is not None else [c.width for c in start.columns]
            self.writer = TableWriter(width, list(widths), [c.align for c in start.columns],
                                      start.hide_header)
        elif self.shape == WIDE:
            if hint is not None and hint > 0:
                self.per_row = wide_items_per_row(hint, width)
            elif start.wide_columns > 0:
                self.per_row = start.wide_columns
            self.writer = TableWriter(width, [0] * self.per_row, [1] * self.per_row)

    def group_start(self) -> None:
        out = self.r.lines
        if self.shape == TABLE:
            if self.writer is not None:
                self.writer.header([c.label for c in self.start.columns], out)
        elif self.shape in (LIST, WIDE):
            out.append("")

    def payload(self, entry: FormatEntryData) -> None:
        out = self.r.lines
        kind = entry.kind
        if _ENTRY_SHAPE.get(kind, self.shape) != self.shape or (kind == "row" and not self.start.columns):
            # An entry of another document's shape (format data shuffled across documents):
            # refused like any packet out of sequence.
            self.r.fail(entry)
        if kind == "row":
            if self.writer is None:
                return
            values = entry.data
            n = len(self.start.columns)
            if len(values) != n:
                values = (list(values) + [""] * n)[:n]
            self.writer.row(values, entry.aligns, entry.multiline, out)
        elif kind == "list":
            write_list(entry.data, self.r.width, out)
            out.append("")
        elif kind == "wide":
            self.buffer.append(entry.data)
            if len(self.buffer) == self.per_row:
                self._flush_wide()
        elif kind == "custom":
            out.extend(entry.data)
        else:
            self.r.out_of_band(entry)

    def group_end(self) -> None:
        if self.shape == WIDE:
            self._flush_wide()

    def _flush_wide(self) -> None:
        if not self.buffer or self.writer is None:
            self.buffer = []
            return
        values = self.buffer + [""] * (self.per_row - len(self.buffer))
        self.writer.row(values, None, False, self.r.lines)
        self.buffer = []


class Renderer:
    """Turns objects and format data into lines ``width`` cells wide.

    ``limit`` is ``$FormatEnumerationLimit``, or a function returning its current value (read
    for every raw object, as 5.1's format-default does). ``host_width`` is the console buffer
    width, used for error records (their layout is chunked by the host, not by Out-String's
    width)."""

    def __init__(self, width: int, limit: Any = 4, host_width: int | None = None):
        self.width = width
        self._limit = limit
        self.host_width = host_width if host_width is not None else width + 1
        self.lines: list[str] = []
        self._default: Formatter | None = None
        self._cache: _GroupQueue | None = None
        self._hint: Any = None
        self._starts: list[FormatStartData] = []
        self._groups: list[_Group] = []
        self._arrival = "reset"
        self._failed = False

    # ------------------------------------------------------------------ input
    def feed(self, obj: Any) -> None:
        if obj is None or self._failed:
            return
        if isinstance(obj, FormatData):
            self._packet(obj)
            return
        limit = self._limit() if callable(self._limit) else self._limit
        if self._default is None:
            self._default = Formatter(None, limit=limit)
        elif self._default.limit != limit:
            self._default.set_limit(limit)
        for p in self._default.process(obj):
            self._packet(p)

    def close(self) -> None:
        if self._failed:
            return
        self._close_default()
        if self._cache is not None:
            for p in self._cache.drain():
                self._dispatch(p)

    def take(self) -> list[str]:
        out, self.lines = self.lines, []
        return out

    def take_hint(self) -> Any:
        hint, self._hint = self._hint, None
        return hint

    # ------------------------------------------------------------------ machinery
    def _close_default(self) -> None:
        if self._default is not None:
            for p in self._default.end():
                self._packet(p)
            self._default = None

    def _packet(self, p: FormatData) -> None:
        self._check_sequence(p)
        if isinstance(p, FormatStartData):
            if p.autosize or (p.shape == TABLE and p.columns and p.columns[0].width == 0):
                self._cache = _GroupQueue(self._size_group)
        if self._cache is None:
            self._dispatch(p)
            return
        for q in self._cache.add(p):
            self._dispatch(q)

    def _check_sequence(self, p: FormatData) -> None:
        """OutCommandInner.NeedsPreprocessing: the sequence state as packets arrive (before
        any buffering); a packet out of sequence is a terminating error."""
        state = self._arrival
        if isinstance(p, FormatEntryData):
            expected, after = ("group", "group") if not p.out_of_band else (state, state)
        elif isinstance(p, FormatStartData):
            if state == "group":
                # A new document while another is open: pretend it was closed (EndProcessing:
                # the implicit formatter closes its document, the buffer is flushed).
                self._close_default()
                if self._cache is not None:
                    for q in self._cache.drain():
                        self._dispatch(q)
                state = self._arrival
            expected, after = "reset", "formatting"
        elif isinstance(p, FormatEndData):
            expected, after = "formatting", "reset"
        elif isinstance(p, GroupStartData):
            expected, after = "formatting", "group"
        else:
            expected, after = "group", "formatting"
        if state != expected:
            self.fail(p)
        self._arrival = after

    def fail(self, p: FormatData) -> None:
        """Stop for good (nothing more is rendered) with the out-of-sequence error."""
        self._failed = True
        raise FormatSequenceError(p)

    def _size_group(self, start: FormatStartData | None, packets: list[FormatData]) -> None:
        """ProcessCachedGroup: auto-size widths from the labels and every cell of the group."""
        self._hint = None
        if start is None:
            return
        if start.shape == TABLE and start.columns:
            widths = [len(c.label) for c in start.columns]
            n = len(widths)
            for p in packets:
                if isinstance(p, FormatEntryData) and p.kind == "row":
                    for k, value in enumerate(p.data[:n]):
                        if len(value) > widths[k]:
                            widths[k] = len(value)
            self._hint = widths
        elif start.shape == WIDE and start.wide_columns == 0:
            longest = 0
            for p in packets:
                if isinstance(p, FormatEntryData) and p.kind == "wide" and p.data:
                    longest = max(longest, len(p.data))
            self._hint = longest

    def _dispatch(self, p: FormatData) -> None:
        out = self.lines
        if isinstance(p, FormatEntryData):
            if p.out_of_band or not self._groups:
                if p.out_of_band:
                    self.out_of_band(p)
                # An entry outside any group (e.g. `ft | select -first 3`) is dropped.
                return
            self._groups[-1].payload(p)
        elif isinstance(p, FormatStartData):
            self._starts.append(p)
            out.append("")
        elif isinstance(p, GroupStartData):
            start = self._starts[-1] if self._starts else FormatStartData(TABLE, [])
            group = _Group(self, start)
            self._groups.append(group)
            if p.control is not None:
                # OutCommandInner.ProcessGroupStart: an empty line, the grouping entry
                # through ComplexWriter, an empty line.
                out.append("")
                for indent, text in p.control:
                    room = max(self.width - indent, 1)
                    out.extend(" " * indent + line for line in generate_lines(text, room, room))
                out.append("")
            elif p.label is not None:
                out.append("")
                out.extend(generate_lines(p.label, self.width, self.width))
                out.append("")
            group.group_start()
        elif isinstance(p, GroupEndData):
            if self._groups:
                self._groups.pop().group_end()
            out.append("")
        elif isinstance(p, FormatEndData):
            if self._starts:
                self._starts.pop()
            out.append("")

    def out_of_band(self, entry: FormatEntryData) -> None:
        out = self.lines
        kind = entry.kind
        if kind == "text":
            out.extend(entry.data.replace("\r\n", "\n").split("\n"))
        elif kind == "list":
            out.append("")
            write_list(entry.data, self.width, out)
            out.append("")
        elif kind == "error":
            from ems.format.errorview import render
            out.extend(render(entry.data, self.host_width).split("\n"))
        elif kind == "custom":
            out.extend(entry.data)


def render_lines(objects: list[Any], width: int, limit: Any = 4,
                 host_width: int | None = None) -> list[str]:
    """All the lines of a sequence of objects / format data (Out-String, Out-File)."""
    r = Renderer(width, limit, host_width)
    for obj in objects:
        r.feed(obj)
    r.close()
    return r.lines
