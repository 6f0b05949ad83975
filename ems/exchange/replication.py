"""Log streams (§7 L-1..L-4) and copy status as Get-MailboxDatabaseCopyStatus reports it.

The active copy generates logs (``commit_logs``); passive copies copy + inspect them at once
(modelled as one step, L-3) and replay them when their replay lag allows (L-4). Work that
takes seconds in Exchange completes within the command, unless something blocks it
(server down, WAN down, Block-SimReplication, suspension). ``settle()`` brings every copy up
to date with the clock; cmdlets call it before they report.
"""
from __future__ import annotations

from typing import Any

ACTIVE_STATES = ("Mounted", "Dismounted", "Mounting", "Dismounting")
RECEIVING_STATES = ("Healthy", "Initializing", "Resynchronizing", "SeedingSource",
                    "DisconnectedAndHealthy", "DisconnectedAndResynchronizing")


class ReplicationOps:
    """Mixin of Organization: log generation, shipping, replay, and copy status."""

    def commit_logs(self, db: Any, count: int = 1, dumpster: bool = False) -> None:
        """The active copy closes ``count`` log generations now, then replication runs."""
        now = self.now()
        for _ in range(count):
            db.last_generated += 1
            db.log_times.append(now)
            if dumpster:
                db.dumpster.append(db.last_generated)
        copy = db.active_copy
        if copy is not None:
            copy.last_copied = copy.last_inspected = copy.last_replayed = db.last_generated
        self.sync_database(db)

    def can_receive_logs(self, db: Any, copy: Any) -> bool:
        if copy.server.lower() == db.active_server.lower():
            return False
        if copy.blocked or not copy.files_present or copy.status not in RECEIVING_STATES:
            return False
        host = self.servers.get(copy.server.lower())
        source = self.servers.get(db.active_server.lower())
        if host is None or source is None or not host.replication_service:
            return False
        active = db.active_copy
        if active is not None and not active.files_present:
            return False
        return self.reachable(source, host)

    def sync_database(self, db: Any) -> None:
        """Ship and replay every log a passive copy can receive right now."""
        now = self.now()
        for copy in db.copies:
            if not self.can_receive_logs(db, copy):
                continue
            if copy.status == "Initializing":
                copy.status = "Healthy"
            gen = db.last_generated
            if copy.last_inspected < gen:
                copy.logs_copied_since_start += gen - copy.last_inspected
                copy.last_copied = copy.last_inspected = gen
            target = self._replay_target(db, copy, now)
            if copy.last_replayed < target:
                copy.logs_replayed_since_start += target - copy.last_replayed
                copy.last_replayed = target

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

    def settle(self) -> None:
        """Bring every copy up to date with the clock (replay lag expiry, recovered links)."""
        for db in self.databases.values():
            self.sync_database(db)

    # --- what Get-MailboxDatabaseCopyStatus reports --------------------------------------------
    def copy_status(self, db: Any, copy: Any) -> str:
        host = self.servers.get(copy.server.lower())
        if copy.server.lower() == db.active_server.lower():
            if host is None or not self.machine_running(host) or not host.replication_service:
                return "ServiceDown"
            return "Mounted" if db.mounted else "Dismounted"
        if host is None or not self.machine_running(host) or not host.replication_service:
            return "ServiceDown"
        source = self.servers.get(db.active_server.lower())
        if copy.status in ("Healthy", "Resynchronizing") and source is not None and not self.reachable(source, host):
            return "DisconnectedAnd" + copy.status
        return copy.status

    def copy_queue_length(self, db: Any, copy: Any) -> int:
        if copy.server.lower() == db.active_server.lower():
            return 0
        return max(0, db.last_generated - copy.last_inspected)

    def replay_queue_length(self, db: Any, copy: Any) -> int:
        if copy.server.lower() == db.active_server.lower():
            return 0
        return max(0, copy.last_inspected - copy.last_replayed)
