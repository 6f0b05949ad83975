"""Format-Table/-List/-Wide/-Custom, Out-Default/-Host/-String/-File/-Null, Get-Member.

Thin declarations over ems.format: the Format-* cmdlets turn their parameters into
``FormatOptions`` and pass every input object through a ``Formatter``, writing the format
data it returns (as PowerShell does: ``ft | Out-String`` works, ``$t = ft`` holds format
objects). The Out-* cmdlets feed a ``Renderer`` and send its lines to the host, a string or
a file. Layout rules live in ems/format, views in ems/format/views.py.
"""
from __future__ import annotations

import os
from typing import Any, ClassVar

from ems.runtime.cmdlet import ANY, SWITCH, Cmdlet, Example, Parameter, register
from ems.runtime.errors import PSError, io_error
from ems.runtime import properties as specs

UTILITY = "Microsoft.PowerShell.Utility"
CORE = "Microsoft.PowerShell.Core"


def _at_least(minimum: int):
    def check(value: Any) -> str | None:
        if isinstance(value, int) and value < minimum:
            return (f"The {value} argument is less than the minimum allowed range of {minimum}. "
                    f"Supply an argument that is greater than or equal to {minimum} and then try "
                    "the command again.")
        return None
    return check


def enumeration_limit(cmdlet: Cmdlet) -> int:
    """``$FormatEnumerationLimit`` (4 unless the script set another integer)."""
    value = cmdlet.context.get_variable("FormatEnumerationLimit", 4)
    return value if isinstance(value, int) and not isinstance(value, bool) else 4


def console_width(cmdlet: Cmdlet) -> int:
    return int(getattr(cmdlet.session, "width", 120) or 120)


_INPUT = Parameter("InputObject", ANY, pipeline=True, type_name="PSObject")
_COMMON_FORMAT = (
    Parameter("GroupBy", ANY, type_name="Object"),
    Parameter("View", str),
    Parameter("ShowError", SWITCH),
    Parameter("DisplayError", SWITCH),
    Parameter("Force", SWITCH),
    Parameter("Expand", str, values=("CoreOnly", "EnumOnly", "Both")),
    _INPUT,
)


class _FormatCommand(Cmdlet):
    """The shared shape of the Format-* cmdlets."""

    module = UTILITY
    shape: ClassVar[str] = ""
    keys: ClassVar[tuple] = specs.FORMAT_TABLE_KEYS
    output_type = "Microsoft.PowerShell.Commands.Internal.Format.FormatStartData"

    def options(self) -> Any:
        from ems.format.engine import FormatOptions
        props = self.param("Property")
        if props is not None and self.param("View"):
            raise PSError("Cmdlet parameters View and Property are mutually exclusive.",
                          "FormatCannotSpecifyViewAndProperty", "InvalidArgument",
                          exception_type="InvalidDataException")
        group = self.param("GroupBy")
        return FormatOptions(
            properties=specs.parse_specs(props, self.keys) if props is not None else [],
            group_by=specs.parse_specs([group], specs.FORMAT_LIST_KEYS)[0] if group is not None else None,
            force=bool(self.param("Force")),
            view=self.param("View"))

    def begin(self) -> None:
        from ems.format.engine import Formatter
        self._formatter = Formatter(self.shape, self.options(), enumeration_limit(self))

    def process(self) -> None:
        if self.has("InputObject"):
            for packet in self._formatter.process(self.param("InputObject")):
                self.write(packet)

    def end(self) -> None:
        for packet in self._formatter.end():
            self.write(packet)


@register
class FormatTable(_FormatCommand):
    name = "Format-Table"
    aliases = ("ft",)
    dotnet_class = "Microsoft.PowerShell.Commands.FormatTableCommand"
    synopsis = "Formats the output as a table."
    description = ("Shows the selected properties of each object in a column. -Property takes "
                   "names, wildcards, script blocks and calculated properties (Name/Label, "
                   "Expression, Width, Alignment, FormatString).")
    shape = "table"
    keys = specs.FORMAT_TABLE_KEYS
    parameters = (
        Parameter("Property", ANY, array=True, position=0, type_name="Object[]"),
        Parameter("AutoSize", SWITCH),
        Parameter("HideTableHeaders", SWITCH),
        Parameter("Wrap", SWITCH),
    ) + _COMMON_FORMAT
    examples = (
        Example("Get-MailboxDatabaseCopyStatus * | Format-Table Name,Status,CopyQueueLength -AutoSize",
                "Shows three columns, each as wide as its content."),
        Example("Get-MailboxDatabase | ft Name,@{n='Server';e={$_.Server};w=12}",
                "A calculated column with a fixed width."),
    )

    def options(self) -> Any:
        opts = super().options()
        opts.autosize = True if self.param("AutoSize") else None
        opts.wrap = bool(self.param("Wrap"))
        opts.hide_headers = bool(self.param("HideTableHeaders"))
        return opts


@register
class FormatList(_FormatCommand):
    name = "Format-List"
    aliases = ("fl",)
    dotnet_class = "Microsoft.PowerShell.Commands.FormatListCommand"
    synopsis = "Formats the output as a list of properties in which each property appears on a new line."
    description = ("Shows each property on its own line, 'Name : Value', wrapping long values. "
                   "-Property takes names, wildcards (fl *, fl Name,*ip*) and calculated properties.")
    shape = "list"
    keys = specs.FORMAT_LIST_KEYS
    parameters = (Parameter("Property", ANY, array=True, position=0, type_name="Object[]"),) + _COMMON_FORMAT
    examples = (
        Example("Get-DatabaseAvailabilityGroup | fl Name,*ip*", "The DAG's name and IP addresses."),
        Example("Get-MailboxDatabase DB1 | Format-List *lag*", "The lag settings of a database."),
    )


@register
class FormatWide(_FormatCommand):
    name = "Format-Wide"
    aliases = ("fw",)
    dotnet_class = "Microsoft.PowerShell.Commands.FormatWideCommand"
    synopsis = "Formats objects as a wide table that displays only one property of each object."
    shape = "wide"
    keys = specs.FORMAT_WIDE_KEYS
    parameters = (
        Parameter("Property", ANY, position=0, type_name="Object"),
        Parameter("AutoSize", SWITCH),
        Parameter("Column", int, validate=_at_least(1)),
    ) + _COMMON_FORMAT
    examples = (Example("Get-MailboxDatabase | Format-Wide -Column 3", "Database names in three columns."),)

    def options(self) -> Any:
        if self.param("AutoSize") and self.has("Column"):
            raise PSError("Cannot specify both the AutoSize and the Column parameters.",
                          "FormatCannotSpecifyAutosizeAndColumns", "InvalidArgument",
                          exception_type="InvalidDataException")
        opts = super().options()
        opts.autosize = True if self.param("AutoSize") else None
        opts.columns = self.param("Column") or 0
        return opts


@register
class FormatCustom(_FormatCommand):
    name = "Format-Custom"
    aliases = ("fc",)
    dotnet_class = "Microsoft.PowerShell.Commands.FormatCustomCommand"
    synopsis = "Uses a customized view to format the output."
    shape = "custom"
    keys = specs.FORMAT_LIST_KEYS
    parameters = (
        Parameter("Property", ANY, array=True, position=0, type_name="Object[]"),
        Parameter("Depth", int, validate=_at_least(1)),
    ) + _COMMON_FORMAT


# --------------------------------------------------------------------------- Out-*

class _OutCommand(Cmdlet):
    """Feeds a Renderer; subclasses say where the lines go."""

    module = UTILITY

    def width(self) -> int:
        return self.param("Width") or console_width(self) - 1

    def begin(self) -> None:
        from ems.format.render import Renderer
        self._renderer = Renderer(self.width(), enumeration_limit(self), console_width(self))

    def process(self) -> None:
        if self.has("InputObject"):
            self._renderer.feed(self.param("InputObject"))
            self.flush(self._renderer.take())

    def end(self) -> None:
        self._renderer.close()
        self.flush(self._renderer.take())
        self.finish()

    def flush(self, lines: list[str]) -> None:
        """Lines ready now."""

    def finish(self) -> None:
        """After the last line."""


class _ToHost(_OutCommand):
    def width(self) -> int:
        return console_width(self) - 1

    def flush(self, lines: list[str]) -> None:
        if lines:
            self.host_write("".join(line + "\n" for line in lines), newline=False)


@register
class OutDefault(_ToHost):
    name = "Out-Default"
    module = CORE
    dotnet_class = "Microsoft.PowerShell.Commands.OutDefaultCommand"
    synopsis = "Sends the output to the default formatter and to the default output cmdlet."
    parameters = (Parameter("Transcript", SWITCH), _INPUT)


@register
class OutHost(_ToHost):
    name = "Out-Host"
    aliases = ("oh",)
    module = CORE
    dotnet_class = "Microsoft.PowerShell.Commands.OutHostCommand"
    synopsis = "Sends output to the command line."
    parameters = (Parameter("Paging", SWITCH), _INPUT)


@register
class OutString(_OutCommand):
    name = "Out-String"
    dotnet_class = "Microsoft.PowerShell.Commands.OutStringCommand"
    synopsis = "Sends objects to the host as a series of strings."
    description = ("Renders objects exactly as the console would, at -Width columns (default: "
                   "the console width minus one), as one string or, with -Stream, line by line.")
    output_type = "System.String"
    parameters = (
        Parameter("Stream", SWITCH),
        Parameter("Width", int, validate=_at_least(2)),
        _INPUT,
    )
    examples = (Example("$text = Get-MailboxDatabase | Format-List | Out-String",
                        "The list as one string."),)

    def begin(self) -> None:
        super().begin()
        self._text: list[str] = []

    def flush(self, lines: list[str]) -> None:
        if self.param("Stream"):
            for line in lines:
                self.write(line)
        else:
            self._text += lines

    def finish(self) -> None:
        if not self.param("Stream"):
            self.write("".join(line + "\n" for line in self._text))


@register
class OutFile(_OutCommand):
    name = "Out-File"
    dotnet_class = "Microsoft.PowerShell.Commands.OutFileCommand"
    synopsis = "Sends output to a file."
    description = "Writes what the console would show into a file, -Width columns wide."
    supports_should_process = True
    parameters = (
        Parameter("FilePath", str, mandatory=("ByPath",), position=0, sets=("ByPath",), aliases=("Path",)),
        Parameter("LiteralPath", str, mandatory=("ByLiteralPath",), sets=("ByLiteralPath",),
                  aliases=("PSPath",)),
        Parameter("Encoding", str, position=1, values=(
            "Unicode", "UTF7", "UTF8", "UTF32", "ASCII", "BigEndianUnicode", "Default", "OEM",
            "String", "Unknown")),
        Parameter("Append", SWITCH),
        Parameter("Force", SWITCH),
        Parameter("NoClobber", SWITCH, aliases=("NoOverwrite",)),
        Parameter("Width", int, validate=_at_least(2)),
        Parameter("NoNewline", SWITCH),
        _INPUT,
    )
    default_set = "ByPath"
    examples = (Example("Get-MailboxDatabaseCopyStatus * | Out-File C:\\status.txt",
                        "Saves the status table to a file."),)

    def begin(self) -> None:
        super().begin()
        self._lines: list[str] = []

    def flush(self, lines: list[str]) -> None:
        self._lines += lines

    def finish(self) -> None:
        from cmdlets.files import _write_file, codec, real_path
        full = real_path(self.session, self.param("FilePath") or self.param("LiteralPath"))
        if not self.should_process(full, "Out-File"):
            return
        if self.param("NoClobber") and not self.param("Append") and os.path.exists(full):
            raise PSError(f"The file '{full}' already exists.", "NoClobber", "ResourceExists",
                          target=full, exception_type="IOException")
        # Without -Encoding: UTF-8 without a BOM (5.1 writes UTF-16LE; README, "Differences from real EMS").
        encoding = codec(self.param("Encoding"))
        lines = ["".join(self._lines)] if self.param("NoNewline") else self._lines
        try:
            _write_file(full, lines, encoding, bool(self.param("Append")),
                        newline_at_end=not self.param("NoNewline"))
        except OSError as e:
            raise io_error(e, full, "FileOpenFailure") from None


@register
class OutNull(Cmdlet):
    name = "Out-Null"
    module = CORE
    dotnet_class = "Microsoft.PowerShell.Commands.OutNullCommand"
    synopsis = "Deletes output instead of sending it down the pipeline."
    parameters = (_INPUT,)


# --------------------------------------------------------------------------- Get-Member

@register
class GetMember(Cmdlet):
    name = "Get-Member"
    aliases = ("gm",)
    module = UTILITY
    dotnet_class = "Microsoft.PowerShell.Commands.GetMemberCommand"
    synopsis = "Gets the properties and methods of objects."
    output_type = "Microsoft.PowerShell.Commands.MemberDefinition"
    parameters = (
        Parameter("Name", str, array=True, position=0),
        Parameter("MemberType", str, array=True, aliases=("Type",), values=(
            "AliasProperty", "CodeProperty", "Property", "NoteProperty", "ScriptProperty",
            "Properties", "PropertySet", "Method", "CodeMethod", "ScriptMethod", "Methods",
            "ParameterizedProperty", "MemberSet", "Event", "Dynamic", "All")),
        Parameter("View", str, values=("Extended", "Adapted", "Base", "All")),
        Parameter("Static", SWITCH),
        Parameter("Force", SWITCH),
        _INPUT,
    )
    examples = (Example("Get-MailboxDatabase | Get-Member", "The properties and methods of a database."),)

    def begin(self) -> None:
        self._seen: set[str] = set()
        self._any = False

    def process(self) -> None:
        from ems.format.members import member_table, member_type_filter
        if not self.has("InputObject") or self.param("InputObject") is None:
            return
        self._any = True
        tname, members = member_table(self.param("InputObject"))
        if tname in self._seen:
            return
        self._seen.add(tname)
        admitted = member_type_filter(self.param("MemberType"))
        names = self.param("Name")
        if names:
            from ems.lang.operators import wildcard_match
        for m in members:
            if admitted is not None and m.MemberType.lower() not in admitted:
                continue
            if names and not any(wildcard_match(n, m.Name) for n in names):
                continue
            self.write(m)

    def end(self) -> None:
        if not self._any:
            raise PSError("You must specify an object for the Get-Member cmdlet.",
                          "NoObjectInGetMember", "CloseError",
                          exception_type="InvalidOperationException")
