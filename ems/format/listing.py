"""List layout, 5.1 exact (ListWriter).

Per object: labels padded to the longest label of *that* object (at most ``width - 4``
cells), then ``" : "``; values split at newlines and word-wrapped to the rest of the line,
continuation lines indented by label width + 3. An empty value still prints ``Label : ``.
"""
from __future__ import annotations

from ems.format.wrap import generate_lines

SEPARATOR = " : "

_LABEL_CACHE: dict[tuple[tuple[str, ...], int], tuple[list[str], int]] = {}


def _labels(names: tuple[str, ...], width: int) -> tuple[list[str], int]:
    key = (names, width)
    got = _LABEL_CACHE.get(key)
    if got is None:
        longest = max(len(n) for n in names)
        longest = min(longest, width - len(SEPARATOR) - 1)
        labels = [(n[:longest] if len(n) > longest else n.ljust(longest)) + SEPARATOR
                  for n in names]
        got = (labels, longest + len(SEPARATOR))
        if len(_LABEL_CACHE) > 256:
            _LABEL_CACHE.clear()
        _LABEL_CACHE[key] = got
    return got


def write_list(pairs: list[tuple[str, str]], width: int, out: list[str]) -> None:
    """The property lines of one object (no blank lines around them)."""
    if not pairs or width - len(SEPARATOR) - 2 < 0:
        return
    labels, label_width = _labels(tuple(p[0] for p in pairs), width)
    field = width - label_width
    padding = " " * label_width
    for (_, value), label in zip(pairs, labels):
        if not value:
            out.append(label)
            continue
        if len(value) <= field and "\n" not in value and "\r" not in value:
            out.append(label + value)
            continue
        prefix = label
        for line in value.replace("\r", "").split("\n"):
            for k, piece in enumerate(generate_lines(line, field, field)):
                out.append((prefix if k == 0 else padding) + piece)
            prefix = padding
