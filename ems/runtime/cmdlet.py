"""The one declaration of a cmdlet: parameters, sets, help; and the base class cmdlets extend.

A cmdlet is a class with a class-level declaration and up to three methods:

    @register
    class GetMailboxDatabase(Cmdlet):
        name = "Get-MailboxDatabase"
        dotnet_class = "Microsoft.Exchange.Management.SystemConfigurationTasks.GetMailboxDatabase"
        synopsis = "Use the Get-MailboxDatabase cmdlet to retrieve one or more mailbox database objects."
        parameters = (
            Parameter("Identity", IDENTITY, position=0, pipeline=True, sets=("Identity",)),
            Parameter("Server", IDENTITY, sets=("Server",), type_name="ServerIdParameter"),
            Parameter("Status", SWITCH),
        )
        default_set = "Identity"
        examples = (Example("Get-MailboxDatabase -Server EX1", "Lists ..."),)

        def process(self):
            for db in self.org.find_databases(self.param("Identity"), ...):
                self.write(db)

The binder, Get-Help, Get-Command and the REPL's completion read only this declaration.

What the runtime hands a cmdlet (``self.context``, implemented in ems/runtime/pipeline.py):

    context.session                 the Session: .org (lazy Organization), .clock, .variables,
                                    .width (console columns), .interactive, .host (console I/O)
    context.write(obj, enumerate)   emit to the next pipeline stage (enumerate=True unrolls lists)
    context.write_error(e, target)  non-terminating error (exception or ErrorRecord)
    context.write_warning(msg)      WARNING: stream;  context.write_verbose(msg) VERBOSE: stream
    context.host_write(text, nl)    Write-Host: straight to the console
    context.should_process(cmdlet, target, action, message) -> bool   (-WhatIf / -Confirm)
    context.invoke(scriptblock, dollar_under=..., args=(), input=None) -> list
                                    run a script block (Where-Object, ForEach-Object,
                                    calculated properties) with $_ bound, returning its output

Script block values themselves are callable from Python the same way:
``sb.invoke(dollar_under=obj, args=()) -> list`` (used by ems/format for calculated properties).
Cmdlets stay thin: they translate bound parameters into calls on the organisation
(``self.org``) and write what it returns.
"""
from __future__ import annotations

import enum
from typing import Any, Callable, ClassVar, Iterable

import attrs


class _Marker:
    """A parameter type that is not a Python class (switch, identity, any object)."""

    __slots__ = ("name", "dotnet")

    def __init__(self, name: str, dotnet: str):
        self.name, self.dotnet = name, dotnet

    def __repr__(self) -> str:
        return self.name


SWITCH = _Marker("SWITCH", "SwitchParameter")
"""A ``[switch]``: present -> True; ``-Name:$false`` -> False."""

IDENTITY = _Marker("IDENTITY", "IdParameter")
"""An Exchange identity: a string (name, ``DB\\Server``, GUID, wildcard where allowed) or a
piped/stored object. Bound as given; the cmdlet resolves it against the organisation."""

ANY = _Marker("ANY", "Object")
"""Any value, bound without conversion (``-InputObject``, ``-Value``)."""

SCRIPTBLOCK = _Marker("SCRIPTBLOCK", "ScriptBlock")


@attrs.frozen
class Parameter:
    """One parameter of a cmdlet, as its reference page declares it.

    ``type`` is a Python class (str, int, float, bool, datetime.timedelta,
    ipaddress.IPv4Address, an ``enum.Enum`` subclass, a class with a ``parse(text)``
    classmethod) or one of the markers above. ``array`` means the .NET type ends in ``[]``:
    a scalar argument is wrapped in a list. ``mandatory`` is True (in every set it belongs
    to) or a tuple of the set names in which it is mandatory. ``sets`` empty means the
    parameter belongs to every parameter set. ``position`` is 0-based (the docs print it
    1-based). ``values`` is a ValidateSet (case-insensitive), shown by help and completion;
    for enum types it is derived from the enum.
    """

    name: str
    type: Any = str
    mandatory: bool | tuple[str, ...] = False
    position: int | None = None
    pipeline: bool = False
    pipeline_by_property: bool = False
    sets: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    array: bool = False
    values: tuple[str, ...] | None = None
    type_name: str = ""
    help: str = ""
    validate: Callable[[Any], str | None] | None = None
    """Extra validation: returns an error text (ValidateScript-style) or None."""
    remaining: bool = False
    """ValueFromRemainingArguments: positional arguments no other parameter takes are
    collected here as a list (``ForEach-Object {begin} {process} {end}``). Added by the
    utility-cmdlets engineer; the binder honours it."""
    accepts: Callable[[Any], bool] | None = None
    """Which pipeline objects an IDENTITY parameter takes ByValue without coercion (the
    object kinds its IdParameter type constructs from); None = any non-PSObject value.
    Lets ``Get-MailboxDatabase | Get-MailboxStatistics`` bind -Database, not -Identity."""

    def is_mandatory_in(self, set_name: str) -> bool:
        if isinstance(self.mandatory, tuple):
            return set_name in self.mandatory
        return bool(self.mandatory)

    def in_set(self, set_name: str) -> bool:
        return not self.sets or set_name in self.sets

    @property
    def is_switch(self) -> bool:
        return self.type is SWITCH

    @property
    def dotnet_type(self) -> str:
        """The type name shown by Get-Help and in binding errors (``DatabaseIdParameter``)."""
        if self.type_name:
            base = self.type_name
        elif isinstance(self.type, _Marker):
            base = self.type.dotnet
        else:
            base = getattr(self.type, "PS_TYPE_NAME", None) or _PY_TO_DOTNET.get(self.type) or self.type.__name__
        return base + "[]" if self.array and not base.endswith("[]") else base

    @property
    def valid_values(self) -> tuple[str, ...] | None:
        if self.values is not None:
            return self.values
        if isinstance(self.type, type) and issubclass(self.type, enum.Enum):
            return tuple(m.name for m in self.type)
        return None


@attrs.frozen
class Example:
    code: str
    remarks: str = ""


import datetime as _dt
import ipaddress as _ip

_PY_TO_DOTNET = {
    str: "String",
    int: "Int32",
    float: "Double",
    bool: "Boolean",
    _dt.timedelta: "TimeSpan",
    _dt.datetime: "DateTime",
    _ip.IPv4Address: "IPAddress",
}

COMMON_PARAMETERS: tuple[Parameter, ...] = (
    Parameter("Verbose", SWITCH, aliases=("vb",)),
    Parameter("Debug", SWITCH, aliases=("db",)),
    Parameter("ErrorAction", str, aliases=("ea",),
              values=("SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend"),
              type_name="ActionPreference"),
    Parameter("WarningAction", str, aliases=("wa",),
              values=("SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend"),
              type_name="ActionPreference"),
    Parameter("InformationAction", str, aliases=("infa",),
              values=("SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend"),
              type_name="ActionPreference"),
    Parameter("ErrorVariable", str, aliases=("ev",)),
    Parameter("WarningVariable", str, aliases=("wv",)),
    Parameter("InformationVariable", str, aliases=("iv",)),
    Parameter("OutVariable", str, aliases=("ov",)),
    Parameter("OutBuffer", int, aliases=("ob",)),
    Parameter("PipelineVariable", str, aliases=("pv",)),
)
"""Every cmdlet has these; the binder handles them, cmdlets never see them."""

RISK_PARAMETERS: tuple[Parameter, ...] = (
    Parameter("WhatIf", SWITCH, aliases=("wi",)),
    Parameter("Confirm", SWITCH, aliases=("cf",)),
)
"""Added to cmdlets with ``supports_should_process``."""


class Cmdlet:
    """Base class of every cmdlet. Subclasses declare; the runtime binds and drives.

    Lifecycle per pipeline: ``begin()`` once, ``process()`` once per input object (once in
    total when nothing is piped), ``end()`` once. Bound parameters are read with
    ``self.param(name, default)`` / ``self.has(name)``; ``self.parameter_set`` is the
    resolved set. Output goes through ``self.write``; errors through ``self.write_error``
    (non-terminating) or by raising (terminating for this pipeline).
    """

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    dotnet_class: ClassVar[str] = ""
    """Full .NET class name; used in FullyQualifiedErrorId (``id,<dotnet_class>``)."""
    synopsis: ClassVar[str] = ""
    description: ClassVar[str] = ""
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    default_set: ClassVar[str | None] = None
    examples: ClassVar[tuple[Example, ...]] = ()
    supports_should_process: ClassVar[bool] = False
    confirm_impact: ClassVar[str] = "Medium"
    """High -> confirmation prompt by default ($ConfirmPreference = High)."""
    module: ClassVar[str] = "Microsoft.Exchange.Management.PowerShell.E2010"
    """Shown as Get-Command's Source."""
    output_type: ClassVar[str] = ""

    # --- set by the runtime before begin() -------------------------------------------
    def __init__(self, context: Any, bound: dict[str, Any], parameter_set: str,
                 invocation: Any = None):
        self.context = context          # ems.runtime command context (writer, session, prefs)
        self.bound = bound              # canonical parameter name -> converted value
        self.parameter_set = parameter_set
        self.invocation = invocation    # position info for error records

    # --- declaration helpers -----------------------------------------------------------
    @classmethod
    def all_parameters(cls) -> tuple[Parameter, ...]:
        extra = RISK_PARAMETERS if cls.supports_should_process else ()
        return cls.parameters + extra + COMMON_PARAMETERS

    @classmethod
    def parameter_sets(cls) -> list[str]:
        names: list[str] = []
        for p in cls.parameters:
            for s in p.sets:
                if s not in names:
                    names.append(s)
        if not names:
            names.append(cls.default_set or "__AllParameterSets")
        return names

    # --- what cmdlets call -------------------------------------------------------------
    def param(self, name: str, default: Any = None) -> Any:
        return self.bound.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.bound

    @property
    def session(self) -> Any:
        return self.context.session

    @property
    def org(self) -> Any:
        """The Exchange organisation (built lazily on first use)."""
        return self.context.session.org

    def write(self, obj: Any, enumerate: bool = False) -> None:
        self.context.write(obj, enumerate)

    def write_error(self, error: BaseException | Any, target: Any = None) -> None:
        """A non-terminating error: recorded, shown per -ErrorAction, the pipeline goes on."""
        self.context.write_error(error, target)

    def warning(self, message: str) -> None:
        self.context.write_warning(message)

    def verbose(self, message: str) -> None:
        self.context.write_verbose(message)

    def host_write(self, text: str, newline: bool = True) -> None:
        """Write-Host style output straight to the console."""
        self.context.host_write(text, newline)

    def should_process(self, target: str, action: str | None = None,
                       message: str | None = None) -> bool:
        """-WhatIf / -Confirm. ``message`` is Exchange's own sentence when it has one
        (shown after ``What if: `` and in the confirmation prompt)."""
        return self.context.should_process(self, target, action or self.name, message)

    # --- lifecycle ---------------------------------------------------------------------
    def begin(self) -> None:
        pass

    def process(self) -> None:
        pass

    def end(self) -> None:
        pass


class _Registry(dict):
    """A dict of cmdlet classes that can be filled lazily (ems.runtime.discovery).

    When ``full_loader`` is set (the shell imports cmdlet modules on demand), every lookup
    that misses and every listing first runs it once, so readers of the registry always
    see every cmdlet. Plain ``dict`` behaviour otherwise.
    """

    full_loader = None

    def ensure_all(self) -> None:
        loader = self.full_loader
        if loader is not None:
            self.full_loader = None
            loader()

    def get(self, key, default=None):  # type: ignore[override]
        if self.full_loader is not None and not dict.__contains__(self, key):
            self.ensure_all()
        return dict.get(self, key, default)

    def __contains__(self, key) -> bool:  # type: ignore[override]
        if self.full_loader is not None and not dict.__contains__(self, key):
            self.ensure_all()
        return dict.__contains__(self, key)

    def __getitem__(self, key):
        if self.full_loader is not None and not dict.__contains__(self, key):
            self.ensure_all()
        return dict.__getitem__(self, key)

    def __iter__(self):
        self.ensure_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self.ensure_all()
        return dict.__len__(self)

    def keys(self):  # type: ignore[override]
        self.ensure_all()
        return dict.keys(self)

    def values(self):  # type: ignore[override]
        self.ensure_all()
        return dict.values(self)

    def items(self):  # type: ignore[override]
        self.ensure_all()
        return dict.items(self)


REGISTRY: dict[str, type[Cmdlet]] = _Registry()
"""Cmdlet name (lower-case) -> class. Filled by ``register`` as ``cmdlets`` modules load."""


def register(cls: type[Cmdlet]) -> type[Cmdlet]:
    key = cls.name.lower()
    existing = dict.get(REGISTRY, key)
    if existing is not None and existing is not cls:
        raise RuntimeError(f"cmdlet {cls.name} registered twice")
    REGISTRY[key] = cls
    return cls


def iter_cmdlets() -> Iterable[type[Cmdlet]]:
    return REGISTRY.values()
