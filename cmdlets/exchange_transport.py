"""Organisation-wide transport settings: Get-/Set-TransportConfig (the 2010 transport dumpster)."""
from __future__ import annotations

import datetime as _dt
from typing import Any

from cmdlets.exchange_common import ExchangeCmdlet, dc_param, identity_param, sentence
from ems.exchange.values import KilobyteSize
from ems.exchange.typenames import T_TRANSPORT_CONFIG
from ems.runtime.cmdlet import Example, Parameter, register

TRANSPORT = "Microsoft.Exchange.Management.Tasks."


@register
class GetTransportConfig(ExchangeCmdlet):
    name = "Get-TransportConfig"
    dotnet_class = TRANSPORT + "GetTransportConfig"
    output_type = T_TRANSPORT_CONFIG
    synopsis = "Use the Get-TransportConfig cmdlet to view organization-wide transport configuration settings."
    parameters = (identity_param("OrganizationIdParameter", mandatory=False), dc_param())
    examples = (Example("Get-TransportConfig | Format-List *Dumpster*", "Shows the transport dumpster settings."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        self.write(S.transport_config(org))


@register
class SetTransportConfig(ExchangeCmdlet):
    name = "Set-TransportConfig"
    dotnet_class = TRANSPORT + "SetTransportConfig"
    synopsis = ("Use the Set-TransportConfig cmdlet to modify the transport configuration settings for the whole "
                "Exchange organization.")
    supports_should_process = True
    parameters = (
        identity_param("OrganizationIdParameter", mandatory=False),
        Parameter("MaxDumpsterSizePerDatabase", KilobyteSize, help="Unqualified values are kilobytes."),
        Parameter("MaxDumpsterTime", _dt.timedelta, type_name="EnhancedTimeSpan"),
        Parameter("ShadowHeartbeatRetryCount", int),
        Parameter("ShadowHeartbeatTimeoutInterval", _dt.timedelta, type_name="EnhancedTimeSpan"),
        Parameter("ShadowMessageAutoDiscardInterval", _dt.timedelta, type_name="EnhancedTimeSpan"),
        Parameter("ShadowRedundancyEnabled", bool),
        dc_param(),
    )
    settable = {"MaxDumpsterSizePerDatabase": "max_dumpster_size_per_database",
                "MaxDumpsterTime": "max_dumpster_time",
                "ShadowHeartbeatRetryCount": "shadow_heartbeat_retry_count",
                "ShadowHeartbeatTimeoutInterval": "shadow_heartbeat_timeout_interval",
                "ShadowMessageAutoDiscardInterval": "shadow_message_auto_discard_interval",
                "ShadowRedundancyEnabled": "shadow_redundancy_enabled"}
    examples = (Example("Set-TransportConfig -MaxDumpsterSizePerDatabase 30MB -MaxDumpsterTime 14.00:00:00",
                        "Keeps up to 30 MB per database for 14 days in the transport dumpster."),)

    def run(self, org: Any) -> None:
        changes = self.changes()
        if self.should_process("Transport Settings", message=sentence("Setting", "transport configuration",
                                                                       "Transport Settings")):
            org.set_transport_config(changes)
