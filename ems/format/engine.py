"""Objects -> format data: what Format-Table/-List/-Wide/-Custom and Out-Default's implicit
formatter emit (PowerShell's InnerFormatShapeCommand and its view generators).

A document is ``FormatStartData``, then per group ``GroupStartData``, one
``FormatEntryData`` per object, ``GroupEndData``; finally ``FormatEndData``. Objects that do
not fit the document are *out of band* entries, printed on their own: scalars (strings,
numbers, booleans, enums) and property-less objects as their ToString(), error records in
the error layout, and (A.13 rule 5) an object that a real view does not apply to as a list.

Shape selection (``shape=None``, i.e. Out-Default): the first object fixes the view. Its
type's first registered view wins; else <= 4 properties -> table, >= 5 -> list.

The format-data objects are plain Python objects with .NET type names, so ``ft | Out-String``,
``$t = ft`` and ``Out-File`` all hand them to the renderer (ems.format.render) unchanged.
"""
from __future__ import annotations

from typing import Any, ClassVar

import attrs

from ems.format import props as P
from ems.format.props import (ALIGN_LEFT, ALIGN_RIGHT, ALIGN_UNDEFINED, MISSING, Field,
                              all_fields, dictionary_entries, displayed_properties,
                              fields_for_specs, format_properties,
                              has_properties)
from ems.format.text import display_name_value, format_field, to_string
from ems.format.views import (CustomView, ListView, TableView, WideView, applies_to,
                              find_view)
from ems.runtime.values import is_enumerable, is_scalar, type_names

TABLE, LIST, WIDE, CUSTOM = "table", "list", "wide", "custom"

PROPERTY_COUNT_FOR_TABLE = 4
MAX_TABLE_COLUMNS = 10
"""A table built from all of an object's properties shows at most 10 columns (5.1)."""

_NS = "Microsoft.PowerShell.Commands.Internal.Format."


# --------------------------------------------------------------------------- format data

class FormatData:
    """Base of the format-data packets; recognised by the renderer."""

    __slots__ = ()
    PS_TYPE_NAMES: ClassVar[tuple[str, ...]] = ()

    def __str__(self) -> str:
        """.NET's ToString(): the type's full name (what Sort-Object compares them by)."""
        return self.PS_TYPE_NAMES[0]


@attrs.define(slots=True)
class ColumnInfo:
    label: str
    width: int
    align: int


class FormatStartData(FormatData):
    __slots__ = ("shape", "columns", "hide_header", "autosize", "wide_columns")
    PS_TYPE_NAMES = (_NS + "FormatStartData", _NS + "StartData", _NS + "PacketInfoData")

    def __init__(self, shape: str, columns: list[ColumnInfo] | None = None,
                 hide_header: bool = False, autosize: bool = False, wide_columns: int = 0):
        self.shape = shape
        self.columns = columns
        self.hide_header = hide_header
        self.autosize = autosize
        self.wide_columns = wide_columns


class GroupStartData(FormatData):
    __slots__ = ("label", "control")
    PS_TYPE_NAMES = (_NS + "GroupStartData", _NS + "StartData", _NS + "PacketInfoData")

    def __init__(self, label: str | None = None,
                 control: list[tuple[int, str]] | None = None):
        self.label = label
        """The ``   Name: value`` line of a -GroupBy group, or None."""
        self.control = control
        """A view's custom group header: (left indentation, text) pieces, or None."""


class FormatEntryData(FormatData):
    """One object. ``kind``: row (values, aligns), list (pairs), wide (text), custom (lines),
    text (an out-of-band ToString), error (an ErrorRecord)."""

    __slots__ = ("kind", "data", "aligns", "multiline", "out_of_band")
    PS_TYPE_NAMES = (_NS + "FormatEntryData", _NS + "PacketInfoData")

    def __init__(self, kind: str, data: Any, aligns: list[int] | None = None,
                 multiline: bool = False, out_of_band: bool = False):
        self.kind = kind
        self.data = data
        self.aligns = aligns
        self.multiline = multiline
        self.out_of_band = out_of_band


class GroupEndData(FormatData):
    __slots__ = ()
    PS_TYPE_NAMES = (_NS + "GroupEndData", _NS + "PacketInfoData")


class FormatEndData(FormatData):
    __slots__ = ()
    PS_TYPE_NAMES = (_NS + "FormatEndData", _NS + "PacketInfoData")


# --------------------------------------------------------------------------- options

@attrs.define
class FormatOptions:
    """What the Format-* command line says (all optional)."""

    properties: list = attrs.field(factory=list)
    """Parsed -Property specs (ems.runtime.properties.PropertySpec)."""
    group_by: Any = None
    """A PropertySpec for -GroupBy."""
    autosize: bool | None = None
    wrap: bool = False
    hide_headers: bool = False
    force: bool = False
    view: str | None = None
    columns: int = 0
    """Format-Wide -Column."""
    depth: int = 5


# --------------------------------------------------------------------------- helpers

def expand(obj: Any) -> list[Any]:
    """What the formatter enumerates (one level): arrays and lists item by item, a
    dictionary as its DictionaryEntry items (hence the Name/Value table)."""
    if isinstance(obj, dict):
        return dictionary_entries(obj)
    if isinstance(obj, (list, tuple)):
        return list(obj)
    if is_enumerable(obj):
        return list(obj)
    return [obj]


def is_error_record(obj: Any) -> bool:
    return type(obj).__name__ == "ErrorRecord" and hasattr(obj, "fully_qualified_error_id")


def default_alignment(value: Any) -> int:
    """ComputeDefaultAlignment: numbers, booleans and enums right; strings and the rest left."""
    if value is None or value is MISSING or isinstance(value, str):
        return ALIGN_LEFT
    if is_scalar(value):
        return ALIGN_RIGHT
    return ALIGN_LEFT


def _entry_text(field: Field, obj: Any, limit: int) -> str:
    value = field.value(obj)
    if value is MISSING or value is None:
        return ""
    return format_field(value, field.format, limit)


def out_of_band(obj: Any, fallback: bool, limit: int) -> FormatEntryData | None:
    """GenerateOutOfBandData: error records, scalars and property-less objects always;
    with ``fallback`` any other object as a list of all its properties."""
    if is_error_record(obj):
        return FormatEntryData("error", obj, out_of_band=True)
    if is_scalar(obj):
        return FormatEntryData("text", to_string(obj), out_of_band=True)
    if not has_properties(obj):
        return FormatEntryData("text", to_string(obj), out_of_band=True)
    if not fallback:
        return None
    return FormatEntryData("list", _all_pairs(obj, limit), out_of_band=True)


# --------------------------------------------------------------------------- generators

class _Generator:
    """One view generator (table, list, wide, custom) for a document."""

    view_type: str | None = None

    def applicable(self, obj: Any) -> bool:
        if self.view_type is None:
            return True
        return applies_to(type_names(obj), self.view_type)

    def start_data(self) -> FormatStartData:
        raise NotImplementedError

    def payload(self, obj: Any) -> FormatEntryData:
        raise NotImplementedError


class TableGenerator(_Generator):
    def __init__(self, obj: Any, opts: FormatOptions, limit: int, view: TableView | None,
                 view_type: str | None):
        self.limit = limit
        self.wrap = opts.wrap or (view is not None and view.wrap)
        self.hide_header = opts.hide_headers
        self.view_type = view_type if view is not None else None
        if view is not None:
            self.fields = list(view.columns)
            self.autosize = view.autosize if opts.autosize is None else opts.autosize
            self.aligns = [f.align for f in self.fields]
        else:
            if opts.properties:
                self.fields = fields_for_specs(opts.properties, obj, keep_unresolved=True)
            else:
                self.fields = all_fields(obj)[:MAX_TABLE_COLUMNS]
            self.autosize = bool(opts.autosize)
            self.aligns = [f.align if f.align != ALIGN_UNDEFINED else default_alignment(f.value(obj))
                           for f in self.fields]

    def start_data(self) -> FormatStartData:
        columns = [ColumnInfo(f.label, f.width, a) for f, a in zip(self.fields, self.aligns)]
        return FormatStartData(TABLE, columns, self.hide_header, self.autosize)

    def payload(self, obj: Any) -> FormatEntryData:
        limit = self.limit
        values = [_entry_text(f, obj, limit) for f in self.fields]
        return FormatEntryData("row", values, None, self.wrap)


class ListGenerator(_Generator):
    def __init__(self, opts: FormatOptions, limit: int, view: ListView | None,
                 view_type: str | None):
        self.limit = limit
        self.specs = opts.properties
        self.view = view
        self.view_type = view_type if view is not None else None

    def start_data(self) -> FormatStartData:
        return FormatStartData(LIST)

    def payload(self, obj: Any) -> FormatEntryData:
        # The fields are resolved again for every object (ListViewGenerator does so too):
        # each object shows its own properties and its own label width.
        if self.view is not None:
            fields = self.view.items
        elif self.specs:
            fields = fields_for_specs(self.specs, obj, keep_unresolved=False)
        else:
            return FormatEntryData("list", _all_pairs(obj, self.limit))
        limit = self.limit
        return FormatEntryData("list", [(f.label, _entry_text(f, obj, limit)) for f in fields])


def _all_pairs(obj: Any, limit: int) -> list[tuple[str, str]]:
    """Every property as (label, text): the hot path of ``fl`` and list views."""
    out = []
    for name, value in displayed_properties(obj):
        if value is None:
            out.append((name, ""))
        elif type(value) is str:
            out.append((name, value))
        else:
            out.append((name, format_field(value, None, limit)))
    return out


class WideGenerator(_Generator):
    def __init__(self, opts: FormatOptions, limit: int, view: WideView | None,
                 view_type: str | None):
        self.limit = limit
        self.specs = opts.properties[:1]
        self.view = view
        self.view_type = view_type if view is not None else None
        self.autosize = bool(opts.autosize)
        self.columns = opts.columns

    def start_data(self) -> FormatStartData:
        return FormatStartData(WIDE, autosize=self.autosize, wide_columns=self.columns)

    def payload(self, obj: Any) -> FormatEntryData:
        if self.view is not None:
            return FormatEntryData("wide", _entry_text(self.view.item, obj, self.limit))
        if self.specs:
            fields = fields_for_specs(self.specs, obj, keep_unresolved=False)
            text = _entry_text(fields[0], obj, self.limit) if fields else ""
            return FormatEntryData("wide", text)
        named = display_name_value(obj)
        if named is not None:
            value = named[1]
        else:
            props = format_properties(obj)
            value = props[0][1] if props else None
        return FormatEntryData("wide", format_field(value, None, self.limit) if value is not None else "")


class CustomGenerator(_Generator):
    def __init__(self, opts: FormatOptions, limit: int, view: CustomView | None,
                 view_type: str | None):
        self.limit = limit
        self.view = view
        self.view_type = view_type if view is not None else None
        self.specs = opts.properties

    def start_data(self) -> FormatStartData:
        return FormatStartData(CUSTOM)

    def payload(self, obj: Any) -> FormatEntryData:
        if self.view is not None:
            return FormatEntryData("custom", self.view.render(obj))
        return FormatEntryData("custom", _class_block(obj, self.specs, self.limit))


def _class_block(obj: Any, specs: list, limit: int) -> list[str]:
    """Format-Custom without a custom view: ``class T`` / ``{`` / ``  Name = value`` / ``}``.

    Minimal on purpose: nested objects print as their ToString (see README, "Differences from real EMS")."""
    fields = fields_for_specs(specs, obj, False) if specs else all_fields(obj)
    tname = type_names(obj)[0].rsplit(".", 1)[-1]
    lines = [f"class {tname}", "{"]
    for f in fields:
        lines.append(f"  {f.label} = {_entry_text(f, obj, limit)}")
    lines.append("}")
    return lines


# --------------------------------------------------------------------------- the formatter

_KINDS = {TABLE: TableView, LIST: ListView, WIDE: WideView, CUSTOM: CustomView}


class Formatter:
    """One Format-* command (``shape`` set) or Out-Default's implicit formatter (None).

    ``process(obj)`` and ``end()`` return the format-data packets to pass downstream."""

    def __init__(self, shape: str | None = None, opts: FormatOptions | None = None,
                 limit: int = 4):
        self.shape = shape
        self.opts = opts or FormatOptions()
        self.limit = limit
        self.gen: _Generator | None = None
        self.in_document = False
        self.in_group = False
        self.group_value: Any = MISSING
        self.group_field: Field | None = None
        self.group_header: Any = None
        self.oob = shape is None or not self.opts.force

    def set_limit(self, limit: int) -> None:
        """``$FormatEnumerationLimit`` changed: later objects use the new value (5.1 reads it
        for every object)."""
        self.limit = limit
        if self.gen is not None:
            self.gen.limit = limit

    def process(self, obj: Any) -> list[FormatData]:
        if obj is None:
            return []
        if isinstance(obj, FormatData):
            return [obj]
        out: list[FormatData] = []
        for item in expand(obj):
            if item is not None:
                self._one(item, out)
        return out

    def end(self) -> list[FormatData]:
        out: list[FormatData] = []
        if self.in_group:
            out.append(GroupEndData())
            self.in_group = False
        if self.in_document:
            out.append(FormatEndData())
            self.in_document = False
        return out

    # ------------------------------------------------------------------ internals
    def _one(self, obj: Any, out: list[FormatData]) -> None:
        if isinstance(obj, FormatData):
            out.append(obj)
            return
        if self.oob:
            entry = out_of_band(obj, False, self.limit)
            if entry is not None:
                out.append(entry)
                return
        if not self.in_document:
            self.gen = self._make_generator(obj)
            out.append(self.gen.start_data())
            self.in_document = True
        gen = self.gen
        if self.oob and not gen.applicable(obj):
            entry = out_of_band(obj, True, self.limit)
            if entry is not None:
                out.append(entry)
                return
        if not self.in_group:
            out.append(self._group_start(obj))
            self.in_group = True
        elif self.group_field is not None and self._group_changed(obj):
            out.append(GroupEndData())
            out.append(self._group_start(obj))
        out.append(gen.payload(obj))

    def _make_generator(self, obj: Any) -> _Generator:
        opts, limit, shape = self.opts, self.limit, self.shape
        tnames = type_names(obj)
        view = view_type = None
        if not opts.properties:
            view, view_type = find_view(tnames, _KINDS.get(shape) if shape else None)
        if shape is None:
            if view is None:
                shape = LIST if len(displayed_properties(obj)) > PROPERTY_COUNT_FOR_TABLE else TABLE
            else:
                shape = next(k for k, cls in _KINDS.items() if isinstance(view, cls))
        self._setup_grouping(view)
        if shape == TABLE:
            return TableGenerator(obj, opts, limit, view, view_type)
        if shape == LIST:
            return ListGenerator(opts, limit, view, view_type)
        if shape == WIDE:
            return WideGenerator(opts, limit, view, view_type)
        return CustomGenerator(opts, limit, view, view_type)

    def _setup_grouping(self, view: Any) -> None:
        spec = self.opts.group_by
        if spec is not None:
            if spec.is_script:
                getter = P.script_getter(spec.expression)
                self.group_field = Field(spec.label or P.scriptblock_text(spec.expression), getter)
            else:
                self.group_field = Field(spec.label or spec.expression, spec.expression)
        elif isinstance(view, TableView) and view.group_by:
            self.group_field = Field(view.group_by, view.group_by)
            self.group_header = view.group_header

    def _group_changed(self, obj: Any) -> bool:
        from ems.lang.operators import equals
        value = self.group_field.value(obj)
        old = self.group_value
        self.group_value = value
        if old is MISSING or value is MISSING:
            return old is not value
        try:
            return not equals(old, value)
        except Exception:  # noqa: BLE001 - incomparable values start a new group
            return True

    def _group_start(self, obj: Any) -> GroupStartData:
        if self.group_field is None:
            return GroupStartData()
        value = self.group_field.value(obj)
        self.group_value = value
        if value is MISSING:
            return GroupStartData()
        if self.group_header is not None:
            return GroupStartData(control=self.group_header(obj))
        text = format_field(value, None, self.limit) if value is not None else ""
        return GroupStartData(f"   {self.group_field.label}: {text}")
