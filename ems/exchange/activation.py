"""Mount, dismount and switchover: the one place where a database changes its active copy.

``mount_database`` / ``dismount_database`` act on the active copy (MD-1). ``move_active``
performs a database switchover (A-6): checks (B-6), best copy selection for targetless
moves (B-2..B-4), attempt copy last logs from the old active, the mount dial (M-2..M-5),
then the move itself. The HA engine's failovers should call ``activate_copy`` so that every
change of the active designation goes through the same code.
"""
from __future__ import annotations

from typing import Any

import attrs

from ems.exchange import errors as E

# B-6: numeric switchover criteria are undocumented; the BCS tier thresholds are used.
MAX_COPY_QUEUE = 10
MAX_REPLAY_QUEUE = 50
DIAL_LIMITS = {"Lossless": 0, "GoodAvailability": 6, "BestAvailability": 12, "BestEffort": None}
BCS_STATES = ("Healthy", "DisconnectedAndHealthy", "DisconnectedAndResynchronizing", "SeedingSource")


@attrs.frozen
class MoveOutcome:
    """What Move-ActiveMailboxDatabase reports for one database."""

    database: str
    active_server_at_start: str
    active_server_at_end: str
    status: str
    logs_lost: int
    recovery_point: Any
    mount_status_at_start: str
    mount_status_at_end: str
    error_message: str | None = None


def _am_error(message: str, db: str, server: str, fqdn: str) -> E.AmDbActionException:
    return E.AmDbActionException(
        f"An Active Manager operation failed. Error: The database action failed. Error: {message} "
        f"[Database: {db}, Server: {fqdn}]")


class ActivationOps:
    """Mixin of Organization: Mount-Database, Dismount-Database, Move-ActiveMailboxDatabase."""

    # --- mount / dismount ----------------------------------------------------------------------
    def mount_database(self, db: Any, force: bool = False, accept_data_loss: bool = False) -> None:
        """Mount-Database. ``accept_data_loss`` is accepted for -AcceptDataLoss; mounting never
        needs it here because a copy is always activated with every log it has (the loss, if
        any, was accepted by the switchover's mount dial)."""
        server = self.servers[db.active_server.lower()]
        fqdn = self.fqdn(server.name)
        if db.mounted:
            return
        if not self.machine_running(server) or not server.information_store:
            raise E.AmDbActionException(
                f"Couldn't mount the database that you specified. Specified database: {db.name}; Error code: "
                f"An Active Manager operation failed. Error: The Microsoft Exchange Information Store service "
                f"on server {fqdn} isn't running. [Server: {fqdn}].", target=db.name)
        self._check_may_mount(db, server)
        active = db.active_copy
        if not active.files_present and not force:
            raise E.AmDbActionException(
                f"Couldn't mount the database that you specified. Specified database: {db.name}; Error code: "
                f"An Active Manager operation failed. Error: The database action failed. Error: Operation "
                f"failed with message: MapiExceptionNotFound: Unable to mount database. "
                f"(hr=0x8004010f, ec=-2147221233) [Database: {db.name}, Server: {fqdn}].", target=db.name)
        if not active.files_present:
            self._recreate_empty_database(db, active)
        db.mounted = True
        db.mounted_since = self.now()
        self.log_event("Store", f"Database '{db.name}' mounted on {server.name}.", server.name, db.name)
        self.commit_logs(db, 1)

    def _check_may_mount(self, db: Any, server: Any) -> None:
        """MD-3/MD-4: quorum, DAC consensus (stopped servers), MaximumActiveDatabases."""
        fqdn = self.fqdn(server.name)
        prefix = (f"Couldn't mount the database that you specified. Specified database: {db.name}; Error code: "
                  "An Active Manager operation failed. Error An Active Manager operation encountered an error. "
                  "To perform this operation, the server must be a member of a database availability group, "
                  "and the database availability group must have quorum.")
        dag = self.dags.get(server.dag.lower()) if server.dag else None
        if dag is not None:
            if not self.server_has_quorum(server):
                raise E.AmDbActionException(f"{prefix} [Server: {fqdn}].", target=db.name)
            if dag.datacenter_activation_mode == "DagOnly" and server.name.lower() in (
                    s.lower() for s in dag.stopped_servers):
                raise E.AmDbActionException(
                    f"{prefix} Error: Automount consensus not reached.. [Server: {fqdn}].", target=db.name)
        limit = server.maximum_active_databases
        if limit is not None:
            active = sum(1 for d in self.databases.values()
                         if d.mounted and d.active_server.lower() == server.name.lower())
            if active >= limit:
                raise E.AmDbActionException(
                    f"Couldn't mount the database that you specified. Specified database: {db.name}; Error code: "
                    f"The server {server.name} has reached its maximum number of active databases ({limit}). "
                    f"[Server: {fqdn}].", target=db.name)

    def _recreate_empty_database(self, db: Any, active: Any) -> None:
        """Mount-Database -Force with the files gone: Exchange creates a new, empty database.
        The log stream restarts, so every passive copy must be reseeded (L-1)."""
        active.files_present = True
        for box in self.mailboxes.values():
            if box.database.lower() == db.name.lower():
                box.item_count = box.total_item_size = box.deleted_item_count = 0
        db.last_generated = 0
        db.log_times = []
        for c in db.copies:
            c.last_copied = c.last_inspected = c.last_replayed = 0
            if c is not active:
                c.status = "FailedAndSuspended"
                c.error_message = (f"The log stream of database '{db.name}' was reset. "
                                   "The database copy must be reseeded.")
        self.log_event("Store", f"Database '{db.name}' files were missing; an empty database was created.",
                       active.server, db.name, "Warning")

    def dismount_database(self, db: Any) -> None:
        server = self.servers[db.active_server.lower()]
        if not self.machine_running(server) or not server.information_store:
            raise E.AmDbActionException(
                f"Couldn't dismount the database that you specified. Specified database: {db.name}; Error code: "
                f"The Microsoft Exchange Information Store service on server {self.fqdn(server.name)} isn't "
                "running.", target=db.name)
        if not db.mounted:
            return
        db.mounted = False
        db.mounted_since = None
        self.log_event("Store", f"Database '{db.name}' dismounted on {server.name} by an administrator.",
                       server.name, db.name)
        self.sync_database(db)

    # --- best copy selection (B-2..B-4) ---------------------------------------------------------
    def activation_candidates(self, db: Any, automatic: bool = True) -> list:
        """B-2: passive copies that may be activated, in B-3 order."""
        source = self.servers.get(db.active_server.lower())
        out = []
        for copy in db.copies:
            if copy.server.lower() == db.active_server.lower():
                continue
            host = self.servers.get(copy.server.lower())
            if host is None or not self.machine_running(host) or not host.replication_service:
                continue
            if self.copy_status(db, copy) not in BCS_STATES:
                continue
            if copy.activation_suspended:
                continue
            if automatic and host.database_copy_auto_activation_policy == "Blocked":
                continue
            if (automatic and host.database_copy_auto_activation_policy == "IntrasiteOnly"
                    and source is not None and source.site.lower() != host.site.lower()):
                continue
            if not self.server_has_quorum(host) or self._dac_stopped(host):
                continue
            if self._at_max_active(host):
                continue
            out.append(copy)
        lossless = any(self.servers[c.server.lower()].auto_database_mount_dial == "Lossless"
                       for c in db.copies if c.server.lower() in self.servers)
        if lossless:
            out.sort(key=lambda c: c.activation_preference)
        else:
            out.sort(key=lambda c: (self.copy_queue_length(db, c), c.activation_preference))
        return out

    def select_best_copy(self, db: Any, lossless: bool = False, automatic: bool = True) -> Any:
        """B-4: the first of the ten criteria tiers that has a candidate wins."""
        cands = self.activation_candidates(db, automatic)
        if lossless:
            cands.sort(key=lambda c: c.activation_preference)
        cq = lambda c: self.copy_queue_length(db, c) < MAX_COPY_QUEUE  # noqa: E731
        rq = lambda c: self.replay_queue_length(db, c) < MAX_REPLAY_QUEUE  # noqa: E731
        ci = lambda state: (lambda c: c.content_index_state == state)  # noqa: E731
        tiers = [
            lambda c: ci("Healthy")(c) and cq(c) and rq(c),
            lambda c: ci("Crawling")(c) and cq(c) and rq(c),
            lambda c: ci("Healthy")(c) and rq(c),
            lambda c: ci("Crawling")(c) and rq(c),
            rq,
            lambda c: ci("Healthy")(c) and cq(c),
            lambda c: ci("Crawling")(c) and cq(c),
            ci("Healthy"),
            ci("Crawling"),
            lambda c: True,
        ]
        for tier in tiers:
            for c in cands:
                if tier(c):
                    return c
        return None

    def _dac_stopped(self, server: Any) -> bool:
        dag = self.dags.get(server.dag.lower()) if server.dag else None
        return bool(dag and dag.datacenter_activation_mode == "DagOnly"
                    and server.name.lower() in (s.lower() for s in dag.stopped_servers))

    def _at_max_active(self, server: Any) -> bool:
        limit = server.maximum_active_databases
        if limit is None:
            return False
        return sum(1 for d in self.databases.values()
                   if d.active_server.lower() == server.name.lower()) >= limit

    # --- switchovers --------------------------------------------------------------------------
    def move_active(self, db: Any, target: Any = None, mount_dial_override: str | None = None,
                    skip_health_checks: bool = False, skip_lag_checks: bool = False,
                    skip_client_experience_checks: bool = False, skip_active_copy_checks: bool = False,
                    move_comment: str | None = None) -> MoveOutcome:
        """Database switchover to ``target`` (a Server) or, without one, to the best copy.
        ``skip_active_copy_checks`` is accepted for -SkipActiveCopyChecks: seeding completes
        within its command, so an active copy is never a seeding source when a move starts."""
        source = self.servers[db.active_server.lower()]
        fqdn = self.fqdn(source.name)
        if len(db.copies) < 2:
            raise _am_error(f"An error occurred while trying to validate the specified database copy for "
                            f"possible activation. Error: Database '{db.name}' doesn't have any passive "
                            f"copies that can be activated.", db.name, source.name, fqdn)
        if target is None:
            copy = self.select_best_copy(db, lossless=mount_dial_override in (None, "Lossless"), automatic=False)
            if copy is None:
                raise _am_error("An error occurred while trying to select a database copy for possible "
                                "activation. Error: No database copies were found that could be activated.",
                                db.name, source.name, fqdn)
        else:
            copy = db.copy_on(target.name)
            if copy is None:
                raise _am_error(f"An error occurred while trying to validate the specified database copy "
                                f"for possible activation. Error: Database copy '{db.name}' on server "
                                f"'{target.name}' couldn't be found.", db.name, target.name, self.fqdn(target.name))
            if target.name.lower() == source.name.lower():
                raise _am_error(f"An error occurred while trying to validate the specified database copy "
                                f"for possible activation. Error: Database copy '{db.name}' on server "
                                f"'{target.name}' is already the active copy.", db.name, target.name,
                                self.fqdn(target.name))
        logs_lost = self._validate_switchover(db, copy, mount_dial_override, skip_health_checks,
                                              skip_lag_checks, skip_client_experience_checks)
        return self.activate_copy(db, copy, logs_lost, reason=move_comment or "administrator switchover")

    def _validate_switchover(self, db: Any, copy: Any, dial: str | None, skip_health: bool,
                             skip_lag: bool, skip_ci: bool) -> int:
        """B-6 checks for an explicit target; returns the number of logs that would be lost."""
        host = self.servers[copy.server.lower()]
        source = self.servers[db.active_server.lower()]
        fqdn = self.fqdn(host.name)
        name = f"{db.name}\\{host.name}"
        pre = ("An error occurred while trying to validate the specified database copy for possible "
               f"activation. Error: Database copy '{db.name}' on server '{host.name}'")
        status = self.copy_status(db, copy)
        if not self.machine_running(host) or not host.replication_service:
            raise _am_error(f"{pre} can't be activated because the Microsoft Exchange Replication service "
                            f"on server '{host.name}' isn't reachable.", db.name, host.name, fqdn)
        if not self.server_has_quorum(host):
            raise _am_error(f"{pre} can't be activated because server '{host.name}' isn't in a database "
                            "availability group partition that has quorum.", db.name, host.name, fqdn)
        if self._dac_stopped(host):
            raise _am_error(f"{pre} can't be activated because server '{host.name}' is on the "
                            "StoppedMailboxServers list of its database availability group.",
                            db.name, host.name, fqdn)
        if status in ("Suspended", "FailedAndSuspended", "Seeding"):
            raise _am_error(f"{pre} has status '{status}' and can't be activated. "
                            "Resume or reseed the copy first.", db.name, host.name, fqdn)
        if status == "Failed" and not skip_health:
            raise _am_error(f"{pre} has status 'Failed'. Use -SkipHealthChecks to activate a failed copy.",
                            db.name, host.name, fqdn)
        if status not in BCS_STATES + ("Failed",):
            raise _am_error(f"{pre} has status '{status}' and can't be activated.", db.name, host.name, fqdn)
        if not copy.files_present:
            raise _am_error(f"{pre} can't be activated because its database files are missing.",
                            db.name, host.name, fqdn)
        if copy.content_index_state != "Healthy" and not skip_ci:
            raise _am_error(f"{pre} has content index catalog state '{copy.content_index_state}'. "
                            "Use -SkipClientExperienceChecks to ignore the content index state.",
                            db.name, host.name, fqdn)
        # ACLL: the remaining logs come from the old active's server when it can serve them
        active = db.active_copy
        acll = (active is not None and active.files_present and self.reachable(source, host))
        cql = self.copy_queue_length(db, copy)
        rql = self.replay_queue_length(db, copy)
        if not skip_lag and ((not acll and cql >= MAX_COPY_QUEUE) or rql >= MAX_REPLAY_QUEUE):
            raise _am_error(f"{pre} has a copy queue length of {cql} and a replay queue length of {rql}, "
                            "which exceed the configured criteria. Use -SkipLagChecks to ignore them.",
                            db.name, host.name, fqdn)
        if self._at_max_active(host):
            raise _am_error(f"{pre} can't be activated because server '{host.name}' has reached its "
                            f"maximum number of active databases ({host.maximum_active_databases}).",
                            db.name, host.name, fqdn)
        lost = 0 if acll else cql
        if dial == "None":
            dial = host.auto_database_mount_dial
        limit = DIAL_LIMITS[dial or "Lossless"]
        if limit is not None and lost > limit:
            raise _am_error(f"{pre} would lose {lost} log file(s), which is more than the mount dial setting "
                            f"'{dial or 'Lossless'}' allows. Use -MountDialOverride to accept the loss.",
                            db.name, host.name, fqdn)
        return lost

    def activate_copy(self, db: Any, copy: Any, logs_lost: int, reason: str) -> MoveOutcome:
        """Make ``copy`` the active copy (switchover or failover), keeping the mount state."""
        source_name = db.active_server
        was_mounted = db.mounted
        old = db.active_copy
        source = self.servers.get(source_name.lower())
        if db.mounted:
            db.mounted = False
        if logs_lost:
            db.last_generated = copy.last_inspected
            del db.log_times[db.last_generated:]
        copy.last_copied = copy.last_inspected = copy.last_replayed = db.last_generated
        copy.status = "Healthy"
        db.active_server = copy.server
        if old is not None:
            if not old.files_present:
                old.status = "FailedAndSuspended"
                old.error_message = (f"The database file '{db.edb_file_path}' for database copy "
                                     f"'{db.name}\\{old.server}' is missing.")
            elif source is not None and self.machine_running(source) and not logs_lost:
                old.status = "Healthy"
                old.last_copied = old.last_inspected = old.last_replayed = db.last_generated
            else:
                # The old active may hold logs the new active never saw (L-7); it resynchronizes
                # when it can reach the new active again (the HA engine refines this).
                old.status = "Resynchronizing" if logs_lost else "Healthy"
        self.log_event("ActiveManager",
                       f"Database '{db.name}' moved from {source_name} to {copy.server} ({reason}); "
                       f"{logs_lost} log(s) lost.", copy.server, db.name)
        if was_mounted:
            self.mount_database(db)
        recovery_point = db.log_time(db.last_generated) or self.now()
        self.sync_database(db)
        return MoveOutcome(db.name, source_name, copy.server, "Succeeded", logs_lost, recovery_point,
                           "Mounted" if was_mounted else "Dismounted",
                           "Mounted" if db.mounted else "Dismounted")

    def move_active_from_server(self, server: Any, target: Any = None, **options: Any) -> list:
        """Server switchover: move every active database off ``server``. Returns, per
        database, a MoveOutcome or the ExchangeError that stopped it."""
        results: list = []
        for db in sorted(self.databases.values(), key=lambda d: d.name.lower()):
            if db.active_server.lower() != server.name.lower():
                continue
            try:
                results.append(self.move_active(db, target, **options))
            except E.ExchangeError as exc:
                results.append(exc)
        return results
