"""What every Exchange cmdlet shares: the base class, identity resolution, Set-from-parameters.

Exchange cmdlets are thin: resolve identities (ems.exchange.identity), call one operation of
the organisation (which validates before it changes anything), and write frozen snapshots
(ems.exchange.snapshots). Domain errors raised here reach the console as non-terminating
errors in the remote-EMS layout (the runtime does that). Nothing heavy is imported at module
level: ``ems -c Get-Date`` must not pay for the Exchange model.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, ClassVar

import attrs

from ems.runtime.cmdlet import IDENTITY, SWITCH, Cmdlet, Parameter

EMS_MODULE = "Microsoft.Exchange.Management.PowerShell.E2010"
SYSCONFIG = "Microsoft.Exchange.Management.SystemConfigurationTasks."
RECIPIENT = "Microsoft.Exchange.Management.RecipientTasks."


def dc_param() -> Parameter:
    """-DomainController: accepted by every Exchange cmdlet (ems has one DC to talk to)."""
    return Parameter("DomainController", str, type_name="Fqdn",
                     help="The domain controller to read from or write to.")


def identity_param(type_name: str, mandatory: bool | tuple = True, position: int | None = 0,
                   pipeline: bool = True, sets: tuple[str, ...] = (), by_property: bool = False,
                   help: str = "") -> Parameter:
    return Parameter("Identity", IDENTITY, mandatory=mandatory, position=position, pipeline=pipeline,
                     pipeline_by_property=by_property, sets=sets, type_name=type_name, help=help)


def switch(name: str, sets: tuple[str, ...] = (), help: str = "", mandatory: bool | tuple = False) -> Parameter:
    return Parameter(name, SWITCH, sets=sets, help=help, mandatory=mandatory)


def _accepts(id_type: str, value: Any) -> bool:
    from ems.exchange.identity import accepts_piped
    return accepts_piped(id_type, value)


def _typed_pipeline(p: Parameter) -> Parameter:
    """An identity parameter taking pipeline input accepts, by value, only the Exchange
    objects its IdParameter type is built from (see ems.exchange.identity.accepts_piped)."""
    if p.type is IDENTITY and p.pipeline and p.accepts is None and p.type_name:
        return attrs.evolve(p, accepts=functools.partial(_accepts, p.type_name))
    return p


class ExchangeCmdlet(Cmdlet):
    """Base of every Exchange cmdlet: ``run(org)`` does the work; warnings the operation
    queued are shown before its output, or afterwards (also when it failed)."""

    module = EMS_MODULE
    settle: ClassVar[bool] = False
    """Readers set this: bring every copy up to date with the clock before reporting."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "parameters" in cls.__dict__:
            cls.parameters = tuple(_typed_pipeline(p) for p in cls.parameters)

    def process(self) -> None:
        org = self.org
        if self.module == EMS_MODULE:
            # Exchange cmdlets run on the connected server, against its site's domain
            # controllers (ems.exchange.directory; the connection: cmdlets.services)
            from cmdlets.services import connected_server
            org.begin_command(connected_server(self.session, org))
        if self.settle:
            org.settle()
        try:
            self.run(org)
        finally:
            self._flush_warnings()

    def _flush_warnings(self) -> None:
        for message in self.org.drain_warnings():
            self.warning(message)

    def write(self, obj: Any, enumerate: bool = False) -> None:
        """Warnings the operation queued come first, as a task writes them before its result."""
        self._flush_warnings()
        super().write(obj, enumerate)

    def run(self, org: Any) -> None:  # pragma: no cover - every cmdlet overrides it
        raise NotImplementedError

    # --- identities ------------------------------------------------------------------------
    def resolve(self, kind: str, param: str = "Identity", value: Any = None) -> Any:
        from ems.exchange.identity import resolve
        return resolve(self.org, kind, self.param(param) if value is None else value, param)

    def resolve_optional(self, kind: str, param: str) -> Any:
        return self.resolve(kind, param) if self.has(param) else None

    def select(self, kind: str, param: str = "Identity") -> list:
        """Get-X [-Identity]: every match; an identity without wildcards that matches nothing
        is the not-found error."""
        from ems.exchange import errors as E
        from ems.exchange.identity import identity_text, is_wildcard, resolve_many
        value = self.param(param)
        found = resolve_many(self.org, kind, value)
        if value is not None and not found:
            text = identity_text(value)
            if not is_wildcard(text):
                raise E.not_found(text, self.org.domain_controller)
        return sorted(found, key=lambda o: o.name.lower())

    def local_server(self) -> Any:
        """The Mailbox server this shell is connected to ($env:COMPUTERNAME), else the first
        DAG member (what -Local and Test-ReplicationHealth without -Identity look at)."""
        org = self.org
        server = org.servers.get(str(self.session.computer_name).split(".")[0].lower())
        if server is not None and server.has_role("Mailbox"):
            return server
        members = sorted((s for s in org.mailbox_servers() if s.dag), key=lambda s: s.name.lower())
        if members:
            return members[0]
        from ems.exchange import errors as E
        raise E.InvalidOperationException(
            "This shell isn't connected to a Mailbox server that is a member of a database availability group. "
            "Use the Identity or Server parameter.")

    # --- Set-* from bound parameters --------------------------------------------------------
    settable: ClassVar[dict[str, str]] = {}
    """Parameter name -> model attribute, for Set-* cmdlets."""
    converters: ClassVar[dict[str, Callable[[Any], Any]]] = {}

    def changes(self) -> dict[str, Any]:
        """The bound settable parameters as model attribute -> stored value (enums by name)."""
        from ems.exchange.enums import text
        out: dict[str, Any] = {}
        for pname, attr in self.settable.items():
            if self.has(pname):
                value = self.param(pname)
                conv = self.converters.get(pname)
                out[attr] = conv(value) if conv else text(value)
        return out


def sentence(verb: str, noun: str, identity: Any) -> str:
    """Exchange's ShouldProcess sentence: ``Setting database availability group "DAG1".``
    (plausible wording; the real resource strings vary per cmdlet)."""
    return f'{verb} {noun} "{identity}".'
