"""Table layout, 5.1 exact: the column width manager and the TableWriter.

- Widths: declared widths are kept if they fit; unset (0) columns start at 1 cell and the
  remaining line is handed out one cell at a time, round robin; if the table is too wide the
  last visible column shrinks, or is dropped when it would go below 1, repeatedly.
- One space between columns, no margin. Every cell is padded to its column width, the last
  one too (5.1 lines end in spaces; PS7 trims them).
- Header labels wrap inside narrow columns (``CopyQueue`` / ``Length``); the dash row has
  ``min(width, len(label))`` dashes. ``-Wrap`` rows wrap their cells the same way.
- A cell longer than its column is cut: left/center ``abc...``, right ``...xyz``; with
  3 cells or fewer just cut. Without -Wrap a cell is cut at its first newline + ``...``.
"""
from __future__ import annotations

from ems.format.props import ALIGN_CENTER, ALIGN_LEFT, ALIGN_RIGHT, ALIGN_UNDEFINED
from ems.format.wrap import generate_lines

ELLIPSIS = "..."
MIN_SCREEN_COLUMNS = 5


def calculate_widths(widths: list[int], table_width: int) -> list[int]:
    """ColumnWidthManager.CalculateColumnWidths; hidden columns come back as -1."""
    w = list(widths)
    if not _assign(w, table_width):
        _trim(w, table_width)
    return w


def _current_width(w: list[int]) -> int:
    visible = [x for x in w if x > 0]
    return sum(visible) + len(visible) - 1


def _assign(w: list[int], table_width: int) -> bool:
    if all(x > 0 for x in w):
        return sum(w) + len(w) - 1 <= table_width
    fixed = [x > 0 for x in w]
    for k, x in enumerate(w):
        if x == 0:
            w[k] = 1
    available = table_width - _current_width(w)
    if available < 0:
        return False
    while available > 0:
        for k in range(len(w)):
            if fixed[k]:
                continue
            w[k] += 1
            available -= 1
            if available == 0:
                break
    return True


def _trim(w: list[int], table_width: int) -> None:
    while True:
        excess = _current_width(w) - table_width
        if excess <= 0:
            return
        last = len(w) - 1
        for k, x in enumerate(w):
            if x < 0:
                last = k - 1
                break
        if last < 0:
            return
        new = w[last] - excess
        w[last] = -1 if new < 1 else new


def row_field(value: str, width: int, align: int) -> str:
    """GenerateRowField: one cell padded or cut to exactly ``width`` cells."""
    if value is None:
        value = ""
    cut = value.find("\n")
    cr = value.find("\r")
    if cr >= 0 and (cut < 0 or cr < cut):
        cut = cr
    if cut >= 0:
        value = value[:cut] + ELLIPSIS
    n = len(value)
    if n < width:
        pad = width - n
        if align == ALIGN_RIGHT:
            return " " * pad + value
        if align == ALIGN_CENTER:
            left = pad // 2
            return " " * left + value + " " * (pad - left)
        return value + " " * pad
    if n > width:
        keep = width - len(ELLIPSIS)
        if keep > 0:
            if align == ALIGN_RIGHT:
                return ELLIPSIS + value[n - keep:]
            return value[:keep] + ELLIPSIS
        if align == ALIGN_RIGHT:
            return value[n - width:]
        return value[:width]
    return value


class TableWriter:
    """Writes the header and rows of one table group to a list of lines."""

    def __init__(self, screen_columns: int, widths: list[int], aligns: list[int],
                 hide_header: bool = False):
        self.disabled = screen_columns < MIN_SCREEN_COLUMNS
        self.hide_header = hide_header
        self.widths: list[int] = []
        self.aligns = [a if a != ALIGN_UNDEFINED else ALIGN_LEFT for a in aligns]
        if self.disabled or not widths:
            self.disabled = True
            return
        self.widths = calculate_widths(widths, screen_columns)
        if not any(x >= 1 for x in self.widths):
            self.disabled = True

    def header(self, labels: list[str], out: list[str]) -> None:
        if self.disabled or self.hide_header:
            return
        self._multiline_row(labels, self.aligns, out)
        dashes = []
        for k, width in enumerate(self.widths):
            if width <= 0:
                dashes.append("")
                continue
            label = labels[k]
            dashes.append("-" * (min(width, len(label)) if label else width))
        out.append(self._single_row(dashes, self.aligns))

    def row(self, values: list[str], aligns: list[int] | None, multiline: bool,
            out: list[str]) -> None:
        if self.disabled:
            return
        if aligns is None:
            current = self.aligns
        else:
            current = [a if a != ALIGN_UNDEFINED else c for a, c in zip(aligns, self.aligns)]
        if multiline:
            self._multiline_row(values, current, out)
        else:
            out.append(self._single_row(values, current))

    def _single_row(self, values: list[str], aligns: list[int]) -> str:
        parts = []
        for k, width in enumerate(self.widths):
            if width <= 0:
                continue
            if k > 0:
                parts.append(" ")
            parts.append(row_field(values[k], width, aligns[k]))
        return "".join(parts)

    def _multiline_row(self, values: list[str], aligns: list[int], out: list[str]) -> None:
        columns: list[list[str]] = []
        visible = [k for k, w in enumerate(self.widths) if w > 0]
        for j, k in enumerate(visible):
            width = self.widths[k]
            lines = generate_lines(values[k] or "", width, width)
            cells = [row_field(s, width, aligns[k]) if len(s) < width else s for s in lines]
            if j > 0:
                cells = [" " + c for c in cells]
            columns.append(cells)
        height = max(len(c) for c in columns)
        for j, k in enumerate(visible):
            missing = height - len(columns[j])
            if missing:
                blank = " " * (self.widths[k] + (1 if j > 0 else 0))
                columns[j].extend([blank] * missing)
        for r in range(height):
            out.append("".join(c[r] for c in columns))
