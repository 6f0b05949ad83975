"""Client Access: Get-/Set-ClientAccessServer, New/Get/Set/Remove-ClientAccessArray."""
from __future__ import annotations

import datetime as _dt
from typing import Any

from cmdlets.exchange_common import (SYSCONFIG, ExchangeCmdlet, dc_param, identity_param, sentence, switch)
from ems.exchange.values import AbsoluteUri, ByteQuantifiedSize, Fqdn
from ems.exchange.typenames import T_CLIENT_ACCESS, T_CLIENT_ACCESS_ARRAY
from ems.runtime.cmdlet import ANY, IDENTITY, Example, Parameter, register

CAS_ID = "ClientAccessServerIdParameter"
ARRAY_ID = "ClientAccessArrayIdParameter"


@register
class GetClientAccessServer(ExchangeCmdlet):
    name = "Get-ClientAccessServer"
    dotnet_class = SYSCONFIG + "GetClientAccessServer"
    output_type = T_CLIENT_ACCESS
    synopsis = "Use the Get-ClientAccessServer cmdlet to view settings that are associated with the Client Access server role."
    parameters = (
        identity_param(CAS_ID, mandatory=False),
        switch("IncludeAlternateServiceAccountCredentialPassword"),
        switch("IncludeAlternateServiceAccountCredentialStatus"),
        dc_param(),
    )
    examples = (Example("Get-ClientAccessServer", "Lists every server with the Client Access role."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        for s in self.select("client access server"):
            self.write(S.client_access_server(org, s))


@register
class SetClientAccessServer(ExchangeCmdlet):
    name = "Set-ClientAccessServer"
    dotnet_class = SYSCONFIG + "SetClientAccessServer"
    synopsis = "Use the Set-ClientAccessServer cmdlet to modify settings that are associated with the Client Access server role."
    supports_should_process = True
    parameters = (
        identity_param(CAS_ID),
        Parameter("AlternateServiceAccountCredential", ANY, array=True, sets=("AlternateServiceAccount",),
                  type_name="PSCredential"),
        Parameter("AutoDiscoverServiceInternalUri", AbsoluteUri, sets=("Identity",)),
        Parameter("AutoDiscoverSiteScope", str, array=True, sets=("Identity",), type_name="MultiValuedProperty"),
        switch("CleanUpInvalidAlternateServiceAccountCredentials", sets=("AlternateServiceAccount",)),
        Parameter("IrmLogEnabled", bool),
        Parameter("IrmLogMaxAge", _dt.timedelta, type_name="EnhancedTimeSpan"),
        Parameter("IrmLogMaxDirectorySize", ByteQuantifiedSize),
        Parameter("IrmLogMaxFileSize", ByteQuantifiedSize, type_name="ByteQuantifiedSize"),
        Parameter("IrmLogPath", str, type_name="LocalLongFullPath"),
        Parameter("IsOutOfService", bool),
        switch("RemoveAlternateServiceAccountCredentials", sets=("AlternateServiceAccount",)),
        dc_param(),
    )
    default_set = "Identity"
    settable = {"AutoDiscoverServiceInternalUri": "autodiscover_internal_uri",
                "AutoDiscoverSiteScope": "autodiscover_site_scope", "IrmLogEnabled": "irm_log_enabled",
                "IrmLogMaxAge": "irm_log_max_age", "IrmLogMaxDirectorySize": "irm_log_max_directory_size",
                "IrmLogMaxFileSize": "irm_log_max_file_size", "IrmLogPath": "irm_log_path",
                "IsOutOfService": "is_out_of_service",
                "AlternateServiceAccountCredential": "alternate_service_account_credentials"}
    converters = {"AlternateServiceAccountCredential": lambda v: [str(getattr(c, "UserName", c)) for c in v]}
    examples = (Example('Set-ClientAccessServer -Identity "CAS-01" -AutoDiscoverServiceInternalUri '
                        '"https://cas01.contoso.com/autodiscover/autodiscover.xml" -AutoDiscoverSiteScope "Mail"',
                        "Sets the internal Autodiscover URL and site scope of CAS-01."),)

    def run(self, org: Any) -> None:
        server = self.resolve("client access server")
        changes = self.changes()
        if self.param("RemoveAlternateServiceAccountCredentials"):
            changes["alternate_service_account_credentials"] = []
        if self.should_process(server.name, message=sentence("Setting", "Client Access server", server.name)):
            org.set_server_settings(server, changes)


@register
class NewClientAccessArray(ExchangeCmdlet):
    name = "New-ClientAccessArray"
    dotnet_class = SYSCONFIG + "NewClientAccessArray"
    output_type = T_CLIENT_ACCESS_ARRAY
    synopsis = ("Use the New-ClientAccessArray cmdlet to create an object that represents a load balanced array of "
                "Client Access servers within a single Active Directory site.")
    supports_should_process = True
    parameters = (
        Parameter("Name", str, position=0, help="Defaults to the host part of -Fqdn."),
        Parameter("Fqdn", Fqdn, mandatory=True),
        Parameter("Site", IDENTITY, mandatory=True, type_name="AdSiteIdParameter"),
        dc_param(),
    )
    examples = (Example('New-ClientAccessArray -Fqdn casarray01.contoso.com -Site "Redmond"',
                        "Creates the array casarray01 in the site Redmond."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        site = self.resolve("site", "Site")
        fqdn = self.param("Fqdn")
        name = self.param("Name") or fqdn.split(".")[0]
        if self.should_process(name, message=sentence("Creating", "Client Access array", name)):
            self.write(S.cas_array(org, org.new_cas_array(fqdn, site, name)))


@register
class GetClientAccessArray(ExchangeCmdlet):
    name = "Get-ClientAccessArray"
    dotnet_class = SYSCONFIG + "GetClientAccessArray"
    output_type = T_CLIENT_ACCESS_ARRAY
    synopsis = "Use the Get-ClientAccessArray cmdlet to view legacy RPC Client Access arrays."
    parameters = (
        identity_param(ARRAY_ID, mandatory=False),
        Parameter("Site", IDENTITY, type_name="AdSiteIdParameter"),
        dc_param(),
    )
    examples = (Example("Get-ClientAccessArray -Identity CASArray01 | Format-List", "Shows CASArray01 in full."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        arrays = self.select("cas array")
        if self.has("Site"):
            site = self.resolve("site", "Site")
            arrays = [a for a in arrays if a.site.lower() == site.name.lower()]
        for a in arrays:
            self.write(S.cas_array(org, a))


@register
class SetClientAccessArray(ExchangeCmdlet):
    name = "Set-ClientAccessArray"
    dotnet_class = SYSCONFIG + "SetClientAccessArray"
    synopsis = "Use the Set-ClientAccessArray cmdlet to modify RPC Client Access arrays."
    supports_should_process = True
    parameters = (
        identity_param(ARRAY_ID),
        Parameter("Fqdn", Fqdn),
        Parameter("Name", str),
        Parameter("Site", IDENTITY, type_name="AdSiteIdParameter"),
        dc_param(),
    )
    settable = {"Fqdn": "fqdn", "Name": "name"}
    examples = (Example('Set-ClientAccessArray -Identity "ContosoArray" -Name "CASArray"', "Renames the array."),)

    def run(self, org: Any) -> None:
        arr = self.resolve("cas array")
        changes = self.changes()
        if self.has("Site"):
            changes["site"] = self.resolve("site", "Site")
        if self.should_process(arr.name, message=sentence("Setting", "Client Access array", arr.name)):
            org.set_cas_array(arr, changes)


@register
class RemoveClientAccessArray(ExchangeCmdlet):
    name = "Remove-ClientAccessArray"
    dotnet_class = SYSCONFIG + "RemoveClientAccessArray"
    synopsis = "Use the Remove-ClientAccessArray cmdlet to remove RPC Client Access arrays."
    supports_should_process = True
    confirm_impact = "High"
    parameters = (identity_param(ARRAY_ID), dc_param())
    examples = (Example("Remove-ClientAccessArray -Identity casarray01.contoso.com", "Removes the array."),)

    def run(self, org: Any) -> None:
        arr = self.resolve("cas array")
        if self.should_process(arr.name, message=sentence("Removing", "Client Access array", arr.name)):
            org.remove_cas_array(arr)
