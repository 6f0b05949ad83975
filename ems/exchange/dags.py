"""Database availability groups: lifecycle, membership, witness and DAG networks (V-1..V-5, V-8).

Messages the reference documents are used verbatim (the witness access-denied error, the
witness share warnings); the others are written in Exchange's style ("plausible" wording).
"""
from __future__ import annotations

import ipaddress
import re
from typing import Any

from ems.exchange import errors as E
from ems.exchange.model import Dag, DagNetwork

MAX_MEMBERS = 16
_NETBIOS_RE = re.compile(r"^[A-Za-z0-9-]+$")
EXCHANGE_TRUSTED_SUBSYSTEM = "Exchange Trusted Subsystem"


class DagOps:
    """Mixin of Organization: New/Set/Remove-DatabaseAvailabilityGroup, members, networks."""

    # --- helpers --------------------------------------------------------------------------------
    def dag_of(self, server: Any) -> Dag | None:
        return self.dags.get(server.dag.lower()) if server.dag else None

    def _check_dag_name(self, name: str, dag: Dag | None = None) -> None:
        if len(name) > 15:
            raise E.DataValidationException(
                f"The length of the property is too long. The maximum length is 15 and the length of the "
                f"value provided is {len(name)}.")
        if not _NETBIOS_RE.match(name) or name.isdigit():
            raise E.DataValidationException(
                f"The name '{name}' isn't a valid computer name. A database availability group name can "
                "contain only letters, digits and hyphens.")
        if name.lower() in self.dags and self.dags[name.lower()] is not dag:
            raise E.ADObjectAlreadyExistsException(
                f"A database availability group with the name '{name}' already exists.")
        if name.lower() in self.servers:
            raise E.ADObjectAlreadyExistsException(
                f"The name '{name}' is already used by a computer account in the domain. A database "
                "availability group needs a unique computer name.")

    def _resolve_witness(self, dag_name: str, witness: Any, directory: str | None, member_names: list,
                         alternate: bool = False) -> tuple[str, str]:
        """Validate a witness (V-3) and return (FQDN, directory)."""
        server = self.get_machine(witness)
        role = "alternate witness server" if alternate else "witness server"
        if server.name.lower() in (m.lower() for m in member_names):
            raise E.DagTaskServerException(
                f"The {role} '{server.name}' is a member of database availability group '{dag_name}'. "
                f"A member of the database availability group can't be its {role}.")
        if directory is None:
            directory = f"C:\\DAGFileShareWitnesses\\{dag_name}.{self.domain}"
        self._check_witness_directory(dag_name, server, directory)
        return self.fqdn(server.name), directory

    def _check_witness_directory(self, dag_name: str, server: Any, directory: str) -> None:
        if not re.match(r"^[A-Za-z]:\\.+", directory):
            raise E.DataValidationException(
                f"'{directory}' isn't a valid witness directory. Specify a local, non-root path such as "
                "C:\\DAG1.")
        for other in self.dags.values():
            if other.name.lower() == dag_name.lower():
                continue
            for ws, wd in ((other.witness_server, other.witness_directory),
                           (other.alternate_witness_server, other.alternate_witness_directory)):
                if ws and wd and ws.split(".")[0].lower() == server.name.lower() and wd.lower() == directory.lower():
                    raise E.DagTaskServerException(
                        f"The witness directory '{directory}' on server '{server.name}' is already used by "
                        f"database availability group '{other.name}'. Each database availability group "
                        "needs its own witness directory.")

    def _witness_share_warning(self, server_fqdn: str) -> None:
        server = self.get_machine(server_fqdn)
        if not self.machine_running(server):
            self.warn(f"Unable to access file shares on witness server '{server.name}'. Until this problem is "
                      "corrected, the database availability group may be more vulnerable to failures. You can "
                      "use the Set-DatabaseAvailabilityGroup cmdlet to try the operation again. Error: The "
                      "network path was not found.")

    def _witness_rights_warning(self, server_fqdn: str) -> None:
        """New-/Set-DatabaseAvailabilityGroup warn when a witness that isn't an Exchange server
        doesn't have the Exchange Trusted Subsystem in its local Administrators (text from the
        Exchange 2010 team's write-up of this warning). Adding members will then fail (V-3)."""
        server = self.get_machine(server_fqdn)
        if (self.machine_running(server) and not server.is_exchange
                and not self.is_local_administrator(server, EXCHANGE_TRUSTED_SUBSYSTEM)):
            self.warn(f"The Exchange Trusted Subsystem is not a member of the local Administrators group on "
                      f"specified witness server {server_fqdn}.")

    def _auto_witness(self, dag_name: str) -> tuple[str, str]:
        """2010: a Hub Transport server without the Mailbox role in the local AD site."""
        for s in self.servers.values():
            if s.has_role("HubTransport") and not s.has_role("Mailbox"):
                return self.fqdn(s.name), f"C:\\DAGFileShareWitnesses\\{dag_name}.{self.domain}"
        raise E.DagTaskServerException(
            "The task couldn't find a Hub Transport server without the Mailbox server role to use as the "
            "witness server. Use the WitnessServer parameter to specify a witness server.")

    # --- New / Set / Remove -------------------------------------------------------------------
    def new_dag(self, name: str, witness_server: Any = None, witness_directory: str | None = None,
                ip_addresses: list | None = None, third_party_replication: str | None = None) -> Dag:
        self._check_dag_name(name)
        if witness_server is not None:
            ws, wd = self._resolve_witness(name, witness_server, witness_directory, [])
        elif witness_directory is not None:
            ws, _ = self._auto_witness(name)
            wd = witness_directory
        else:
            ws, wd = self._auto_witness(name)
        addresses = self._check_dag_addresses(ip_addresses or [], None)
        now = self.now()
        dag = Dag(name, self.new_guid(), now, now, witness_server=ws, witness_directory=wd,
                  ip_addresses=addresses, third_party_replication=third_party_replication or "Disabled")
        self.dags[name.lower()] = dag
        if witness_server is not None and witness_directory is not None:
            self._witness_share_warning(ws)
        self._witness_rights_warning(ws)
        self.log_event("DAG", f"Database availability group '{name}' created (witness {ws}, {wd}).")
        return dag

    def _check_dag_addresses(self, addresses: list, dag: Dag | None) -> list:
        out = []
        for a in addresses:
            try:
                ip = ipaddress.ip_address(str(a))
            except ValueError:
                raise E.ArgumentException(f"'{a}' isn't a valid IP address.")
            if str(ip) in ("0.0.0.0", "255.255.255.255"):
                # 0.0.0.0 = DHCP; None/255.255.255.255 = no administrative access point (2013 SP1+)
                continue
            if ip.version == 4 and ip.is_link_local:
                raise E.DagTaskServerException(
                    f"The IP address {ip} is an automatic private IP address (APIPA). Database availability "
                    "groups don't support APIPA addresses; specify a static address or 0.0.0.0 for DHCP.")
            owner = self.ip_owner(ip)
            if owner and (dag is None or owner.lower() != dag.name.lower()):
                raise E.DagTaskServerException(
                    f"The IP address {ip} is already in use by '{owner}'. Specify an unused address for the "
                    "database availability group.")
            subnet = self.subnet_of(ip)
            twin = next((a for a in out if a in subnet), None)
            if twin is not None:
                # V-4: one address per MAPI subnet (the cluster uses one at a time per subnet)
                raise E.DagTaskServerException(
                    f"The IP addresses {twin} and {ip} are both on subnet {subnet}. A database availability "
                    "group can have only one IP address on each subnet.")
            out.append(ip)
        if out and all(a.version == 6 for a in out):
            raise E.DagTaskServerException(
                "A database availability group can't use only IPv6 addresses. Specify an IPv4 address too.")
        return out

    def set_dag(self, dag: Dag, changes: dict[str, Any], discover_networks: bool = False) -> None:
        """Set-DatabaseAvailabilityGroup. With no changes it re-applies the quorum model and the
        witness (used after adding members and at switchback, R-2/R-4)."""
        members = list(dag.servers)
        new: dict[str, Any] = {}
        if "witness_server" in changes or "witness_directory" in changes:
            ws = changes.get("witness_server") or dag.witness_server
            wd = changes.get("witness_directory")
            if wd is None and "witness_server" in changes:
                wd = None
            elif wd is None:
                wd = dag.witness_directory
            new["witness_server"], new["witness_directory"] = self._resolve_witness(dag.name, ws, wd, members)
        if "alternate_witness_server" in changes or "alternate_witness_directory" in changes:
            aws = changes.get("alternate_witness_server") or dag.alternate_witness_server
            awd = changes.get("alternate_witness_directory") or dag.alternate_witness_directory
            if aws is None:
                raise E.DagTaskServerException(
                    "AlternateWitnessDirectory can't be set without an AlternateWitnessServer.")
            new["alternate_witness_server"], new["alternate_witness_directory"] = self._resolve_witness(
                dag.name, aws, awd, members, alternate=True)
        if "ip_addresses" in changes:
            new["ip_addresses"] = self._check_dag_addresses(changes["ip_addresses"], dag)
        cluster_stored = [k for k in ("replication_port", "network_compression", "network_encryption")
                          if k in changes]
        if (cluster_stored or discover_networks) and dag.cluster_nodes and not self.has_quorum(dag):
            raise E.DagTaskQuorumNotAchievedException(
                f"The database availability group '{dag.name}' doesn't have quorum. The cluster must be running "
                "and have quorum to change ReplicationPort, NetworkCompression, NetworkEncryption or "
                "DiscoverNetworks.")
        witness_change = any(k in new for k in ("witness_server", "alternate_witness_server"))
        if witness_change and dag.cluster_nodes and not self.has_quorum(dag):
            # MDAG13: the witness can be changed "provided you have a quorum"
            raise E.DagTaskQuorumNotAchievedException(
                f"The database availability group '{dag.name}' doesn't have quorum. The cluster must be running "
                "and have quorum to change the witness server or directory.")
        for key in ("replication_port", "network_compression", "network_encryption",
                    "datacenter_activation_mode", "allow_cross_site_rpc_client_access"):
            if key in changes:
                new[key] = changes[key]
        if "replication_port" in new and not 1 <= int(new["replication_port"]) <= 65535:
            raise E.DataValidationException("The ReplicationPort value must be between 1 and 65535.")
        # --- apply ----------------------------------------------------------------------------
        for key, value in new.items():
            setattr(dag, key, value)
        if new.get("datacenter_activation_mode") == "DagOnly" and not dag.started_servers:
            dag.started_servers = [m for m in dag.servers
                                   if m.lower() not in (s.lower() for s in dag.stopped_servers)]
        elif new.get("datacenter_activation_mode") == "Off":
            dag.started_servers, dag.stopped_servers = [], []
        if discover_networks:
            self.discover_dag_networks(dag)
        self._apply_quorum_model(dag)
        dag.changed = self.now()
        if "witness_server" in new and dag.servers:
            self._witness_share_warning(dag.witness_server)
        for key in ("witness_server", "alternate_witness_server"):
            if key in new:
                self._witness_rights_warning(new[key])
        self.react(f"DAG {dag.name} changed")

    def _apply_quorum_model(self, dag: Dag) -> None:
        """Q-1: node majority for an odd member count, node and file share majority (primary
        witness) for an even one."""
        n = len(dag.cluster_nodes)
        dag.witness_in_use = "Primary" if n and n % 2 == 0 else None

    def remove_dag(self, dag: Dag) -> None:
        if dag.servers:
            raise E.InvalidOperationException(
                f"The database availability group '{dag.name}' can't be removed because it still has member "
                f"servers: {', '.join(dag.servers)}. Remove them with Remove-DatabaseAvailabilityGroupServer first.")
        del self.dags[dag.name.lower()]
        self.log_event("DAG", f"Database availability group '{dag.name}' removed.")

    # --- membership -----------------------------------------------------------------------------
    def add_dag_server(self, dag: Dag, server: Any) -> None:
        if not server.has_role("Mailbox"):
            raise E.DagTaskServerException(
                f"Server '{server.name}' doesn't have the Mailbox server role installed. Only Mailbox servers "
                "can be added to a database availability group.")
        if server.dag:
            if server.dag.lower() == dag.name.lower() and server.name.lower() not in (
                    n.lower() for n in dag.cluster_nodes):
                # N-6: a member evicted from the cluster (DAC-off switchover) is added back
                # to the cluster; its AD membership never changed [plausible]
                self.rejoin_evicted_member(dag, server)
                return
            if server.dag.lower() == dag.name.lower():
                raise E.DagTaskServerException(
                    f"Server '{server.name}' is already a member of database availability group '{dag.name}'.")
            raise E.DagTaskServerException(
                f"Server '{server.name}' is already a member of database availability group '{server.dag}'. "
                "A server can be a member of only one database availability group.")
        if server.is_domain_controller:
            raise E.DagTaskServerException(
                f"Server '{server.name}' is a domain controller. Domain controllers can't be members of a "
                "database availability group.")
        if len(dag.servers) >= MAX_MEMBERS:
            raise E.DagTaskServerException(
                f"Database availability group '{dag.name}' already has {MAX_MEMBERS} members, the maximum "
                "number of members a database availability group can have.")
        for m in dag.servers:
            other = self.servers[m.lower()]
            if other.version.split(".")[0] != server.version.split(".")[0]:
                raise E.DagTaskServerException(
                    f"Server '{server.name}' runs a different version of Exchange than the members of database "
                    f"availability group '{dag.name}'. All members must run the same version of Exchange.")
        for role, ws in (("witness server", dag.witness_server),
                         ("alternate witness server", dag.alternate_witness_server)):
            if ws and ws.split(".")[0].lower() == server.name.lower():
                raise E.DagTaskServerException(
                    f"Server '{server.name}' is the {role} of database availability group '{dag.name}'. The "
                    f"{role} can't be a member of the database availability group.")
        if not self.machine_running(server):
            raise E.DagTaskOperationFailedException(
                f"A server-side database availability group administrative operation failed. Error: The "
                f"operation failed. Error: Unable to contact server '{self.fqdn(server.name)}'. "
                f"[Server: {self.fqdn(server.name)}]")
        witness = self.get_machine(dag.witness_server) if dag.witness_server else None
        if witness is not None and not self.is_local_administrator(witness, EXCHANGE_TRUSTED_SUBSYSTEM):
            # Documented text (create-dags): the Exchange Trusted Subsystem must be a local
            # administrator of a witness that isn't an Exchange server.
            raise E.DagTaskOperationFailedException(
                "Error: An error occurred during discovery of the database availability group topology. "
                "Error: An error occurred while attempting a cluster operation. Error: Cluster API "
                "\"AddClusterNode() (MaxPercentage=12) failed with 0x80070005. Error: Access is denied.\"")
        # --- apply ----------------------------------------------------------------------------
        first = not dag.servers
        dag.servers.append(server.name)
        dag.cluster_nodes.append(server.name)
        server.dag = dag.name
        server.dacp, server.dacp_set_time = 1, self.now()
        if dag.datacenter_activation_mode == "DagOnly":
            dag.started_servers.append(server.name)
        if first:
            dag.pam = server.name
        self.discover_dag_networks(dag)
        self._apply_quorum_model(dag)
        dag.changed = self.now()
        self.log_event("Cluster", (f"Failover cluster '{dag.name}' created with node {server.name}." if first
                                   else f"Node {server.name} joined cluster '{dag.name}'."), server.name)
        self.react(f"{server.name} joined {dag.name}")
        if witness is not None and len(dag.servers) % 2 == 0 and not self.machine_running(witness):
            self.warn(f"Failed to create file share witness directory '{dag.witness_directory}' on witness server "
                      f"'{witness.name}'. Until this problem is corrected, the database availability group may be "
                      "more vulnerable to failures. You can use the Set-DatabaseAvailabilityGroup cmdlet to try "
                      f"the operation again. Error: WMI exception occurred on server '{witness.name}': The RPC "
                      "server is unavailable. (Exception from HRESULT: 0x800706BA)")

    def remove_dag_server(self, dag: Dag, server: Any, configuration_only: bool = False) -> None:
        if server.name.lower() not in (m.lower() for m in dag.servers):
            raise E.DagTaskServerException(
                f"Server '{server.name}' isn't a member of database availability group '{dag.name}'.")
        replicated = [db.name for db in self.databases.values()
                      if len(db.copies) > 1 and db.copy_on(server.name) is not None]
        if replicated:
            raise E.DagTaskServerException(
                f"Server '{server.name}' can't be removed from database availability group '{dag.name}' because "
                f"it hosts copies of replicated databases: {', '.join(sorted(replicated))}. Remove the database "
                "copies first.")
        if not configuration_only and not self.machine_running(server):
            raise E.DagTaskOperationFailedException(
                f"A server-side database availability group administrative operation failed. Error: Unable to "
                f"contact server '{self.fqdn(server.name)}'. Use the ConfigurationOnly parameter to remove a "
                "server that is unavailable.")
        # --- apply ----------------------------------------------------------------------------
        dag.servers = [m for m in dag.servers if m.lower() != server.name.lower()]
        evicted = not configuration_only or self.has_quorum(dag)   # eviction needs quorum
        if evicted:
            dag.cluster_nodes = [m for m in dag.cluster_nodes if m.lower() != server.name.lower()]
            dag.paused_nodes = [m for m in dag.paused_nodes if m.lower() != server.name.lower()]
        dag.started_servers = [m for m in dag.started_servers if m.lower() != server.name.lower()]
        dag.stopped_servers = [m for m in dag.stopped_servers if m.lower() != server.name.lower()]
        server.dag = None
        server.dacp = 0
        if dag.pam and dag.pam.lower() == server.name.lower():
            dag.pam = dag.cluster_nodes[0] if dag.cluster_nodes else None
        if not dag.servers:
            dag.networks = []
            dag.cluster_nodes = []
        else:
            self.discover_dag_networks(dag)
        self._apply_quorum_model(dag)
        dag.changed = self.now()
        self.log_event("Cluster", f"Node {server.name} removed from cluster '{dag.name}'." if evicted else
                       f"{server.name} removed from database availability group '{dag.name}' in Active Directory "
                       "only: without quorum its node can't be evicted from the cluster.", server.name)
        self.react(f"{server.name} left {dag.name}")

    # --- networks ---------------------------------------------------------------------------
    def discover_dag_networks(self, dag: Dag) -> None:
        """Auto-configure DAG networks from the members' NICs: NIC 0 of every member is on
        the MAPI network (DAGNetwork01), NIC k on replication network k. Subnets already
        placed in a network (by an administrator) stay where they are; subnets no member
        uses any more are dropped."""
        by_nic: dict[int, list] = {}
        for m in dag.servers:
            s = self.servers[m.lower()]
            for i, ip in enumerate(s.ip_addresses):
                net = self.subnet_of(ip)
                by_nic.setdefault(i, [])
                if net not in by_nic[i]:
                    by_nic[i].append(net)
        used = {n for nets in by_nic.values() for n in nets}
        for net in dag.networks:
            net.subnets = [s for s in net.subnets if s in used]
        placed = {s for net in dag.networks for s in net.subnets}
        for i in sorted(by_nic):
            new = [s for s in by_nic[i] if s not in placed]
            if not new:
                continue
            home = self._network_for_nic(dag, i, by_nic[i])
            if home is None:
                home = DagNetwork(self._next_network_name(dag), [], None, True, False, self.new_guid())
                dag.networks.append(home)
            home.subnets.extend(new)
            placed.update(new)
        dag.networks = [n for n in dag.networks if n.subnets or n.description is not None]

    def _network_for_nic(self, dag: Dag, nic: int, subnets: list) -> DagNetwork | None:
        for net in dag.networks:
            if any(s in net.subnets for s in subnets):
                return net
        return None

    def _next_network_name(self, dag: Dag) -> str:
        taken = {n.name.lower() for n in dag.networks}
        i = 1
        while f"dagnetwork{i:02d}" in taken:
            i += 1
        return f"DAGNetwork{i:02d}"

    def mapi_subnets(self, dag: Dag) -> set:
        return {self.subnet_of(self.servers[m.lower()].ip_addresses[0]) for m in dag.servers
                if self.servers[m.lower()].ip_addresses}

    def _check_network_fields(self, dag: Dag, name: str | None, description: str | None,
                              subnets: list | None, network: DagNetwork | None) -> list | None:
        if name is not None:
            if not name or len(name) > 128:
                raise E.DataValidationException(
                    f"The length of the property is too long. The maximum length is 128 and the length of the "
                    f"value provided is {len(name)}.")
            for n in dag.networks:
                if n is not network and n.name.lower() == name.lower():
                    raise E.ADObjectAlreadyExistsException(
                        f"A network named '{name}' already exists in database availability group '{dag.name}'.")
        if description is not None and len(description) > 256:
            raise E.DataValidationException(
                f"The length of the property is too long. The maximum length is 256 and the length of the "
                f"value provided is {len(description)}.")
        if subnets is None:
            return None
        nets = []
        for s in subnets:
            try:
                nets.append(ipaddress.ip_network(str(s), strict=False))
            except ValueError:
                raise E.DataValidationException(
                    f"'{s}' isn't a valid subnet. Specify subnets as IPAddress/Bitmask, for example 10.0.0.0/8.")
        return nets

    def new_dag_network(self, dag: Dag, name: str, description: str | None = None,
                        subnets: list | None = None, replication_enabled: bool | None = None,
                        ignore_network: bool | None = None) -> DagNetwork:
        nets = self._check_network_fields(dag, name, description, subnets, None) or []
        net = DagNetwork(name, [], description, True if replication_enabled is None else replication_enabled,
                         bool(ignore_network), self.new_guid())
        for other in dag.networks:
            other.subnets = [s for s in other.subnets if s not in nets]
        net.subnets = nets
        dag.networks.append(net)
        dag.changed = self.now()
        return net

    def set_dag_network(self, dag: Dag, net: DagNetwork, changes: dict[str, Any]) -> None:
        nets = self._check_network_fields(dag, changes.get("name"), changes.get("description"),
                                          changes.get("subnets"), net)
        if nets is not None:
            for other in dag.networks:
                if other is not net:
                    other.subnets = [s for s in other.subnets if s not in nets]
            net.subnets = nets
        for key in ("name", "description", "replication_enabled", "ignore_network"):
            if key in changes:
                setattr(net, key, changes[key])
        dag.changed = self.now()

    def remove_dag_network(self, dag: Dag, net: DagNetwork) -> None:
        used = [str(sub) for sub in net.subnets if any(ip in sub for m in dag.servers
                                                       for ip in self.servers[m.lower()].ip_addresses)]
        if used:
            # [plausible] a network still carrying members' interfaces would only be rediscovered
            raise E.InvalidOperationException(
                f"The network '{dag.name}\\{net.name}' can't be removed because its subnets ({', '.join(used)}) "
                f"are in use by members of database availability group '{dag.name}'. Move the subnets to "
                "another network with Set-DatabaseAvailabilityGroupNetwork -Subnets first.")
        dag.networks = [n for n in dag.networks if n is not net]
        dag.changed = self.now()

    def network_interfaces(self, dag: Dag, net: DagNetwork) -> list[tuple[str, str, Any]]:
        """(node, state, ip) for each member NIC on one of the network's subnets."""
        out = []
        for m in dag.servers:
            s = self.servers[m.lower()]
            for ip in s.ip_addresses:
                if any(ip in sub for sub in net.subnets):
                    out.append((s.name, "Up" if self.machine_running(s) else "Unreachable", ip))
        return out

    def subnet_state(self, dag: Dag, net: DagNetwork, subnet: Any) -> str:
        states = [st for _, st, ip in self.network_interfaces(dag, net) if ip in subnet]
        if not states:
            return "Unknown"
        return "Up" if "Up" in states else "Down"

