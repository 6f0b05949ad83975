"""Who can talk to whom, quorum, and the DAG's runtime status (``Get-DAG -Status``).

This is the seam the HA engine builds on: ``reachable`` (machines and WAN links),
``partitions`` / ``has_quorum`` (Q-1..Q-3, without the witness-lock race), and ``dag_status``
(the one method behind OperationalServers, PrimaryActiveManager, WitnessShareInUse and
NetworkNames). Keep any refinement here so every cmdlet sees the same answer.
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


class ClusterOps:
    """Mixin of Organization: connectivity, quorum and DAG runtime status."""

    def machine_running(self, server: Any) -> bool:
        site = self.sites.get(server.site.lower())
        return server.running and (site is None or site.up)

    def sites_connected(self, a: str, b: str) -> bool:
        """Same site, or a path of connected site links between the two sites."""
        a, b = a.lower(), b.lower()
        if a == b:
            return True
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

    def reachable(self, a: Any, b: Any) -> bool:
        """Can machine ``a`` talk to machine ``b`` (both running, their sites connected)?"""
        return (self.machine_running(a) and self.machine_running(b)
                and self.sites_connected(a.site, b.site))

    # --- quorum -------------------------------------------------------------------------------
    def cluster_voters(self, dag: Any) -> int:
        """Q-1/Q-2: node count, plus the witness vote when the count is even."""
        n = len(dag.cluster_nodes)
        return n + 1 if n and n % 2 == 0 else n

    def partitions(self, dag: Any) -> list[list[str]]:
        """Groups of running cluster nodes that can talk to each other."""
        nodes = [self.servers[n.lower()] for n in dag.cluster_nodes
                 if n.lower() in self.servers]
        alive = [s for s in nodes if self.machine_running(s) and s.cluster_service]
        groups: list[list[Any]] = []
        for s in alive:
            for g in groups:
                if self.reachable(g[0], s):
                    g.append(s)
                    break
            else:
                groups.append([s])
        return [[s.name for s in g] for g in groups]

    def witness_reachable_from(self, dag: Any, node_names: list[str]) -> bool:
        witness = self.current_witness(dag)
        if witness is None:
            return False
        return any(self.reachable(self.servers[n.lower()], witness) for n in node_names)

    def current_witness(self, dag: Any) -> Any:
        name = dag.alternate_witness_server if dag.witness_in_use == "Alternate" else dag.witness_server
        if not name:
            return None
        return self.servers.get(name.split(".")[0].lower())

    def quorate_partition(self, dag: Any) -> list[str] | None:
        """The partition that holds quorum, or None (Q-2, Q-3: the witness vote goes to one
        partition that can reach the witness)."""
        if not dag.cluster_nodes:
            return None
        voters = self.cluster_voters(dag)
        need = voters // 2 + 1
        needs_witness = len(dag.cluster_nodes) % 2 == 0
        for part in self.partitions(dag):
            votes = len(part)
            if needs_witness and self.witness_reachable_from(dag, part):
                votes += 1
            if votes >= need:
                return part
        return None

    def has_quorum(self, dag: Any) -> bool:
        return self.quorate_partition(dag) is not None

    def server_has_quorum(self, server: Any) -> bool:
        """A DAG member can act (mount, replicate as source) only inside the quorate partition;
        a server outside any DAG always can."""
        if not server.dag:
            return True
        dag = self.dags.get(server.dag.lower())
        if dag is None or server.name not in dag.cluster_nodes:
            return True
        part = self.quorate_partition(dag)
        return part is not None and server.name in part

    # --- Get-DatabaseAvailabilityGroup -Status -------------------------------------------------
    def dag_status(self, dag: Any) -> DagStatus:
        part = self.quorate_partition(dag)
        operational = list(part) if part else []
        pam = dag.pam if dag.pam in operational else (operational[0] if operational else None)
        if not dag.cluster_nodes:
            witness = None
        elif len(dag.cluster_nodes) % 2 == 0:
            witness = dag.witness_in_use or "Primary"
        else:
            witness = "None"
        names = [n.name for n in dag.networks]
        return DagStatus(operational, pam, witness, names, dag.replication_port)
