"""Line breaking as the 5.1 formatter does it (StringManipulationHelper, en-US culture).

Used for list values, ``Format-Table -Wrap`` cells and table headers that are longer than
their column. The rules, from the Windows PowerShell 5.1 code:

- the text is split at newlines (``\\r`` dropped); each line that fits is kept whole;
- a line that does not fit is cut into words at space and tab; the delimiter stays attached
  to the word before it (so a wrapped line may end with a space);
- a word that fits in the space left on the current line is appended, otherwise it starts a
  new line;
- a word (with its delimiter) longer than a whole line is cut character by character,
  starting on the current line.

Every character is one display cell (the en-US console code page has no double-width cells).
"""
from __future__ import annotations

_SOFT_HYPHEN = "\u00ad"
_HARD_HYPHEN = "\u2011"
_NBSP = "\u00a0"


def split_lines(text: str) -> list[str]:
    if not text:
        return [text]
    return text.replace("\r", "").split("\n")


def _words(line: str) -> list[tuple[str, str]]:
    """(word, delimiter) pairs; the delimiter is a space, a tab, a soft hyphen or ''."""
    out: list[tuple[str, str]] = []
    start = 0
    for i, ch in enumerate(line):
        if ch == " " or ch == "\t" or ch == _SOFT_HYPHEN:
            out.append((line[start:i], ch))
            start = i + 1
        elif ch == _HARD_HYPHEN or ch == _NBSP:
            out.append((line[start:i], ""))
            start = i + 1
    out.append((line[start:], ""))
    return out


def generate_lines(text: str, first_len: int, following_len: int | None = None) -> list[str]:
    """The display lines of ``text`` in a field ``first_len`` wide (``following_len`` for
    the lines after the first)."""
    if following_len is None:
        following_len = first_len
    if not text:
        return [text]
    if "\n" not in text and "\r" not in text and len(text) <= first_len:
        return [text]
    out: list[str] = []
    for line in split_lines(text):
        if len(line) <= first_len:
            out.append(line)
            continue
        spaces_left = first_len
        line_width = first_len
        first = True
        current: list[str] = []
        for word, delim in _words(line):
            if delim == _SOFT_HYPHEN:
                if len(word) + 1 == spaces_left:
                    word += "-"
            elif delim:
                word += delim
            width = len(word)
            if line_width == 0:
                if first:
                    first = False
                    line_width = following_len
                if line_width == 0:
                    break
                spaces_left = line_width
            if width > line_width:
                for ch in word:
                    if spaces_left < 1:
                        out.append("".join(current))
                        current = [ch]
                        if first:
                            first = False
                            line_width = following_len
                        spaces_left = line_width - 1
                    else:
                        current.append(ch)
                        spaces_left -= 1
            elif width > spaces_left:
                out.append("".join(current))
                current = [word]
                if first:
                    first = False
                    line_width = following_len
                spaces_left = line_width - width
            else:
                current.append(word)
                spaces_left -= width
        out.append("".join(current))
    return out
