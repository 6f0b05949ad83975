"""Output records of the utility cmdlets (GroupInfo, PSVariable, FileInfo ...).

They are .NET objects in PowerShell: a fixed set of properties in display order and a
type-name list. A plain slotted class with ``ps_properties()`` is all the member protocol
(ems.runtime.values) needs, and costs a fraction of an attrs class to create, which matters
because every cmdlet module is imported at start-up.
"""
from __future__ import annotations

from typing import Any, ClassVar


class Record:
    """Subclasses set ``FIELDS`` (property names in display order), ``__slots__ = FIELDS``
    and ``PS_TYPE_NAMES``; construct with keywords or positionally in field order."""

    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]] = ()
    PS_TYPE_NAMES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any):
        for name, value in zip(self.FIELDS, args):
            setattr(self, name, value)
        for name in self.FIELDS[len(args):]:
            setattr(self, name, kwargs.pop(name, None))
        if kwargs:
            raise TypeError(f"{type(self).__name__} has no field(s) {', '.join(kwargs)}")

    def ps_properties(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in self.FIELDS]

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and self.ps_properties() == other.ps_properties()

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        """.NET's default ToString(): the type's full name (subclasses override)."""
        return self.PS_TYPE_NAMES[0] if self.PS_TYPE_NAMES else type(self).__name__

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.ps_properties())
        return f"{type(self).__name__}({inner})"
