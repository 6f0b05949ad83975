"""A PowerShell session: scopes and variables, functions, aliases, the clock, $Error, the host.

Scopes are dynamic (A.9): a function, script or ``& { }`` runs in a child of the *calling*
scope; reads walk outwards, assignments create locals; ``$script:`` and ``$global:`` reach
the script's and the session's scope; dot-sourcing runs in the current scope. Functions are
scoped the same way.

The organisation is not built here: the front end (ems/shell.py) passes an ``org_factory``
so that ``ems/runtime`` stays ignorant of Exchange and ``Get-Date`` never pays for it.
"""
from __future__ import annotations

import datetime as _dt
import os
import random
import uuid
from typing import Any, Callable

from ems.runtime.preferences import DEFAULT_PREFERENCES, ActionPreference, ConfirmImpact
from ems.runtime.values import ArrayList, Hashtable

_CURRENT: list["Session"] = []
_STRICT_KEY = "\0strictmode"  # kept in Scope.options beside the variables' options


def current_session() -> "Session":
    """The session whose code is running (static members like ``[datetime]::Now`` need it)."""
    if not _CURRENT:
        return Session()
    return _CURRENT[-1]


class Clock:
    """The simulated clock: ``now()``; ``advance(delta)`` (Start-Sleep) moves it."""

    def __init__(self, start: _dt.datetime | None = None):
        if start is None:
            env = os.environ.get("EMS_START_TIME")
            if env:
                try:
                    start = _dt.datetime.fromisoformat(env)
                except ValueError:
                    start = None
        if start is None:
            start = _dt.datetime.now().replace(microsecond=0)
        if start.tzinfo is not None:
            start = start.replace(tzinfo=None)
        self._now = start

    def now(self) -> _dt.datetime:
        return self._now

    def advance(self, delta: _dt.timedelta) -> None:
        if delta > _dt.timedelta(0):
            self._now = self._now + delta


class Scope:
    """One variable scope. Keys are lower-cased names; ``names`` keeps the spelling."""

    __slots__ = ("parent", "vars", "names", "constraints", "functions", "script_scope", "options")

    def __init__(self, parent: "Scope | None" = None, script_scope: "Scope | None" = None):
        self.parent = parent
        self.vars: dict[str, Any] = {}
        self.names: dict[str, str] = {}
        self.constraints: dict[str, Any] = {}
        self.functions: dict[str, Any] = {}
        self.script_scope = script_scope or self
        self.options: dict[str, str] = {}

    def find(self, key: str) -> "Scope | None":
        s: Scope | None = self
        while s is not None:
            if key in s.vars:
                return s
            s = s.parent
        return None

    def set_local(self, name: str, value: Any) -> None:
        key = name.lower()
        if key not in self.names:
            self.names[key] = name
        constraint = self.constraints.get(key)
        if constraint is not None:
            value = constraint.convert(value)
        self.vars[key] = value


class EnvTable(Hashtable):
    """``$env:`` — a private copy of the process environment (case-insensitive)."""


class Session:
    """Everything one ems shell keeps between commands."""

    def __init__(self, org_factory: Callable[["Session"], Any] | None = None, host: Any = None,
                 width: int = 120, computer_name: Callable[["Session"], str] | str | None = None,
                 seed: int = 0):
        self.global_scope = Scope()
        self.host = host
        self.width = width
        self.clock = Clock()
        self.rng = random.Random(seed)
        self._org = None
        self._org_factory = org_factory
        self._computer_name = computer_name
        self.aliases: dict[str, str] = {}
        self.errors: list[Any] = ArrayList()  # $Error, newest first
        self.last_success = True             # $?
        self.error_count = 0                 # errors written so far (drives $?)
        self.call_depth = 0
        self.try_depth = 0
        self.in_catch = 0
        self.current_scope = self.global_scope  # the scope of the running function/script
        self.interactive = bool(host is not None and getattr(host, "interactive", False))
        self.env = EnvTable(os.environ.items())
        self.exit_code: int | None = None
        self.debug = bool(os.environ.get("EMS_DEBUG"))
        self.uncaught = False                # a terminating error reached a statement boundary
        self.top_frame = None
        self.shell = None
        self._init_variables()

    # ------------------------------------------------------------------ strict mode
    @property
    def strict_version(self) -> int:
        """Set-StrictMode of the running scope: set in a scope, it holds there and in the
        scopes it calls, and ends with the scope (a script's strict mode ends with it)."""
        s = self.current_scope
        while s is not None:
            v = s.options.get(_STRICT_KEY)
            if v is not None:
                return v
            s = s.parent
        return 0

    @strict_version.setter
    def strict_version(self, value: int) -> None:
        self.current_scope.options[_STRICT_KEY] = value

    # ------------------------------------------------------------------ organisation
    @property
    def org(self) -> Any:
        """The Exchange organisation, built on first use."""
        if self._org is None and self._org_factory is not None:
            factory, self._org_factory = self._org_factory, None
            self._org = factory(self)
        return self._org

    @org.setter
    def org(self, value: Any) -> None:
        self._org = value

    @property
    def org_built(self) -> bool:
        return self._org is not None

    @property
    def computer_name(self) -> str:
        """``$env:COMPUTERNAME``: the Exchange server this shell is connected to."""
        override = self.env.get("COMPUTERNAME") if "computername" in self._env_overrides else None
        if override:
            return override
        cn = self._computer_name
        if callable(cn):
            cn = cn(self)
        return cn or os.environ.get("COMPUTERNAME") or "localhost"

    @property
    def computer_fqdn(self) -> str:
        """PSComputerName of remote (Exchange) error records."""
        name = self.computer_name
        org = self._org
        fqdn = getattr(org, "fqdn", None)
        return (fqdn(name) if callable(fqdn) else name).lower()

    # ------------------------------------------------------------------ variables
    def _init_variables(self) -> None:
        g = self.global_scope
        for name, value in DEFAULT_PREFERENCES.items():
            g.set_local(name, value)
        from ems.lang.conversion import resolve_type
        from ems.lang.conversion import enum_type
        for name in ("ErrorActionPreference", "WarningPreference", "VerbosePreference",
                     "DebugPreference", "InformationPreference", "ProgressPreference"):
            g.constraints[name.lower()] = enum_type(ActionPreference)
        g.constraints["confirmpreference"] = enum_type(ConfirmImpact)
        g.set_local("Error", self.errors)
        g.set_local("HOME", "C:\\Users\\Administrator")
        g.set_local("PWD", "C:\\Windows\\system32")
        g.set_local("PSHOME", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0")
        g.set_local("ShellId", "Microsoft.PowerShell")
        g.set_local("PSCulture", "en-US")
        g.set_local("PSUICulture", "en-US")
        g.set_local("NestedPromptLevel", 0)
        g.set_local("PID", os.getpid())
        g.set_local("PSVersionTable", Hashtable([
            ("PSVersion", resolve_type("version").convert("5.1.14393.0")),
            ("PSEdition", "Desktop"),
            ("PSCompatibleVersions", [resolve_type("version").convert(v) for v in
                                      ("1.0", "2.0", "3.0", "4.0", "5.0", "5.1.14393.0")]),
            ("BuildVersion", resolve_type("version").convert("10.0.14393.0")),
            ("CLRVersion", resolve_type("version").convert("4.0.30319.42000")),
            ("WSManStackVersion", resolve_type("version").convert("3.0")),
            ("PSRemotingProtocolVersion", resolve_type("version").convert("2.3")),
            ("SerializationVersion", resolve_type("version").convert("1.1.0.1")),
        ]))
        self._env_overrides: set[str] = set()

    def get_preference(self, scope: Scope, name: str) -> Any:
        s = scope.find(name.lower())
        return s.vars[name.lower()] if s is not None else DEFAULT_PREFERENCES.get(name)

    def error_action(self, scope: Scope) -> ActionPreference:
        from ems.runtime.preferences import action_preference
        return action_preference(self.get_preference(scope, "ErrorActionPreference"))

    def add_error(self, record: Any) -> None:
        """Record in ``$Error`` (newest first, at most $MaximumErrorCount)."""
        self.errors.insert(0, record)
        limit = self.global_scope.vars.get("maximumerrorcount", 256)
        if isinstance(limit, int) and len(self.errors) > limit > 0:
            del self.errors[limit:]

    # ------------------------------------------------------------------ env
    def env_get(self, name: str) -> Any:
        if name.lower() == "computername" and "computername" not in self._env_overrides:
            return self.computer_name
        return self.env.get(name)

    def env_set(self, name: str, value: Any) -> None:
        self._env_overrides.add(name.lower())
        if value is None or value == "":
            self.env.pop(name, None)
        else:
            from ems.lang.conversion import to_string
            self.env[name] = to_string(value)

    # ------------------------------------------------------------------ functions
    def visible_functions(self, scope: Scope | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        chain = []
        s = scope or self.global_scope
        while s is not None:
            chain.append(s)
            s = s.parent
        for s in reversed(chain):
            out.update(s.functions)
        return out

    @property
    def functions(self) -> dict[str, Any]:
        """Name -> function, as Get-Command lists them (global and current script)."""
        scope = getattr(self, "current_scope", None) or self.global_scope
        return {f.name: f for f in self.visible_functions(scope).values()}

    # ------------------------------------------------------------------ misc
    def new_guid(self) -> uuid.UUID:
        """GUIDs from the seeded generator: the same input gives the same output."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def __enter__(self) -> "Session":
        _CURRENT.append(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        if _CURRENT and _CURRENT[-1] is self:
            _CURRENT.pop()
