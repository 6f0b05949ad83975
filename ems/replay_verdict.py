"""The verdict at the end of a replay: is the organisation the runbook left behind sound?

Five checks over the final ``State`` (issue #7): every database mounted exactly once; each
on a member with quorum; no split-brain; passive copies healthy or resynchronizing; no more
logs lost than the operator said they accept (``--expect-loss N``). Copies on servers the
runbook deliberately took out of service (DAC StoppedMailboxServers) are not counted: after a
datacenter switchover the failed site's copies are down by design. Things that don't break
the DAG but are usually forgotten (a member still Blocked, activation still suspended) are
reported as notes and do not change the verdict.
"""
from __future__ import annotations

import attrs

from ems.replay_state import SOUND_COPY_STATES, State


@attrs.frozen
class Check:
    name: str
    ok: bool
    detail: str


@attrs.frozen
class Verdict:
    checks: tuple
    notes: tuple
    logs_lost: int
    allowed_loss: int
    recovered: int

    @property
    def holds(self) -> bool:
        return all(c.ok for c in self.checks)


def _stopped(state: State, server: str) -> bool:
    s = state.server(server)
    dag = state.dag(s.dag) if s is not None and s.dag else None
    return dag is not None and server.lower() in (n.lower() for n in dag.stopped)


def judge(state: State, logs_lost: int = 0, allowed_loss: int = 0, recovered: int = 0) -> Verdict:
    return Verdict((_mounted_once(state), _quorum(state), _split_brain(state), _copies(state),
                    _loss(logs_lost, allowed_loss, recovered)),
                   tuple(_notes(state)), logs_lost, allowed_loss, recovered)


def _mounted_once(state: State) -> Check:
    bad, good = [], []
    for db in state.databases:
        mounted = [c.server for c in db.copies if c.mounted]
        if not db.copies:
            mounted = [db.active_server] if db.mounted else []
        if len(mounted) == 1:
            good.append(f"{db.name} on {mounted[0]}")
        elif not mounted:
            bad.append(f"{db.name} is {db.active_status} on {db.active_server}")
        else:
            bad.append(f"{db.name} is mounted on {' and '.join(mounted)}")
    if not state.databases:
        return Check("every database mounted exactly once", True, "no mailbox databases")
    return Check("every database mounted exactly once", not bad, "; ".join(bad or good))


def _quorum(state: State) -> Check:
    bad = []
    for db in state.databases:
        if not db.mounted:
            continue
        s = state.server(db.active_server)
        dag = state.dag(s.dag) if s is not None and s.dag else None
        if dag is None or s.name not in dag.cluster_nodes:
            continue
        part = dag.quorate
        if part is None or s.name not in part.nodes:
            bad.append(f"{db.name} is mounted on {s.name}, which has no quorum")
        elif _stopped(state, s.name):
            bad.append(f"{db.name} is mounted on {s.name}, which is on the StoppedMailboxServers list")
    return Check("on a member with quorum", not bad, "; ".join(bad) or "yes")


def _split_brain(state: State) -> Check:
    bad = []
    for dag in state.dags:
        quorate = [p for p in dag.partitions if p.quorum]
        if len(quorate) > 1:
            bad.append(f"{dag.name} has {len(quorate)} partitions with quorum")
        part = dag.quorate
        for name in dag.stopped:
            if part is not None and name in part.nodes:
                bad.append(f"{name} is on the StoppedMailboxServers list of {dag.name} but still a running "
                           "node of the cluster that has quorum")
    for db in state.databases:
        mounted = [c.server for c in db.copies if c.mounted]
        if len(mounted) > 1:
            bad.append(f"{db.name} is mounted on {' and '.join(mounted)}")
    return Check("no split-brain", not bad, "; ".join(bad) or "none")


def _copies(state: State) -> Check:
    bad, skipped, counted = [], 0, 0
    for db in state.databases:
        for c in db.copies:
            if c.active:
                continue
            if _stopped(state, c.server):
                skipped += 1
                continue
            counted += 1
            if c.status not in SOUND_COPY_STATES:
                bad.append(f"{db.name}\\{c.server} is {c.status}")
    detail = "; ".join(bad) if bad else f"{counted} passive {'copy' if counted == 1 else 'copies'}"
    if skipped:
        detail += f" ({skipped} on stopped servers not counted)"
    return Check("copies healthy or resynchronizing", not bad, detail)


def _loss(lost: int, allowed: int, recovered: int) -> Check:
    detail = f"{lost} logs lost (allowed {allowed}); {recovered} messages recovered by the transport dumpster"
    return Check("data loss within the stated limit", lost <= allowed, detail)


def _notes(state: State) -> list[str]:
    notes = []
    for dag in state.dags:
        if dag.stale:
            notes.append(f"{' '.join(dag.stale)} {'was' if len(dag.stale) == 1 else 'were'} evicted from {dag.name} "
                         "while out of reach and still see the old cluster")
    for s in state.servers:
        if s.kind == "member" and s.activation_policy == "Blocked":
            notes.append(f"{s.name} still blocks automatic activation (DatabaseCopyAutoActivationPolicy Blocked)")
    for db in state.databases:
        for c in db.copies:
            if c.activation_suspended and not c.active and not _stopped(state, c.server):
                notes.append(f"activation of {db.name}\\{c.server} is still suspended")
    return notes
