"""Database availability groups: New/Get/Set/Remove-DatabaseAvailabilityGroup, members,
DAG networks."""
from __future__ import annotations

import ipaddress
from typing import Any

from cmdlets.exchange_common import (SYSCONFIG, ExchangeCmdlet, dc_param, identity_param, sentence, switch)
from ems.exchange.enums import DatacenterActivationModeOption, NetworkOption, ThirdPartyReplicationMode
from ems.exchange.typenames import T_DAG, T_DAG_NETWORK
from ems.runtime.cmdlet import IDENTITY, Example, Parameter, register

NOUN = "database availability group"


def _ip_list(values: Any) -> list:
    return [str(v) for v in (values or [])]


@register
class NewDatabaseAvailabilityGroup(ExchangeCmdlet):
    name = "New-DatabaseAvailabilityGroup"
    dotnet_class = SYSCONFIG + "NewDatabaseAvailabilityGroup"
    output_type = T_DAG
    synopsis = "Use the New-DatabaseAvailabilityGroup cmdlet to create a database availability group (DAG)."
    supports_should_process = True
    parameters = (
        Parameter("Name", str, mandatory=True, position=0, help="Up to 15 characters, unique in the forest."),
        Parameter("DatabaseAvailabilityGroupIpAddresses", ipaddress.IPv4Address, array=True,
                  type_name="IPAddress"),
        Parameter("ThirdPartyReplication", ThirdPartyReplicationMode),
        Parameter("WitnessDirectory", str, type_name="NonRootLocalLongFullPath"),
        Parameter("WitnessServer", IDENTITY, type_name="FileShareWitnessServerName"),
        dc_param(),
    )
    examples = (Example(r"New-DatabaseAvailabilityGroup -Name DAG1 -WitnessServer SERVER1 -WitnessDirectory C:\DAG1",
                        "Creates the DAG DAG1 with the witness server SERVER1 and the directory C:\\DAG1."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        from ems.exchange.enums import text
        name = self.param("Name")
        if not self.should_process(name, message=sentence("Creating", NOUN, name)):
            return
        witness = self.param("WitnessServer")
        dag = org.new_dag(name, str(witness) if witness is not None else None, self.param("WitnessDirectory"),
                          _ip_list(self.param("DatabaseAvailabilityGroupIpAddresses")),
                          text(self.param("ThirdPartyReplication")))
        self.write(S.dag(org, dag))


@register
class GetDatabaseAvailabilityGroup(ExchangeCmdlet):
    name = "Get-DatabaseAvailabilityGroup"
    dotnet_class = SYSCONFIG + "GetDatabaseAvailabilityGroup"
    output_type = T_DAG
    synopsis = ("Use the Get-DatabaseAvailabilityGroup cmdlet to obtain a variety of configuration settings, "
                "status and other information about a database availability group (DAG).")
    settle = True
    parameters = (
        identity_param("DatabaseAvailabilityGroupIdParameter", mandatory=False),
        switch("Status", help="Adds OperationalServers, PrimaryActiveManager, NetworkNames, WitnessShareInUse."),
        dc_param(),
    )
    examples = (Example("Get-DatabaseAvailabilityGroup DAG2 -Status | Format-List",
                        "Shows DAG2 with its real-time status."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        for dag in self.select("dag"):
            self.write(S.dag(org, dag, bool(self.param("Status"))))


@register
class SetDatabaseAvailabilityGroup(ExchangeCmdlet):
    name = "Set-DatabaseAvailabilityGroup"
    dotnet_class = SYSCONFIG + "SetDatabaseAvailabilityGroup"
    synopsis = "Use the Set-DatabaseAvailabilityGroup cmdlet to configure properties of a database availability group (DAG)."
    supports_should_process = True
    parameters = (
        identity_param("DatabaseAvailabilityGroupIdParameter"),
        switch("AllowCrossSiteRpcClientAccess"),
        Parameter("AlternateWitnessDirectory", str, type_name="NonRootLocalLongFullPath"),
        Parameter("AlternateWitnessServer", IDENTITY, type_name="FileShareWitnessServerName"),
        Parameter("DatabaseAvailabilityGroupIpAddresses", ipaddress.IPv4Address, array=True, type_name="IPAddress"),
        Parameter("DatacenterActivationMode", DatacenterActivationModeOption),
        switch("DiscoverNetworks"),
        Parameter("NetworkCompression", NetworkOption),
        Parameter("NetworkEncryption", NetworkOption),
        Parameter("ReplicationPort", int, type_name="UInt16"),
        Parameter("WitnessDirectory", str, type_name="NonRootLocalLongFullPath"),
        Parameter("WitnessServer", IDENTITY, type_name="FileShareWitnessServerName"),
        dc_param(),
    )
    settable = {"AllowCrossSiteRpcClientAccess": "allow_cross_site_rpc_client_access",
                "AlternateWitnessDirectory": "alternate_witness_directory",
                "AlternateWitnessServer": "alternate_witness_server",
                "DatabaseAvailabilityGroupIpAddresses": "ip_addresses",
                "DatacenterActivationMode": "datacenter_activation_mode",
                "NetworkCompression": "network_compression", "NetworkEncryption": "network_encryption",
                "ReplicationPort": "replication_port", "WitnessDirectory": "witness_directory",
                "WitnessServer": "witness_server"}
    converters = {"AlternateWitnessServer": str, "WitnessServer": str, "DatabaseAvailabilityGroupIpAddresses": _ip_list,
                  "AllowCrossSiteRpcClientAccess": bool}
    examples = (Example("Set-DatabaseAvailabilityGroup -Identity DAG1 -DatabaseAvailabilityGroupIpAddresses 10.0.0.8",
                        "Gives DAG1 the static IP address 10.0.0.8."),
                Example("Set-DatabaseAvailabilityGroup -Identity DAG1 -DatacenterActivationMode DagOnly",
                        "Turns on DAC mode for DAG1."))

    def run(self, org: Any) -> None:
        dag = self.resolve("dag")
        changes = self.changes()
        if self.should_process(dag.name, message=sentence("Setting", NOUN, dag.name)):
            org.set_dag_through_directory(dag, changes, discover_networks=bool(self.param("DiscoverNetworks")))


@register
class RemoveDatabaseAvailabilityGroup(ExchangeCmdlet):
    name = "Remove-DatabaseAvailabilityGroup"
    dotnet_class = SYSCONFIG + "RemoveDatabaseAvailabilityGroup"
    synopsis = "Use the Remove-DatabaseAvailabilityGroup cmdlet to delete an empty database availability group (DAG)."
    supports_should_process = True
    confirm_impact = "High"
    parameters = (identity_param("DatabaseAvailabilityGroupIdParameter"), dc_param())
    examples = (Example("Remove-DatabaseAvailabilityGroup -Identity DAG1", "Deletes the DAG DAG1."),)

    def run(self, org: Any) -> None:
        dag = self.resolve("dag")
        if self.should_process(dag.name, message=sentence("Removing", NOUN, dag.name)):
            org.remove_dag(dag)


class _MemberCmdlet(ExchangeCmdlet):
    """Add-/Remove-DatabaseAvailabilityGroupServer share their shape."""

    supports_should_process = True
    verb = ""

    def run(self, org: Any) -> None:
        dag = self.resolve("dag")
        server = self.resolve("mailbox server", "MailboxServer")
        message = (f'{self.verb} Mailbox server "{server.name}" '
                   f'{"to" if self.verb == "Adding" else "from"} database availability group "{dag.name}".')
        if self.should_process(dag.name, message=message):
            self.apply(org, dag, server)

    def apply(self, org: Any, dag: Any, server: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


@register
class AddDatabaseAvailabilityGroupServer(_MemberCmdlet):
    name = "Add-DatabaseAvailabilityGroupServer"
    dotnet_class = SYSCONFIG + "AddDatabaseAvailabilityGroupServer"
    synopsis = "Use the Add-DatabaseAvailabilityGroupServer cmdlet to add a Mailbox server to a database availability group (DAG)."
    verb = "Adding"
    parameters = (
        identity_param("DatabaseAvailabilityGroupIdParameter"),
        Parameter("MailboxServer", IDENTITY, mandatory=True, position=1, pipeline=True, type_name="ServerIdParameter"),
        dc_param(),
    )
    examples = (Example("Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer MBX1",
                        "Adds the Mailbox server MBX1 to the DAG DAG1."),)

    def apply(self, org: Any, dag: Any, server: Any) -> None:
        org.add_dag_server(dag, server)


@register
class RemoveDatabaseAvailabilityGroupServer(_MemberCmdlet):
    name = "Remove-DatabaseAvailabilityGroupServer"
    dotnet_class = SYSCONFIG + "RemoveDatabaseAvailabilityGroupServer"
    synopsis = ("Use the Remove-DatabaseAvailabilityGroupServer cmdlet to remove a Mailbox server from a database "
                "availability group (DAG).")
    verb = "Removing"
    confirm_impact = "High"
    parameters = (
        identity_param("DatabaseAvailabilityGroupIdParameter"),
        Parameter("MailboxServer", IDENTITY, mandatory=True, position=1, pipeline=True, type_name="ServerIdParameter"),
        switch("ConfigurationOnly", help="Remove the server from the DAG object in AD only (server lost)."),
        dc_param(),
    )
    examples = (Example("Remove-DatabaseAvailabilityGroupServer -Identity DAG3 -MailboxServer MBX1",
                        "Removes the Mailbox server MBX1 from the DAG DAG3."),)

    def apply(self, org: Any, dag: Any, server: Any) -> None:
        org.remove_dag_server(dag, server, bool(self.param("ConfigurationOnly")))


# --------------------------------------------------------------------------- DAG networks

NET_ID = "DatabaseAvailabilityGroupNetworkIdParameter"


@register
class GetDatabaseAvailabilityGroupNetwork(ExchangeCmdlet):
    name = "Get-DatabaseAvailabilityGroupNetwork"
    dotnet_class = SYSCONFIG + "GetDatabaseAvailabilityGroupNetwork"
    output_type = T_DAG_NETWORK
    synopsis = ("Use the Get-DatabaseAvailabilityGroupNetwork cmdlet to display configuration and state "
                "information for a database availability group (DAG) network.")
    settle = True
    parameters = (
        identity_param(NET_ID, mandatory=False),
        Parameter("Server", IDENTITY, type_name="ServerIdParameter"),
        dc_param(),
    )
    examples = (Example("Get-DatabaseAvailabilityGroupNetwork -Identity DAG1 | Format-List",
                        "Shows every network of DAG1 in full."),)

    def run(self, org: Any) -> None:
        from ems.exchange import errors as E
        from ems.exchange import snapshots as S
        from ems.exchange.identity import identity_text, is_wildcard, resolve_networks
        if self.has("Server"):
            self.resolve("mailbox server", "Server")
        value = self.param("Identity")
        pairs = resolve_networks(org, value)
        if value is not None and not pairs and not is_wildcard(identity_text(value)):
            raise E.not_found(identity_text(value), org.domain_controller)
        for dag, net in pairs:
            self.write(S.dag_network(org, dag, net))


@register
class NewDatabaseAvailabilityGroupNetwork(ExchangeCmdlet):
    name = "New-DatabaseAvailabilityGroupNetwork"
    dotnet_class = SYSCONFIG + "NewDatabaseAvailabilityGroupNetwork"
    output_type = T_DAG_NETWORK
    synopsis = "Use the New-DatabaseAvailabilityGroupNetwork cmdlet to create a database availability group (DAG) network."
    supports_should_process = True
    parameters = (
        Parameter("Name", str, mandatory=True, position=0),
        Parameter("DatabaseAvailabilityGroup", IDENTITY, mandatory=True, position=1,
                  type_name="DatabaseAvailabilityGroupIdParameter"),
        Parameter("Description", str),
        Parameter("IgnoreNetwork", bool),
        Parameter("ReplicationEnabled", bool),
        Parameter("Subnets", str, array=True, type_name="DatabaseAvailabilityGroupSubnetId"),
        dc_param(),
    )
    examples = (Example("New-DatabaseAvailabilityGroupNetwork -DatabaseAvailabilityGroup DAG1 -Name DAG1Repl "
                        "-Subnets 10.0.0.0/8 -ReplicationEnabled:$true",
                        "Creates the replication network DAG1Repl for the subnet 10.0.0.0/8."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        dag = self.resolve("dag", "DatabaseAvailabilityGroup")
        name = self.param("Name")
        if not self.should_process(name, message=sentence("Creating", "database availability group network",
                                                          f"{dag.name}\\{name}")):
            return
        net = org.new_dag_network(dag, name, self.param("Description"), self.param("Subnets"),
                                  self.param("ReplicationEnabled"), self.param("IgnoreNetwork"))
        self.write(S.dag_network(org, dag, net))


@register
class SetDatabaseAvailabilityGroupNetwork(ExchangeCmdlet):
    name = "Set-DatabaseAvailabilityGroupNetwork"
    dotnet_class = SYSCONFIG + "SetDatabaseAvailabilityGroupNetwork"
    synopsis = "Use the Set-DatabaseAvailabilityGroupNetwork cmdlet to configure a network for a database availability group (DAG)."
    supports_should_process = True
    parameters = (
        identity_param(NET_ID),
        Parameter("Description", str),
        Parameter("IgnoreNetwork", bool),
        Parameter("Name", str),
        Parameter("ReplicationEnabled", bool),
        Parameter("Subnets", str, array=True, type_name="DatabaseAvailabilityGroupSubnetId"),
        dc_param(),
    )
    settable = {"Description": "description", "IgnoreNetwork": "ignore_network", "Name": "name",
                "ReplicationEnabled": "replication_enabled", "Subnets": "subnets"}
    examples = (Example(r"Set-DatabaseAvailabilityGroupNetwork -Identity DAG1\DAGNetwork01 -ReplicationEnabled:$false",
                        "Stops replication over DAGNetwork01 (for example the MAPI network)."),)

    def run(self, org: Any) -> None:
        from ems.exchange.identity import resolve_network
        dag, net = resolve_network(org, self.param("Identity"))
        ident = f"{dag.name}\\{net.name}"
        if self.should_process(ident, message=sentence("Setting", "database availability group network", ident)):
            org.set_dag_network(dag, net, self.changes())


@register
class RemoveDatabaseAvailabilityGroupNetwork(ExchangeCmdlet):
    name = "Remove-DatabaseAvailabilityGroupNetwork"
    dotnet_class = SYSCONFIG + "RemoveDatabaseAvailabilityGroupNetwork"
    synopsis = "Use the Remove-DatabaseAvailabilityGroupNetwork cmdlet to remove a database availability group (DAG) network."
    supports_should_process = True
    confirm_impact = "High"
    parameters = (identity_param(NET_ID), dc_param())
    examples = (Example(r"Remove-DatabaseAvailabilityGroupNetwork -Identity DAG1\DAGNetwork04",
                        "Removes the network DAGNetwork04 from DAG1."),)

    def run(self, org: Any) -> None:
        from ems.exchange.identity import resolve_network
        dag, net = resolve_network(org, self.param("Identity"))
        ident = f"{dag.name}\\{net.name}"
        if self.should_process(ident, message=sentence("Removing", "database availability group network", ident)):
            org.remove_dag_network(dag, net)
