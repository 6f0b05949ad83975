"""Windows tools a datacenter switchover runbook uses next to the Exchange cmdlets:
Get-/Stop-/Start-/Restart-Service (the Cluster, Replication and Information Store services of
the members), the FailoverClusters cmdlets that stand for ``net start clussvc /forcequorum``,
``cluster node /forcecleanup``, Evict and ``cluster /quorum /nodemajority`` (§3b), and EMS's
Connect-ExchangeServer, which chooses the server Exchange cmdlets run on.

Where commands run: the shell is connected to one Exchange server, ``$env:COMPUTERNAME``.
Until Connect-ExchangeServer names one, the connection is automatic (EMS's automatic
connection: the local server, else another server of its site that answers, else any): when
that server is down, the next Exchange cmdlet connects to a running Mailbox server instead
[plausible: real EMS keeps the session it made at start-up]. Connect-ExchangeServer pins the
session to its server; while that server is down, Exchange cmdlets fail like a broken remote
session. The service cmdlets without -ComputerName act on that server too (the shell's own
machine).

The work is in ems.exchange.services; errors these cmdlets raise are Windows PowerShell's
own (ServiceCommandException, InvalidOperationException), shown in the local layout.
"""
from __future__ import annotations

import enum
from typing import Any

from cmdlets._records import Record
from ems.runtime.cmdlet import ANY, SWITCH, Cmdlet, Example, Parameter, register
from ems.runtime.errors import PSError

MANAGEMENT = "Microsoft.PowerShell.Management"
CLUSTERS = "FailoverClusters"
SVC_CLASS = "Microsoft.PowerShell.Commands."
CLUSTER_CLASS = "Microsoft.FailoverClusters.PowerShell."


# --------------------------------------------------------------------------- where commands run

def connected_server(session: Any, org: Any) -> str:
    """The Exchange server this shell is connected to (see the module notes)."""
    pinned = getattr(session, "exchange_connection", None)
    if pinned is not None:
        return pinned
    name = str(session.computer_name).split(".")[0]
    server = org.servers.get(name.lower())
    if server is not None and server.is_exchange and not org.machine_running(server):
        up = [s for s in org.mailbox_servers() if org.machine_running(s)]
        same_site = [s for s in up if s.site.lower() == server.site.lower()]
        if not up:
            return ""  # nothing answers: commands run without a server [plausible]
        name = (same_site or up)[0].name
        session.env_set("COMPUTERNAME", name)
    return name


# --------------------------------------------------------------------------- output objects

class ServiceControllerStatus(enum.Enum):
    Stopped = 1
    StartPending = 2
    StopPending = 3
    Running = 4
    ContinuePending = 5
    PausePending = 6
    Paused = 7

    PS_TYPE_NAME = "System.ServiceProcess.ServiceControllerStatus"


class ServiceStartMode(enum.Enum):
    Boot = 0
    System = 1
    Automatic = 2
    Manual = 3
    Disabled = 4

    PS_TYPE_NAME = "System.ServiceProcess.ServiceStartMode"


class ServiceController(Record):
    """Get-Service's object (System.ServiceProcess.ServiceController), properties in 5.1's order."""

    FIELDS = ("Name", "RequiredServices", "CanPauseAndContinue", "CanShutdown", "CanStop", "DisplayName",
              "DependentServices", "MachineName", "ServiceName", "ServicesDependedOn", "ServiceHandle", "Status",
              "ServiceType", "StartType", "Site", "Container")
    __slots__ = FIELDS
    PS_TYPE_NAMES = ("System.ServiceProcess.ServiceController", "System.ComponentModel.Component",
                     "System.MarshalByRefObject", "System.Object")


class ClusterNode(Record):
    """Get-ClusterNode's object (Microsoft.FailoverClusters.PowerShell.ClusterNode)."""

    FIELDS = ("Name", "State", "Cluster", "Id", "NodeName", "NodeHighestVersion", "NodeLowestVersion")
    __slots__ = FIELDS
    PS_TYPE_NAMES = ("Microsoft.FailoverClusters.PowerShell.ClusterNode",
                     "Microsoft.FailoverClusters.PowerShell.ClusterObject", "System.Object")

    def __str__(self) -> str:
        return str(self.Name)


class ClusterGroup(Record):
    """Move-ClusterGroup's object (Microsoft.FailoverClusters.PowerShell.ClusterGroup)."""

    FIELDS = ("Name", "OwnerNode", "State", "Cluster")
    __slots__ = FIELDS
    PS_TYPE_NAMES = ("Microsoft.FailoverClusters.PowerShell.ClusterGroup",
                     "Microsoft.FailoverClusters.PowerShell.ClusterObject", "System.Object")

    def __str__(self) -> str:
        return str(self.Name)


class ClusterQuorumSettings(Record):
    FIELDS = ("Cluster", "QuorumResource", "QuorumType")
    __slots__ = FIELDS
    PS_TYPE_NAMES = ("Microsoft.FailoverClusters.PowerShell.ClusterQuorumSettings", "System.Object")


def service_object(state: Any) -> ServiceController:
    return ServiceController(
        Name=state.name, RequiredServices=[], CanPauseAndContinue=False, CanShutdown=state.running,
        CanStop=state.running, DisplayName=state.display_name, DependentServices=[], MachineName=state.machine,
        ServiceName=state.name, ServicesDependedOn=[], ServiceHandle=None,
        Status=ServiceControllerStatus.Running if state.running else ServiceControllerStatus.Stopped,
        ServiceType="Win32OwnProcess", StartType=ServiceStartMode[state.start_type], Site=None, Container=None)


# --------------------------------------------------------------------------- errors

def _service_error(exc: Any, target: Any = None) -> PSError:
    """ems.exchange.services.ServiceError -> the Windows PowerShell error for it."""
    if exc.reason == "no_service":
        return PSError(exc.message, "NoServiceFoundForGivenName", "ObjectNotFound", target=exc.service,
                       exception_type="ServiceCommandException")
    if exc.reason == "cannot_start":
        return PSError(exc.message, "CouldNotStartService", "OpenError", target=target,
                       exception_type="ServiceCommandException")
    return PSError(exc.message, "System.InvalidOperationException", "NotSpecified",
                   exception_type="InvalidOperationException")


def _cluster_error(exc: Any) -> PSError:
    return PSError(str(exc), exc.__class__.__name__, "NotSpecified", exception_type="ClusterCmdletException")


class _WindowsCmdlet(Cmdlet):
    """Windows cmdlets act on lab machines: the connected server unless told otherwise."""

    module = MANAGEMENT

    def machine(self, name: Any = None) -> Any:
        org = self.org
        text = str(name) if name not in (None, "", ".", "localhost") else connected_server(self.session, org)
        server = org.servers.get(text.split(".")[0].lower())
        if server is None:
            raise PSError(f"Cannot open Service Control Manager on computer '{text}'. This operation might require "
                          "other privileges.", "System.InvalidOperationException", "NotSpecified",
                          exception_type="InvalidOperationException")
        return server

    def report(self, exc: Exception, target: Any = None) -> None:
        from ems.exchange.services import ClusterToolError, ServiceError
        if isinstance(exc, ServiceError):
            self.write_error(_service_error(exc, target))
        elif isinstance(exc, ClusterToolError):
            self.write_error(_cluster_error(exc))
        else:
            raise exc

    def flush_warnings(self) -> None:
        for message in self.org.drain_warnings():
            self.warning(message)


# --------------------------------------------------------------------------- services

@register
class GetService(_WindowsCmdlet):
    name = "Get-Service"
    aliases = ("gsv",)
    dotnet_class = SVC_CLASS + "GetServiceCommand"
    synopsis = "Gets the services on a local or remote computer."
    default_set = "Default"
    parameters = (
        Parameter("Name", str, position=0, array=True, pipeline=True, pipeline_by_property=True, sets=("Default",),
                  aliases=("ServiceName",)),
        Parameter("ComputerName", str, array=True, pipeline_by_property=True, aliases=("Cn",)),
        Parameter("DisplayName", str, array=True, mandatory=("DisplayName",), sets=("DisplayName",)),
        Parameter("InputObject", ANY, array=True, pipeline=True, sets=("InputObject",),
                  type_name="ServiceController"),
    )
    examples = (Example("Get-Service ClusSvc -ComputerName EX3", "Gets the Cluster service of EX3."),)

    def process(self) -> None:
        from ems.exchange.services import ServiceError
        if self.parameter_set == "InputObject":
            for obj in self.param("InputObject"):
                self.write(obj)
            return
        names = self.param("Name")
        displays = self.param("DisplayName")
        for computer in self.param("ComputerName") or [None]:
            try:
                server = self.machine(computer)
                states = self.org.machine_services(server)
            except ServiceError as exc:
                self.report(exc)
                continue
            except PSError as exc:
                self.write_error(exc)
                continue
            for pattern in names or displays or ["*"]:
                found = [s for s in states if _like(s.display_name if displays else s.name, pattern)]
                if not found and not _is_wildcard(pattern):
                    what = "display name" if displays else "service name"
                    self.write_error(PSError(f"Cannot find any service with {what} '{pattern}'.",
                                             "NoServiceFoundForGivenName", "ObjectNotFound", target=pattern,
                                             exception_type="ServiceCommandException"))
                for s in found:
                    self.write(service_object(s))


def _is_wildcard(text: str) -> bool:
    return any(c in text for c in "*?[")


def _like(value: str, pattern: str) -> bool:
    import fnmatch
    return fnmatch.fnmatchcase(value.lower(), str(pattern).lower())


class _ServiceControl(_WindowsCmdlet):
    """Stop-/Start-/Restart-Service: by name on the connected server, or piped controllers."""

    supports_should_process = True
    default_set = "Default"
    verb = ""
    states: tuple = ()
    parameters = (
        Parameter("InputObject", ANY, mandatory=("InputObject",), position=0, array=True, pipeline=True,
                  sets=("InputObject",), type_name="ServiceController"),
        Parameter("Name", str, mandatory=("Default",), position=0, array=True, pipeline=True,
                  pipeline_by_property=True, sets=("Default",), aliases=("ServiceName",)),
        Parameter("DisplayName", str, mandatory=("DisplayName",), array=True, sets=("DisplayName",)),
        Parameter("PassThru", SWITCH),
        Parameter("Include", str, array=True),
        Parameter("Exclude", str, array=True),
    )

    def targets(self) -> list:
        """(machine, service name, display name) for each service named or piped."""
        from ems.exchange.services import ServiceError
        out = []
        if self.parameter_set == "InputObject":
            for obj in self.param("InputObject"):
                machine = getattr(obj, "MachineName", None)
                name = getattr(obj, "ServiceName", None) or str(obj)
                out.append((self.machine(None if machine in (None, ".") else machine), name))
            return out
        server = self.machine(None)
        try:
            states = self.org.machine_services(server)
        except ServiceError as exc:
            self.report(exc)
            return []
        by_display = self.parameter_set == "DisplayName"
        for pattern in self.param("DisplayName" if by_display else "Name"):
            found = [s for s in states if _like(s.display_name if by_display else s.name, pattern)]
            if not found and not _is_wildcard(pattern):
                what = "display name" if by_display else "service name"
                self.write_error(PSError(f"Cannot find any service with {what} '{pattern}'.",
                                         "NoServiceFoundForGivenName", "ObjectNotFound", target=pattern,
                                         exception_type="ServiceCommandException"))
            out += [(server, s.name) for s in found]
        return out

    def process(self) -> None:
        from ems.exchange.services import ServiceError
        org = self.org
        for server, name in self.targets():
            try:
                st = org.machine_service(server, name)
                if not self.should_process(f"{st.display_name} ({st.name})"):
                    continue
                for running in self.states:
                    st = org.set_service(server, st.name, running)
            except ServiceError as exc:
                self.report(exc, service_object(st) if exc.reason == "cannot_start" else None)
                continue
            finally:
                self.flush_warnings()
            if self.param("PassThru"):
                self.write(service_object(st))


@register
class StopService(_ServiceControl):
    name = "Stop-Service"
    aliases = ("spsv",)
    dotnet_class = SVC_CLASS + "StopServiceCommand"
    synopsis = "Stops one or more running services."
    states = (False,)
    parameters = _ServiceControl.parameters + (Parameter("Force", SWITCH), Parameter("NoWait", SWITCH))
    examples = (Example("Get-Service ClusSvc -ComputerName EX3 | Stop-Service",
                        "Stops the Cluster service on EX3 (net stop clussvc)."),
                Example("Stop-Service ClusSvc", "Stops the Cluster service on the server the shell runs on."))


@register
class StartService(_ServiceControl):
    name = "Start-Service"
    aliases = ("sasv",)
    dotnet_class = SVC_CLASS + "StartServiceCommand"
    synopsis = "Starts one or more stopped services."
    states = (True,)
    examples = (Example("Get-Service MSExchangeRepl -ComputerName EX3 | Start-Service",
                        "Starts the Replication service (and Active Manager, with DACP 0) on EX3."),)


@register
class RestartService(_ServiceControl):
    name = "Restart-Service"
    dotnet_class = SVC_CLASS + "RestartServiceCommand"
    synopsis = "Stops and then starts one or more services."
    states = (False, True)
    parameters = _ServiceControl.parameters + (Parameter("Force", SWITCH),)
    examples = (Example("Restart-Service MSExchangeRepl", "Restarts Active Manager: its DACP bit starts at 0."),)


# --------------------------------------------------------------------------- failover clusters

class _ClusterCmdlet(_WindowsCmdlet):
    module = CLUSTERS

    def cluster(self) -> Any:
        here = self.org.servers.get(connected_server(self.session, self.org).lower())
        return self.org.cluster_dag(self.param("Cluster"), here)

    def nodes(self, dag: Any) -> list:
        from ems.exchange import errors as E
        names = self.param("Name") or []
        out = []
        for name in names:
            try:
                server = self.org.get_machine(name)
            except E.ExchangeError:
                server = None
            if server is None or (server.dag or "").lower() != dag.name.lower():
                self.write_error(PSError(f"The node '{name}' could not be found in cluster '{dag.name}'.",
                                         "ClusterNodeNotFound", "ObjectNotFound", target=name,
                                         exception_type="ClusterCmdletException"))
                continue
            out.append(server)
        return out

    def node_object(self, dag: Any, server: Any) -> ClusterNode:
        view = self.org.quorum(dag)
        up = server.name in (view.quorate or ())
        paused = server.name.lower() in (n.lower() for n in dag.paused_nodes)
        state = ("Paused" if paused else "Up") if up else "Down"
        index = [n.lower() for n in dag.servers].index(server.name.lower()) + 1 \
            if server.name.lower() in (n.lower() for n in dag.servers) else 0
        return ClusterNode(Name=server.name, State=state, Cluster=dag.name, Id=str(index), NodeName=server.name,
                           NodeHighestVersion=400817, NodeLowestVersion=400817)

    def process(self) -> None:
        from ems.exchange.services import ClusterToolError, ServiceError
        try:
            self.act(self.cluster())
        except (ClusterToolError, ServiceError) as exc:
            self.report(exc)
        finally:
            self.flush_warnings()

    def act(self, dag: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def _cluster_param() -> Parameter:
    return Parameter("Cluster", str, help="The cluster (the DAG's name); default: the local node's cluster.")


def _name_param(mandatory: bool = False) -> Parameter:
    return Parameter("Name", str, position=0, array=True, mandatory=mandatory, type_name="StringCollection")


@register
class GetClusterNode(_ClusterCmdlet):
    name = "Get-ClusterNode"
    dotnet_class = CLUSTER_CLASS + "GetNodeCommand"
    synopsis = "Gets information about one or more nodes (servers) in a failover cluster."
    parameters = (_name_param(), Parameter("InputObject", ANY, pipeline=True), _cluster_param())
    examples = (Example("Get-ClusterNode -Cluster DAG1", "Lists the nodes of DAG1's cluster and their state."),)

    def act(self, dag: Any) -> None:
        if self.org.quorum(dag).quorate is None:
            raise _not_running(dag)
        servers = self.nodes(dag) if self.has("Name") else [
            self.org.servers[n.lower()] for n in dag.cluster_nodes if n.lower() in self.org.servers]
        for server in servers:
            if server.name.lower() in (n.lower() for n in dag.cluster_nodes):
                self.write(self.node_object(dag, server))


def _not_running(dag: Any) -> Any:
    from ems.exchange.services import ClusterToolError
    return ClusterToolError(f"The cluster service is not running on any node of cluster '{dag.name}' that can be "
                            "reached. Make sure that the service is running on all nodes in the cluster.")


@register
class StartClusterNode(_ClusterCmdlet):
    name = "Start-ClusterNode"
    dotnet_class = CLUSTER_CLASS + "StartNodeCommand"
    synopsis = ("Starts the Cluster service on a node in a failover cluster; -FixQuorum starts it even without "
                "quorum (net start clussvc /forcequorum).")
    parameters = (_name_param(), Parameter("InputObject", ANY, pipeline=True), _cluster_param(),
                  Parameter("FixQuorum", SWITCH, aliases=("fq", "ForceQuorum")), Parameter("Wait", int))
    examples = (Example("Start-ClusterNode -Name EX3 -FixQuorum",
                        "Starts the Cluster service on EX3 with forced quorum (DAC-off datacenter switchover)."),)

    def act(self, dag: Any) -> None:
        here = self.org.servers.get(connected_server(self.session, self.org).lower())
        servers = self.nodes(dag) if self.has("Name") else [here]
        for server in servers:
            self.org.start_cluster_node(dag, server, bool(self.param("FixQuorum")))
            self.write(self.node_object(dag, server))


@register
class StopClusterNode(_ClusterCmdlet):
    name = "Stop-ClusterNode"
    dotnet_class = CLUSTER_CLASS + "StopNodeCommand"
    synopsis = "Stops the Cluster service on a node in a failover cluster (net stop clussvc)."
    parameters = (_name_param(), Parameter("InputObject", ANY, pipeline=True), _cluster_param(),
                  Parameter("Wait", int))
    examples = (Example("Stop-ClusterNode -Name EX4 -Cluster DAG1", "Stops the Cluster service on EX4."),)

    def act(self, dag: Any) -> None:
        here = self.org.servers.get(connected_server(self.session, self.org).lower())
        for server in self.nodes(dag) if self.has("Name") else [here]:
            self.org.stop_cluster_node(dag, server)
            self.write(self.node_object(dag, server))


class _PauseClusterNode(_ClusterCmdlet):
    """Suspend-/Resume-ClusterNode: the named nodes, else the node the command runs on."""

    paused = True
    parameters = (_name_param(), Parameter("InputObject", ANY, pipeline=True), _cluster_param())

    def act(self, dag: Any) -> None:
        here = self.org.servers.get(connected_server(self.session, self.org).lower())
        for server in self.nodes(dag) if self.has("Name") else [here]:
            self.org.pause_cluster_node(dag, server, self.paused)
            self.write(self.node_object(dag, server))


@register
class SuspendClusterNode(_PauseClusterNode):
    name = "Suspend-ClusterNode"
    dotnet_class = CLUSTER_CLASS + "SuspendClusterNodeCommand"
    synopsis = ("Pauses a node of a failover cluster: it can't become the owner of the cluster group (the "
                "Primary Active Manager of a DAG).")
    examples = (Example("Suspend-ClusterNode -Name EX1 -Cluster DAG1",
                        "Pauses EX1 before maintenance (after moving the cluster group off it)."),)


@register
class ResumeClusterNode(_PauseClusterNode):
    name = "Resume-ClusterNode"
    dotnet_class = CLUSTER_CLASS + "ResumeClusterNodeCommand"
    synopsis = "Resumes a paused node of a failover cluster."
    paused = False
    examples = (Example("Resume-ClusterNode -Name EX1 -Cluster DAG1", "Ends EX1's pause after maintenance."),)


@register
class MoveClusterGroup(_ClusterCmdlet):
    name = "Move-ClusterGroup"
    dotnet_class = CLUSTER_CLASS + "MoveClusterGroupCommand"
    synopsis = ("Moves a clustered group to another node. For a DAG, moving \"Cluster Group\" moves the "
                "Primary Active Manager.")
    parameters = (Parameter("Name", str, position=0, help='The group: "Cluster Group".'),
                  Parameter("Node", str, position=1, help="The node to move it to (default: any other node)."),
                  Parameter("InputObject", ANY, pipeline=True), _cluster_param(), Parameter("Wait", int))
    examples = (Example('Move-ClusterGroup "Cluster Group" -Node EX2 -Cluster DAG1',
                        "Makes EX2 the Primary Active Manager of DAG1 (before taking EX1 down)."),)

    def act(self, dag: Any) -> None:
        from ems.exchange import errors as E
        from ems.exchange.services import ClusterToolError
        group = self.param("Name") or "Cluster Group"
        if str(group).lower() != "cluster group":
            raise ClusterToolError(f"The cluster group '{group}' could not be found in cluster '{dag.name}'.")
        node = self.param("Node")
        if node is None:
            view = self.org.quorum(dag)
            paused = {n.lower() for n in dag.paused_nodes}
            others = [n for n in view.quorate or () if n.lower() != (dag.pam or "").lower() and n.lower() not in paused]
            if not others:
                raise ClusterToolError("An error occurred while moving group 'Cluster Group': no other node can "
                                       "own it.")
            node = others[0]
        try:
            server = self.org.get_machine(node)
        except E.ExchangeError:
            raise ClusterToolError(f"The node '{node}' could not be found in cluster '{dag.name}'.") from None
        self.org.move_cluster_group(dag, server)
        self.write(ClusterGroup(Name="Cluster Group", OwnerNode=dag.pam, State="Online", Cluster=dag.name))


@register
class RemoveClusterNode(_ClusterCmdlet):
    name = "Remove-ClusterNode"
    dotnet_class = CLUSTER_CLASS + "RemoveClusterNodeCommand"
    synopsis = "Evicts a node from a failover cluster (Failover Cluster Manager: Evict)."
    supports_should_process = True
    confirm_impact = "High"
    parameters = (_name_param(), Parameter("InputObject", ANY, pipeline=True), _cluster_param(),
                  Parameter("Force", SWITCH, help="Evict without asking for confirmation."))
    examples = (Example("Remove-ClusterNode -Name EX1 -Cluster DAG1 -Force",
                        "Evicts EX1 from DAG1's cluster (DAC-off datacenter switchover)."),)

    def act(self, dag: Any) -> None:
        for server in self.nodes(dag):
            if self.param("Force") or self.should_process(server.name,
                                                          message=f"Evicting node {server.name} from cluster "
                                                                  f"{dag.name}."):
                self.org.evict_cluster_node(dag, server)


@register
class ClearClusterNode(_ClusterCmdlet):
    name = "Clear-ClusterNode"
    dotnet_class = CLUSTER_CLASS + "ClearClusterNodeCommand"
    synopsis = ("Clears the cluster configuration from a node that was evicted from a failover cluster "
                "(cluster node /forcecleanup).")
    supports_should_process = True
    confirm_impact = "High"
    parameters = (_name_param(), _cluster_param(), Parameter("Force", SWITCH), Parameter("Wait", int))
    examples = (Example("Clear-ClusterNode -Name EX1 -Force",
                        "Removes the cluster configuration from EX1 after stopping its Cluster service."),)

    def process(self) -> None:
        from ems.exchange import errors as E
        from ems.exchange.services import ClusterToolError
        names = self.param("Name") or [connected_server(self.session, self.org)]
        for name in names:
            try:
                server = self.org.get_machine(name)
            except E.ExchangeError:
                self.write_error(PSError(f"The node '{name}' could not be found.", "ClusterNodeNotFound",
                                         "ObjectNotFound", target=name, exception_type="ClusterCmdletException"))
                continue
            if not (self.param("Force") or self.should_process(server.name, message=f"Clearing the cluster "
                                                               f"configuration from node {server.name}.")):
                continue
            try:
                self.org.clear_cluster_node(server)
            except ClusterToolError as exc:
                self.report(exc)


@register
class SetClusterQuorum(_ClusterCmdlet):
    name = "Set-ClusterQuorum"
    dotnet_class = CLUSTER_CLASS + "SetClusterQuorumCommand"
    synopsis = "Configures quorum options for a failover cluster (cluster /quorum /nodemajority)."
    default_set = "NodeMajority"
    parameters = (
        Parameter("NodeMajority", SWITCH, mandatory=("NodeMajority",), sets=("NodeMajority",)),
        Parameter("NodeAndFileShareMajority", str, mandatory=("NodeAndFileShareMajority",),
                  sets=("NodeAndFileShareMajority",)),
        _cluster_param(),
    )
    examples = (Example("Set-ClusterQuorum -Cluster DAG1 -NodeMajority",
                        "Node majority for an odd number of surviving nodes (DAC-off switchover)."),)

    def act(self, dag: Any) -> None:
        if self.has("NodeAndFileShareMajority"):
            raise PSError("Use Set-DatabaseAvailabilityGroup -WitnessServer to configure the file share witness of "
                          "a database availability group.", "InvalidOperation", "InvalidOperation",
                          exception_type="ClusterCmdletException")
        self.org.set_node_majority(dag)
        self.write(ClusterQuorumSettings(Cluster=dag.name, QuorumResource=None, QuorumType="NodeMajority"))


# --------------------------------------------------------------------------- Connect-ExchangeServer

@register
class ConnectExchangeServer(_WindowsCmdlet):
    name = "Connect-ExchangeServer"
    module = "Microsoft.Exchange.Management.PowerShell.E2010"
    synopsis = "Connects the Exchange Management Shell to another Exchange server (EMS's RemoteExchange function)."
    default_set = "Default"
    parameters = (
        Parameter("ServerFqdn", str, mandatory=("Default",), position=0, sets=("Default",)),
        Parameter("Auto", SWITCH, mandatory=("Auto",), sets=("Auto",)),
        Parameter("UserName", str),
        Parameter("AllowClobber", SWITCH),
        Parameter("ClientApplication", str),
    )
    examples = (Example("Connect-ExchangeServer -ServerFqdn EX3.contoso.com",
                        "Exchange cmdlets now run on EX3 (and use Redmond's domain controllers)."),)

    def process(self) -> None:
        org = self.org
        if self.param("Auto"):
            up = [s for s in org.mailbox_servers() if org.machine_running(s)]
            target = up[0] if up else None
            text = target.name if target is not None else "localhost"
        else:
            text = str(self.param("ServerFqdn"))
            target = org.servers.get(text.split(".")[0].lower())
            if target is not None and not target.is_exchange:
                target = None
        fqdn = org.fqdn(target.name) if target is not None else text
        self.host_write(f"VERBOSE: Connecting to {fqdn}")
        if target is None or not org.machine_running(target):
            raise PSError(f"[{fqdn.lower()}] Connecting to remote server {fqdn.lower()} failed with the following error "
                          "message : WinRM cannot complete the operation. Verify that the specified computer name is "
                          "valid, that the computer is accessible over the network, and that a firewall exception "
                          "for the WinRM service is enabled and allows access from this computer. By default, the "
                          "WinRM firewall exception for public profiles limits access to remote computers within the "
                          "same local subnet. For more information, see the about_Remote_Troubleshooting Help topic.",
                          "WinRMOperationTimeout,PSSessionOpenFailed", "OpenError",
                          exception_type="PSRemotingTransportException")
        self.session.exchange_connection = target.name
        self.session.env_set("COMPUTERNAME", target.name)
        self.host_write(f"VERBOSE: Connected to {fqdn}.")
