"""Output formatting: every object that reaches the end of a pipeline prints the way Windows
PowerShell 5.1 hosting EMS prints it.

The front ends use three things:

- ``OutDefault(width)``: the implicit ``Out-Default`` of the console. ``width`` is the
  console buffer width (120 in EMS); lines are laid out in ``width - 1`` cells, as the 5.1
  console host does. ``feed(obj)`` returns the text that can be printed now (it may be ""
  while a table is buffered to be auto-sized), ``close()`` the rest. Keep one OutDefault for
  a whole script (its first object fixes the view) and one per line interactively.
- ``render_text(objects, width)``: Out-String's text for a list of objects at an exact width.
- ``warning_text`` / ``verbose_text`` / ``debug_text``: the console lines of those streams,
  in yellow when ``color`` is asked for.

Modules: ``text`` (value -> text), ``wrap`` (word wrap), ``props`` (properties, -Property
resolution), ``views``/``exchange_views`` (the view registry), ``engine`` (objects -> format
data, shape selection), ``render`` (format data -> lines), ``table``/``listing`` (layouts),
``members`` (Get-Member), ``errorview`` (the error record layout).
"""
from __future__ import annotations

from typing import Any


class OutDefault:
    """The console's Out-Default: objects in, console text out."""

    def __init__(self, width: int = 120, enumeration_limit: Any = 4):
        """``enumeration_limit``: ``$FormatEnumerationLimit`` or a function returning it."""
        from ems.format.render import Renderer
        self._r = Renderer(max(width - 1, 1), enumeration_limit, host_width=width)

    def feed(self, obj: Any) -> str:
        self._r.feed(obj)
        return _join(self._r.take())

    def close(self) -> str:
        self._r.close()
        return _join(self._r.take())


def _join(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def render_lines(objects: list[Any], width: int, enumeration_limit: int = 4,
                 host_width: int | None = None) -> list[str]:
    """The lines Out-String/Out-File write for ``objects`` laid out in ``width`` cells."""
    from ems.format.render import render_lines as _render
    return _render(objects, width, enumeration_limit, host_width)


def render_text(objects: list[Any], width: int, enumeration_limit: int = 4,
                host_width: int | None = None) -> str:
    """Out-String's result: every line followed by a newline."""
    return _join(render_lines(objects, width, enumeration_limit, host_width))


YELLOW = "\x1b[93m"
RED = "\x1b[91m"
RESET = "\x1b[0m"


def colorize(text: str, color: str) -> str:
    """Wrap each line of ``text`` in an ANSI colour (the console colours whole lines)."""
    return "\n".join(f"{color}{line}{RESET}" if line else line for line in text.split("\n"))


def warning_text(message: str, color: bool = False) -> str:
    """``WARNING: message`` as the console host writes it (yellow on a terminal)."""
    text = f"WARNING: {message}"
    return (colorize(text, YELLOW) if color else text) + "\n"


def verbose_text(message: str, color: bool = False) -> str:
    text = f"VERBOSE: {message}"
    return (colorize(text, YELLOW) if color else text) + "\n"


def debug_text(message: str, color: bool = False) -> str:
    text = f"DEBUG: {message}"
    return (colorize(text, YELLOW) if color else text) + "\n"
