"""Datacenter Activation Coordination (§2, D-1..D-7) and the datacenter switchover tasks
(§3a S-1..S-5, §3c R-1): Stop-, Restore- and Start-DatabaseAvailabilityGroup.

DAC mode exists to stop split brain: after a datacenter switchover, the primary datacenter's
servers may come back (WAN still down) and form a quorate cluster from their stale view. The
DACP bit (one per member's Active Manager, 0 after every start, D-2) keeps them from mounting
until automount consensus is reached (D-3): the member is in a partition with quorum and talks
to a member whose DACP is 1, or to every server on StartedMailboxServers, as its own site's
domain controllers list them (ems.exchange.directory). A member left alone (nobody else to ask)
compares when its DACP was last set with the witness server's boot time (D-4).

How it plugs into the HA engine (ems.exchange.failover): ``dac_mount_check`` is registered in
``activation.MOUNT_CHECKS`` (every mount, automount, failover and switchover asks it);
``react_dac`` in ``failover.DAG_HOOKS`` (AD replication, stale clusters, forced quorum, DACP
bits, before Active Manager mounts anything); ``boot_dac`` in ``failover.BOOT_HOOKS``.

[plausible] choices are listed in README, "Differences from real EMS" and kept in this module: the
messages of the switchover tasks' own errors, Start-DatabaseAvailabilityGroup requiring DAC
mode, Restore requiring the Cluster service stopped on the survivors (the 2010 procedure) and
refusing when the survivors can't reach quorum, Restore without -ActiveDirectorySite restoring
every started member, Stop without -ConfigurationOnly refusing a server it can't reach.
"""
from __future__ import annotations

from typing import Any

from ems.exchange import errors as E


class DagTaskDacModeException(E.ExchangeError):
    """A site-resilience task on a DAG that isn't in DAC mode (D-7, V-10)."""

    exception_type = "InvalidOperationException"
    category = "InvalidOperation"
    error_id = "5B4F9C21"


class DagTaskRestoreException(E.ExchangeError):
    """Restore-DatabaseAvailabilityGroup can't shrink quorum onto the survivors (S-4.5)."""

    exception_type = "DagTaskOperationFailedException"
    category = "InvalidOperation"
    error_id = "C2E8A7D3"


AUTOMOUNT_CONSENSUS = "Automount consensus not reached."


def _low(names: Any) -> set:
    return {str(n).lower() for n in names}


class DacOps:
    """Mixin of Organization: DACP bits, automount consensus, Stop/Restore/Start-DAG."""

    # --- DACP (D-2..D-4) ------------------------------------------------------------------------
    def dac_on(self, dag: Any, server: Any = None) -> bool:
        """DAC mode as the domain controllers of ``server``'s site (or the live object) say."""
        if server is None:
            return dag.datacenter_activation_mode == "DagOnly"
        return self.dag_directory_of(dag, server).datacenter_activation_mode == "DagOnly"

    def active_manager_running(self, server: Any) -> bool:
        return self.machine_running(server) and server.replication_service

    def member_quorate(self, dag: Any, server: Any) -> bool:
        """In a partition with quorum: the cluster's, or for a node evicted out of reach, its
        stale cluster's (D-5)."""
        if server.name in dag.evicted_views:
            return self.stale_quorum(dag, server)
        return self.is_cluster_node(dag, server) and self.server_has_quorum(server)

    def dac_consensus(self, dag: Any, server: Any) -> str | None:
        """D-3/D-4: None when ``server`` may set its DACP bit to 1, else why not."""
        view = self.dag_directory_of(dag, server)
        if view.is_stopped(server.name):
            return AUTOMOUNT_CONSENSUS
        if not view.is_started(server.name):
            return (f"Server '{server.name}' isn't in the stopped or started servers list. This may be due to an "
                    "Active Directory replication delay.")
        if not self.member_quorate(dag, server):
            return AUTOMOUNT_CONSENSUS
        others = [self.servers[m.lower()] for m in dag.servers
                  if m.lower() != server.name.lower() and m.lower() in self.servers]
        if any(o.dacp == 1 and self.active_manager_running(o) and self.reachable(server, o) for o in others):
            return None
        started = [self.servers.get(s.split(".")[0].lower()) for s in view.started_servers
                   if s.split(".")[0].lower() != server.name.lower()]
        if started:
            if all(s is not None and self.active_manager_running(s) and self.reachable(server, s)
                   for s in started):
                return None
            return AUTOMOUNT_CONSENSUS
        return self._single_member_rule(dag, server, view)

    def _single_member_rule(self, dag: Any, server: Any, view: Any) -> str | None:
        """D-4: alone on StartedMailboxServers, a member may mount only if its DACP was last
        set after the witness server booted (a site power loss reboots both together). An
        unreachable witness can't be asked its boot time [plausible: no mount]."""
        witness = self._dac_witness(dag, server, view)
        if witness is None:
            return None
        if not self.reachable(server, witness) or witness.boot_time is None:
            return AUTOMOUNT_CONSENSUS
        if server.dacp_set_time is None or ((server.dacp_set_time, server.dacp_order)
                                            < (witness.boot_time, witness.boot_order)):
            return AUTOMOUNT_CONSENSUS
        return None

    def _next_order(self) -> int:
        return 1 + max((max(s.boot_order, s.dacp_order) for s in self.servers.values()), default=0)

    def set_dacp(self, server: Any) -> None:
        """DACP := 1, remembering when (D-4's BootTimeCookie)."""
        server.dacp, server.dacp_set_time, server.dacp_order = 1, self.now(), self._next_order()

    def _dac_witness(self, dag: Any, server: Any, view: Any) -> Any:
        """The witness whose boot time D-4 compares: the one the cluster uses; with node
        majority, the alternate once the DAG was restored in the other datacenter (servers
        stopped), else the primary [plausible]."""
        stale = dag.evicted_views.get(server.name)
        if stale is not None:
            name = stale.get("witness") or view.witness_server
        elif dag.witness_in_use == "Alternate" or (dag.witness_in_use is None and view.stopped_servers
                                                    and view.alternate_witness_server):
            name = view.alternate_witness_server
        else:
            name = view.witness_server
        return self.servers.get(str(name).split(".")[0].lower()) if name else None

    def update_dacp(self, dag: Any) -> None:
        """Members whose Active Manager runs with DACP 0 set it to 1 once consensus is
        reached; one member's 1 can let others follow, so repeat until nothing changes."""
        changed = True
        while changed:
            changed = False
            for name in dag.servers:
                server = self.servers.get(name.lower())
                if server is None or server.dacp == 1 or not self.active_manager_running(server):
                    continue
                if self.dac_consensus(dag, server) is None:
                    self.set_dacp(server)
                    changed = True
                    if self.dac_on(dag, server):
                        self.log_event("ActiveManager", f"Automount consensus reached on {server.name}: its DACP "
                                                        "bit is now 1.", server.name, event="DacpSet")

    def dac_mount_refusal(self, db: Any, server: Any) -> str | None:
        """MOUNT_CHECKS: in DAC mode a member mounts only with DACP 1, never when stopped."""
        dag = self.dag_of(server)
        if dag is None or not self.dac_on(dag, server):
            return None
        view = self.dag_directory_of(dag, server)
        if view.is_stopped(server.name):
            return AUTOMOUNT_CONSENSUS
        if server.dacp == 1:
            return None
        self.update_dacp(dag)
        if server.dacp == 1:
            return None
        return self.dac_consensus(dag, server) or AUTOMOUNT_CONSENSUS

    def dac_allows_stale_mount(self, dag: Any, server: Any) -> bool:
        """A stale cluster mounts on its side unless DAC mode stops it (D-5)."""
        if not self.dac_on(dag, server):
            return True
        return server.dacp == 1 and not self.dag_directory_of(dag, server).is_stopped(server.name)

    # --- the reaction hooks ------------------------------------------------------------------
    def react_dac(self, dag: Any, view: Any) -> None:
        """DAG hook: AD replication, stale clusters, forced quorum, DACP bits."""
        self.replicate_directory()
        self.remember_cluster(dag, view)
        self._settle_forced_quorum(dag, view)
        if dag.evicted_views:
            live = [self.servers[n.lower()] for n in dag.cluster_nodes if n.lower() in self.servers]
            for name in sorted(dag.evicted_views):
                server = self.servers.get(name.lower())
                contact = next((s for s in live if self._node_active(s) and server is not None
                                and self.reachable(server, s)), None)
                if server is None:
                    dag.evicted_views.pop(name, None)
                elif contact is not None:
                    self._learn_eviction(dag, server, contact)
        self.update_dacp(dag)
        if dag.evicted_views:
            for db in sorted(self.databases.values(), key=lambda d: d.name.lower()):
                self._stale_mount(dag, db)

    def _settle_forced_quorum(self, dag: Any, view: Any) -> None:
        """Forced quorum ends when its node stops, or when its partition has a majority of
        the votes on its own (Windows leaves the forced state then)."""
        if not dag.forced_quorum:
            return
        keep = []
        for name in dag.forced_quorum:
            server = self.servers.get(name.lower())
            if server is None or not self._node_active(server) or not self.is_cluster_node(dag, server):
                continue
            i = view.partition_of(name)
            if i is not None and view.votes[i] >= view.needed:
                self.log_event("Cluster", f"The partition of {name} has a majority of the votes of '{dag.name}' "
                                          "again: forced quorum ends.", name, event="ForcedQuorumEnded")
                continue
            keep.append(name)
        dag.forced_quorum = keep

    def boot_dac(self, server: Any) -> None:
        """BOOT_HOOKS: Active Manager already starts with DACP 0; the Cluster service stays
        down when disabled or when the machine is no node of any cluster."""
        server.boot_order = self._next_order()
        self._boot_cluster_service(server)

    # --- Set-DatabaseAvailabilityGroup (R-2, R-4, N-3) ----------------------------------------
    def set_dag_through_directory(self, dag: Any, changes: dict, discover_networks: bool = False) -> None:
        """Set-DatabaseAvailabilityGroup as a write through the connected site's domain
        controllers; the quorum model and witness it re-applies take effect at once."""
        with self.directory_write(dag):
            self.set_dag(dag, changes, discover_networks=discover_networks)
        self.react("Set-DatabaseAvailabilityGroup")

    # --- where a task acts --------------------------------------------------------------------
    def _contact(self, server: Any) -> bool:
        """Can the task (running on the connected server) reach ``server``?"""
        here = self.servers.get((self.connected_server or "").lower())
        if here is None:
            return self.machine_running(server)
        return self.reachable(here, server)

    def _require_dac(self, dag: Any, task: str) -> None:
        view = self.dag_directory(dag)
        if view.datacenter_activation_mode != "DagOnly":
            raise DagTaskDacModeException(
                f"{task} can be run only when the DatacenterActivationMode property of database availability group "
                f"'{dag.name}' is set to DagOnly. Use Set-DatabaseAvailabilityGroup to enable datacenter "
                "activation mode.", target=dag.name)

    def dac_targets(self, dag: Any, site: Any = None, server: Any = None) -> list:
        """The members a Stop/Start task names: those of an AD site, or one server."""
        if server is not None:
            if server.name.lower() not in _low(dag.servers):
                raise E.DagTaskServerException(
                    f"Server '{server.name}' isn't a member of database availability group '{dag.name}'.",
                    target=dag.name)
            return [server]
        members = [self.servers[m.lower()] for m in dag.servers if m.lower() in self.servers]
        found = [s for s in members if s.site.lower() == site.name.lower()]
        if not found:
            raise E.DagTaskServerException(
                f"Database availability group '{dag.name}' has no member servers in Active Directory site "
                f"'{site.name}'.", target=dag.name)
        return sorted(found, key=lambda s: s.name.lower())

    # --- Stop-DatabaseAvailabilityGroup (S-1, S-2) -----------------------------------------------
    def stop_dag(self, dag: Any, servers: list, configuration_only: bool = False) -> None:
        """Mark ``servers`` stopped in AD (the connected site's DCs and every DC they reach).
        Without -ConfigurationOnly each server also stops: Active Manager takes the Stopped
        state and the Cluster service is force-cleaned and disabled (WF), so the cluster fails
        its databases over where it has quorum; a server the task can't reach makes it fail
        (S-1: use -ConfigurationOnly for servers that are down)."""
        self._require_dac(dag, "Stop-DatabaseAvailabilityGroup")
        if not configuration_only:
            for s in servers:
                if not self._contact(s):
                    here = self.fqdn(self.connected_server) if self.connected_server else self.fqdn(s.name)
                    raise E.DagTaskOperationFailedException(
                        f"A server-side database availability group administrative operation failed. Error: The "
                        f"operation failed. Error: Unable to contact server '{self.fqdn(s.name)}'. Use the "
                        "ConfigurationOnly parameter to stop a server that can't be contacted. "
                        f"[Server: {here}]", target=dag.name)
        with self.directory_write(dag):
            for s in servers:
                dag.started_servers = [x for x in dag.started_servers if x.split(".")[0].lower() != s.name.lower()]
                if s.name.lower() not in {x.split(".")[0].lower() for x in dag.stopped_servers}:
                    dag.stopped_servers.append(s.name)
        dag.changed = self.now()
        names = ", ".join(s.name for s in servers)
        where = self.command_site() or "the directory"
        self.log_event("DAC", f"{names} marked as stopped in '{dag.name}' (Active Directory of {where}"
                              f"{', configuration only' if configuration_only else ''}).", event="DagStopped")
        if configuration_only:
            self.react("Stop-DatabaseAvailabilityGroup")
            return
        for s in servers:
            s.cluster_service = False
            s.cluster_start_type = "Disabled"
            self._drop_forced_quorum(s)
            self.log_event("DAC", f"Active Manager on {s.name} is stopped; its Cluster service was force-cleaned "
                                  "and disabled.", s.name, kind="Warning", event="ServerStopped")
        self.react("Stop-DatabaseAvailabilityGroup")

    # --- Restore-DatabaseAvailabilityGroup (S-4) ------------------------------------------------
    def restore_dag(self, dag: Any, site: Any = None, alternate_witness_server: Any = None,
                    alternate_witness_directory: str | None = None) -> None:
        """Evict the stopped servers, shrink quorum onto the surviving members (of ``site``),
        switch to the alternate witness when they are even (node majority when odd; 2010:
        also for a single survivor), reset their DACP, and let Active Manager activate the
        databases there (S-5)."""
        self._require_dac(dag, "Restore-DatabaseAvailabilityGroup")
        view = self.dag_directory(dag)
        stopped = _low(s.split(".")[0] for s in view.stopped_servers)
        if not stopped:
            raise DagTaskRestoreException(
                f"Restore-DatabaseAvailabilityGroup can't be run because no server of database availability group "
                f"'{dag.name}' is on the StoppedMailboxServers list. Run Stop-DatabaseAvailabilityGroup for the "
                "failed servers first.", target=dag.name)
        evict = [self.servers[n.lower()] for n in dag.cluster_nodes if n.lower() in stopped]
        remaining = [self.servers[n.lower()] for n in dag.cluster_nodes if n.lower() not in stopped]
        survivors = [s for s in remaining if site is None or s.site.lower() == site.name.lower()]
        where = f" in Active Directory site '{site.name}'" if site is not None else ""
        if not survivors:
            raise DagTaskRestoreException(
                f"Database availability group '{dag.name}' has no started member{where}. Quorum can't be "
                "restored.", target=dag.name)
        for s in survivors:
            if self._contact(s) and s.cluster_service:
                raise DagTaskRestoreException(
                    f"The Cluster service (ClusSvc) is running on server '{s.name}'. Stop the Cluster service on "
                    f"every surviving member{where} (Stop-Service ClusSvc) before you run "
                    "Restore-DatabaseAvailabilityGroup.", target=dag.name)
        n = len(remaining)
        even = n % 2 == 0
        ws, wd = view.alternate_witness_server, view.alternate_witness_directory
        if alternate_witness_server is not None or alternate_witness_directory is not None:
            ws, wd = self._resolve_witness(dag.name, alternate_witness_server or ws,
                                           alternate_witness_directory or wd, list(dag.servers), alternate=True)
        if even and not ws:
            raise DagTaskRestoreException(
                f"The database availability group '{dag.name}' will have an even number of members ({n}), so it needs "
                "an alternate witness server. Use the AlternateWitnessServer and AlternateWitnessDirectory "
                "parameters, or set them with Set-DatabaseAvailabilityGroup.", target=dag.name)
        reached = [s for s in survivors if self._contact(s)]
        votes = len(reached)
        witness = self.get_machine(ws) if even else None
        if witness is not None and any(self.reachable(s, witness) for s in reached):
            votes += 1
        voters = n + 1 if even else n
        needed = voters // 2 + 1
        if votes < needed:
            names = ", ".join(s.name for s in reached) or "none"
            raise DagTaskRestoreException(
                f"Quorum of database availability group '{dag.name}' can't be restored{where}: after the stopped "
                f"servers are evicted, the members the task can reach ({names}) would have {votes} of {voters} "
                f"votes, and quorum needs {needed}.", target=dag.name)
        # --- apply --------------------------------------------------------------------------
        if alternate_witness_server is not None or alternate_witness_directory is not None:
            with self.directory_write(dag):
                dag.alternate_witness_server, dag.alternate_witness_directory = ws, wd
        self.evict_nodes(dag, evict)
        for s in reached:
            s.cluster_start_type = "Automatic"
            s.cluster_service = True
            self.set_dacp(s)
        dag.witness_in_use = "Alternate" if even else None
        dag.witness_lock = None
        dag.forced_quorum = []
        here = self.servers.get((self.connected_server or "").lower())
        dag.pam = here.name if here in reached else reached[0].name
        dag.changed = self.now()
        model = (f"node and file share majority with the alternate witness {witness.name}" if even
                 else "node majority")
        self.log_event("DAC", f"'{dag.name}' restored on {', '.join(s.name for s in reached)}: "
                              f"{', '.join(s.name for s in evict) or 'no node'} evicted, quorum {model} "
                              f"({votes} of {voters} votes); DACP reset to 1 on the survivors.",
                       dag.pam, event="DagRestored")
        for s in survivors:
            if s not in reached:
                self.warn(f"The server '{s.name}' couldn't be contacted; its Cluster service wasn't started.")
        self.react("Restore-DatabaseAvailabilityGroup")

    # --- Start-DatabaseAvailabilityGroup (R-1) --------------------------------------------------
    def start_dag(self, dag: Any, servers: list, configuration_only: bool = False) -> None:
        """Move ``servers`` from StoppedMailboxServers to StartedMailboxServers and, without
        -ConfigurationOnly, join each one the task reaches to the cluster again. The quorum
        model isn't re-applied (R-2: Set-DatabaseAvailabilityGroup -Identity does that)."""
        self._require_dac(dag, "Start-DatabaseAvailabilityGroup")
        with self.directory_write(dag):
            for s in servers:
                dag.stopped_servers = [x for x in dag.stopped_servers if x.split(".")[0].lower() != s.name.lower()]
                if s.name.lower() not in {x.split(".")[0].lower() for x in dag.started_servers}:
                    dag.started_servers.append(s.name)
        dag.changed = self.now()
        names = ", ".join(s.name for s in servers)
        self.log_event("DAC", f"{names} marked as started in '{dag.name}'"
                              f"{' (configuration only)' if configuration_only else ''}.", event="DagStarted")
        if not configuration_only:
            for s in servers:
                if not self._contact(s):
                    self.warn(f"The server '{s.name}' couldn't be contacted and wasn't joined to the cluster of "
                              f"database availability group '{dag.name}'. Nodes may not always join the cluster; "
                              "if this occurs, retry the command.")
                    continue
                joined = not self.is_cluster_node(dag, s)
                if joined:
                    dag.cluster_nodes.append(s.name)
                dag.evicted_views.pop(s.name, None)
                s.cluster_start_type = "Automatic"
                s.cluster_service = True
                self.log_event("Cluster", f"{s.name} {'joined' if joined else 'rejoined'} cluster '{dag.name}'.",
                               s.name, event="NodeJoined")
        self.react("Start-DatabaseAvailabilityGroup")


def _register() -> None:
    """Plug DAC into the HA engine's extension points (once, at import)."""
    from ems.exchange import activation, failover
    activation.MOUNT_CHECKS.append(lambda org, db, server: org.dac_mount_refusal(db, server))
    failover.DAG_HOOKS.append(lambda org, dag, view: org.react_dac(dag, view))
    failover.BOOT_HOOKS.append(lambda org, server: org.boot_dac(server))


_register()
