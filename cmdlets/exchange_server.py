"""Exchange servers: Get-ExchangeServer, Get-/Set-MailboxServer."""
from __future__ import annotations

from typing import Any

from cmdlets.exchange_common import (SYSCONFIG, ExchangeCmdlet, dc_param, identity_param, sentence, switch)
from ems.exchange.enums import AutoDatabaseMountDial, DatabaseCopyAutoActivationPolicyType
from ems.exchange.values import Fqdn
from ems.exchange.typenames import T_EXCHANGE_SERVER, T_MAILBOX_SERVER
from ems.runtime.cmdlet import Example, Parameter, register


@register
class GetExchangeServer(ExchangeCmdlet):
    name = "Get-ExchangeServer"
    dotnet_class = SYSCONFIG + "GetExchangeServer"
    output_type = T_EXCHANGE_SERVER
    synopsis = "Use the Get-ExchangeServer cmdlet to view the properties of Exchange servers."
    parameters = (
        identity_param("ServerIdParameter", mandatory=False, sets=("Identity",)),
        Parameter("Domain", Fqdn, mandatory=("Domain",), sets=("Domain",)),
        switch("Status"),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example("Get-ExchangeServer | Format-List", "Returns a summary list of all Exchange servers."),
                Example("Get-ExchangeServer -Identity Mailbox01 | Format-List",
                        "Returns detailed information about the Exchange server named Mailbox01."))

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        servers = self.select("server")
        if self.has("Domain"):
            servers = [s for s in servers if self.param("Domain").lower() == org.domain.lower()]
        for s in servers:
            self.write(S.exchange_server(org, s, bool(self.param("Status"))))


@register
class GetMailboxServer(ExchangeCmdlet):
    name = "Get-MailboxServer"
    dotnet_class = SYSCONFIG + "GetMailboxServer"
    output_type = T_MAILBOX_SERVER
    synopsis = "Use the Get-MailboxServer cmdlet to view information about Mailbox servers in your organization."
    parameters = (
        identity_param("MailboxServerIdParameter", mandatory=False),
        switch("Status"),
        dc_param(),
    )
    examples = (Example("Get-MailboxServer", "Returns a summary list of all the Mailbox servers."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        for s in self.select("mailbox server"):
            self.write(S.mailbox_server(org, s))


@register
class SetMailboxServer(ExchangeCmdlet):
    name = "Set-MailboxServer"
    dotnet_class = SYSCONFIG + "SetMailboxServer"
    synopsis = ("Use the Set-MailboxServer cmdlet to modify the mailbox configuration settings and attributes "
                "of Mailbox servers.")
    supports_should_process = True
    parameters = (
        identity_param("MailboxServerIdParameter"),
        Parameter("AutoDatabaseMountDial", AutoDatabaseMountDial),
        Parameter("DatabaseCopyAutoActivationPolicy", DatabaseCopyAutoActivationPolicyType),
        Parameter("IsExcludedFromProvisioning", bool),
        Parameter("Locale", str, array=True, type_name="MultiValuedProperty"),
        Parameter("MaximumActiveDatabases", int, help="$null removes the limit."),
        dc_param(),
    )
    settable = {"AutoDatabaseMountDial": "auto_database_mount_dial",
                "DatabaseCopyAutoActivationPolicy": "database_copy_auto_activation_policy",
                "IsExcludedFromProvisioning": "is_excluded_from_provisioning", "Locale": "locale",
                "MaximumActiveDatabases": "maximum_active_databases"}
    examples = (Example("Set-MailboxServer -Identity MBX2 -DatabaseCopyAutoActivationPolicy Blocked",
                        "Blocks automatic activation of database copies on MBX2."),
                Example("Set-MailboxServer -Identity EX1 -MaximumActiveDatabases 20",
                        "Allows at most 20 active databases on EX1."))

    def run(self, org: Any) -> None:
        server = self.resolve("mailbox server")
        changes = self.changes()
        if self.should_process(server.name, message=sentence("Setting", "Mailbox server", server.name)):
            org.set_server_settings(server, changes)
