"""Who can talk to whom, quorum, and the DAG's runtime status (``Get-DAG -Status``).

The seam the HA engine stands on; every cmdlet asks these questions, so every answer comes
from here:

- ``reachable(a, b)``: both machines run, their sites can talk (a *direct* site link decides
  when there is one; sites without one route through connected links), and they share a
  working network (the MAPI NIC, or the replication NICs of two Exchange servers).
- ``quorum(dag)`` -> ``QuorumView``: the partitions of running cluster nodes, their votes
  (Q-1, Q-2), who gets the witness vote (Q-3: the partition of the node holding the lock on
  the witness share; a free lock goes to a partition that can reach the witness, the one of
  the Primary Active Manager first), and the quorate partition. ``has_quorum``,
  ``server_has_quorum``, ``quorate_partition`` and ``dag_status`` read it.

The view is a pure function of the lab's state (machines, links, NICs, cluster nodes, the
recorded lock holder and PAM); it is memoised per DAG on a signature of that state, so the
thousands of questions a copy-status listing asks cost one computation.
"""
from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen
class DagStatus:
    operational_servers: list
    primary_active_manager: str | None
    witness_share_in_use: str | None
    network_names: list
    replication_port: int


@attrs.frozen
class QuorumView:
    """One DAG's cluster as it stands: what react() records and events explain."""

    partitions: tuple
    """Tuples of node names that can heartbeat each other (running, cluster service up)."""
    votes: tuple
    """Votes of each partition (nodes, plus the witness vote for ``witness_partition``)."""
    voters: int
    needed: int
    uses_witness: bool
    witness: str | None
    """The witness server in use (name), when the node count is even."""
    witness_partition: int | None
    """Index of the partition that holds (or takes) the witness lock."""
    lock_holder: str | None
    quorate: tuple | None
    """The partition with quorum (at most one can have a majority), or None."""
    reaching: frozenset = frozenset()
    """Indexes of the partitions that can reach the witness server."""

    def partition_of(self, node: str) -> int | None:
        low = node.lower()
        for i, part in enumerate(self.partitions):
            if any(n.lower() == low for n in part):
                return i
        return None



NETWORK_MAPI = "MAPI"
NETWORK_REPLICATION = "Replication"


class ClusterOps:
    """Mixin of Organization: connectivity, quorum and DAG runtime status."""

    def machine_running(self, server: Any) -> bool:
        site = self.sites.get(server.site.lower())
        return server.running and (site is None or site.up)

    def sites_connected(self, a: str, b: str) -> bool:
        """Same site; else the direct WAN link between them when there is one (its state
        decides: Disconnect-SimSiteLink A,B cuts A from B even if both still reach a third
        site); else a path of connected links."""
        a, b = a.lower(), b.lower()
        if a == b:
            return True
        direct = self.site_link(a, b)
        if direct is not None:
            return direct.connected
        seen, frontier = {a}, [a]
        while frontier:
            cur = frontier.pop()
            for link in self.site_links:
                names = [s.lower() for s in link.sites]
                if not link.connected or cur not in names:
                    continue
                for other in names:
                    if other == b:
                        return True
                    if other not in seen:
                        seen.add(other)
                        frontier.append(other)
        return False

    def server_networks(self, server: Any) -> tuple:
        """The networks a machine can talk on: its first NIC is on the MAPI (client) network,
        further NICs on replication networks (Exchange servers only)."""
        nets = []
        if server.mapi_network:
            nets.append(NETWORK_MAPI)
        if len(server.ip_addresses) > 1 and server.replication_network and server.is_exchange:
            nets.append(NETWORK_REPLICATION)
        return tuple(nets)

    def reachable(self, a: Any, b: Any) -> bool:
        """Can machine ``a`` talk to machine ``b`` (both running, their sites connected, a
        network both are on and both NICs working)?"""
        if not (self.machine_running(a) and self.machine_running(b)):
            return False
        if a is b:
            return True
        if not self.sites_connected(a.site, b.site):
            return False
        return bool(set(self.server_networks(a)) & set(self.server_networks(b)))

    # --- quorum -------------------------------------------------------------------------------
    def cluster_voters(self, dag: Any) -> int:
        """Q-1/Q-2: node count, plus the witness vote when the count is even."""
        n = len(dag.cluster_nodes)
        return n + 1 if n and n % 2 == 0 and dag.witness_in_use != "None" else n

    def current_witness(self, dag: Any) -> Any:
        name = dag.alternate_witness_server if dag.witness_in_use == "Alternate" else dag.witness_server
        if not name:
            return None
        return self.servers.get(name.split(".")[0].lower())

    def _quorum_signature(self, dag: Any) -> tuple:
        nodes = []
        for name in dag.cluster_nodes:
            s = self.servers.get(name.lower())
            if s is None:
                continue
            site = self.sites.get(s.site.lower())
            nodes.append((s.name, s.site, s.up, s.crashed, s.cluster_service, s.mapi_network,
                          s.replication_network, site.up if site is not None else True))
        w = self.current_witness(dag)
        wsig = None
        if w is not None:
            site = self.sites.get(w.site.lower())
            wsig = (w.name, w.site, w.running, w.mapi_network, site.up if site is not None else True)
        links = tuple(link.connected for link in self.site_links)
        return (tuple(nodes), wsig, links, len(self.site_links), dag.witness_lock, dag.pam,
                dag.witness_in_use, tuple(dag.forced_quorum))

    def quorum(self, dag: Any) -> QuorumView:
        """Q-1..Q-3 for ``dag`` now (memoised on the state it depends on)."""
        cache = self.__dict__.setdefault("_quorum_cache", {})
        sig = self._quorum_signature(dag)
        hit = cache.get(dag.name.lower())
        if hit is not None and hit[0] == sig:
            return hit[1]
        view = self._compute_quorum(dag)
        cache[dag.name.lower()] = (sig, view)
        return view

    def _compute_quorum(self, dag: Any) -> QuorumView:
        nodes = [self.servers[n.lower()] for n in dag.cluster_nodes if n.lower() in self.servers]
        alive = [s for s in nodes if self.machine_running(s) and s.cluster_service]
        groups: list[list[Any]] = []
        for s in alive:
            for g in groups:
                if self.reachable(g[0], s):
                    g.append(s)
                    break
            else:
                groups.append([s])
        parts = tuple(tuple(s.name for s in g) for g in groups)
        n = len(dag.cluster_nodes)
        voters = self.cluster_voters(dag)
        needed = voters // 2 + 1 if n else 0
        # witness_in_use "None": node majority set by hand on an even node count
        # (Set-ClusterQuorum -NodeMajority, ems.exchange.services)
        uses_witness = bool(n) and n % 2 == 0 and dag.witness_in_use != "None"
        witness = self.current_witness(dag) if uses_witness else None
        reaching: set[int] = set()
        witness_part = holder = None
        if witness is not None:
            for i, g in enumerate(groups):
                if any(self.reachable(s, witness) for s in g):
                    reaching.add(i)
            # the lock stays with a holder that still runs and still reaches the witness;
            # otherwise it is free and a partition that reaches the witness takes it (the
            # partition of the Primary Active Manager asks first [plausible]).
            if dag.witness_lock:
                for i, g in enumerate(groups):
                    for s in g:
                        if s.name.lower() == dag.witness_lock.lower() and self.reachable(s, witness):
                            witness_part, holder = i, s.name
            if witness_part is None and reaching:
                order = sorted(reaching)
                pam = (dag.pam or "").lower()
                with_pam = [i for i in order if any(s.name.lower() == pam for s in groups[i])]
                witness_part = (with_pam or order)[0]
                g = groups[witness_part]
                takers = [s for s in g if self.reachable(s, witness)]
                first = next((s for s in takers if s.name.lower() == pam), takers[0])
                holder = first.name
        votes = tuple(len(g) + (1 if i == witness_part else 0) for i, g in enumerate(groups))
        quorate = None
        for i, v in enumerate(votes):
            if n and v >= needed:
                quorate = parts[i]
                break
        if quorate is None and dag.forced_quorum:
            # Forced quorum (Start-ClusterNode -FixQuorum, ems.exchange.services): the
            # partition of a node started that way runs without a majority.
            forced = {f.lower() for f in dag.forced_quorum}
            quorate = next((p for p in parts if any(x.lower() in forced for x in p)), None)
        return QuorumView(parts, votes, voters, needed, uses_witness, witness.name if witness else None,
                          witness_part, holder, quorate, frozenset(reaching))

    def partitions(self, dag: Any) -> list[list[str]]:
        """Groups of running cluster nodes that can talk to each other."""
        return [list(p) for p in self.quorum(dag).partitions]

    def quorate_partition(self, dag: Any) -> list[str] | None:
        """The partition that holds quorum, or None."""
        part = self.quorum(dag).quorate
        return list(part) if part is not None else None

    def has_quorum(self, dag: Any) -> bool:
        return self.quorum(dag).quorate is not None

    def server_has_quorum(self, server: Any) -> bool:
        """A DAG member can act (mount, replicate as source) only inside the quorate partition;
        a server outside any DAG (or not a node of its cluster) always can."""
        if not server.dag:
            return True
        dag = self.dags.get(server.dag.lower())
        if dag is None:
            return True
        if server.name not in dag.cluster_nodes:
            # a member evicted from the cluster (Restore-DAG, Remove-ClusterNode) can't act
            # in it; what its stale view believes is ems.exchange.services' concern
            return server.name.lower() not in {m.lower() for m in dag.servers}
        part = self.quorum(dag).quorate
        return part is not None and server.name in part

    def primary_active_manager(self, dag: Any) -> str | None:
        """A-2: the owner of the cluster group, inside the quorate partition; None without
        quorum. The owner keeps the group while it is there (paused or not); a new owner is
        a node that isn't paused (Suspend-ClusterNode) when there is one."""
        part = self.quorum(dag).quorate
        if not part:
            return None
        if dag.pam in part:
            return dag.pam
        paused = {n.lower() for n in dag.paused_nodes}
        owners = [n for n in part if n.lower() not in paused] or list(part)
        view = self.quorum(dag)
        if view.lock_holder in owners:
            return view.lock_holder
        return owners[0]

    # --- Get-DatabaseAvailabilityGroup -Status -------------------------------------------------
    def dag_status(self, dag: Any) -> DagStatus:
        part = self.quorate_partition(dag)
        operational = list(part) if part else []
        pam = self.primary_active_manager(dag)
        if not dag.cluster_nodes or not part:
            # no cluster, or no partition with quorum to ask (its Cluster service stopped, Q-4):
            # nothing is in use, shown blank like PrimaryActiveManager (§3d's "-") [plausible]
            witness = None
        elif len(dag.cluster_nodes) % 2 == 0:
            witness = dag.witness_in_use or "Primary"
        else:
            witness = "None"
        names = [n.name for n in dag.networks]
        return DagStatus(operational, pam, witness, names, dag.replication_port)
