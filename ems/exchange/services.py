"""Windows services on the DAG members, the failover cluster's own tools, and stale clusters.

Services (Get-/Stop-/Start-Service): ``ClusSvc`` (the Cluster service; installed with failover
clustering when a server joins a DAG), ``MSExchangeRepl`` (the Replication service, which hosts
Active Manager: starting it resets DACP to 0, D-2) and ``MSExchangeIS`` (the Information
Store). Every change ends in ``org.react`` (ems.exchange.failover), which recomputes quorum
and lets Active Manager dismount, mount and fail over.

Cluster tools, for the datacenter switchover without DAC mode (§3b, N-1..N-4): forced quorum
(``net start clussvc /forcequorum`` = Start-ClusterNode -FixQuorum), eviction (Failover Cluster
Manager's Evict = Remove-ClusterNode), cleanup of an evicted node (``cluster node /forcecleanup``
= Clear-ClusterNode) and the quorum model (``cluster /quorum /nodemajority`` = Set-ClusterQuorum).

Stale clusters and split brain. A node evicted while out of reach doesn't know it. Back without
a path to the cluster, it believes in the cluster as it last knew it: its members, its witness,
where each database was active (``Dag.evicted_views``). Its side may have quorum by that old
configuration (D-5: two nodes and the primary witness are 3 of 5 votes) and then, unless DAC
stops it (DACP 0 after the boot, D-3), mounts the databases that were active there while the
other datacenter has them mounted too: the split brain the switchover procedures warn about.
It learns of its eviction as soon as it reaches a running node of the cluster (TM-DAC7): its
Cluster service stops (start type Disabled) and what it mounted dismounts; those copies diverged
and resynchronise when they may replicate again (L-7, L-8).
"""
from __future__ import annotations

from typing import Any

import attrs

from ems.exchange import errors as E


@attrs.frozen
class ServiceInfo:
    name: str
    display_name: str
    attribute: str
    """The Server flag the service's state is."""


SERVICES = (
    ServiceInfo("ClusSvc", "Cluster Service", "cluster_service"),
    ServiceInfo("MSExchangeIS", "Microsoft Exchange Information Store", "information_store"),
    ServiceInfo("MSExchangeRepl", "Microsoft Exchange Replication Service", "replication_service"),
)


@attrs.frozen
class ServiceState:
    """One service of one machine as the Service Control Manager reports it."""

    machine: str
    name: str
    display_name: str
    running: bool
    start_type: str


class ServiceError(E.ExchangeError):
    """A Service Control Manager refusal; ``reason`` tells the cmdlet layer which Windows
    PowerShell error to show (no_machine, no_service, cannot_start)."""

    exception_type = "InvalidOperationException"
    category = "NotSpecified"

    def __init__(self, message: str, reason: str, machine: str, service: str | None = None):
        super().__init__(message, target=service or machine)
        self.reason, self.machine, self.service = reason, machine, service


class ClusterToolError(E.ExchangeError):
    """A failover-cluster cmdlet failed (the cluster API's error) [plausible wording]."""

    exception_type = "ClusterCmdletException"
    category = "NotSpecified"


class ServiceOps:
    """Mixin of Organization: services, cluster tools, stale clusters."""

    # --- services ---------------------------------------------------------------------------
    def machine_services(self, server: Any) -> list[ServiceState]:
        """The modelled services of a running machine, by name. Failover clustering (ClusSvc)
        is installed on servers that belong to a DAG."""
        if not self.machine_running(server):
            raise ServiceError(f"Cannot open Service Control Manager on computer '{server.name}'. This operation "
                               "might require other privileges.", "no_machine", server.name)
        out = []
        for info in SERVICES:
            if info.name == "ClusSvc" and not server.dag:
                continue
            if info.name != "ClusSvc" and not server.has_role("Mailbox"):
                continue
            start = server.cluster_start_type if info.name == "ClusSvc" else "Automatic"
            out.append(ServiceState(server.name, info.name, info.display_name, getattr(server, info.attribute), start))
        return out

    def machine_service(self, server: Any, name: str) -> ServiceState:
        for st in self.machine_services(server):
            if st.name.lower() == str(name).lower() or st.display_name.lower() == str(name).lower():
                return st
        raise ServiceError(f"Cannot find any service with service name '{name}'.", "no_service", server.name, name)

    def set_service(self, server: Any, name: str, running: bool) -> ServiceState:
        """Stop-Service / Start-Service on ``server``."""
        st = self.machine_service(server, name)
        if st.running == running:
            return st
        info = next(i for i in SERVICES if i.name == st.name)
        if running and info.name == "ClusSvc":
            self._check_cluster_service_can_start(server, st)
        setattr(server, info.attribute, running)
        verb = "started" if running else "stopped"
        self.log_event("Service", f"The {info.display_name} ({info.name}) on {server.name} was {verb} by an "
                                  "administrator.", server.name, kind="Information" if running else "Warning",
                       event="ServiceStarted" if running else "ServiceStopped")
        if info.name == "MSExchangeRepl" and running:
            server.dacp = 0  # D-2: Active Manager starts with DACP 0
        if info.name == "ClusSvc" and not running:
            self._drop_forced_quorum(server)
        self.react(f"{info.name} on {server.name} {verb}")
        return self.machine_service(server, info.name)

    def _check_cluster_service_can_start(self, server: Any, st: ServiceState) -> None:
        dag = self.dag_of(server)
        clustered = dag is not None and (self.is_cluster_node(dag, server) or server.name in dag.evicted_views)
        if st.start_type == "Disabled" or not clustered:
            raise ServiceError(f"Service '{st.display_name} ({st.name})' cannot be started due to the following "
                               f"error: Cannot start service {st.name} on computer '{server.name}'.",
                               "cannot_start", server.name, st.name)

    @staticmethod
    def is_cluster_node(dag: Any, server: Any) -> bool:
        return server.name.lower() in (n.lower() for n in dag.cluster_nodes)

    def _boot_cluster_service(self, server: Any) -> None:
        """At boot (failover.BOOT_HOOKS): a Cluster service whose start type is Disabled, or
        on a machine that is no node of any cluster, stays stopped."""
        dag = self.dag_of(server)
        if not dag or server.cluster_start_type == "Disabled":
            server.cluster_service = False
        elif not self.is_cluster_node(dag, server) and server.name not in dag.evicted_views:
            server.cluster_service = False

    # --- cluster tools (DAC off, §3b) ----------------------------------------------------------
    def cluster_dag(self, cluster: Any = None, server: Any = None) -> Any:
        """The DAG whose cluster ``-Cluster NAME`` names, else the cluster of ``server`` (the
        machine the command runs on)."""
        if cluster is not None:
            dag = self.dags.get(str(cluster).split(".")[0].lower())
            if dag is None or not dag.cluster_nodes:
                raise ClusterToolError(f"The cluster '{cluster}' could not be found or isn't running. The "
                                       "cluster name can't be resolved.")
            return dag
        dag = self.dag_of(server) if server is not None else None
        if dag is None or not (self.is_cluster_node(dag, server) or server.name in dag.evicted_views):
            raise ClusterToolError(f"The cluster service is not running on '{server.name if server else 'localhost'}'"
                                   ". Make sure that the node is part of a failover cluster, or use the Cluster "
                                   "parameter.")
        return dag

    def _running_node(self, dag: Any) -> Any:
        """A node whose Cluster service runs in the partition that can manage the cluster."""
        view = self.quorum(dag)
        for name in view.quorate or ():
            return self.servers[name.lower()]
        return None

    def start_cluster_node(self, dag: Any, server: Any, force_quorum: bool = False) -> None:
        """Start-ClusterNode [-FixQuorum] (``net start clussvc [/forcequorum]``)."""
        if not self.is_cluster_node(dag, server):
            raise ClusterToolError(f"The node '{server.name}' isn't a node of cluster '{dag.name}'.")
        if not self.machine_running(server):
            raise ClusterToolError(f"The node '{server.name}' can't be reached. The RPC server is unavailable.")
        if server.cluster_start_type == "Disabled":
            raise ServiceError(f"Service 'Cluster Service (ClusSvc)' cannot be started due to the following error: "
                               f"Cannot start service ClusSvc on computer '{server.name}'.", "cannot_start",
                               server.name, "ClusSvc")
        was = server.cluster_service
        server.cluster_service = True
        if force_quorum and server.name not in dag.forced_quorum:
            dag.forced_quorum.append(server.name)
            self.log_event("Cluster", f"The Cluster service on {server.name} was started with forced quorum: its "
                                      f"partition of '{dag.name}' runs without a majority of the votes.",
                           server.name, kind="Warning", event="ForcedQuorum")
        elif not was:
            self.log_event("Cluster", f"The Cluster service on {server.name} was started.", server.name,
                           event="ServiceStarted")
        self.react(f"cluster service on {server.name} started")

    def move_cluster_group(self, dag: Any, server: Any) -> None:
        """Move-ClusterGroup "Cluster Group" -Node X: the group's owner, the Primary Active
        Manager, moves to X (A-2: move the role before taking the PAM down)."""
        if not self.is_cluster_node(dag, server):
            raise ClusterToolError(f"The node '{server.name}' isn't a node of cluster '{dag.name}'.")
        why = None
        if server.name not in (self.quorum(dag).quorate or ()):
            why = "The cluster node is down."
        elif server.name.lower() in (n.lower() for n in dag.paused_nodes):
            why = "The cluster node is paused."
        if why:
            raise ClusterToolError(f"An error occurred while moving group 'Cluster Group' to node "
                                   f"'{server.name}': {why}")
        old = dag.pam
        if (old or "").lower() == server.name.lower():
            return
        dag.pam = server.name
        self.log_event("ActiveManager", f"The Primary Active Manager of '{dag.name}' moved from {old or 'none'} to "
                                        f"{server.name} (Move-ClusterGroup).", server.name, event="PamMoved",
                       dag=dag.name, from_server=old, to_server=server.name)
        self.react(f"cluster group moved to {server.name}")

    def pause_cluster_node(self, dag: Any, server: Any, paused: bool) -> None:
        """Suspend-ClusterNode / Resume-ClusterNode: a paused node can't become the owner of
        the cluster group (A-2); it stays a voting node."""
        if not self.is_cluster_node(dag, server):
            raise ClusterToolError(f"The node '{server.name}' isn't a node of cluster '{dag.name}'.")
        if not self.machine_running(server) or not server.cluster_service:
            raise ClusterToolError(f"The node '{server.name}' can't be reached. The cluster node is down.")
        listed = server.name.lower() in (n.lower() for n in dag.paused_nodes)
        if paused == listed:
            return
        if paused:
            dag.paused_nodes.append(server.name)
        else:
            dag.paused_nodes = [n for n in dag.paused_nodes if n.lower() != server.name.lower()]
        self.log_event("Cluster", f"Node {server.name} of cluster '{dag.name}' was "
                                  f"{'paused' if paused else 'resumed'}.", server.name,
                       event="NodePaused" if paused else "NodeResumed")

    def stop_cluster_node(self, dag: Any, server: Any) -> None:
        """Stop-ClusterNode (``net stop clussvc`` on that node)."""
        if not self.is_cluster_node(dag, server):
            raise ClusterToolError(f"The node '{server.name}' isn't a node of cluster '{dag.name}'.")
        if not self.machine_running(server):
            raise ClusterToolError(f"The node '{server.name}' can't be reached. The RPC server is unavailable.")
        if server.cluster_service:
            server.cluster_service = False
            self._drop_forced_quorum(server)
            self.log_event("Cluster", f"The Cluster service on {server.name} was stopped.", server.name,
                           kind="Warning", event="ServiceStopped")
            self.react(f"cluster service on {server.name} stopped")

    def _drop_forced_quorum(self, server: Any) -> None:
        dag = self.dag_of(server)
        if dag is not None and server.name in dag.forced_quorum:
            dag.forced_quorum.remove(server.name)

    def evict_cluster_node(self, dag: Any, server: Any) -> None:
        """Remove-ClusterNode (Evict): the cluster must be running (with quorum, forced or
        not) on a node that can reach the cluster database."""
        if not self.is_cluster_node(dag, server):
            raise ClusterToolError(f"The node '{server.name}' isn't a node of cluster '{dag.name}'.")
        if self._running_node(dag) is None:
            raise ClusterToolError(f"The cluster '{dag.name}' isn't running: no node has quorum. Start the Cluster "
                                   "service with forced quorum (Start-ClusterNode -FixQuorum) first.")
        self.evict_nodes(dag, [server])
        self.react(f"{server.name} evicted")

    def evict_nodes(self, dag: Any, servers: list) -> None:
        """Force-evict ``servers`` from the cluster (Restore-DatabaseAvailabilityGroup, Evict).
        A node that the running cluster can reach is cleaned up at once; one out of reach
        keeps a stale view of the cluster until it reaches it again."""
        running = [self.servers[n.lower()] for n in dag.cluster_nodes if self._node_active(self.servers[n.lower()])
                   and n.lower() not in {s.name.lower() for s in servers}]
        now = self.cluster_memory(dag)
        for server in servers:
            dag.cluster_nodes = [n for n in dag.cluster_nodes if n.lower() != server.name.lower()]
            dag.paused_nodes = [n for n in dag.paused_nodes if n.lower() != server.name.lower()]
            self._drop_forced_quorum(server)
            if dag.pam and dag.pam.lower() == server.name.lower():
                dag.pam = None
            if dag.witness_lock and dag.witness_lock.lower() == server.name.lower():
                dag.witness_lock = None
            told = self.machine_running(server) and any(self.reachable(server, r) for r in running)
            if told or not self.machine_running(server) and server.cluster_start_type == "Disabled":
                self._clean_node(server)
                why = "cleaned up" if told else "its Cluster service is disabled"
            else:
                dag.evicted_views[server.name] = dag.node_memory.get(server.name) or now
                why = "it is out of reach and doesn't know it yet"
                self._strand_mounts(dag, server)
            self.log_event("Cluster", f"Node {server.name} was evicted from cluster '{dag.name}' ({why}).",
                           server.name, kind="Warning", event="NodeEvicted")

    def _strand_mounts(self, dag: Any, server: Any) -> None:
        """Databases mounted on a running node that is evicted out of reach stay mounted on its
        side (its stale cluster), while the cluster will activate them elsewhere."""
        if not self.machine_running(server):
            return
        for db in self.databases.values():
            if db.active_server.lower() == server.name.lower() and db.mounted:
                copy = db.active_copy
                copy.split_brain_mounted = True
                db.mounted = False
                db.mounted_since = None
                self.log_event("Cluster", f"'{db.name}' stays mounted on {server.name}, which was evicted from "
                                          f"'{dag.name}' out of reach: the cluster sees it dismounted.",
                               server.name, db.name, kind="Warning", event="StrandedMount")

    def cluster_memory(self, dag: Any) -> dict:
        """The cluster as a node sees it now: members, witness in use, where each database
        of the DAG is active (what it keeps believing once out of contact)."""
        witness = self.current_witness(dag) if len(dag.cluster_nodes) % 2 == 0 else None
        return {"nodes": list(dag.cluster_nodes), "witness": witness.name if witness is not None else None,
                "actives": {db.name: db.active_server for db in sorted(self.databases.values(), key=lambda d: d.name)
                            if self._db_in_dag(db, dag)}}

    def remember_cluster(self, dag: Any, view: Any) -> None:
        """DAG hook: a node that leaves the quorate partition keeps the cluster as it was at
        that moment (before any failover it causes); one inside it forgets its memory."""
        quorate = {n.lower() for n in view.quorate or ()}
        memory = None
        for name in dag.cluster_nodes:
            if name.lower() in quorate:
                dag.node_memory.pop(name, None)
            elif name not in dag.node_memory:
                memory = memory or self.cluster_memory(dag)
                dag.node_memory[name] = memory
        for name in [n for n in dag.node_memory if n.lower() not in {c.lower() for c in dag.cluster_nodes}]:
            del dag.node_memory[name]

    def _node_active(self, server: Any) -> bool:
        return self.machine_running(server) and server.cluster_service

    def _db_in_dag(self, db: Any, dag: Any) -> bool:
        host = self.servers.get(db.active_server.lower())
        return host is not None and (host.dag or "").lower() == dag.name.lower()

    def _clean_node(self, server: Any) -> None:
        """``cluster node /forcecleanup``: the node forgets the cluster; its Cluster service
        stops and is disabled."""
        dag = self.dag_of(server)
        if dag is not None:
            dag.evicted_views.pop(server.name, None)
        server.cluster_service = False
        server.cluster_start_type = "Disabled"

    def clear_cluster_node(self, server: Any) -> None:
        """Clear-ClusterNode (``cluster node /forcecleanup``): only on a node whose Cluster
        service is stopped."""
        if not self.machine_running(server):
            raise ClusterToolError(f"The node '{server.name}' can't be reached. The RPC server is unavailable.")
        if server.cluster_service:
            raise ClusterToolError(f"The Cluster service is running on '{server.name}'. Stop it before you clean "
                                   "up the node.")
        # A node that is still a member stays a (down) node of the cluster until it is
        # evicted; the node itself no longer starts the Cluster service.
        self._clean_node(server)
        self.log_event("Cluster", f"The cluster configuration was removed from {server.name} (force cleanup).",
                       server.name, event="NodeCleaned")
        self.react(f"{server.name} cleaned up")

    def set_node_majority(self, dag: Any) -> None:
        """Set-ClusterQuorum -NodeMajority (``cluster /quorum /nodemajority``)."""
        if self._running_node(dag) is None:
            raise ClusterToolError(f"The cluster '{dag.name}' isn't running: no node has quorum.")
        dag.witness_in_use = "None" if len(dag.cluster_nodes) % 2 == 0 else None
        dag.witness_lock = None
        self.log_event("Cluster", f"The quorum model of '{dag.name}' is now Node Majority.", event="QuorumModel")
        self.react(f"quorum model of {dag.name}")

    # --- stale clusters ---------------------------------------------------------------------
    def stale_partition(self, dag: Any, server: Any) -> tuple:
        """The nodes that share ``server``'s stale view and can talk to it (running, Cluster
        service up), ``server`` included; empty when it has no stale view or is down."""
        view = dag.evicted_views.get(server.name)
        if view is None or not self._node_active(server):
            return ()
        out = []
        for name, other in dag.evicted_views.items():
            s = self.servers.get(name.lower())
            same = other["nodes"] == view["nodes"] and other["witness"] == view["witness"]
            if s is not None and same and self._node_active(s) and self.reachable(server, s):
                out.append(s.name)
        return tuple(sorted(out))

    def stale_quorum(self, dag: Any, server: Any) -> bool:
        """Does ``server``'s stale cluster have quorum on its side (Q-1..Q-3 by the old
        configuration)? The witness vote counts when the node count was even and the old
        witness is reachable and not locked by the current cluster."""
        part = self.stale_partition(dag, server)
        if not part:
            return False
        view = dag.evicted_views[server.name]
        n = len(view["nodes"])
        votes = len(part)
        if n % 2 == 0 and view["witness"]:
            witness = self.servers.get(view["witness"].lower())
            live = self.current_witness(dag)
            locked = (live is not None and witness is live and dag.witness_lock is not None)
            if witness is not None and not locked and any(self.reachable(self.servers[p.lower()], witness)
                                                         for p in part):
                votes += 1
        voters = n + 1 if n % 2 == 0 else n
        return votes >= voters // 2 + 1

    def _learn_eviction(self, dag: Any, server: Any, contact: Any) -> None:
        for db in self.databases.values():
            copy = db.copy_on(server.name)
            if copy is not None and copy.split_brain_mounted:
                self._stale_dismount(db, copy, f"{server.name} learned from {contact.name} that it was evicted")
        self._clean_node(server)
        self.log_event("Cluster", f"{server.name} reached {contact.name} and learned that it was evicted from "
                                  f"'{dag.name}': its Cluster service stopped (start type Disabled).",
                       server.name, kind="Warning", event="EvictionLearned")

    def _stale_mount(self, dag: Any, db: Any) -> None:
        """Mount or dismount ``db`` on stale nodes as their stale cluster decides."""
        for name, view in dag.evicted_views.items():
            if view["actives"].get(db.name, "").lower() != name.lower():
                continue
            server = self.servers.get(name.lower())
            copy = db.copy_on(name)
            if server is None or copy is None:
                continue
            if db.active_server.lower() == name.lower():
                continue  # the cluster itself still has it active there: no second copy
            could = (self.machine_running(server) and server.information_store and copy.files_present
                     and db.mount_at_startup and self.stale_quorum(dag, server))
            may = could and self.dac_allows_stale_mount(dag, server)
            if could and not may and not copy.split_brain_mounted:
                text = (f"{name}'s stale cluster of '{dag.name}' has quorum by its old configuration, but DAC mode "
                        f"keeps '{db.name}' dismounted there: {self.dac_consensus(dag, server) or 'DACP is 0.'}")
                if self._note(("stale", db.name, name), text):
                    self.log_event("ActiveManager", text, name, db.name, event="SplitBrainPrevented")
            if may and not copy.split_brain_mounted:
                copy.split_brain_mounted = True
                if copy.divergence_point is None:
                    copy.divergence_point = copy.last_inspected
                copy.last_copied = copy.last_inspected = copy.last_replayed = copy.last_inspected + 1
                where = f"{db.active_server}, where the cluster has it" + (" mounted" if db.mounted else "")
                self.log_event("ActiveManager", f"Split brain: {name}'s stale cluster of '{dag.name}' "
                                                f"({', '.join(self.stale_partition(dag, server))}) has quorum by its "
                                                f"old configuration and mounted '{db.name}' on {name}; the database "
                                                f"is also active on {where}.",
                               name, db.name, kind="Error", event="SplitBrain")
            elif not may and copy.split_brain_mounted:
                self._stale_dismount(db, copy, f"{name}'s stale cluster can't keep it mounted")

    def _stale_dismount(self, db: Any, copy: Any, why: str) -> None:
        copy.split_brain_mounted = False
        if copy.divergence_point is None:
            copy.divergence_point = max(0, copy.last_inspected - 1)
        self.log_event("ActiveManager", f"'{db.name}' dismounted on {copy.server} ({why}); the copy diverged and "
                                        "must resynchronize.", copy.server, db.name, kind="Warning",
                       event="SplitBrainEnded")

    def mounted_copies(self, db: Any) -> list[str]:
        """Every server where ``db`` is mounted: the active copy, and split-brain copies."""
        out = [db.active_server] if db.mounted else []
        out += [c.server for c in db.copies if c.split_brain_mounted and c.server.lower() != db.active_server.lower()]
        return out

    def rejoin_evicted_member(self, dag: Any, server: Any) -> None:
        """Add-DatabaseAvailabilityGroupServer for a member that was evicted from the cluster
        (switchback without DAC mode, N-6): it joins the cluster again and the quorum model
        is re-applied, as for any added member."""
        if not self.machine_running(server):
            raise E.DagTaskOperationFailedException(
                f"A server-side database availability group administrative operation failed. Error: The "
                f"operation failed. Error: Unable to contact server '{self.fqdn(server.name)}'. "
                f"[Server: {self.fqdn(server.name)}]")
        dag.cluster_nodes.append(server.name)
        dag.evicted_views.pop(server.name, None)
        server.cluster_start_type = "Automatic"
        server.cluster_service = True
        self._apply_quorum_model(dag)
        dag.changed = self.now()
        self.log_event("Cluster", f"Node {server.name} joined cluster '{dag.name}' again.", server.name,
                       event="NodeJoined")
        self.react(f"{server.name} added back to {dag.name}")
