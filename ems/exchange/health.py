"""Test-ReplicationHealth: the Exchange 2010 check list run against one DAG member."""
from __future__ import annotations

from typing import Any

from ems.exchange import errors as E

CHECKS = (
    ("ClusterService", "Checks if the cluster service is healthy."),
    ("ReplayService", "Checks if the Microsoft Exchange Replication service is running."),
    ("ActiveManager", "Checks that Active Manager is running and has a valid role."),
    ("TasksRpcListener", "Checks that the Tasks RPC Listener is running and is responding to remote requests."),
    ("TcpListener", "Checks that the TCP Listener is running and is responding to requests."),
    ("ServerLocatorService", "Checks that the Server Locator Service is running and is responding to requests."),
    ("DagMembersUp", "Verifies that the members of a database availability group are up and running."),
    ("ClusterNetwork", "Checks that the networks are healthy."),
    ("QuorumGroup", "Checks that the quorum and witness for the database availability group is healthy."),
    ("FileShareQuorum", "Verifies that the path used for the file share witness can be reached."),
    ("DBCopySuspended", "Checks whether any mailbox database copies are in a state of 'Suspended' on this server."),
    ("DBCopyFailed", "Checks whether any mailbox database copies are in a state of 'Failed' on this server."),
    ("DBInitializing", "Checks whether any mailbox database copies are in a state of 'Initializing' on this server."),
    ("DBDisconnected", "Checks whether any mailbox database copies are in a state of 'Disconnected' on this server."),
    ("DBLogCopyKeepingUp", "Verifies that log copying and inspection by the passive database copies on this "
                           "server are able to keep up with log generation activity on the active copy."),
    ("DBLogReplayKeepingUp", "Verifies that replay activity for the passive database copies on this server is "
                             "able to keep up with log copying and inspection activity."),
)
COPY_QUEUE_LIMIT = 10
REPLAY_QUEUE_LIMIT = 50


def replication_health(org: Any, server: Any) -> list[tuple[str, str, str, str | None]]:
    """(check, description, result, error) for each check, in Exchange's order."""
    if not server.dag:
        raise E.InvalidOperationException(
            f"Test-ReplicationHealth can only be run against a Mailbox server that is a member of a database "
            f"availability group. Server '{server.name}' isn't a member of a database availability group.")
    dag = org.dags[server.dag.lower()]
    results: dict[str, tuple[str, str | None]] = {}
    up = org.machine_running(server)
    if not up:
        for check, _ in CHECKS:
            results[check] = ("Failed", f"Server '{server.name}' couldn't be contacted.")
        return [(c, d, *results[c]) for c, d in CHECKS]
    quorate = org.server_has_quorum(server)
    results["ClusterService"] = (("Passed", None) if server.cluster_service and quorate else
                                 ("Failed", f"The cluster service on server '{server.name}' isn't healthy or "
                                            "the database availability group doesn't have quorum."))
    repl = ("Passed", None) if server.replication_service else (
        "Failed", f"The Microsoft Exchange Replication service isn't running on server '{server.name}'.")
    for check in ("ReplayService", "ActiveManager", "TasksRpcListener", "TcpListener", "ServerLocatorService"):
        results[check] = repl
    down = [m for m in dag.servers if not org.machine_running(org.servers[m.lower()])]
    results["DagMembersUp"] = ("Passed", None) if not down else (
        "Failed", f"The following servers in the Windows Failover Cluster are not up: {', '.join(down)}")
    results["ClusterNetwork"] = ("Passed", None)
    results["QuorumGroup"] = ("Passed", None) if org.has_quorum(dag) else (
        "Failed", f"The quorum group of database availability group '{dag.name}' isn't online.")
    witness = org.current_witness(dag)
    needs = len(dag.cluster_nodes) % 2 == 0
    results["FileShareQuorum"] = ("Passed", None) if (not needs or (witness and org.reachable(server, witness))) else (
        "Failed", f"The file share witness '\\\\{dag.witness_server}\\{dag.name}.{org.domain}' can't be reached.")
    states: dict[str, list[str]] = {"Suspended": [], "Failed": [], "Initializing": [], "Disconnected": []}
    slow_copy, slow_replay = [], []
    for db in org.databases_on(server):
        c = db.copy_on(server.name)
        if c.server.lower() == db.active_server.lower():
            continue
        st = org.copy_status(db, c)
        name = f"{db.name}\\{server.name}"
        for key in states:
            if st.startswith(key) or (key == "Suspended" and st == "FailedAndSuspended"):
                states[key].append(name)
        if org.copy_queue_length(db, c) >= COPY_QUEUE_LIMIT:
            slow_copy.append(name)
        if org.replay_queue_length(db, c) >= REPLAY_QUEUE_LIMIT and not c.replay_lag_time:
            slow_replay.append(name)
    for check, key in (("DBCopySuspended", "Suspended"), ("DBCopyFailed", "Failed"),
                       ("DBInitializing", "Initializing"), ("DBDisconnected", "Disconnected")):
        names = states[key]
        results[check] = ("Passed", None) if not names else (
            "Failed", f"The following database copies are in a '{key}' state: {', '.join(names)}")
    results["DBLogCopyKeepingUp"] = ("Passed", None) if not slow_copy else (
        "Warning", f"Log copying isn't keeping up for: {', '.join(slow_copy)}")
    results["DBLogReplayKeepingUp"] = ("Passed", None) if not slow_replay else (
        "Warning", f"Log replay isn't keeping up for: {', '.join(slow_replay)}")
    return [(c, d, *results[c]) for c, d in CHECKS]
