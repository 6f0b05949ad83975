"""The ActiveDirectory module cmdlets the DAG labs use: Add-/Get-ADGroupMember.

Lab guides prepare a witness that isn't an Exchange server with
``Add-ADGroupMember -Identity Administrators -Members "Exchange Trusted Subsystem"`` on the
DC (a DC's local Administrators group is the domain's Builtin\\Administrators).
"""
from __future__ import annotations

from typing import Any

from cmdlets.exchange_common import ExchangeCmdlet, switch
from ems.exchange.typenames import T_AD_PRINCIPAL
from ems.runtime.cmdlet import ANY, IDENTITY, Example, Parameter, register

AD_MODULE = "ActiveDirectory"


class ADCmdlet(ExchangeCmdlet):
    """The AD module runs in the local session, not on the Exchange server: its errors have
    the local layout (``Get-ADGroupMember : ...``, position, ``ObjectNotFound: (Nope:ADGroup)``)
    and a missing identity stops the command (a terminating error, as in the AD module)."""

    module = AD_MODULE

    def process(self) -> None:
        from ems.exchange.errors import ADIdentityNotFoundException
        from ems.runtime.errors import PSError
        try:
            super().process()
        except ADIdentityNotFoundException as e:
            raise PSError(e.message, e.error_id, e.category, _BoundIdentity.of(e.target, e.kind),
                          e.exception_type) from None


class _BoundIdentity(str):
    """An identity as the AD cmdlet bound it: its text, typed ADGroup / ADPrincipal."""

    PS_TYPE_NAMES: tuple[str, ...] = ()

    @classmethod
    def of(cls, text: str, kind: str) -> "_BoundIdentity":
        typed = type(kind, (cls,), {"PS_TYPE_NAMES": (f"Microsoft.ActiveDirectory.Management.{kind}",)})
        return typed(text)


def _name(value: Any) -> str:
    """An AD identity as given: a name, or an ADPrincipal/ADGroup object."""
    for attr in ("name", "Name", "SamAccountName"):
        v = getattr(value, attr, None)
        if isinstance(v, str):
            return v
    return str(value)


@register
class AddADGroupMember(ADCmdlet):
    name = "Add-ADGroupMember"
    dotnet_class = "Microsoft.ActiveDirectory.Management.Commands.AddADGroupMember"
    synopsis = "Adds one or more members to an Active Directory group."
    supports_should_process = True
    parameters = (
        Parameter("Identity", IDENTITY, mandatory=True, position=0, pipeline=True, type_name="ADGroup"),
        Parameter("Members", ANY, mandatory=True, position=1, array=True, type_name="ADPrincipal"),
        Parameter("Server", str),
        Parameter("Credential", ANY, type_name="PSCredential"),
        Parameter("AuthType", str, values=("Negotiate", "Basic"), type_name="ADAuthType"),
        Parameter("Partition", str),
        switch("PassThru"),
    )
    examples = (Example('Add-ADGroupMember -Identity Administrators -Members "Exchange Trusted Subsystem"',
                        "Makes Exchange Trusted Subsystem an administrator of the domain controllers "
                        "(prepares a DC as file share witness)."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        group = _name(self.param("Identity"))
        members = [_name(m) for m in self.param("Members")]
        if self.should_process(group, message=f'Performing the operation "Set" on target "{group}".'):
            org.add_group_members(group, members)
            if self.param("PassThru"):
                self.write(S.ad_principal(org, group))


@register
class GetADGroupMember(ADCmdlet):
    name = "Get-ADGroupMember"
    dotnet_class = "Microsoft.ActiveDirectory.Management.Commands.GetADGroupMember"
    output_type = T_AD_PRINCIPAL
    synopsis = "Gets the members of an Active Directory group."
    parameters = (
        Parameter("Identity", IDENTITY, mandatory=True, position=0, pipeline=True, type_name="ADGroup"),
        switch("Recursive"),
        Parameter("Server", str),
        Parameter("Credential", ANY, type_name="PSCredential"),
        Parameter("AuthType", str, values=("Negotiate", "Basic"), type_name="ADAuthType"),
        Parameter("Partition", str),
    )
    examples = (Example("Get-ADGroupMember -Identity Administrators", "Lists the members of Administrators."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        group = org.get_group(_name(self.param("Identity")))
        for name in self._members(org, group, bool(self.param("Recursive")), set()):
            self.write(S.ad_principal(org, name))

    def _members(self, org: Any, group: Any, recursive: bool, seen: set) -> list[str]:
        out: list[str] = []
        for m in group.members:
            nested = org.groups.get(m.lower())
            if recursive and nested is not None:
                if nested.name.lower() not in seen:
                    seen.add(nested.name.lower())
                    out.extend(x for x in self._members(org, nested, True, seen) if x not in out)
            elif m not in out:
                out.append(m)
        return out
