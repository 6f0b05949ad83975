"""Get-Help, Get-Command, Get-ExCommand and the alias cmdlets: all read the cmdlet declarations.

Help text, syntax lines and command listings come from the one declaration each cmdlet makes
(``ems.runtime.cmdlet``), so what ``Get-Help`` shows is exactly what the binder accepts.
Command objects (``CmdletInfo``/``AliasInfo``/``FunctionInfo``) are plain records with
their .NET type names; the formatter owns their views (CommandType/Name/Version/Source).
"""
from __future__ import annotations

import textwrap
from typing import Any, ClassVar

from cmdlets._records import Record
from ems.runtime.cmdlet import ANY, SWITCH, Cmdlet, Example, Parameter, iter_cmdlets, register
from ems.runtime.errors import CommandNotFoundException, PSError

# --------------------------------------------------------------------------- command objects

MODULE_VERSIONS = {
    "Microsoft.PowerShell.Core": "3.0.0.0",
    "Microsoft.PowerShell.Utility": "3.1.0.0",
    "Microsoft.PowerShell.Management": "3.1.0.0",
    # The E2010 snap-in's assembly version (all Exchange 2010 assemblies carry 14.0.0.0).
    "Microsoft.Exchange.Management.PowerShell.E2010": "14.0.0.0",
}
"""Get-Command's Version column per module (Windows PowerShell 5.1 values)."""

_COMMAND_TYPE_ORDER = {"Alias": 1, "Function": 2, "Filter": 4, "Cmdlet": 8}


class CmdletInfo(Record):
    """What Get-Command returns for a cmdlet (System.Management.Automation.CmdletInfo)."""

    PS_TYPE_NAMES = ("System.Management.Automation.CmdletInfo",
                     "System.Management.Automation.CommandInfo")
    FIELDS = ("Verb", "Noun", "HelpFile", "ImplementingType", "Definition", "DefaultParameterSet",
              "Name", "CommandType", "Source", "Version", "Visibility", "ModuleName", "ParameterSets")
    __slots__ = FIELDS + ("_cls",)

    def __str__(self) -> str:
        return self.Name


class AliasInfo(Record):
    """An alias (System.Management.Automation.AliasInfo); Name column shows ``? -> Where-Object``."""

    PS_TYPE_NAMES = ("System.Management.Automation.AliasInfo",
                     "System.Management.Automation.CommandInfo")
    FIELDS = ("ResolvedCommandName", "DisplayName", "Definition", "Options", "Description", "Name",
              "CommandType", "Source", "Version", "Visibility", "ModuleName")
    __slots__ = FIELDS

    def __str__(self) -> str:
        return self.Name


class FunctionInfo(Record):
    """A script function (System.Management.Automation.FunctionInfo)."""

    PS_TYPE_NAMES = ("System.Management.Automation.FunctionInfo",
                     "System.Management.Automation.CommandInfo")
    FIELDS = ("Verb", "Noun", "Definition", "Name", "CommandType", "Source", "Version", "Visibility",
              "ModuleName")
    __slots__ = FIELDS

    def __str__(self) -> str:
        return self.Name


def command_type(cls: type[Cmdlet]) -> str:
    """Cmdlet, or Function for the few 5.1 commands that are functions (Clear-Host)."""
    return getattr(cls, "command_type", "Cmdlet")


def cmdlet_info(cls: type[Cmdlet]) -> Any:
    verb, _, noun = cls.name.partition("-")
    source = cls.module or ""
    version = MODULE_VERSIONS.get(source, "")
    if command_type(cls) == "Function":
        return FunctionInfo(Verb=verb, Noun=noun, Definition="", Name=cls.name,
                            CommandType="Function", Source=source, Version=version,
                            Visibility="Public", ModuleName=source)
    info = CmdletInfo(
        Verb=verb, Noun=noun, HelpFile=f"{cls.dotnet_class.rsplit('.', 2)[0]}.dll-Help.xml" if cls.dotnet_class else "",
        ImplementingType=cls.dotnet_class, Definition="\n".join(syntax_lines(cls, metadata=True)) + "\n",
        DefaultParameterSet=cls.default_set, Name=cls.name, CommandType="Cmdlet",
        Source=source, Version=version, Visibility="Public", ModuleName=source,
        ParameterSets=[f"[{line}]" for line in syntax_lines(cls, metadata=True)])
    info._cls = cls
    return info


def alias_info(name: str, target: str) -> AliasInfo:
    return AliasInfo(ResolvedCommandName=target, DisplayName=f"{name} -> {target}",
                     Definition=target, Options="None", Description="", Name=name,
                     CommandType="Alias", Source="", Version="", Visibility="Public",
                     ModuleName="")


# --------------------------------------------------------------------------- lookups

def find_cmdlet(name: str) -> type[Cmdlet] | None:
    from ems.runtime.cmdlet import REGISTRY
    return REGISTRY.get(name.lower())


def alias_table(session: Any) -> dict[str, tuple[str, str]]:
    """Alias -> command name: the declared cmdlet aliases plus the session's own
    (``Set-Alias``/``New-Alias``), keyed by lower-cased alias, values keep the target's case."""
    table: dict[str, tuple[str, str]] = {}
    for cls in iter_cmdlets():
        for a in cls.aliases:
            table[a.lower()] = (a, cls.name)
    for a, target in _session_aliases(session).items():
        table[a.lower()] = (a, target)
    return table


def _session_aliases(session: Any) -> dict[str, str]:
    """The session's own aliases, by the spelling they were created with. The session
    table is keyed by lower-cased name (how the evaluator looks them up); the spelling
    lives beside it in ``alias_names``."""
    aliases = getattr(session, "aliases", None)
    if not isinstance(aliases, dict):
        return {}
    names = getattr(session, "alias_names", None) or {}
    return {names.get(k, k): v for k, v in aliases.items()}


def _session_functions(session: Any) -> dict[str, Any]:
    funcs = getattr(session, "functions", None)
    return funcs if isinstance(funcs, dict) else {}


def has_wildcard(text: str) -> bool:
    from ems.lang.operators import has_wildcard as _has
    return _has(text)


def wildcard_match(pattern: str, text: str) -> bool:
    """PowerShell wildcard test (case-insensitive, whole string): * ? [a-z], ` escapes."""
    from ems.lang.operators import wildcard_match as _match
    return _match(pattern, text)


def all_commands(session: Any) -> list[Any]:
    """Every command the session knows: aliases, functions, cmdlets (Get-Command's order:
    by command type, then by name)."""
    out: list[Any] = []
    for key, (alias, target) in alias_table(session).items():
        out.append(alias_info(alias, target))
    for fname, fn in _session_functions(session).items():
        out.append(_function_info(fname, fn))
    for cls in iter_cmdlets():
        out.append(cmdlet_info(cls))
    out.sort(key=lambda c: (_COMMAND_TYPE_ORDER.get(c.CommandType, 99), c.Name.lower()))
    return out


def _function_info(name: str, fn: Any) -> FunctionInfo:
    verb, _, noun = name.partition("-") if "-" in name else ("", "", "")
    definition = str(getattr(fn, "body", "") or getattr(fn, "text", "") or "")
    return FunctionInfo(Verb=verb, Noun=noun, Definition=definition, Name=name,
                        CommandType="Function", Source="", Version="", Visibility="Public",
                        ModuleName="")


def resolve_command(session: Any, name: str) -> type[Cmdlet] | None:
    """The cmdlet a name or alias stands for (aliases may chain to other aliases)."""
    seen = set()
    while name.lower() not in seen:
        seen.add(name.lower())
        cls = find_cmdlet(name)
        if cls is not None:
            return cls
        hit = alias_table(session).get(name.lower())
        if hit is None:
            return None
        name = hit[1]
    return None


# --------------------------------------------------------------------------- syntax

_ACCELERATORS = {"String": "string", "Int32": "int", "Int64": "long", "Boolean": "bool",
                 "Double": "double", "DateTime": "datetime", "TimeSpan": "timespan",
                 "ScriptBlock": "scriptblock", "Hashtable": "hashtable", "PSObject": "psobject",
                 "Object": "Object", "Char": "char", "Byte": "byte", "Version": "version"}
"""Syntax generated from metadata (``Get-Command -Syntax``) names .NET types by their
PowerShell accelerators (``<string[]>``); help files spell them out (``<String[]>``)."""


def _type_text(p: Parameter, metadata: bool = False) -> str:
    values = p.valid_values
    if values and not p.is_switch:
        return "{" + " | ".join(values) + "}"
    name = p.dotnet_type
    if metadata:
        base, suffix = (name[:-2], "[]") if name.endswith("[]") else (name, "")
        name = _ACCELERATORS.get(base, base) + suffix
    return f"<{name}>"


def _display_order(cls: type[Cmdlet], set_name: str) -> list[Parameter]:
    """Positional parameters by position, then named ones in declaration order."""
    params = [p for p in cls.parameters if p.in_set(set_name)]
    positional = sorted((p for p in params if p.position is not None), key=lambda p: p.position)
    named = [p for p in params if p.position is None]
    return positional + named


def _parameter_text(name: str, type_text: str, positional: bool, mandatory: bool, switch: bool) -> str:
    """One parameter in syntax notation: ``[[-Identity] <X>]``, ``-Server <Y>``, ``[-Status]``."""
    if switch:
        text = f"-{name}"
    else:
        text = f"[-{name}] {type_text}" if positional else f"-{name} {type_text}"
    return text if mandatory else f"[{text}]"


def syntax_lines(cls: type[Cmdlet], metadata: bool = False) -> list[str]:
    """One line per parameter set, in the 5.1 notation:
    ``Get-X [[-Identity] <DatabaseIdParameter>] -Server <ServerIdParameter> [-Status] [<CommonParameters>]``.
    ``metadata``: type names as Get-Command -Syntax shows them."""
    lines = []
    sets = cls.parameter_sets()
    # PowerShell lists the default set first.
    if cls.default_set in sets:
        sets = [cls.default_set] + [s for s in sets if s != cls.default_set]
    for set_name in sets:
        parts = [cls.name] + [
            _parameter_text(p.name, _type_text(p, metadata), p.position is not None,
                            p.is_mandatory_in(set_name), p.is_switch)
            for p in _display_order(cls, set_name)]
        if cls.supports_should_process:
            parts += ["[-WhatIf]", "[-Confirm]"]
        parts.append("[<CommonParameters>]")
        lines.append(" ".join(parts))
    return lines


def function_syntax_lines(name: str, meta: Any) -> list[str]:
    """Syntax of a script function from its param block (as 5.1 generates it: accelerator
    type names; ``[<CommonParameters>]`` only for advanced functions)."""
    own = [p for p in meta.params if not p.common]
    advanced = any(p.common for p in meta.params)
    lines = []
    for set_name in meta.sets:
        params = [p for p in own if p.in_set(set_name)]
        ordered = sorted((p for p in params if p.position is not None), key=lambda p: p.position) + \
            [p for p in params if p.position is None]
        parts = [name]
        for p in ordered:
            base = p.type_display.rsplit(".", 1)[-1] if p.type_display.startswith("System.") else p.type_display
            core, suffix = (base[:-2], "[]") if base.endswith("[]") else (base, "")
            type_text = f"<{_ACCELERATORS.get(core, core)}{suffix}>"
            parts.append(_parameter_text(p.name, type_text, p.position is not None,
                                         p.is_mandatory_in(set_name), p.is_switch))
        if advanced:
            parts.append("[<CommonParameters>]")
        lines.append(" ".join(parts))
    return lines


def function_help_text(name: str, meta: Any, width: int) -> str:
    """``Get-Help <function>`` without comment-based help: the generated 5.1 text."""
    lines = ["", "NAME", f"    {name}", "    ", "SYNTAX"]
    for line in function_syntax_lines(name, meta):
        lines += _wrap(line, 4, width)
        lines.append("    ")
    lines += ["    ", "ALIASES", "    None", "    ", "", "REMARKS", "    None", "", ""]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- help text

_COMMON_TEXT = ("This cmdlet supports the common parameters: Verbose, Debug, ErrorAction, "
                "ErrorVariable, WarningAction, WarningVariable, OutBuffer, PipelineVariable, "
                "and OutVariable. For more information, see about_CommonParameters "
                "(https:/go.microsoft.com/fwlink/?LinkID=113216).")

HELP_NOT_FOUND = ('Get-Help could not find {0} in a help file in this session. To download '
                  'updated help topics type: "Update-Help". To get help online, search for the '
                  'help topic in the TechNet library at http://go.microsoft.com/fwlink/?LinkID=107116.')


def _wrap(text: str, indent: int, width: int) -> list[str]:
    """Word-wrap one paragraph the way the help view does: indented, at the console width."""
    pad = " " * indent
    if not text:
        return [pad]
    return textwrap.wrap(text, width=max(width - 1, indent + 20), initial_indent=pad,
                         subsequent_indent=pad, break_long_words=True,
                         break_on_hyphens=False) or [pad]


def _pipeline_text(p: Parameter) -> str:
    kinds = [k for k, on in (("ByValue", p.pipeline), ("ByPropertyName", p.pipeline_by_property)) if on]
    return f"True ({', '.join(kinds)})" if kinds else "false"


def _parameter_block(p: Parameter, width: int, full: bool, indent: int = 4) -> list[str]:
    """One parameter's entry: ``-Name <Type>``, its description and (full view) its attributes."""
    head = f"-{p.name}" if p.is_switch else f"-{p.name} {_type_text(p)}"
    inner = " " * (indent + 4)
    out = _wrap(head, indent, width)
    out += _wrap(p.help, indent + 4, width) if p.help else []
    if full:
        rows = [("Required?", "true" if p.mandatory else "false"),
                ("Position?", str(p.position + 1) if p.position is not None else "named"),
                ("Default value", ""),
                ("Accept pipeline input?", _pipeline_text(p)),
                ("Accept wildcard characters?", "false")]
        if p.aliases:
            rows.insert(4, ("Aliases", ", ".join(p.aliases)))
        out.append(inner)
        out += [f"{inner}{k:<29}{v}" for k, v in rows]
    out.append(inner)
    return out


def _common_block(width: int) -> list[str]:
    return ["    <CommonParameters>"] + _wrap(_COMMON_TEXT, 8, width) + ["    "]


def _example_block(cls: type[Cmdlet], n: int, ex: Example, width: int) -> list[str]:
    out = [f"    -------------------------- EXAMPLE {n} --------------------------", "    "]
    out += _wrap(f"PS C:\\>{ex.code}", 4, width)
    out.append("    ")
    if ex.remarks:
        out += _wrap(ex.remarks, 4, width)
        out.append("    ")
    out.append("    ")
    return out


def help_text(cls: type[Cmdlet], view: str, width: int, param_patterns: list[str] | None = None) -> str:
    """The text of ``Get-Help <cmdlet>`` in one of the views: default, detailed, full,
    examples, parameter. Sections and their spacing follow the 5.1 console help view."""
    name = cls.name
    if view == "parameter":
        lines: list[str] = [""]
        for p in _matching_parameters(cls, param_patterns or []):
            lines += _parameter_block(p, width, True, indent=0)
            lines.append("")
        return "\n".join(lines) + "\n"
    lines = ["", "NAME", f"    {name}", "    ", "SYNOPSIS"]
    lines += _wrap(cls.synopsis or name, 4, width)
    lines.append("    ")
    if view == "examples":
        for i, ex in enumerate(cls.examples, 1):
            lines += _example_block(cls, i, ex, width)
        lines.append("")
        return "\n".join(lines) + "\n"
    lines.append("    ")
    lines.append("SYNTAX")
    for s in syntax_lines(cls):
        lines += _wrap(s, 4, width)
        lines.append("    ")
    lines.append("    ")
    lines.append("DESCRIPTION")
    for para in (cls.description or cls.synopsis or "").split("\n\n"):
        lines += _wrap(para.replace("\n", " "), 4, width)
        lines.append("    ")
    if view in ("detailed", "full"):
        lines += ["", "PARAMETERS"]
        for p in cls.parameters:
            lines += _parameter_block(p, width, view == "full")
        if cls.supports_should_process:
            for p in cls.all_parameters():
                if p.name in ("WhatIf", "Confirm"):
                    lines += _parameter_block(p, width, view == "full")
        lines += _common_block(width)
        if view == "full":
            lines += ["INPUTS", "    ", "", "OUTPUTS", f"    {cls.output_type}" if cls.output_type else "    ", ""]
        for i, ex in enumerate(cls.examples, 1):
            lines += _example_block(cls, i, ex, width)
    lines += ["", "RELATED LINKS"]
    if view != "full":
        lines += ["", "REMARKS",
                  f'    To see the examples, type: "get-help {name} -examples".',
                  f'    For more information, type: "get-help {name} -detailed".',
                  f'    For technical information, type: "get-help {name} -full".']
    lines += ["", ""]
    return "\n".join(lines) + "\n"


def _matching_parameters(cls: type[Cmdlet], patterns: list[str]) -> list[Parameter]:
    params = list(cls.all_parameters()) if any(not has_wildcard(p) for p in patterns) else list(cls.parameters)
    out = []
    for p in params:
        if any(wildcard_match(pat, p.name) for pat in patterns) and p not in out:
            out.append(p)
    return out


DEFAULT_HELP = """
TOPIC
    Windows PowerShell Help System

SHORT DESCRIPTION
    Displays help about Windows PowerShell cmdlets and concepts.

LONG DESCRIPTION
    Windows PowerShell Help describes Windows PowerShell cmdlets,
    functions, scripts, and modules, and explains concepts, including
    the elements of the Windows PowerShell language.

    To get help for a cmdlet, type:
        Get-Help <cmdlet-name>

    To list the Exchange cmdlets, type:
        Get-ExCommand

  EXAMPLES:
      Get-Help Get-MailboxDatabase    : Displays help about the Get-MailboxDatabase cmdlet.
      Get-Help Get-Mailbox -Examples  : Displays examples of Get-Mailbox.
      Get-Help Set-Mailbox -Full      : Displays all help for Set-Mailbox.
      Get-Help *DatabaseCopy*         : Lists the help topics that match.

"""


# --------------------------------------------------------------------------- errors

class HelpNotFoundException(PSError):
    exception_type = "HelpNotFoundException"
    category = "ResourceUnavailable"


class ItemNotFoundException(PSError):
    exception_type = "ItemNotFoundException"
    category = "ObjectNotFound"


COMMAND_NOT_FOUND = ("The term '{0}' is not recognized as the name of a cmdlet, function, script "
                     "file, or operable program. Check the spelling of the name, or if a path was "
                     "included, verify that the path is correct and try again.")


def _width(session: Any) -> int:
    return int(getattr(session, "width", 120) or 120)


# --------------------------------------------------------------------------- cmdlets

@register
class GetHelp(Cmdlet):
    name = "Get-Help"
    aliases = ("help", "man")
    dotnet_class = "Microsoft.PowerShell.Commands.GetHelpCommand"
    module = "Microsoft.PowerShell.Core"
    synopsis = "Displays information about Windows PowerShell commands and concepts."
    description = ("The Get-Help cmdlet displays information about Windows PowerShell concepts and "
                   "commands, including cmdlets, functions and aliases. The help is built from the "
                   "same declarations the shell binds parameters with.")
    parameters = (
        Parameter("Name", str, position=0, pipeline_by_property=True,
                  help="Gets help about the specified command or concept. Wildcards are permitted."),
        Parameter("Path", str),
        Parameter("Category", str, array=True),
        Parameter("Component", str, array=True),
        Parameter("Functionality", str, array=True),
        Parameter("Role", str, array=True),
        Parameter("Full", SWITCH, sets=("AllUsersView",), help="Displays the entire help topic."),
        Parameter("Detailed", SWITCH, mandatory=True, sets=("DetailedView",),
                  help="Adds parameter descriptions and examples to the basic help display."),
        Parameter("Examples", SWITCH, mandatory=True, sets=("Examples",),
                  help="Displays only the name, synopsis, and examples."),
        Parameter("Parameter", str, mandatory=True, sets=("Parameters",),
                  help="Displays only the detailed descriptions of the specified parameters."),
        Parameter("Online", SWITCH, mandatory=True, sets=("Online",)),
        Parameter("ShowWindow", SWITCH, mandatory=True, sets=("ShowWindow",)),
    )
    default_set = "AllUsersView"
    examples = (
        Example("Get-Help Get-MailboxDatabase", "Displays basic help about the Get-MailboxDatabase cmdlet."),
        Example("Get-Help Move-ActiveMailboxDatabase -Examples", "Displays the examples of Move-ActiveMailboxDatabase."),
        Example("Get-Help Get-Mailbox -Parameter Identity", "Displays the description of the Identity parameter."),
    )

    def process(self) -> None:
        topic = self.param("Name")
        width = _width(self.session)
        if not topic:
            self.write(DEFAULT_HELP)
            return
        cls = resolve_command(self.session, topic)
        if cls is None and has_wildcard(topic):
            matches = [c for c in iter_cmdlets() if wildcard_match(topic, c.name)]
            if len(matches) == 1:
                cls = matches[0]
            elif matches:
                self.write(_help_list(sorted(matches, key=lambda c: c.name.lower()), width))
                return
        if cls is None:
            function = self._function(topic)
            if function is not None:
                from ems.lang.evaluator import function_meta
                meta, _ = function_meta(function.scriptblock, self.context.frame)
                self.write(function_help_text(function.name, meta, width))
                return
            self.write_error(HelpNotFoundException(HELP_NOT_FOUND.format(topic), "HelpNotFound"))
            return
        if self.has("Online") or self.has("ShowWindow"):
            # No browser and no window here: the console help is the only form we have.
            pass
        if self.parameter_set == "Parameters":
            params = _matching_parameters(cls, [self.param("Parameter")])
            if not params:
                self.write_error(PSError(f"No parameter matches criteria {self.param('Parameter')}.",
                                         "NoParmsFound", "InvalidArgument",
                                         exception_type="PSArgumentException"))
                return
            self.write(help_text(cls, "parameter", width, [self.param("Parameter")]))
            return
        view = {"DetailedView": "detailed", "Examples": "examples"}.get(self.parameter_set, "default")
        if self.param("Full"):
            view = "full"
        self.write(help_text(cls, view, width))


    def _function(self, name: str) -> Any:
        frame = getattr(self.context, "frame", None)
        if frame is None:
            return None
        from ems.lang.evaluator import find_function
        return find_function(frame, name)


def _help_list(classes: list[type[Cmdlet]], width: int) -> str:
    """Several topics match: the 5.1 list of Name / Category / Module / Synopsis."""
    rows = [(c.name, "Function" if command_type(c) == "Function" else "Cmdlet", c.module or "",
             c.synopsis) for c in classes]
    w0 = max([len("Name")] + [len(r[0]) for r in rows])
    w1 = max([len("Category")] + [len(r[1]) for r in rows])
    w2 = max([len("Module")] + [len(r[2]) for r in rows])
    rest = max(width - 1 - (w0 + w1 + w2 + 3), 10)

    def row(a: str, b: str, c: str, d: str) -> str:
        if len(d) > rest:
            d = d[:rest - 3] + "..."
        return f"{a:<{w0}} {b:<{w1}} {c:<{w2}} {d:<{rest}}"

    lines = ["", row("Name", "Category", "Module", "Synopsis"),
             row("----", "--------", "------", "--------")]
    lines += [row(*r) for r in rows]
    return "\n".join(lines + ["", ""]) + "\n"


@register
class GetCommand(Cmdlet):
    name = "Get-Command"
    aliases = ("gcm",)
    dotnet_class = "Microsoft.PowerShell.Commands.GetCommandCommand"
    module = "Microsoft.PowerShell.Core"
    synopsis = "Gets all commands."
    description = ("The Get-Command cmdlet gets all commands that are available in the session: "
                   "cmdlets, aliases and functions. Use -Name, -Verb, -Noun and -Module to filter.")
    output_type = "System.Management.Automation.CommandInfo"
    parameters = (
        Parameter("Name", str, array=True, position=0, pipeline=True, pipeline_by_property=True,
                  sets=("AllCommandSet",), help="Specifies an array of names. Wildcards are permitted."),
        Parameter("Verb", str, array=True, pipeline_by_property=True, sets=("CmdletSet",),
                  help="Gets commands that have the specified verbs. Wildcards are permitted."),
        Parameter("Noun", str, array=True, pipeline_by_property=True, sets=("CmdletSet",),
                  help="Gets commands that have the specified nouns. Wildcards are permitted."),
        Parameter("Module", str, array=True, pipeline_by_property=True, aliases=("PSSnapin",),
                  help="Gets the commands that came from the specified modules or snap-ins."),
        Parameter("CommandType", str, array=True, pipeline_by_property=True, aliases=("Type",),
                  sets=("AllCommandSet",), type_name="CommandTypes",
                  values=("Alias", "Function", "Filter", "Cmdlet", "ExternalScript", "Application",
                          "Script", "Workflow", "Configuration", "All")),
        Parameter("TotalCount", int),
        Parameter("Syntax", SWITCH, pipeline_by_property=True),
        Parameter("ShowCommandInfo", SWITCH),
        Parameter("ArgumentList", ANY, array=True, position=1, aliases=("Args",)),
        Parameter("All", SWITCH, pipeline_by_property=True),
        Parameter("ListImported", SWITCH, pipeline_by_property=True),
        Parameter("ParameterName", str, array=True),
        Parameter("ParameterType", str, array=True, type_name="PSTypeName"),
    )
    default_set = "CmdletSet"
    examples = (
        Example("Get-Command -Noun MailboxDatabase*", "Gets the commands whose noun starts with MailboxDatabase."),
        Example("Get-Command *DatabaseCopy* -Syntax", "Shows the syntax of the database copy cmdlets."),
        Example("gcm -Module Microsoft.PowerShell.Utility", "Lists the utility cmdlets."),
    )

    def process(self) -> None:
        commands = all_commands(self.session)
        names = self.param("Name")
        if names is None:
            # Without -Name only cmdlets and functions qualify when filtering by verb/noun.
            if self.has("Verb") or self.has("Noun"):
                commands = [c for c in commands if c.CommandType != "Alias"]
            out = self._filter(commands)
        else:
            out = []
            for pattern in names:
                hits = [c for c in self._filter(commands) if wildcard_match(pattern, c.Name)]
                if not hits and not has_wildcard(pattern):
                    self.write_error(CommandNotFoundException(COMMAND_NOT_FOUND.format(pattern),
                                                          "CommandNotFoundException",
                                                          target=pattern))
                    continue
                out += [h for h in hits if h not in out]
        total = self.param("TotalCount")
        if total is not None and total >= 0:
            out = out[:total]
        for c in out:
            if self.param("Syntax"):
                self.write(_syntax_of(self.session, c))
            else:
                self.write(c)

    def _filter(self, commands: list[Any]) -> list[Any]:
        verbs, nouns, modules = self.param("Verb"), self.param("Noun"), self.param("Module")
        types = [t.lower() for t in (self.param("CommandType") or [])]
        params = self.param("ParameterName")
        out = []
        for c in commands:
            if verbs and not any(wildcard_match(v, getattr(c, "Verb", "")) for v in verbs):
                continue
            if nouns and not any(wildcard_match(n, getattr(c, "Noun", "")) for n in nouns):
                continue
            if modules and not any(wildcard_match(m, c.ModuleName or "") for m in modules):
                continue
            if types and "all" not in types and c.CommandType.lower() not in types:
                continue
            if params:
                cls = getattr(c, "_cls", None)
                names = [p.name for p in cls.all_parameters()] if cls else []
                if not any(wildcard_match(pat, n) for pat in params for n in names):
                    continue
            out.append(c)
        return out


def _syntax_of(session: Any, info: Any) -> str:
    """``Get-Command X -Syntax``: an alias shows its target, a cmdlet its syntax lines."""
    if info.CommandType == "Alias":
        return info.Definition
    cls = getattr(info, "_cls", None)
    if cls is None:
        return info.Definition
    return "\n" + "\n\n".join(syntax_lines(cls, metadata=True)) + "\n\n"


@register
class GetExCommand(Cmdlet):
    name = "Get-ExCommand"
    # EMS defines Get-ExCommand as a function in its profile (RemoteExchange.ps1).
    command_type = "Function"
    module = ""
    dotnet_class = ""
    synopsis = "Lists the Exchange cmdlets, optionally only those whose name matches a wildcard."
    parameters = (
        Parameter("Name", str, position=0, help="A wildcard the cmdlet name must match, such as *Database*."),
    )
    examples = (Example("Get-ExCommand *DatabaseCopy*", "Lists the Exchange cmdlets about database copies."),)

    def process(self) -> None:
        pattern = self.param("Name")
        exchange = [cls for cls in iter_cmdlets()
                    if (cls.module or "").startswith("Microsoft.Exchange")]
        if pattern:
            exchange = [c for c in exchange if wildcard_match(pattern, c.name)]
        for cls in sorted(exchange, key=lambda c: c.name.lower()):
            self.write(cmdlet_info(cls))


# --------------------------------------------------------------------------- aliases

NO_ALIAS = "This command cannot find a matching alias because an alias with the {0} '{1}' does not exist."


@register
class GetAlias(Cmdlet):
    name = "Get-Alias"
    aliases = ("gal",)
    dotnet_class = "Microsoft.PowerShell.Commands.GetAliasCommand"
    module = "Microsoft.PowerShell.Utility"
    synopsis = "Gets the aliases for the current session."
    output_type = "System.Management.Automation.AliasInfo"
    parameters = (
        Parameter("Name", str, array=True, position=0, pipeline=True, pipeline_by_property=True,
                  sets=("Default",)),
        Parameter("Exclude", str, array=True),
        Parameter("Scope", str),
        Parameter("Definition", str, array=True, sets=("Definition",)),
    )
    default_set = "Default"
    examples = (Example("Get-Alias -Definition Where-Object", "Gets the aliases of Where-Object."),)

    def process(self) -> None:
        table = alias_table(self.session)
        items = sorted(table.values(), key=lambda at: at[0].lower())
        excludes = self.param("Exclude") or []
        items = [at for at in items if not any(wildcard_match(x, at[0]) for x in excludes)]
        if self.parameter_set == "Definition":
            for pattern in self.param("Definition"):
                hits = [at for at in items if wildcard_match(pattern, at[1])]
                if not hits and not has_wildcard(pattern):
                    self.write_error(ItemNotFoundException(NO_ALIAS.format("definition", pattern),
                                                           "ItemNotFoundException", target=pattern))
                for alias, target in hits:
                    self.write(alias_info(alias, target))
            return
        for pattern in self.param("Name") or ["*"]:
            hits = [at for at in items if wildcard_match(pattern, at[0])]
            if not hits and not has_wildcard(pattern):
                self.write_error(ItemNotFoundException(NO_ALIAS.format("name", pattern),
                                                       "ItemNotFoundException", target=pattern))
            for alias, target in hits:
                self.write(alias_info(alias, target))


class _AliasWriter(Cmdlet):
    """Set-Alias and New-Alias: the shared declaration and the write to the session table."""

    dotnet_class = ""
    module = "Microsoft.PowerShell.Utility"
    parameters = (
        Parameter("Name", str, mandatory=True, position=0, pipeline_by_property=True),
        Parameter("Value", str, mandatory=True, position=1, pipeline_by_property=True),
        Parameter("Description", str, pipeline_by_property=True),
        Parameter("Option", str, pipeline_by_property=True, type_name="ScopedItemOptions",
                  values=("None", "ReadOnly", "Constant", "Private", "AllScope", "Unspecified")),
        Parameter("PassThru", SWITCH),
        Parameter("Scope", str, pipeline_by_property=True),
        Parameter("Force", SWITCH),
    )
    supports_should_process = True
    confirm_impact = "Low"
    must_be_new: ClassVar[bool] = False

    def process(self) -> None:
        name, value = self.param("Name"), self.param("Value")
        aliases = self.session.aliases
        if self.must_be_new and not self.param("Force") and name.lower() in alias_table(self.session):
            self.write_error(PSError(
                f"The alias is not allowed, because an alias with the name '{name}' already exists.",
                "AliasAlreadyExists", "ResourceExists", target=name,
                exception_type="SessionStateException"))
            return
        action = "New Alias" if self.must_be_new else "Set Alias"
        if not self.should_process(f"Name: {name} Value: {value}", action):
            return
        aliases[name.lower()] = value
        names = getattr(self.session, "alias_names", None)
        if names is None:
            names = self.session.alias_names = {}
        names[name.lower()] = name
        if self.param("PassThru"):
            self.write(alias_info(name, value))


@register
class SetAlias(_AliasWriter):
    name = "Set-Alias"
    aliases = ("sal",)
    dotnet_class = "Microsoft.PowerShell.Commands.SetAliasCommand"
    synopsis = "Creates or changes an alias for a cmdlet or other command in the current session."
    examples = (Example("Set-Alias -Name db -Value Get-MailboxDatabase", "Creates the alias db."),)


@register
class NewAlias(_AliasWriter):
    name = "New-Alias"
    aliases = ("nal",)
    dotnet_class = "Microsoft.PowerShell.Commands.NewAliasCommand"
    synopsis = "Creates a new alias."
    must_be_new = True
    examples = (Example("New-Alias -Name dbs -Value Get-MailboxDatabase", "Creates the alias dbs."),)


# --------------------------------------------------------------------------- snap-ins and modules

SNAPINS = {
    "microsoft.powershell.core": ("Microsoft.PowerShell.Core", "5.1.14393.0",
                                  "This Windows PowerShell snap-in contains cmdlets used to manage "
                                  "components of Windows PowerShell."),
    "microsoft.exchange.management.powershell.e2010": (
        "Microsoft.Exchange.Management.PowerShell.E2010", "1.0",
        "Admin Tasks for the Exchange Server"),
}
"""The snap-ins of an EMS server. EMS 2010 reaches Exchange through remoting, so the local
session starts with only the Core snap-in loaded; scripts that add the Exchange snap-in
succeed once (then get 5.1's "already added" error)."""


def _loaded_snapins(session: Any) -> list[str]:
    return session.__dict__.setdefault("loaded_snapins", ["microsoft.powershell.core"])


class PSSnapInInfo(Record):
    PS_TYPE_NAMES = ("System.Management.Automation.PSSnapInInfo",)
    FIELDS = ("Name", "PSVersion", "Description")
    __slots__ = FIELDS

    def __str__(self) -> str:
        return self.Name


class PSModuleInfo(Record):
    PS_TYPE_NAMES = ("System.Management.Automation.PSModuleInfo",)
    FIELDS = ("ModuleType", "Version", "Name", "ExportedCommands")
    __slots__ = FIELDS

    def __str__(self) -> str:
        return self.Name


def _module_names() -> dict[str, str]:
    """Modules whose cmdlets ems has (lower-case name -> name), other than the snap-ins."""
    names = {(cls.module or "").lower(): cls.module for cls in iter_cmdlets() if cls.module}
    return {k: v for k, v in names.items() if k not in SNAPINS}


@register
class GetPSSnapin(Cmdlet):
    name = "Get-PSSnapin"
    aliases = ("gsnp",)
    dotnet_class = "Microsoft.PowerShell.Commands.GetPSSnapinCommand"
    module = "Microsoft.PowerShell.Core"
    synopsis = "Gets the Windows PowerShell snap-ins on the computer."
    parameters = (
        Parameter("Name", str, array=True, position=0),
        Parameter("Registered", SWITCH),
    )
    examples = (Example("Get-PSSnapin *Exchange*", "Shows the Exchange snap-in."),)

    def process(self) -> None:
        keys = [k for k in SNAPINS if k != "microsoft.powershell.core"] if self.param("Registered") \
            else _loaded_snapins(self.session)
        for pattern in self.param("Name") or ["*"]:
            hits = [SNAPINS[k] for k in keys if wildcard_match(pattern, SNAPINS[k][0])]
            if not hits and not has_wildcard(pattern):
                self.write_error(PSError(f"No Windows PowerShell snap-ins matching the pattern '{pattern}' "
                                         "were found. Check the pattern and then try the command again.",
                                         "NoPSSnapInsFound", "InvalidArgument", target=pattern,
                                         exception_type="PSArgumentException"))
            for name, version, description in hits:
                self.write(PSSnapInInfo(name, version, description))


@register
class AddPSSnapin(Cmdlet):
    name = "Add-PSSnapin"
    aliases = ("asnp",)
    dotnet_class = "Microsoft.PowerShell.Commands.AddPSSnapinCommand"
    module = "Microsoft.PowerShell.Core"
    synopsis = "Adds one or more Windows PowerShell snap-ins to the current session."
    description = ("Adds the Exchange snap-in (Microsoft.Exchange.Management.PowerShell.E2010) to the "
                   "session; adding a snap-in twice is an error.")
    parameters = (
        Parameter("Name", str, mandatory=True, array=True, position=0, pipeline_by_property=True),
        Parameter("PassThru", SWITCH),
    )
    examples = (Example("Add-PSSnapin Microsoft.Exchange.Management.PowerShell.E2010 -ErrorAction SilentlyContinue",
                        "What EMS scripts do first."),)

    def process(self) -> None:
        loaded = _loaded_snapins(self.session)
        for name in self.param("Name"):
            if name.lower() in SNAPINS and name.lower() not in loaded:
                loaded.append(name.lower())
                if self.param("PassThru"):
                    self.write(PSSnapInInfo(*SNAPINS[name.lower()]))
            elif name.lower() in SNAPINS:
                self.write_error(PSError(f"Cannot add Windows PowerShell snap-in {name} because it is already "
                                         "added. Verify the name of the snap-in, and then try again.",
                                         "AddPSSnapInRead", "InvalidArgument", target=name,
                                         exception_type="PSArgumentException"))
            else:
                self.write_error(PSError(f"The Windows PowerShell snap-in '{name}' is not installed on this "
                                         "computer.", "AddPSSnapInRead", "InvalidArgument", target=name,
                                         exception_type="PSArgumentException"))


@register
class ImportModule(Cmdlet):
    name = "Import-Module"
    aliases = ("ipmo",)
    dotnet_class = "Microsoft.PowerShell.Commands.ImportModuleCommand"
    module = "Microsoft.PowerShell.Core"
    synopsis = "Adds modules to the current session."
    description = ("Modules whose cmdlets ems provides (ActiveDirectory, the PowerShell modules) "
                   "import silently; any other module is not found.")
    parameters = (
        Parameter("Name", str, mandatory=True, array=True, position=0, pipeline=True),
        Parameter("Force", SWITCH), Parameter("Global", SWITCH), Parameter("PassThru", SWITCH),
        Parameter("Prefix", str), Parameter("DisableNameChecking", SWITCH),
    )
    examples = (Example("Import-Module ActiveDirectory", "Loads the AD cmdlets."),)

    def process(self) -> None:
        known = _module_names()
        imported = self.session.__dict__.setdefault("imported_modules", [])
        for name in self.param("Name"):
            canonical = known.get(name.lower())
            if canonical is None:
                self.write_error(PSError(f"The specified module '{name}' was not loaded because no valid module "
                                         "file was found in any module directory.", "Modules_ModuleNotFound",
                                         "ResourceUnavailable", target=name,
                                         exception_type="FileNotFoundException"))
                continue
            if canonical not in imported:
                imported.append(canonical)
            if self.param("PassThru"):
                self.write(_module_info(canonical))


def _module_info(name: str) -> PSModuleInfo:
    commands = sorted(cls.name for cls in iter_cmdlets() if cls.module == name)
    kind = "Binary" if name.startswith("Microsoft.PowerShell") else "Manifest"
    return PSModuleInfo(kind, MODULE_VERSIONS.get(name, "1.0.0.0"), name, commands)


@register
class GetModule(Cmdlet):
    name = "Get-Module"
    aliases = ("gmo",)
    dotnet_class = "Microsoft.PowerShell.Commands.GetModuleCommand"
    module = "Microsoft.PowerShell.Core"
    synopsis = "Gets the modules that have been imported or that can be imported into the current session."
    parameters = (
        Parameter("Name", str, array=True, position=0, pipeline=True),
        Parameter("ListAvailable", SWITCH),
        Parameter("All", SWITCH),
    )
    examples = (Example("Get-Module -ListAvailable", "Lists the modules ems knows."),)

    def process(self) -> None:
        if self.param("ListAvailable"):
            names = sorted(_module_names().values())
        else:
            names = list(getattr(self.session, "imported_modules", []))
        for pattern in self.param("Name") or ["*"]:
            for name in names:
                if wildcard_match(pattern, name):
                    self.write(_module_info(name))
