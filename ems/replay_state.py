"""What a runbook step did to the DAG: a snapshot of the organisation and the diff of two.

The replay reads the organisation only through its public data (``sites``, ``servers``,
``dags``, ``databases``, ``events``) and its read-only queries (``machine_running``,
``quorum``, ``dag_status``, ``current_witness``, ``copy_status``, queue lengths). It
never calls anything that changes the model, so observing a replay cannot alter it.

A ``State`` keeps only what matters to a DAG: where each database is active and mounted,
copy statuses and queues, machines and services up or down, cluster members, quorum per
partition, the witness in use, the PAM, DACP bits, DAC Started/Stopped lists and the
activation settings of the members. ``diff`` turns two states into ``Change`` rows;
unchanged things produce none.

Logs lost and messages recovered are not state but history: they are read from the events
the step added to the timeline (``step_losses``), the one place Active Manager reports them.
"""
from __future__ import annotations

from typing import Any

import attrs

#: Passive copy states the verdict accepts (issue #7: "copies healthy or resynchronizing").
SOUND_COPY_STATES = ("Healthy", "Resynchronizing")
#: A passive copy that can't see the active's log stream reports an enormous copy queue so that
#: it is never activated (TM-CQL: 9223372036854775766); the report names it instead.
SELF_PROTECTION = 2 ** 62


@attrs.frozen
class ServerState:
    name: str
    site: str
    kind: str
    """``member`` (DAG member), ``mailbox`` (Mailbox server outside a DAG), ``exchange``,
    ``dc``, ``file``."""
    running: bool
    crashed: bool
    dag: str | None = None
    cluster_service: bool = True
    cluster_start_type: str = "Automatic"
    replication_service: bool = True
    information_store: bool = True
    dacp: int | None = None
    """DACP bit of a member of a DAC-mode DAG; None otherwise."""
    activation_policy: str = "Unrestricted"
    mount_dial: str = "GoodAvailability"
    max_active: int | None = None

    @property
    def state_text(self) -> str:
        if not self.running:
            return "crashed" if self.crashed else "down"
        return "running"


@attrs.frozen
class CopyState:
    database: str
    server: str
    active: bool
    status: str
    """What Get-MailboxDatabaseCopyStatus shows (Mounted/Dismounted for the active copy)."""
    copy_queue: int
    replay_queue: int
    activation_suspended: bool
    preference: int
    split_brain: bool = False
    """Mounted by a stale cluster partition that doesn't know the database moved."""

    @property
    def mounted(self) -> bool:
        return self.status == "Mounted" or self.split_brain

    @property
    def text(self) -> str:
        parts = ["Mounted by a stale cluster (split brain)" if self.split_brain and not self.active
                 else self.status]
        if self.copy_queue >= SELF_PROTECTION:
            parts.append("self-protection copy queue")
        elif self.copy_queue:
            parts.append(f"copy queue {self.copy_queue}")
        if self.replay_queue:
            parts.append(f"replay queue {self.replay_queue}")
        if self.activation_suspended and not self.active:
            parts.append("activation suspended")
        return ", ".join(parts)


@attrs.frozen
class DatabaseState:
    name: str
    active_server: str
    mounted: bool
    active_status: str
    copies: tuple

    @property
    def text(self) -> str:
        return f"{self.active_server} ({self.active_status})"

    def copy_on(self, server: str) -> CopyState | None:
        for c in self.copies:
            if c.server.lower() == server.lower():
                return c
        return None


@attrs.frozen
class PartitionState:
    nodes: tuple
    votes: int
    needed: int
    voters: int
    witness_vote: bool
    quorum: bool

    @property
    def text(self) -> str:
        who = " ".join(self.nodes) + (" +witness" if self.witness_vote else "")
        verdict = "quorum" if self.quorum else f"no quorum (needs {self.needed})"
        return f"{who} = {self.votes}/{self.voters} votes: {verdict}"


@attrs.frozen
class DagState:
    name: str
    members: tuple
    cluster_nodes: tuple
    started: tuple
    stopped: tuple
    dac_mode: str
    pam: str | None
    witness_server: str | None
    witness_directory: str | None
    alternate_witness_server: str | None
    alternate_witness_directory: str | None
    witness_in_use: str | None
    """WitnessShareInUse: Primary, Alternate, None (node majority) or None (no cluster, or
    no partition with quorum)."""
    witness_machine: str | None
    partitions: tuple
    witness_lock: str | None = None
    """The node holding the lock on the witness share (its partition gets the witness vote)."""
    forced_quorum: tuple = ()
    """Nodes started with forced quorum."""
    stale: tuple = ()
    """Evicted nodes that don't know it yet: they still see the old cluster (split-brain risk)."""

    @property
    def witness_text(self) -> str:
        if self.witness_in_use is None:
            return "none (no quorum)" if self.cluster_nodes else "no cluster"
        if self.witness_in_use == "None":
            return "none (node majority)"
        return f"{self.witness_machine or '?'} ({self.witness_in_use.lower()})"

    @property
    def quorum_text(self) -> str:
        if not self.cluster_nodes:
            return "no cluster"
        if not self.partitions:
            return "no node running: no quorum"
        return "; ".join(p.text for p in self.partitions)

    @property
    def quorate(self) -> PartitionState | None:
        return next((p for p in self.partitions if p.quorum), None)


@attrs.frozen
class State:
    sites: tuple
    """(name, up) pairs."""
    links: tuple
    """(name, sites, connected) triples."""
    servers: tuple
    dags: tuple
    databases: tuple

    def server(self, name: str) -> ServerState | None:
        return _find(self.servers, name)

    def dag(self, name: str) -> DagState | None:
        return _find(self.dags, name)

    def database(self, name: str) -> DatabaseState | None:
        return _find(self.databases, name)


def _find(items: tuple, name: str) -> Any:
    low = name.lower()
    return next((i for i in items if i.name.lower() == low), None)


# --- snapshot -------------------------------------------------------------------------------

def short(name: str | None) -> str | None:
    """``EX1.contoso.com`` -> ``EX1`` (the DAG lists and witness settings hold FQDNs)."""
    return name.split(".")[0] if name else name


def _names(items: list) -> tuple:
    return tuple(sorted((short(n) for n in items), key=str.lower))


def snapshot(org: Any) -> State:
    """The DAG-relevant state of ``org`` now. Reads only; changes nothing."""
    sites = tuple((s.name, bool(s.up)) for s in org.sites.values())
    links = tuple((link.name, tuple(link.sites), bool(link.connected)) for link in org.site_links)
    servers = tuple(_server_state(org, s) for s in org.servers.values())
    dags = tuple(_dag_state(org, d) for d in org.dags.values())
    databases = tuple(_database_state(org, db) for db in sorted(org.databases.values(),
                                                                  key=lambda d: d.name.lower())
                      if not getattr(db, "recovery", False))
    return State(sites, links, servers, dags, databases)


def _server_state(org: Any, s: Any) -> ServerState:
    if s.dag:
        kind = "member"
    elif s.has_role("Mailbox"):
        kind = "mailbox"
    elif s.is_exchange:
        kind = "exchange"
    elif s.is_domain_controller:
        kind = "dc"
    else:
        kind = "file"
    dag = org.dags.get(s.dag.lower()) if s.dag else None
    dacp = s.dacp if dag is not None and dag.datacenter_activation_mode == "DagOnly" else None
    return ServerState(s.name, s.site, kind, org.machine_running(s), bool(s.crashed), dag.name if dag else None,
                       bool(s.cluster_service), getattr(s, "cluster_start_type", "Automatic"),
                       bool(s.replication_service), bool(s.information_store), dacp,
                       s.database_copy_auto_activation_policy, s.auto_database_mount_dial,
                       s.maximum_active_databases)


def partition_states(org: Any, dag: Any) -> tuple:
    """Quorum per communicating partition (Q-2, Q-3) as the model's ``quorum`` view has it:
    votes (with the witness vote for the partition holding the witness lock), and which
    partition has quorum."""
    if not dag.cluster_nodes:
        return ()
    view = org.quorum(dag)
    quorate = tuple(view.quorate) if view.quorate is not None else None
    return tuple(PartitionState(tuple(sorted(part, key=str.lower)), view.votes[i], view.needed, view.voters,
                                view.witness_partition == i, quorate is not None and tuple(part) == quorate)
                 for i, part in enumerate(view.partitions))


def _dag_state(org: Any, d: Any) -> DagState:
    status = org.dag_status(d)
    witness = org.current_witness(d) if status.witness_share_in_use not in (None, "None") else None
    return DagState(
        d.name, _names(d.servers), _names(d.cluster_nodes), _names(d.started_servers),
        _names(d.stopped_servers), d.datacenter_activation_mode, status.primary_active_manager,
        short(d.witness_server), d.witness_directory, short(d.alternate_witness_server),
        d.alternate_witness_directory, status.witness_share_in_use, witness.name if witness else None,
        partition_states(org, d), getattr(d, "witness_lock", None), _names(getattr(d, "forced_quorum", [])),
        _names(list(getattr(d, "evicted_views", {}))))


def _database_state(org: Any, db: Any) -> DatabaseState:
    copies = []
    for c in sorted(db.copies, key=lambda c: c.activation_preference):
        active = c.server.lower() == db.active_server.lower()
        copies.append(CopyState(db.name, c.server, active, org.copy_status(db, c), org.copy_queue_length(db, c),
                                org.replay_queue_length(db, c), bool(c.activation_suspended),
                                c.activation_preference, bool(getattr(c, "split_brain_mounted", False))))
    active = next((c for c in copies if c.active), None)
    status = active.status if active else ("Mounted" if db.mounted else "Dismounted")
    return DatabaseState(db.name, db.active_server, bool(db.mounted), status, tuple(copies))


# --- diff -------------------------------------------------------------------------------------

@attrs.frozen
class Change:
    """One thing that changed: ``subject`` (``DB1``, ``DB1\\EX3``, ``EX1``, ``DAG1``, a site or
    link), ``what`` (``active``, ``status``, ``PAM`` ...), and the two values as text
    (``None`` = absent)."""

    subject: str
    what: str
    before: str | None
    after: str | None


def _list(items: tuple) -> str:
    return " ".join(items) if items else "(none)"


def _onoff(flag: bool, on: str = "running", off: str = "stopped") -> str:
    return on if flag else off


def _server_fields(s: ServerState) -> list[tuple[str, str]]:
    fields = [("state", s.state_text)]
    if s.kind in ("member", "mailbox"):
        if s.kind == "member":
            fields.append(("cluster service", _onoff(s.cluster_service)))
            fields.append(("cluster service start type", s.cluster_start_type))
        fields += [("replication service", _onoff(s.replication_service)),
                   ("information store", _onoff(s.information_store))]
        if s.dacp is not None:
            fields.append(("DACP", str(s.dacp)))
        fields += [("activation policy", s.activation_policy), ("mount dial", s.mount_dial),
                   ("max active databases", "unlimited" if s.max_active is None else str(s.max_active))]
    return fields


def _dag_fields(d: DagState) -> list[tuple[str, str]]:
    fields = [("members", _list(d.members)), ("cluster nodes", _list(d.cluster_nodes)),
              ("DAC mode", d.dac_mode)]
    if d.dac_mode == "DagOnly" or d.started or d.stopped:
        fields += [("started", _list(d.started)), ("stopped", _list(d.stopped))]
    fields += [("PAM", d.pam or "(none)"), ("witness in use", d.witness_text),
               ("witness server", f"{d.witness_server or '(none)'} {d.witness_directory or ''}".strip()),
               ("alternate witness", f"{d.alternate_witness_server or '(none)'} "
                                     f"{d.alternate_witness_directory or ''}".strip()),
               ("quorum", d.quorum_text), ("witness lock", d.witness_lock or "(none)"),
               ("forced quorum", _list(d.forced_quorum)), ("stale cluster view", _list(d.stale))]
    return fields


def _fields_diff(subject: str, before: list | None, after: list | None) -> list[Change]:
    b = dict(before or [])
    a = dict(after or [])
    if before is None or after is None:
        # an object appeared or disappeared: one row for it
        return [Change(subject, "exists", None if before is None else "yes", None if after is None else "yes")]
    return [Change(subject, k, b.get(k), a.get(k)) for k in dict.fromkeys([*b, *a]) if b.get(k) != a.get(k)]


def diff(before: State, after: State, losses: dict | None = None) -> list[Change]:
    """What changed from ``before`` to ``after``, in a fixed order: sites, site links,
    machines, DAGs, databases (with their copies), then logs lost per database."""
    out: list[Change] = []
    bs, as_ = dict(before.sites), dict(after.sites)
    for name in dict.fromkeys([*bs, *as_]):
        if bs.get(name) != as_.get(name):
            out.append(Change(name, "site", _updown(bs.get(name)), _updown(as_.get(name))))
    bl = {n: c for n, _, c in before.links}
    al = {n: c for n, _, c in after.links}
    for name in dict.fromkeys([*bl, *al]):
        if bl.get(name) != al.get(name):
            out.append(Change(name, "WAN link", _link(bl.get(name)), _link(al.get(name))))
    out += _objects_diff(before.servers, after.servers, _server_fields)
    out += _objects_diff(before.dags, after.dags, _dag_fields)
    bd = {d.name: d for d in before.databases}
    ad = {d.name: d for d in after.databases}
    for name in dict.fromkeys([*bd, *ad]):
        b, a = bd.get(name), ad.get(name)
        if b is None or a is None:
            out.append(Change(name, "database", b and b.text, a and a.text))
            continue
        if b.text != a.text:
            out.append(Change(name, "active", b.text, a.text))
        bc = {c.server: c for c in b.copies}
        ac = {c.server: c for c in a.copies}
        for server in dict.fromkeys([*bc, *ac]):
            x, y = bc.get(server), ac.get(server)
            if y is not None and y.active and x is not None:
                continue        # the active copy's status is the database's "active" row
            if (x and x.text) != (y and y.text):
                out.append(Change(f"{name}\\{server}", "copy", x and x.text, y and y.text))
            elif x and y and x.preference != y.preference:
                out.append(Change(f"{name}\\{server}", "activation preference", str(x.preference),
                                  str(y.preference)))
    for name, lost in (losses or {}).items():
        if lost:
            out.append(Change(name, "logs lost", None, str(lost)))
    return out


def grouped(changes: list[Change]) -> list[Change]:
    """For display: copy rows of one server with the same change become one row
    (``DB1,DB2,DB3\\EX3``), listed after the database rows, so a site failure reads in a few
    lines instead of one per copy."""
    rows: list[Change] = []
    copies: list[Change] = []
    index: dict[tuple, int] = {}
    for c in changes:
        if c.what != "copy":
            rows.append(c)
            continue
        db, server = c.subject.rsplit("\\", 1)
        key = (server.lower(), c.before, c.after)
        if key in index:
            dbs = copies[index[key]].subject.rsplit("\\", 1)[0]
            copies[index[key]] = Change(f"{dbs},{db}\\{server}", c.what, c.before, c.after)
        else:
            index[key] = len(copies)
            copies.append(c)
    at = next((i for i, c in enumerate(rows) if c.what == "logs lost"), len(rows))
    return rows[:at] + copies + rows[at:]


def _objects_diff(before: tuple, after: tuple, fields: Any) -> list[Change]:
    b = {o.name: o for o in before}
    a = {o.name: o for o in after}
    out = []
    for name in dict.fromkeys([*b, *a]):
        out += _fields_diff(name, fields(b[name]) if name in b else None, fields(a[name]) if name in a else None)
    return out


def _updown(flag: bool | None) -> str | None:
    return None if flag is None else ("up" if flag else "down")


def _link(flag: bool | None) -> str | None:
    return None if flag is None else ("connected" if flag else "disconnected")


# --- history: logs lost and messages recovered ------------------------------------------------

def step_losses(events: list) -> tuple[dict, int]:
    """(logs lost per database, messages recovered) reported by ``events``: the HA engine's
    "LogsLost" entries (one per lossy activation, ``data["logs_lost"]``) and the transport
    dumpster's "Redelivered" entries (``data["messages"]``). Read from the entries' data,
    never from their text."""
    lost: dict[str, int] = {}
    recovered = 0
    for e in events:
        kind = getattr(e, "event", None)
        data = getattr(e, "data", None) or {}
        if kind == "LogsLost" and e.database:
            lost[e.database] = lost.get(e.database, 0) + int(data.get("logs_lost", 0))
        elif kind == "Redelivered":
            recovered += int(data.get("messages", 0))
    return lost, recovered
