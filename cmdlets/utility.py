"""Console, stream, clock, variable and host cmdlets of Windows PowerShell 5.1.

Write-Host goes straight to the host; Write-Output/Warning/Verbose/Debug/Error to their
streams. Time is the session's simulated clock (Get-Date reads it, Start-Sleep advances it
instantly) and randomness its seeded generator, so a run is reproducible byte for byte.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, ClassVar

import attrs

from cmdlets._records import Record
from ems.runtime.cmdlet import ANY, SCRIPTBLOCK, SWITCH, Cmdlet, Example, Parameter, register
from ems.runtime.errors import CATEGORIES, ErrorRecord, PSError

UTILITY = "Microsoft.PowerShell.Utility"
CORE = "Microsoft.PowerShell.Core"


CONSOLE_COLORS = ("Black", "DarkBlue", "DarkGreen", "DarkCyan", "DarkRed", "DarkMagenta",
                  "DarkYellow", "Gray", "DarkGray", "Blue", "Green", "Cyan", "Red", "Magenta",
                  "Yellow", "White")


def _text(value: Any) -> str:
    """An object as Write-Host prints it: its ToString(), collections item by item."""
    from ems.lang.conversion import to_display_string
    return to_display_string(value)


# =========================================================================== Write-*

@register
class WriteHost(Cmdlet):
    name = "Write-Host"
    dotnet_class = "Microsoft.PowerShell.Commands.WriteHostCommand"
    module = UTILITY
    synopsis = "Writes customized output to a host."
    description = ("The Write-Host cmdlet writes text straight to the console (not to the "
                   "pipeline). Arrays are written item by item, separated by -Separator.")
    parameters = (
        Parameter("Object", ANY, position=0, pipeline=True, remaining=True),
        Parameter("NoNewline", SWITCH),
        Parameter("Separator", ANY),
        Parameter("ForegroundColor", str, type_name="ConsoleColor", values=CONSOLE_COLORS),
        Parameter("BackgroundColor", str, type_name="ConsoleColor", values=CONSOLE_COLORS),
    )
    examples = (
        Example('Write-Host "Moving DB1..." -ForegroundColor Yellow', "Writes a line in yellow."),
        Example('Write-Host -NoNewline "Checking... "; Write-Host "done"', "Writes two parts on one line."),
    )

    def process(self) -> None:
        sep = self.param("Separator")
        sep = " " if sep is None else _text(sep)
        parts: list[str] = []
        _flatten(self.param("Object"), parts)
        text = sep.join(parts)
        if text and getattr(getattr(self.session, "shell", None), "color", False):
            text = _colored(text, self.param("ForegroundColor"), self.param("BackgroundColor"))
        self.host_write(text, newline=not self.param("NoNewline"))


_ANSI = dict(zip(CONSOLE_COLORS, (30, 34, 32, 36, 31, 35, 33, 37, 90, 94, 92, 96, 91, 95, 93, 97)))
"""ConsoleColor -> ANSI foreground code (background is +10)."""


def _colored(text: str, fg: str | None, bg: str | None) -> str:
    """Write-Host colours on a terminal that shows colours (the shell's --no-color is off)."""
    codes = [str(_ANSI[c]) for c in (_canonical_color(fg),) if c] + \
        [str(_ANSI[c] + 10) for c in (_canonical_color(bg),) if c]
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text


def _canonical_color(name: str | None) -> str | None:
    if not name:
        return None
    return next((c for c in CONSOLE_COLORS if c.lower() == str(name).lower()), None)


def _flatten(value: Any, out: list[str]) -> None:
    """Write-Host's ProcessObject: strings as they are, collections item by item."""
    from ems.runtime.values import is_enumerable
    if value is None:
        return
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, list) or (is_enumerable(value) and not isinstance(value, dict)):
        for item in value:
            _flatten(item, out)
    else:
        out.append(_text(value))


@register
class WriteOutput(Cmdlet):
    name = "Write-Output"
    aliases = ("echo", "write")
    dotnet_class = "Microsoft.PowerShell.Commands.WriteOutputCommand"
    module = UTILITY
    synopsis = "Sends the specified objects to the next command in the pipeline."
    parameters = (
        Parameter("InputObject", ANY, mandatory=True, position=0, pipeline=True, remaining=True,
                  type_name="PSObject[]"),
        Parameter("NoEnumerate", SWITCH),
    )
    examples = (Example('Write-Output "DB1 is mounted"', "Writes a string to the pipeline."),)

    def process(self) -> None:
        if self.has("InputObject"):
            self.write(self.param("InputObject"), enumerate=not self.param("NoEnumerate"))


class _MessageCmdlet(Cmdlet):
    """Write-Warning/Verbose/Debug: one message per call or per piped string."""

    module = UTILITY
    parameters = (Parameter("Message", str, mandatory=True, position=0, pipeline=True, aliases=("Msg",)),)
    stream: ClassVar[str] = ""

    def process(self) -> None:
        message = self.param("Message") or ""
        if self.stream == "warning":
            self.warning(message)
        elif self.stream == "verbose":
            self.verbose(message)
        else:
            self.context.write_debug(message)


@register
class WriteWarning(_MessageCmdlet):
    name = "Write-Warning"
    dotnet_class = "Microsoft.PowerShell.Commands.WriteWarningCommand"
    synopsis = "Writes a warning message."
    stream = "warning"
    examples = (Example('Write-Warning "The witness server is not reachable."', "Shows WARNING: ..."),)


@register
class WriteVerbose(_MessageCmdlet):
    name = "Write-Verbose"
    dotnet_class = "Microsoft.PowerShell.Commands.WriteVerboseCommand"
    synopsis = "Writes text to the verbose message stream."
    stream = "verbose"
    examples = (Example('Write-Verbose "Checking copies" -Verbose', "Shows VERBOSE: Checking copies."),)


@register
class WriteDebug(_MessageCmdlet):
    name = "Write-Debug"
    dotnet_class = "Microsoft.PowerShell.Commands.WriteDebugCommand"
    synopsis = "Writes a debug message to the console."
    stream = "debug"
    examples = (Example('Write-Debug "state=$state" -Debug', "Shows DEBUG: state=..."),)


WRITE_ERROR_ID = "Microsoft.PowerShell.Commands.WriteErrorException"


def _typed_statement(session: Any, inv: Any) -> str | None:
    """The top-level statement of the input being run (REPL line, -Command text) that contains
    the command at ``inv``; None when the command comes from elsewhere."""
    ast = getattr(session, "interactive_ast", None)
    if ast is None or inv is None or not inv.line_number:
        return None
    at = (inv.line_number, inv.column)
    for block in (ast.begin, ast.process, ast.end):
        for stmt in (block.statements if block is not None else ()):
            ext = stmt.extent
            if (ext.start_line, ext.start_column) <= at < (ext.end_line, ext.end_column) \
                    and ext.source.line(inv.line_number) == inv.line_text:
                return ext.text
    return None


@register
class WriteError(Cmdlet):
    name = "Write-Error"
    dotnet_class = "Microsoft.PowerShell.Commands.WriteErrorCommand"
    module = UTILITY
    synopsis = "Writes an object to the error stream."
    description = ("The Write-Error cmdlet declares a non-terminating error. The record shows the "
                   "calling script or function, category NotSpecified unless -Category is given, "
                   "and the id Microsoft.PowerShell.Commands.WriteErrorException.")
    _category_params = (
        Parameter("Category", str, type_name="ErrorCategory", values=CATEGORIES),
        Parameter("ErrorId", str),
        Parameter("TargetObject", ANY),
        Parameter("RecommendedAction", str),
        Parameter("CategoryActivity", str, aliases=("Activity",)),
        Parameter("CategoryReason", str, aliases=("Reason",)),
        Parameter("CategoryTargetName", str, aliases=("TargetName",)),
        Parameter("CategoryTargetType", str, aliases=("TargetType",)),
    )
    parameters = (
        Parameter("Exception", ANY, mandatory=True, sets=("WithException",), type_name="Exception"),
        Parameter("Message", str, mandatory=("NoException",), position=0, pipeline=True,
                  aliases=("Msg",), sets=("NoException", "WithException")),
        Parameter("ErrorRecord", ANY, mandatory=True, sets=("ErrorRecord",), type_name="ErrorRecord"),
    ) + tuple(attrs.evolve(p, sets=("NoException", "WithException")) if p.name in (
        "Category", "ErrorId", "TargetObject") else p for p in _category_params)
    default_set = "NoException"
    examples = (
        Example('Write-Error "Database DB1 has no healthy copy."', "Writes a non-terminating error."),
        Example('Write-Error -Message "Bad name" -Category InvalidArgument -ErrorId BadName',
                "Writes an error with its own category and id."),
    )

    def process(self) -> None:
        record = self._record()
        caller = self.context.caller_invocation
        if caller is not None and caller.command_name:
            record.invocation = caller
            name = caller.command_name
            if name.lower().endswith(".ps1") and not caller.dotnet_class:
                # a script's command name in the id is its file name (prefix: its full path)
                record.invocation = attrs.evolve(caller, dotnet_class=name.replace("\\", "/").rsplit("/", 1)[-1])
        else:
            # At the prompt: "Write-Error "x" : x", no position block, no ",<command>" in the id.
            # The prefix is the text of what was typed ($MyInvocation's script block): the whole
            # top-level statement the call is in (`1 | % { Write-Error "x" } : x`).
            own = self.context.invocation
            record.invocation = own
            text = _typed_statement(self.session, own) or (own.extent_text if own is not None else "")
            record.prefix = f"{text} : " if text else "Write-Error : "
            record.show_position = False
            record.script_level = True
        record.activity = self.param("CategoryActivity") or "Write-Error"
        self.write_error(record)

    def _record(self) -> ErrorRecord:
        if self.parameter_set == "ErrorRecord":
            original = self.param("ErrorRecord")
            if isinstance(original, ErrorRecord):
                return attrs.evolve(original)
            return ErrorRecord(message=str(original), exception_type="WriteErrorException",
                               error_id=WRITE_ERROR_ID)
        exc = self.param("Exception")
        message = self.param("Message")
        if exc is not None:
            exc_type = getattr(exc, "exception_type", None) or type(exc).__name__
            if message is None:
                message = getattr(exc, "message", None) or str(exc)
            full = exc_type if "." in exc_type else f"System.{exc_type}"
            error_id = self.param("ErrorId") or full
        else:
            exc_type = "WriteErrorException"
            error_id = self.param("ErrorId") or WRITE_ERROR_ID
        reason = self.param("CategoryReason")
        return ErrorRecord(message=message or "", exception_type=reason or exc_type.rsplit(".", 1)[-1],
                           category=self.param("Category") or "NotSpecified", error_id=error_id,
                           target=self.param("TargetObject"))


# =========================================================================== clock

_UFORMAT = {
    "a": "ddd", "A": "dddd", "b": "MMM", "B": "MMMM", "d": "dd", "H": "HH", "I": "hh",
    "m": "MM", "M": "mm", "p": "tt", "S": "ss", "y": "yy", "Y": "yyyy", "h": "MMM",
}


def uformat(d: _dt.datetime, spec: str) -> str:
    """Get-Date -UFormat: the Unix strftime specifiers PowerShell 5.1 understands."""
    from ems.lang.operators import format_datetime
    out = []
    i = 0
    while i < len(spec):
        c = spec[i]
        if c != "%" or i + 1 >= len(spec):
            out.append(c)
            i += 1
            continue
        k = spec[i + 1]
        i += 2
        if k in _UFORMAT:
            out.append(format_datetime(d, _UFORMAT[k]))
        elif k == "e":
            out.append(f"{d.day:>2}")
        elif k == "j":
            out.append(f"{d.timetuple().tm_yday:03d}")
        elif k == "k":
            out.append(f"{d.hour:>2}")
        elif k == "l":
            out.append(f"{d.hour % 12 or 12:>2}")
        elif k == "D":
            out.append(format_datetime(d, "MM/dd/yy"))
        elif k in ("T", "X"):
            out.append(format_datetime(d, "HH:mm:ss"))
        elif k == "R":
            out.append(format_datetime(d, "HH:mm"))
        elif k in ("c",):
            out.append(format_datetime(d, "ddd MMM dd HH:mm:ss yyyy"))
        elif k == "x":
            out.append(format_datetime(d, "MM/dd/yy"))
        elif k == "C":
            out.append(f"{d.year // 100:02d}")
        elif k == "u":
            out.append(str(d.isoweekday()))
        elif k == "w":
            out.append(str(d.isoweekday() % 7))
        elif k == "s":
            out.append(str(int((d - _dt.datetime(1970, 1, 1)).total_seconds())))
        elif k == "n":
            out.append("\n")
        elif k == "t":
            out.append("\t")
        elif k == "Z":
            out.append("+00")
        elif k == "V":
            out.append(f"{d.isocalendar()[1]:02d}")
        else:
            out.append(k)
    return "".join(out)


@register
class GetDate(Cmdlet):
    name = "Get-Date"
    dotnet_class = "Microsoft.PowerShell.Commands.GetDateCommand"
    module = UTILITY
    synopsis = "Gets the current date and time."
    description = ("The Get-Date cmdlet gets a DateTime object that represents the current date "
                   "(the shell's simulated clock) or a date that you specify; -Format and "
                   "-UFormat return the date as text.")
    output_type = "System.DateTime"
    parameters = (
        Parameter("Date", _dt.datetime, position=0, pipeline=True, pipeline_by_property=True,
                  aliases=("LastWriteTime",)),
        Parameter("Year", int), Parameter("Month", int), Parameter("Day", int),
        Parameter("Hour", int), Parameter("Minute", int), Parameter("Second", int),
        Parameter("Millisecond", int),
        Parameter("DisplayHint", str, type_name="DisplayHintType", values=("Date", "Time", "DateTime")),
        Parameter("Format", str, sets=("net",)),
        Parameter("UFormat", str, sets=("UFormat",)),
    )
    default_set = "net"
    examples = (
        Example("Get-Date", "Gets the current date and time."),
        Example('Get-Date -Format "yyyy-MM-dd HH:mm"', "Gets the date as text."),
        Example("(Get-Date).AddDays(-7)", "Gets the date a week ago."),
    )

    def process(self) -> None:
        d = self.param("Date") or self.session.clock.now()
        for part in ("Year", "Month", "Day", "Hour", "Minute", "Second"):
            value = self.param(part)
            if value is not None:
                d = self._replace(d, part.lower(), value)
        if self.param("Millisecond") is not None:
            d = self._replace(d, "microsecond", self.param("Millisecond") * 1000)
        if self.has("UFormat"):
            self.write(uformat(d, self.param("UFormat")))
        elif self.has("Format"):
            from ems.lang.operators import format_datetime
            self.write(format_datetime(d, self.param("Format")))
        else:
            self.write(d)

    @staticmethod
    def _replace(d: _dt.datetime, field: str, value: int) -> _dt.datetime:
        try:
            return d.replace(**{field: value})
        except ValueError:
            raise PSError("Year, Month, and Day parameters describe an un-representable DateTime.",
                          "GetDateInvalidArgument", "InvalidArgument",
                          exception_type="ArgumentOutOfRangeException") from None


def _at_least(minimum: int):
    def check(value: Any) -> str | None:
        if value is not None and value < minimum:
            return (f"The {value} argument is less than the minimum allowed range of {minimum}. "
                    f"Supply an argument that is greater than or equal to {minimum} and then try "
                    "the command again.")
        return None
    return check


@register
class StartSleep(Cmdlet):
    name = "Start-Sleep"
    aliases = ("sleep",)
    dotnet_class = "Microsoft.PowerShell.Commands.StartSleepCommand"
    module = UTILITY
    synopsis = "Suspends the activity in a script or session for the specified period of time."
    description = ("In ems, Start-Sleep advances the simulated clock by the given time at once: "
                   "replication, seeding and timers move on, but nobody waits.")
    parameters = (
        Parameter("Seconds", int, mandatory=True, position=0, pipeline=True, pipeline_by_property=True,
                  sets=("Seconds",), validate=_at_least(0)),
        Parameter("Milliseconds", int, mandatory=True, pipeline_by_property=True, sets=("Milliseconds",),
                  aliases=("ms",), validate=_at_least(0)),
    )
    default_set = "Seconds"
    examples = (Example("Start-Sleep -Seconds 30", "Lets 30 simulated seconds pass."),)

    def process(self) -> None:
        if self.parameter_set == "Milliseconds":
            delta = _dt.timedelta(milliseconds=self.param("Milliseconds"))
        else:
            delta = _dt.timedelta(seconds=self.param("Seconds"))
        self.session.clock.advance(delta)


# =========================================================================== strict mode

@register
class SetStrictMode(Cmdlet):
    name = "Set-StrictMode"
    dotnet_class = "Microsoft.PowerShell.Commands.SetStrictModeCommand"
    module = CORE
    synopsis = "Establishes and enforces coding rules in expressions, scripts, and script blocks."
    parameters = (
        Parameter("Off", SWITCH, mandatory=True, sets=("Off",)),
        Parameter("Version", str, mandatory=True, sets=("Version",), aliases=("v",), type_name="Version"),
    )
    default_set = "Version"
    examples = (Example("Set-StrictMode -Version 2.0", "Errors on undefined variables and missing properties."),)

    def process(self) -> None:
        if self.parameter_set == "Off":
            self.session.strict_version = 0
            return
        text = str(self.param("Version")).strip()
        if text.lower() == "latest":
            level = 3
        else:
            try:
                major = int(float(text)) if "." in text else int(text)
            except ValueError:
                major = -1
            if major < 1 or major > 5:
                raise PSError(f"Cannot validate argument on parameter 'Version'. The {text} version is "
                              "not valid. Specify a version that is 1.0, 2.0, 3.0 or Latest.",
                              "InvalidPSVersion,Microsoft.PowerShell.Commands.SetStrictModeCommand",
                              "InvalidData", exception_type="ParameterBindingValidationException")
            level = min(major, 3)
        self.session.strict_version = level


# =========================================================================== variables

class PSVariable(Record):
    """System.Management.Automation.PSVariable (default view: Name, Value)."""

    PS_TYPE_NAMES = ("System.Management.Automation.PSVariable",)
    FIELDS = ("Name", "Description", "Value", "Visibility", "Module", "ModuleName", "Options", "Attributes")
    __slots__ = FIELDS

    def __str__(self) -> str:
        return self.Name


def _scope_of(cmdlet: Cmdlet, name: str | None) -> Any:
    """-Scope Global/Script/Local/Private or a number of levels up from the caller's scope."""
    scope = cmdlet.context.frame.scope
    if not name:
        return scope
    low = str(name).strip().lower()
    if low == "global":
        return cmdlet.session.global_scope
    if low == "script":
        return scope.script_scope
    if low in ("local", "private"):
        return scope
    if low.isdigit():
        for _ in range(int(low)):
            if scope.parent is None:
                raise _scope_error(name)
            scope = scope.parent
        return scope
    raise _scope_error(name)


def _scope_error(name: str) -> PSError:
    return PSError(f"The scope number '{name}' exceeds the number of active scopes.\r\nParameter name: "
                   "Scope\r\nActual value was " + str(name) + ".", "ArgumentOutOfRange", "InvalidArgument",
                   exception_type="PSArgumentOutOfRangeException")


def _visible(cmdlet: Cmdlet, scope_name: str | None) -> dict[str, tuple[Any, str]]:
    """lower-case name -> (scope, key) for every variable visible from the chosen scope
    (with -Scope only that scope's own variables, as PowerShell does)."""
    out: dict[str, tuple[Any, str]] = {}
    if scope_name:
        s = _scope_of(cmdlet, scope_name)
        return {k: (s, k) for k in s.vars}
    s = cmdlet.context.frame.scope
    while s is not None:
        for k in s.vars:
            out.setdefault(k, (s, k))
        s = s.parent
    return out


def _variable(scope: Any, key: str) -> PSVariable:
    return PSVariable(Name=scope.names.get(key, key), Description="", Value=scope.vars.get(key),
                      Visibility="Public", Module=None, ModuleName="",
                      Options=scope.options.get(key, "None"), Attributes=[])


def _not_found(name: str) -> PSError:
    return PSError(f"Cannot find a variable with the name '{name}'.", "VariableNotFound", "ObjectNotFound",
                   target=name, exception_type="ItemNotFoundException")


def _match(patterns: list[str] | None, name: str) -> bool:
    from ems.lang.operators import wildcard_match
    return any(wildcard_match(p, name) for p in patterns or [])


def _has_wildcard(text: str) -> bool:
    from ems.lang.operators import has_wildcard
    return has_wildcard(text)


def _read_only(scope: Any, key: str) -> bool:
    return scope.options.get(key, "None").lower() in ("readonly", "constant")


_VARIABLE_OPTIONS = ("None", "ReadOnly", "Constant", "Private", "AllScope", "Unspecified")


@register
class GetVariable(Cmdlet):
    name = "Get-Variable"
    aliases = ("gv",)
    dotnet_class = "Microsoft.PowerShell.Commands.GetVariableCommand"
    module = UTILITY
    synopsis = "Gets the variables in the current console."
    output_type = "System.Management.Automation.PSVariable"
    parameters = (
        Parameter("Name", str, array=True, position=0, pipeline_by_property=True),
        Parameter("ValueOnly", SWITCH),
        Parameter("Include", str, array=True),
        Parameter("Exclude", str, array=True),
        Parameter("Scope", str),
    )
    examples = (Example("Get-Variable db*", "Gets the variables whose names start with db."),)

    def process(self) -> None:
        visible = _visible(self, self.param("Scope"))
        names = self.param("Name") or ["*"]
        for pattern in names:
            hits = sorted((k for k in visible if _match([pattern], k)), key=str.lower)
            hits = [k for k in hits if (not self.param("Include") or _match(self.param("Include"), k))
                    and not _match(self.param("Exclude"), k)]
            if not hits and not _has_wildcard(pattern):
                self.write_error(_not_found(pattern))
                continue
            for k in hits:
                scope, key = visible[k]
                var = _variable(scope, key)
                self.write(var.Value if self.param("ValueOnly") else var)


class _VariableWriter(Cmdlet):
    """Shared shape of Set-Variable and New-Variable."""

    module = UTILITY
    supports_should_process = True
    confirm_impact = "Low"

    def _store(self, scope: Any, name: str, value: Any) -> None:
        key = name.lower()
        if key not in scope.names:
            scope.names[key] = name
        scope.vars[key] = value
        option = self.param("Option")
        if option:
            scope.options[key] = option
        if self.param("PassThru"):
            self.write(_variable(scope, key))


@register
class SetVariable(_VariableWriter):
    name = "Set-Variable"
    aliases = ("set",)
    dotnet_class = "Microsoft.PowerShell.Commands.SetVariableCommand"
    synopsis = "Sets the value of a variable. Creates the variable if one with the requested name does not exist."
    parameters = (
        Parameter("Name", str, mandatory=True, array=True, position=0, pipeline_by_property=True),
        Parameter("Value", ANY, position=1, pipeline=True, pipeline_by_property=True),
        Parameter("Include", str, array=True),
        Parameter("Exclude", str, array=True),
        Parameter("Description", str),
        Parameter("Option", str, type_name="ScopedItemOptions", values=_VARIABLE_OPTIONS),
        Parameter("Force", SWITCH),
        Parameter("Visibility", str, type_name="SessionStateEntryVisibility", values=("Public", "Private")),
        Parameter("PassThru", SWITCH),
        Parameter("Scope", str),
    )
    examples = (Example("Set-Variable -Name dag -Value DAG1 -Scope Global", "Sets $dag in the global scope."),)

    def begin(self) -> None:
        self._values: list[Any] = []

    def process(self) -> None:
        # Piped objects arrive one per call; several of them become an array (5.1).
        if self.has("Value"):
            self._values.append(self.param("Value"))

    def end(self) -> None:
        value = self._values[0] if len(self._values) == 1 else (list(self._values) or None)
        scope = _scope_of(self, self.param("Scope"))
        for name in self.param("Name") or []:  # unbound when every piped object failed to bind
            key = name.lower()
            existing = scope.find(key) if not self.param("Scope") else (scope if key in scope.vars else None)
            target = existing or scope
            if existing is not None and _read_only(existing, key) and not self.param("Force"):
                self.write_error(PSError(f"Cannot overwrite variable {name} because it is read-only or constant.",
                                         "VariableNotWritable", "WriteError", target=name,
                                         exception_type="SessionStateUnauthorizedAccessException"))
                continue
            if not self.should_process(f"Name: {name} Value: {_text(value)}", "Set variable"):
                continue
            self._store(target, name, value)


@register
class NewVariable(_VariableWriter):
    name = "New-Variable"
    aliases = ("nv",)
    dotnet_class = "Microsoft.PowerShell.Commands.NewVariableCommand"
    synopsis = "Creates a new variable."
    parameters = (
        Parameter("Name", str, mandatory=True, position=0, pipeline_by_property=True),
        Parameter("Value", ANY, position=1, pipeline=True, pipeline_by_property=True),
        Parameter("Description", str),
        Parameter("Option", str, type_name="ScopedItemOptions", values=_VARIABLE_OPTIONS),
        Parameter("Visibility", str, type_name="SessionStateEntryVisibility", values=("Public", "Private")),
        Parameter("Force", SWITCH),
        Parameter("PassThru", SWITCH),
        Parameter("Scope", str),
    )
    examples = (Example("New-Variable -Name limit -Value 10 -Option ReadOnly", "Creates a read-only variable."),)

    def process(self) -> None:
        name = self.param("Name")
        scope = _scope_of(self, self.param("Scope"))
        key = name.lower()
        if key in scope.vars and not self.param("Force"):
            self.write_error(PSError(f"A variable with name '{name}' already exists.", "VariableAlreadyExists",
                                     "ResourceExists", target=name, exception_type="SessionStateException"))
            return
        if not self.should_process(f"Name: {name} Value: {_text(self.param('Value'))}", "New variable"):
            return
        self._store(scope, name, self.param("Value"))


class _VariableEraser(Cmdlet):
    """Remove-Variable and Clear-Variable: find by name (wildcards), then act."""

    module = UTILITY
    supports_should_process = True
    confirm_impact = "Medium"
    action: ClassVar[str] = ""

    def process(self) -> None:
        visible = _visible(self, self.param("Scope"))
        for pattern in self.param("Name"):
            hits = sorted((k for k in visible if _match([pattern], k)), key=str.lower)
            hits = [k for k in hits if (not self.param("Include") or _match(self.param("Include"), k))
                    and not _match(self.param("Exclude"), k)]
            if not hits and not _has_wildcard(pattern):
                self.write_error(_not_found(pattern))
                continue
            for k in hits:
                scope, key = visible[k]
                name = scope.names.get(key, key)
                if _read_only(scope, key) and not self.param("Force"):
                    self.write_error(self._protected(name))
                    continue
                if self.should_process(f"Name: {name}", self.action):
                    self._act(scope, key)

    def _act(self, scope: Any, key: str) -> None:
        raise NotImplementedError

    def _protected(self, name: str) -> PSError:
        raise NotImplementedError


_ERASER_PARAMETERS = (
    Parameter("Name", str, mandatory=True, array=True, position=0, pipeline_by_property=True),
    Parameter("Include", str, array=True),
    Parameter("Exclude", str, array=True),
    Parameter("Force", SWITCH),
    Parameter("Scope", str),
)


@register
class RemoveVariable(_VariableEraser):
    name = "Remove-Variable"
    aliases = ("rv",)
    dotnet_class = "Microsoft.PowerShell.Commands.RemoveVariableCommand"
    synopsis = "Deletes a variable and its value."
    parameters = _ERASER_PARAMETERS
    action = "Remove variable"
    examples = (Example("Remove-Variable db", "Deletes $db."),)

    def _act(self, scope: Any, key: str) -> None:
        scope.vars.pop(key, None)
        scope.names.pop(key, None)
        scope.options.pop(key, None)

    def _protected(self, name: str) -> PSError:
        return PSError(f"Cannot remove variable {name} because it is constant or read-only. If the "
                       "variable is read-only, try the operation again specifying the Force option.",
                       "VariableNotRemovable", "WriteError", target=name,
                       exception_type="SessionStateUnauthorizedAccessException")


@register
class ClearVariable(_VariableEraser):
    name = "Clear-Variable"
    aliases = ("clv",)
    dotnet_class = "Microsoft.PowerShell.Commands.ClearVariableCommand"
    synopsis = "Deletes the value of a variable."
    parameters = _ERASER_PARAMETERS + (Parameter("PassThru", SWITCH),)
    action = "Clear variable"
    examples = (Example("Clear-Variable results", "Sets $results to $null."),)

    def _act(self, scope: Any, key: str) -> None:
        scope.vars[key] = None
        if self.param("PassThru"):
            self.write(_variable(scope, key))

    def _protected(self, name: str) -> PSError:
        return PSError(f"Cannot overwrite variable {name} because it is read-only or constant.",
                       "VariableNotWritable", "WriteError", target=name,
                       exception_type="SessionStateUnauthorizedAccessException")


# =========================================================================== host

class SecureString:
    """System.Security.SecureString: keeps the text, shows only its type name."""

    PS_TYPE_NAMES = ("System.Security.SecureString",)
    __ps_scalar__ = True

    def __init__(self, text: str):
        self._text = text

    @property
    def Length(self) -> int:
        return len(self._text)

    def ps_properties(self):
        return [("Length", len(self._text))]

    def __str__(self) -> str:
        return "System.Security.SecureString"


def _non_interactive() -> PSError:
    """Read-Host without a console: the exception escapes the cmdlet, so its id is the
    exception's type name."""
    from ems.runtime.pipeline import NON_INTERACTIVE
    return PSError(NON_INTERACTIVE, "System.Management.Automation.PSInvalidOperationException",
                   "InvalidOperation", exception_type="PSInvalidOperationException")


@register
class ReadHost(Cmdlet):
    name = "Read-Host"
    dotnet_class = "Microsoft.PowerShell.Commands.ReadHostCommand"
    module = UTILITY
    synopsis = "Reads a line of input from the console."
    parameters = (
        Parameter("Prompt", ANY, position=0, remaining=True),
        Parameter("AsSecureString", SWITCH),
    )
    examples = (Example('$answer = Read-Host "Continue with the switchover (y/n)"', "Asks a question."),)

    def process(self) -> None:
        host = self.session.host
        if host is None or not hasattr(host, "read_line"):
            raise _non_interactive()
        prompt = self.param("Prompt")
        if isinstance(prompt, list):
            prompt = " ".join(_text(p) for p in prompt)
        text = f"{_text(prompt)}: " if prompt is not None else ""
        line = host.read_line(text)
        if line is None:
            raise _non_interactive()
        self.write(SecureString(line) if self.param("AsSecureString") else line)


@register
class ConvertToSecureString(Cmdlet):
    name = "ConvertTo-SecureString"
    dotnet_class = "Microsoft.PowerShell.Commands.ConvertToSecureStringCommand"
    module = "Microsoft.PowerShell.Security"
    synopsis = "Converts encrypted standard strings to secure strings, or plain text to secure strings."
    parameters = (
        Parameter("String", str, mandatory=True, position=0, pipeline=True),
        Parameter("AsPlainText", SWITCH, position=1, sets=("PlainText",)),
        Parameter("Force", SWITCH, position=2, sets=("PlainText",)),
        Parameter("SecureKey", ANY, position=1, sets=("Secure",)),
        Parameter("Key", int, array=True, sets=("Open",), type_name="Byte[]"),
    )
    default_set = "Secure"
    examples = (Example('$pw = ConvertTo-SecureString "P@ssw0rd" -AsPlainText -Force', "Makes a password."),)

    def process(self) -> None:
        if self.parameter_set == "PlainText" and not self.param("Force"):
            raise PSError("The system cannot protect plain text input. To suppress this warning and convert "
                          "the plain text to a SecureString, reissue the command specifying the Force "
                          "parameter. For more information ,type: get-help ConvertTo-SecureString.",
                          "ImportSecureString_AsPlainText,Microsoft.PowerShell.Commands.ConvertToSecureStringCommand",
                          "InvalidArgument", exception_type="ArgumentException")
        self.write(SecureString(self.param("String")))


@register
class ClearHost(Cmdlet):
    name = "Clear-Host"
    aliases = ("cls", "clear")
    # In Windows PowerShell 5.1 Clear-Host is a function.
    command_type = "Function"
    module = ""
    synopsis = "Clears the display in the host program."
    examples = (Example("cls", "Clears the console."),)

    def process(self) -> None:
        clear = getattr(self.session.host, "clear", None)
        if callable(clear):
            clear()


@register
class GetRandom(Cmdlet):
    name = "Get-Random"
    dotnet_class = "Microsoft.PowerShell.Commands.GetRandomCommand"
    module = UTILITY
    synopsis = "Gets a random number, or selects objects randomly from a collection."
    description = ("Numbers and picks come from the session's seeded generator, so the same "
                   "input gives the same output.")
    parameters = (
        Parameter("SetSeed", int),
        Parameter("Maximum", ANY, position=0, sets=("RandomNumberGeneratorParameterSet",), type_name="Object"),
        Parameter("Minimum", ANY, sets=("RandomNumberGeneratorParameterSet",), type_name="Object"),
        Parameter("InputObject", ANY, mandatory=True, position=0, pipeline=True, array=True,
                  sets=("RandomListItemParameterSet",), type_name="Object[]"),
        Parameter("Count", int, sets=("RandomListItemParameterSet",), validate=_at_least(1)),
    )
    default_set = "RandomNumberGeneratorParameterSet"
    examples = (
        Example("Get-Random -Maximum 100", "A number from 0 to 99."),
        Example("Get-MailboxDatabase | Get-Random", "Picks one database."),
    )

    def begin(self) -> None:
        if self.param("SetSeed") is not None:
            self.session.rng.seed(self.param("SetSeed"))
        self._items: list[Any] = []

    def process(self) -> None:
        if self.parameter_set == "RandomListItemParameterSet":
            self._items += list(self.param("InputObject") or [])

    def end(self) -> None:
        rng = self.session.rng
        if self.parameter_set == "RandomListItemParameterSet":
            count = self.param("Count") or 1
            picks = rng.sample(self._items, min(count, len(self._items)))
            for item in picks:
                self.write(item)
            return
        self.write(self._number(rng))

    def _number(self, rng: Any) -> Any:
        from ems.lang.conversion import to_number
        lo, hi = self.param("Minimum"), self.param("Maximum")
        lo = 0 if lo is None else to_number(lo)
        hi = 2**31 - 1 if hi is None else to_number(hi)
        if lo >= hi:
            from ems.lang.conversion import to_string
            raise PSError(f"The Minimum value ({to_string(lo)}) cannot be greater than or equal to the "
                          f"Maximum value ({to_string(hi)}).", "MinGreaterThanOrEqualMax", "InvalidArgument",
                          exception_type="ArgumentException")
        if isinstance(lo, float) or isinstance(hi, float):
            return lo + rng.random() * (hi - lo)
        return rng.randrange(int(lo), int(hi))


class RawUI(Record):
    PS_TYPE_NAMES = ("System.Management.Automation.Internal.Host.InternalHostRawUserInterface",)
    FIELDS = ("ForegroundColor", "BackgroundColor", "WindowTitle", "BufferSize", "WindowSize")
    PS_SETTABLE = FIELDS  # kept, without effect on the display (see README, "Differences from real EMS")
    __slots__ = FIELDS


class HostUI(Record):
    PS_TYPE_NAMES = ("System.Management.Automation.Internal.Host.InternalHostUserInterface",)
    FIELDS = ("RawUI",)
    __slots__ = FIELDS


class HostInfo(Record):
    """``Get-Host`` / ``$Host``: the 5.1 ConsoleHost as EMS sees it."""

    PS_TYPE_NAMES = ("System.Management.Automation.Internal.Host.InternalHost",)
    FIELDS = ("Name", "Version", "InstanceId", "UI", "CurrentCulture", "CurrentUICulture", "PrivateData",
              "DebuggerEnabled", "IsRunspacePushed", "Runspace")
    __slots__ = FIELDS

    def __str__(self) -> str:
        return "System.Management.Automation.Internal.Host.InternalHost"


def host_info(session: Any) -> HostInfo:
    """The object behind ``$Host`` (one per session, so ``$Host.UI.RawUI`` changes stick)."""
    existing = getattr(session, "_host_info", None)
    if existing is not None:
        return existing
    from ems.lang.conversion import Version
    import uuid
    info = HostInfo(Name="ConsoleHost", Version=Version(5, 1, 14393, 0),
                    InstanceId=uuid.UUID(int=session.rng.getrandbits(128), version=4),
                    UI=HostUI(RawUI("DarkYellow", "DarkMagenta", "Machine: EX1 | Scope: contoso.com",
                                    "120,3000", "120,50")),
                    CurrentCulture="en-US", CurrentUICulture="en-US",
                    PrivateData="Microsoft.PowerShell.ConsoleHost+ConsoleColorProxy",
                    DebuggerEnabled=True, IsRunspacePushed=False,
                    Runspace="System.Management.Automation.Runspaces.LocalRunspace")
    try:
        session._host_info = info
    except AttributeError:
        pass
    return info


@register
class GetHost(Cmdlet):
    name = "Get-Host"
    dotnet_class = "Microsoft.PowerShell.Commands.GetHostCommand"
    module = UTILITY
    synopsis = "Gets an object that represents the current host program."
    examples = (Example("(Get-Host).Version", "The version of the host."),)

    def process(self) -> None:
        self.write(host_info(self.session))


@register
class InvokeExpression(Cmdlet):
    name = "Invoke-Expression"
    aliases = ("iex",)
    dotnet_class = "Microsoft.PowerShell.Commands.InvokeExpressionCommand"
    module = UTILITY
    synopsis = "Runs commands or expressions on the local computer."
    parameters = (Parameter("Command", str, mandatory=True, position=0, pipeline=True),)
    examples = (Example('Invoke-Expression "Get-MailboxDatabase -Server EX1"', "Runs a command held in a string."),)

    def process(self) -> None:
        # The text runs in the caller's scope, its output streaming on (like dot-sourcing).
        from ems.lang.evaluator import ScriptBlock, call_scriptblock
        from ems.lang.parser import parse
        sb = ScriptBlock(parse(self.param("Command") or ""))
        frame = self.context.frame
        call_scriptblock(sb, frame.with_emit(self.write), dot_source=True)


# =========================================================================== timing & tee

@register
class WriteProgress(Cmdlet):
    name = "Write-Progress"
    dotnet_class = "Microsoft.PowerShell.Commands.WriteProgressCommand"
    module = UTILITY
    synopsis = "Displays a progress bar within a Windows PowerShell command window."
    description = ("Accepted and ignored: ems runs work instantly, and a progress bar is not part "
                   "of a command's text output.")
    parameters = (
        Parameter("Activity", str, mandatory=True, position=0),
        Parameter("Status", str, position=1),
        Parameter("Id", int, position=2),
        Parameter("PercentComplete", int),
        Parameter("SecondsRemaining", int),
        Parameter("CurrentOperation", str),
        Parameter("ParentId", int),
        Parameter("Completed", SWITCH),
        Parameter("SourceId", int),
    )
    examples = (Example('Write-Progress -Activity "Seeding" -PercentComplete 50', "Reports progress."),)


@register
class NewTimeSpan(Cmdlet):
    name = "New-TimeSpan"
    dotnet_class = "Microsoft.PowerShell.Commands.NewTimeSpanCommand"
    module = UTILITY
    synopsis = "Creates a TimeSpan object."
    output_type = "System.TimeSpan"
    parameters = (
        Parameter("Start", _dt.datetime, position=0, pipeline_by_property=True, sets=("Date",),
                  aliases=("LastWriteTime",)),
        Parameter("End", _dt.datetime, position=1, pipeline=True, pipeline_by_property=True, sets=("Date",)),
        Parameter("Days", int, sets=("Time",)),
        Parameter("Hours", int, sets=("Time",)),
        Parameter("Minutes", int, sets=("Time",)),
        Parameter("Seconds", int, sets=("Time",)),
    )
    default_set = "Date"
    examples = (Example("New-TimeSpan -Start $before -End (Get-Date)", "The time since $before."),)

    def process(self) -> None:
        if self.parameter_set == "Time":
            self.write(_dt.timedelta(days=self.param("Days") or 0, hours=self.param("Hours") or 0,
                                     minutes=self.param("Minutes") or 0, seconds=self.param("Seconds") or 0))
            return
        now = self.session.clock.now()
        start = self.param("Start") or now
        end = self.param("End") or now
        self.write(end - start)


@register
class MeasureCommand(Cmdlet):
    name = "Measure-Command"
    dotnet_class = "Microsoft.PowerShell.Commands.MeasureCommandCommand"
    module = UTILITY
    synopsis = "Measures the time it takes to run script blocks and cmdlets."
    description = "Measures simulated time: what the script block's commands let pass on the clock."
    output_type = "System.TimeSpan"
    parameters = (
        Parameter("InputObject", ANY, pipeline=True, type_name="PSObject"),
        Parameter("Expression", SCRIPTBLOCK, mandatory=True, position=0),
    )
    examples = (Example("Measure-Command { Start-Sleep 5 }", "Takes 5 simulated seconds."),)

    def begin(self) -> None:
        self._start = self.session.clock.now()

    def process(self) -> None:
        from ems.lang.evaluator import call_scriptblock
        obj = self.param("InputObject") if self.has("InputObject") else None
        # The output of the measured script is discarded (5.1).
        call_scriptblock(self.param("Expression"), self.context.frame.with_emit(lambda o: None),
                         dollar_under=obj, set_dollar_under=True, dot_source=True)

    def end(self) -> None:
        self.write(self.session.clock.now() - self._start)


@register
class TeeObject(Cmdlet):
    name = "Tee-Object"
    aliases = ("tee",)
    dotnet_class = "Microsoft.PowerShell.Commands.TeeObjectCommand"
    module = UTILITY
    synopsis = "Saves command output in a file or variable and also sends it down the pipeline."
    parameters = (
        Parameter("InputObject", ANY, pipeline=True, type_name="PSObject"),
        Parameter("FilePath", str, mandatory=True, position=0, sets=("File",), aliases=("Path",)),
        Parameter("Append", SWITCH, sets=("File",)),
        Parameter("LiteralPath", str, mandatory=True, sets=("LiteralFile",), aliases=("PSPath",)),
        Parameter("Variable", str, mandatory=True, sets=("Variable",)),
    )
    default_set = "File"
    examples = (Example("Get-MailboxDatabase | Tee-Object -Variable dbs | Select Name",
                        "Keeps the databases in $dbs and shows their names."),)

    def begin(self) -> None:
        self._items: list[Any] = []

    def process(self) -> None:
        if self.has("InputObject"):
            self._items.append(self.param("InputObject"))
            self.write(self.param("InputObject"))

    def end(self) -> None:
        if self.parameter_set == "Variable":
            self.context.set_variable(self.param("Variable"), list(self._items))
            return
        from cmdlets.files import real_path
        from ems.lang.evaluator import format_objects
        path = real_path(self.session, self.param("LiteralPath") or self.param("FilePath"))
        text = format_objects(self._items, self.session.width,
                              self.context.get_variable("FormatEnumerationLimit", 4)) if self._items else ""
        with open(path, "a" if self.param("Append") else "w", encoding="utf-8", newline="") as fh:
            fh.write(text)


@register
class GetUnique(Cmdlet):
    name = "Get-Unique"
    aliases = ("gu",)
    dotnet_class = "Microsoft.PowerShell.Commands.GetUniqueCommand"
    module = UTILITY
    synopsis = "Returns unique items from a sorted list."
    parameters = (
        Parameter("InputObject", ANY, pipeline=True, type_name="PSObject"),
        Parameter("AsString", SWITCH, sets=("AsString",)),
        Parameter("OnType", SWITCH, sets=("UniqueByType",)),
    )
    default_set = "AsString"
    examples = (Example("'a','a','b' | Get-Unique", "Drops adjacent duplicates."),)

    def begin(self) -> None:
        self._last: Any = _NOTHING

    def process(self) -> None:
        if not self.has("InputObject"):
            return
        from ems.lang.conversion import to_display_string
        from ems.runtime.values import type_names
        obj = self.param("InputObject")
        if self.param("OnType"):
            key: Any = type_names(obj)[0]
        elif self.param("AsString") or isinstance(obj, str):
            key = to_display_string(obj)      # Get-Unique compares strings case-sensitively
        else:
            key = (type_names(obj)[0], to_display_string(obj))
        if key != self._last:
            self.write(obj)
        self._last = key


_NOTHING = object()


# =========================================================================== transcripts

_ANSI_ESCAPE = None


class Transcript:
    """The file Start-Transcript opened; the shell hands it everything the console shows."""

    def __init__(self, path: str):
        self.path = path

    def write(self, text: str) -> None:
        global _ANSI_ESCAPE
        if _ANSI_ESCAPE is None:
            import re
            _ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
        with open(self.path, "a", encoding="utf-8", newline="") as fh:
            fh.write(_ANSI_ESCAPE.sub("", text))


_BANNER = "**********************"


@register
class StartTranscript(Cmdlet):
    name = "Start-Transcript"
    dotnet_class = "Microsoft.PowerShell.Commands.StartTranscriptCommand"
    module = "Microsoft.PowerShell.Host"
    synopsis = "Creates a record of all or part of a Windows PowerShell session to a text file."
    description = ("Everything the console shows from now on (output, errors, warnings, Write-Host) "
                   "is also written to the transcript file until Stop-Transcript.")
    parameters = (
        Parameter("Path", str, position=0, sets=("ByPath",)),
        Parameter("LiteralPath", str, sets=("ByLiteralPath",), aliases=("PSPath",)),
        Parameter("OutputDirectory", str, sets=("ByOutputDirectory",)),
        Parameter("Append", SWITCH), Parameter("Force", SWITCH),
        Parameter("NoClobber", SWITCH, aliases=("NoOverwrite",)),
        Parameter("IncludeInvocationHeader", SWITCH),
    )
    supports_should_process = True
    default_set = "ByPath"
    examples = (Example("Start-Transcript -Path .\\switchover.txt", "Records the session in switchover.txt."),)

    def process(self) -> None:
        import os
        from cmdlets.files import real_path
        session = self.session
        now = session.clock.now()
        given = self.param("LiteralPath") or self.param("Path")
        if not given:
            folder = self.param("OutputDirectory") or "."
            given = os.path.join(folder, f"PowerShell_transcript.{now:%Y%m%d%H%M%S}.txt")
        path = real_path(session, given)
        if self.param("NoClobber") and os.path.exists(path):
            raise PSError(f"File {path} already exists and NoClobber was specified.", "NoClobber",
                          "ResourceExists", target=path, exception_type="IOException")
        if getattr(session, "transcript", None) is not None:
            raise PSError("Transcription has already been started. Use the stop-transcript command "
                          "to stop transcription.", "CannotStartTranscription", "InvalidOperation",
                          exception_type="PSInvalidOperationException")
        if not self.should_process(path, "Start-Transcript"):
            return
        header = [_BANNER, "Windows PowerShell transcript start", f"Start time: {now:%Y%m%d%H%M%S}",
                  "Username: CONTOSO\\Administrator", "RunAs User: CONTOSO\\Administrator",
                  f"Machine: {getattr(session, 'computer_name', 'localhost')} (Microsoft Windows NT 10.0.14393.0)",
                  "Host Application: ems", f"Process ID: {os.getpid()}", "PSVersion: 5.1.14393.0",
                  _BANNER, ""]
        try:
            with open(path, "a" if self.param("Append") else "w", encoding="utf-8", newline="") as fh:
                fh.write("\n".join(header))
        except OSError as e:
            raise PSError(f"Could not find a part of the path '{path}'.", "CannotStartTranscription",
                          "InvalidOperation", target=path, exception_type="PSInvalidOperationException") from e
        session.transcript = Transcript(path)
        self.write(f"Transcript started, output file is {path}")


@register
class StopTranscript(Cmdlet):
    name = "Stop-Transcript"
    dotnet_class = "Microsoft.PowerShell.Commands.StopTranscriptCommand"
    module = "Microsoft.PowerShell.Host"
    synopsis = "Stops a transcript."
    examples = (Example("Stop-Transcript", "Closes the transcript file."),)

    def process(self) -> None:
        transcript = getattr(self.session, "transcript", None)
        if transcript is None:
            raise PSError("An error occurred stopping transcription: The host is not currently transcribing.",
                          "InvalidOperation", "InvalidOperation",
                          exception_type="PSInvalidOperationException")
        message = f"Transcript stopped, output file is {transcript.path}"
        self.session.transcript = None
        now = self.session.clock.now()
        with open(transcript.path, "a", encoding="utf-8", newline="") as fh:
            fh.write("\n".join([message, _BANNER, "Windows PowerShell transcript end",
                                f"End time: {now:%Y%m%d%H%M%S}", _BANNER, ""]))
        self.write(message)
