"""Log streams (§7), copy status as Get-MailboxDatabaseCopyStatus reports it (§8), and the
transport dumpster (L-10).

The active copy generates logs (``commit_logs``; ``deliver_mail`` for messages). Passive copies
copy + inspect them at once (one step, L-3) and replay them when their replay lag allows (L-4).
Work that takes seconds in Exchange completes within the command unless something blocks it
(host down, no network path, no quorum, Block-SimReplication, suspension). ``sync_database``
also resolves divergence (L-8): a copy holding generations the active stream no longer has
discards them when it reaches the active again, or fails when the logs it needs are gone.
``settle()`` brings every copy up to date with the clock; reader cmdlets call it first.
"""
from __future__ import annotations

from typing import Any

from ems.exchange.model import DumpsterItem
from ems.exchange.values import format_timespan

RECEIVING_STATES = ("Healthy", "Initializing", "Resynchronizing", "SeedingSource",
                    "DisconnectedAndHealthy", "DisconnectedAndResynchronizing")
MESSAGE_SIZE = 4096
"""Bytes each Send-SimMail message adds to a mailbox and to the transport dumpster."""
SELF_PROTECTION_QUEUE = 9223372036854775766
"""TM-CQL: the copy queue a passive reports when its view of the active's last generation
isn't current (its server isn't in the partition with quorum, so it can't read the cluster
database), so it is never activated automatically [plausible: when the view counts as stale]."""


class ReplicationOps:
    """Mixin of Organization: log generation, shipping, replay, resync, dumpster, copy status."""

    # --- the active copy's log stream -----------------------------------------------------------
    def commit_logs(self, db: Any, count: int = 1, dumpster: bool = False, recipients: list | None = None) -> None:
        """The active copy closes ``count`` log generations now, then replication runs.
        ``recipients``: the mailbox each generation delivered a message to."""
        now = self.now()
        _pad(db)
        for i in range(count):
            db.last_generated += 1
            db.log_times.append(now)
            box = recipients[i] if recipients else None
            db.log_recipients.append(box)
            if dumpster and self.dumpster_enabled():
                db.dumpster.append(DumpsterItem(db.last_generated, box, now, MESSAGE_SIZE))
        copy = db.active_copy
        if copy is not None:
            copy.last_copied = copy.last_inspected = copy.last_replayed = db.last_generated
        self.sync_database(db)

    def deliver_mail(self, db: Any, count: int) -> None:
        """``count`` messages for ``db``'s mailboxes (round robin): each commits one log
        generation on the active copy and is kept by the transport dumpster."""
        boxes = [m for m in self.mailboxes.values() if m.database.lower() == db.name.lower()]
        names = []
        for i in range(count):
            box = boxes[i % len(boxes)] if boxes else None
            if box is not None:
                box.item_count += 1
                box.total_item_size += MESSAGE_SIZE
            names.append(box.name if box is not None else None)
        self.commit_logs(db, count, dumpster=True, recipients=names)

    def cut_log_stream(self, db: Any, last: int) -> None:
        """A lossy activation (L-7, M-7): the stream continues from generation ``last``. The
        messages of the later generations leave their mailboxes; the dumpster marks its copies
        of them for redelivery; copies that hold later generations now diverge."""
        lost = range(last + 1, db.last_generated + 1)
        self.prune_dumpster(db)
        _pad(db)
        messages = 0
        for g in lost:
            name = db.log_recipients[g - 1]
            box = self.mailboxes.get(name.lower()) if name else None
            if box is not None:
                messages += 1
                box.item_count = max(0, box.item_count - 1)
                box.total_item_size = max(0, box.total_item_size - MESSAGE_SIZE)
        kept = 0
        for item in db.dumpster:
            if item.generation > last and not item.lost:
                item.lost = True
                kept += 1
        for c in db.copies:
            if c.last_inspected > last:
                c.divergence_point = last if c.divergence_point is None else min(c.divergence_point, last)
        self.log_event("ActiveManager",
                       f"Database '{db.name}': generations {last + 1}-{db.last_generated} ({len(lost)} log(s)) lost "
                       f"with {messages} message(s); the transport dumpster holds {kept} of them.",
                       db.active_server, db.name, "Warning", event="LogsLost", logs_lost=len(lost),
                       first_generation=last + 1, last_generation=db.last_generated, messages=messages,
                       in_dumpster=kept)
        db.last_generated = last
        del db.log_times[last:]
        del db.log_recipients[last:]

    # --- shipping and replay --------------------------------------------------------------------
    def can_receive_logs(self, db: Any, copy: Any) -> bool:
        if copy.server.lower() == db.active_server.lower():
            return False
        if copy.blocked or not copy.files_present or copy.status not in RECEIVING_STATES:
            return False
        host = self.servers.get(copy.server.lower())
        source = self.servers.get(db.active_server.lower())
        if host is None or source is None or not host.replication_service or not source.replication_service:
            return False
        active = db.active_copy
        if active is not None and not active.files_present:
            return False
        if not self.reachable(source, host):
            return False
        # Q-4 [plausible]: without quorum there is no cluster database to read the active's
        # last generation from, so replication stops on both ends.
        return self.server_has_quorum(host) and self.server_has_quorum(source)

    def sync_database(self, db: Any) -> None:
        """Ship and replay every log each passive copy can receive right now; resolve
        divergence first (L-8)."""
        now = self.now()
        for copy in db.copies:
            if not self.can_receive_logs(db, copy):
                continue
            if copy.divergence_point is not None and not self._resynchronize(db, copy):
                continue
            if copy.last_inspected < db.truncated_through:
                self._fail_copy(db, copy, f"The log files the database copy '{db.name}\\{copy.server}' needs "
                                          f"(from generation {copy.last_inspected + 1}) were truncated on the "
                                          "active copy. The copy must be reseeded.")
                continue
            if copy.status in ("Initializing", "Resynchronizing"):
                copy.status = "Healthy"
            gen = db.last_generated
            if copy.last_inspected < gen:
                copy.logs_copied_since_start += gen - copy.last_inspected
                copy.last_copied = copy.last_inspected = gen
            target = self._replay_target(db, copy, now)
            if copy.last_replayed < target:
                copy.logs_replayed_since_start += target - copy.last_replayed
                copy.last_replayed = target
        self._truncate(db)
        self.prune_dumpster(db)

    def _resynchronize(self, db: Any, copy: Any) -> bool:
        """L-8: compare with the active stream back to the divergence point, discard the
        copy's later generations, then copy forward. False when that can't be done."""
        point = copy.divergence_point
        copy.status = "Resynchronizing"
        if point < db.truncated_through:
            self._fail_copy(db, copy, f"Database copy '{db.name}\\{copy.server}' diverged from the active copy "
                                      f"after generation {point}, and the active copy no longer has the log files "
                                      "needed to resynchronize it. The copy must be reseeded.")
            return False
        discarded = max(0, copy.last_inspected - point)
        first = point + 1
        copy.last_copied = min(copy.last_copied, point)
        copy.last_inspected = min(copy.last_inspected, point)
        copy.last_replayed = min(copy.last_replayed, point)
        copy.divergence_point = None
        self.log_event("Replication",
                       f"Database copy '{db.name}\\{copy.server}' resynchronized with {db.active_server}: divergence "
                       f"after generation {point}; discarded {discarded} divergent log(s) "
                       f"({first}-{point + discarded}) and copies on from generation {first}.",
                       copy.server, db.name, event="Resynchronized", divergence_point=point, discarded=discarded)
        return True

    def _fail_copy(self, db: Any, copy: Any, message: str) -> None:
        copy.status = "FailedAndSuspended"
        copy.error_message = message
        copy.divergence_point = None
        self.log_event("Replication", message, copy.server, db.name, "Error", event="CopyFailed",
                       status=copy.status)

    def _replay_target(self, db: Any, copy: Any, now: Any) -> int:
        lag = copy.replay_lag_time
        if not lag:
            return copy.last_inspected
        target = copy.last_replayed
        for g in range(copy.last_replayed + 1, copy.last_inspected + 1):
            t = db.log_time(g)
            if t is None or t + lag > now:
                break
            target = g
        return target

    def _truncate(self, db: Any) -> None:
        """L-5 with circular logging: generations every receiving copy no longer needs
        (inspected by lagged copies, replayed by the others) are deleted on the active. A copy
        that can't receive logs doesn't hold truncation [plausible] and needs a reseed when it
        falls behind. Then each passive copy truncates its own logs (``_truncate_copy``)."""
        if not db.circular_logging_enabled:
            return
        needed = db.last_generated
        passives = [c for c in db.copies
                    if c.server.lower() != db.active_server.lower() and self.can_receive_logs(db, c)]
        for c in passives:
            needed = min(needed, c.last_inspected if c.replay_lag_time else c.last_replayed)
        if needed > db.truncated_through:
            db.truncated_through = needed
        for c in passives:
            self._truncate_copy(db, c)

    def _truncate_copy(self, db: Any, copy: Any) -> None:
        """L-4/L-5: a passive copy deletes a log once it is replayed (below its checkpoint),
        already truncated on the active, and older than its ReplayLagTime + TruncationLagTime
        (the truncation lag timer starts when the log is replayed, which for a lagged copy is
        the log's time plus the replay lag). A copy with a truncation or replay lag says on the
        timeline what it deleted: it keeps logs the active no longer has."""
        limit = min(copy.last_replayed, db.truncated_through)
        lag = copy.replay_lag_time + copy.truncation_lag_time
        if lag:
            now = self.now()
            upto = copy.truncated_through
            for g in range(copy.truncated_through + 1, limit + 1):
                t = db.log_time(g)
                if t is None or t + lag > now:
                    break
                upto = g
            limit = upto
        if limit <= copy.truncated_through:
            return
        first = copy.truncated_through + 1
        copy.truncated_through = limit
        if lag:
            self.log_event("Replication", f"Database copy '{db.name}\\{copy.server}' truncated log generations "
                                          f"{first}-{limit}: replayed, truncated on the active copy, and older than "
                                          f"its ReplayLagTime + TruncationLagTime ({format_timespan(lag)}).",
                           copy.server, db.name, event="LogsTruncated", first_generation=first,
                           last_generation=limit)

    def settle(self) -> None:
        """Bring every copy up to date with the clock (replay lag expiry, recovered links)."""
        for db in self.databases.values():
            self.sync_database(db)

    # --- transport dumpster (L-10) ---------------------------------------------------------------
    def dumpster_enabled(self) -> bool:
        tc = self.transport_config
        size = tc.max_dumpster_size_per_database.bytes
        return bool(tc.max_dumpster_time) and (size is None or size > 0)

    def prune_dumpster(self, db: Any) -> None:
        """L-10: messages leave the dumpster once their log reached every copy (2010), when
        older than MaxDumpsterTime, and oldest first while over MaxDumpsterSizePerDatabase."""
        if not db.dumpster:
            return
        tc = self.transport_config
        everywhere = min((c.last_inspected for c in db.copies), default=0)
        if any(c.divergence_point is not None for c in db.copies):
            everywhere = min(everywhere, min(c.divergence_point for c in db.copies if c.divergence_point is not None))
        oldest = self.now() - tc.max_dumpster_time
        items = [i for i in db.dumpster if (i.lost or i.generation > everywhere)
                 and (i.received is None or i.received >= oldest)]
        limit = tc.max_dumpster_size_per_database.bytes
        if limit is not None:
            while items and sum(i.size for i in items) > limit:
                items.pop(0)
        if len(items) != len(db.dumpster):
            db.dumpster = items

    def redeliver_from_dumpster(self, db: Any) -> None:
        """After a lossy activation the new active asks the Hub Transport servers for the
        messages of the lost generations; the store discards duplicates (L-10). Waits while no
        running Hub Transport server can reach the new active [plausible]."""
        lost = [i for i in db.dumpster if i.lost]
        if not lost or not db.mounted:
            return
        self.prune_dumpster(db)
        lost = [i for i in db.dumpster if i.lost]
        host = self.servers[db.active_server.lower()]
        hub = next((s for s in self.servers.values()
                    if s.has_role("HubTransport") and self.reachable(s, host)), None)
        if hub is None or not lost:
            return
        db.dumpster = [i for i in db.dumpster if not i.lost]
        names = []
        for item in lost:
            box = self.mailboxes.get(item.mailbox.lower()) if item.mailbox else None
            if box is not None:
                box.item_count += 1
                box.total_item_size += item.size
            names.append(item.mailbox)
        self.log_event("Transport", f"The transport dumpster on {hub.name} redelivered {len(lost)} message(s) "
                                    f"to database '{db.name}' after a lossy activation.",
                       hub.name, db.name, event="Redelivered", messages=len(lost), hub=hub.name)
        self.commit_logs(db, len(lost), dumpster=True, recipients=names)

    # --- what Get-MailboxDatabaseCopyStatus reports --------------------------------------------
    def copy_status(self, db: Any, copy: Any) -> str:
        host = self.servers.get(copy.server.lower())
        if copy.split_brain_mounted and host is not None and self.machine_running(host):
            return "Mounted"  # a stale cluster mounted it too (split brain, ems.exchange.services)
        if copy.server.lower() == db.active_server.lower():
            if host is None or not self.machine_running(host) or not host.replication_service:
                return "ServiceDown"
            return "Mounted" if db.mounted else "Dismounted"
        if host is None or not self.machine_running(host) or not host.replication_service:
            return "ServiceDown"
        if copy.status in ("Healthy", "Resynchronizing"):
            source = self.servers.get(db.active_server.lower())
            if source is not None and (not self.reachable(source, host) or not self.server_has_quorum(host)):
                return "DisconnectedAnd" + copy.status
        return copy.status

    def copy_queue_length(self, db: Any, copy: Any) -> int:
        if copy.server.lower() == db.active_server.lower():
            return 0
        host = self.servers.get(copy.server.lower())
        if host is not None and self.machine_running(host) and not self.server_has_quorum(host):
            return SELF_PROTECTION_QUEUE
        return max(0, db.last_generated - self.shared_position(copy))

    @staticmethod
    def shared_position(copy: Any) -> int:
        """The last generation ``copy`` holds of the current stream: a diverged copy shares
        only the generations up to its divergence point (L-7)."""
        if copy.divergence_point is None:
            return copy.last_inspected
        return min(copy.last_inspected, copy.divergence_point)

    def replay_queue_length(self, db: Any, copy: Any) -> int:
        if copy.server.lower() == db.active_server.lower():
            return 0
        return max(0, copy.last_inspected - copy.last_replayed)


def _pad(db: Any) -> None:
    """Older saved states have no recipients for their generations."""
    missing = len(db.log_times) - len(db.log_recipients)
    if missing > 0:
        db.log_recipients.extend([None] * missing)
