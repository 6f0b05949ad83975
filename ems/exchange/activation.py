"""Mount, dismount, best copy selection and switchover: the one place where a database changes
its active copy (``activate_copy``).

- ``mount_database`` / ``dismount_database`` act on the active copy (MD-1). Whether a server
  may mount at all is ``mount_refusal``: quorum (Q-4, MD-3), the DAC rules the datacenter
  module registers in ``MOUNT_CHECKS`` (D-2, D-3, D-6), MaximumActiveDatabases (MD-4).
- ``rank_copies`` is best copy selection (B-2..B-4): the exclusions, the B-3 sort and the ten
  tiers, with the reason for every copy it skipped (the timeline tells them).
- ``move_active`` is a switchover (A-5, A-6, B-6, B-7, M-5): checks, ACLL from the old active
  when it can be reached, the mount dial, then ``activate_copy``. Failovers (A-7, A-8) are
  driven by ``ems.exchange.failover`` and also end in ``activate_copy``.
"""
from __future__ import annotations

from typing import Any, Callable

import attrs

from ems.exchange import errors as E

# B-4 tier thresholds; B-6 reuses them for the undocumented switchover lag criteria [plausible].
MAX_COPY_QUEUE = 10
MAX_REPLAY_QUEUE = 50
# M-2: the most logs each dial lets an activation lose (None: any number).
DIAL_LIMITS = {"Lossless": 0, "GoodAvailability": 6, "BestAvailability": 12, "BestEffort": None}
BCS_STATES = ("Healthy", "DisconnectedAndHealthy", "DisconnectedAndResynchronizing", "SeedingSource")
TIER_NAMES = (
    "content index Healthy, copy queue < 10, replay queue < 50",
    "content index Crawling, copy queue < 10, replay queue < 50",
    "content index Healthy, replay queue < 50",
    "content index Crawling, replay queue < 50",
    "replay queue < 50",
    "content index Healthy, copy queue < 10",
    "content index Crawling, copy queue < 10",
    "content index Healthy",
    "content index Crawling",
    "any copy in an activatable state",
)

MOUNT_CHECKS: list[Callable[[Any, Any, Any], "str | None"]] = []
"""Extension point (the datacenter module registers here): ``check(org, db, server)`` returns
None when ``server`` may mount ``db``, else the reason, which ends the MD-3 refusal text
("... must have quorum. Error: <reason>. [Server: <fqdn>]."). Every mount asks: Mount-Database,
automount, failover (BCS then skips the copy) and switchovers."""

MOUNT_PREFIX = ("Couldn't mount the database that you specified. Specified database: {db}; Error code: "
                "An Active Manager operation failed. Error An Active Manager operation encountered an error. "
                "To perform this operation, the server must be a member of a database availability group, "
                "and the database availability group must have quorum.")


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


@attrs.frozen
class Candidate:
    """A copy best copy selection may activate, with the tier that admitted it (1..10)."""

    copy: Any
    tier: int


def _am_error(message: str, db: str, server: str, fqdn: str) -> E.AmDbActionException:
    return E.AmDbActionException(
        f"An Active Manager operation failed. Error: The database action failed. Error: {message} "
        f"[Database: {db}, Server: {fqdn}]")


class ActivationOps:
    """Mixin of Organization: Mount-Database, Dismount-Database, BCS, Move-ActiveMailboxDatabase."""

    # --- mount / dismount ----------------------------------------------------------------------
    def mount_database(self, db: Any, force: bool = False, accept_data_loss: bool = False) -> None:
        """Mount-Database (and automount). ``accept_data_loss`` is accepted for -AcceptDataLoss;
        a copy is always activated with every log it has (the loss, if any, was accepted by
        the activation's mount dial), so mounting never needs it."""
        server = self.servers[db.active_server.lower()]
        fqdn = self.fqdn(server.name)
        if db.mounted:
            return
        if not self.machine_running(server) or not server.information_store:
            raise E.AmDbActionException(
                f"Couldn't mount the database that you specified. Specified database: {db.name}; Error code: "
                f"An Active Manager operation failed. Error: The Microsoft Exchange Information Store service "
                f"on server {fqdn} isn't running. [Server: {fqdn}].", target=db.name)
        refusal = self.mount_refusal(db, server)
        if refusal is not None:
            self.log_event("ActiveManager", f"Mount-Database '{db.name}' on {server.name} refused: "
                                            f"{_inner_message(refusal)}", server.name, db.name, "Warning",
                           event="MountRefused", reason=_inner_message(refusal))
            raise refusal
        active = db.active_copy
        if not active.files_present and not force:
            raise E.AmDbActionException(
                f"Couldn't mount the database that you specified. Specified database: {db.name}; Error code: "
                f"An Active Manager operation failed. Error: The database action failed. Error: Operation "
                f"failed with message: MapiExceptionNotFound: Unable to mount database. "
                f"(hr=0x8004010f, ec=-2147221233) [Database: {db.name}, Server: {fqdn}].", target=db.name)
        if not active.files_present:
            self._recreate_empty_database(db, active)
        self._mount(db, server)

    def _mount(self, db: Any, server: Any, event: str = "Mounted", why: str = "") -> None:
        db.mounted = True
        db.mount_wanted = True
        db.mounted_since = self.now()
        self.log_event("Store", f"Database '{db.name}' mounted on {server.name}{why}.", server.name, db.name,
                       event=event)
        self.commit_logs(db, 1)

    def mount_refusal(self, db: Any, server: Any) -> E.ExchangeError | None:
        """Why ``server`` may not mount ``db`` now (MD-3, MD-4, the registered DAC checks), or
        None. The same answer serves Mount-Database, automount, failover and switchover."""
        fqdn = self.fqdn(server.name)
        prefix = MOUNT_PREFIX.format(db=db.name)
        dag = self.dags.get(server.dag.lower()) if server.dag else None
        if dag is not None:
            if not self.server_has_quorum(server):
                return E.AmDbActionException(f"{prefix} [Server: {fqdn}].", target=db.name)
            reasons = [check(self, db, server) for check in MOUNT_CHECKS]
            if dag.datacenter_activation_mode == "DagOnly" and self._dac_stopped(server):
                reasons.append("Automount consensus not reached.")
            reason = next((r for r in reasons if r), None)
            if reason:
                return E.AmDbActionException(f"{prefix} Error: {reason}. [Server: {fqdn}].", target=db.name)
        limit = server.maximum_active_databases
        if limit is not None:
            active = sum(1 for d in self.databases.values()
                         if d.mounted and d is not db and d.active_server.lower() == server.name.lower())
            if active >= limit:
                return E.AmDbActionException(
                    f"Couldn't mount the database that you specified. Specified database: {db.name}; Error code: "
                    f"The server {server.name} has reached its maximum number of active databases ({limit}). "
                    f"[Server: {fqdn}].", target=db.name)
        return None

    def _recreate_empty_database(self, db: Any, active: Any) -> None:
        """Mount-Database -Force with the files gone: Exchange creates a new, empty database.
        The log stream restarts, so every passive copy must be reseeded (L-1)."""
        active.files_present = True
        for box in self.mailboxes.values():
            if box.database.lower() == db.name.lower():
                box.item_count = box.total_item_size = box.deleted_item_count = 0
        db.last_generated = 0
        db.log_times = []
        db.log_recipients = []
        for c in db.copies:
            c.last_copied = c.last_inspected = c.last_replayed = 0
            c.divergence_point = None
            if c is not active:
                c.status = "FailedAndSuspended"
                c.error_message = (f"The log stream of database '{db.name}' was reset. "
                                   "The database copy must be reseeded.")
        self.log_event("Store", f"Database '{db.name}' files were missing; an empty database was created.",
                       active.server, db.name, "Warning", event="EmptyDatabase")

    def dismount_database(self, db: Any) -> None:
        """Dismount-Database: an administrator's dismount, which Active Manager respects (no
        automount, no failover: MD-6)."""
        server = self.servers[db.active_server.lower()]
        if not self.machine_running(server) or not server.information_store:
            raise E.AmDbActionException(
                f"Couldn't dismount the database that you specified. Specified database: {db.name}; Error code: "
                f"The Microsoft Exchange Information Store service on server {self.fqdn(server.name)} isn't "
                "running.", target=db.name)
        db.mount_wanted = False
        if not db.mounted:
            return
        db.mounted = False
        db.mounted_since = None
        self.log_event("Store", f"Database '{db.name}' dismounted on {server.name} by an administrator.",
                       server.name, db.name, event="Dismounted")
        self.sync_database(db)

    def _failure_dismount(self, db: Any, why: str) -> None:
        """The store lost the database (server down, storage, quorum ...): dismounted, but
        Active Manager still wants it mounted."""
        if not db.mounted:
            return
        db.mounted = False
        db.mounted_since = None
        self.log_event("Store", f"Database '{db.name}' dismounted on {db.active_server}: {why}.",
                       db.active_server, db.name, "Warning", event="Dismounted")

    # --- best copy selection (B-2..B-4) ---------------------------------------------------------
    def copy_exclusion(self, db: Any, copy: Any, automatic: bool = True) -> str | None:
        """B-2: why ``copy`` can't be a candidate, or None. ``automatic`` (failovers and
        targetless moves) also applies the host's activation policy."""
        host = self.servers.get(copy.server.lower())
        if host is None or not self.machine_running(host):
            return f"server {copy.server} is down"
        if not host.replication_service:
            return f"the Microsoft Exchange Replication service on {host.name} isn't running"
        if not self.server_has_quorum(host):
            return f"{host.name} isn't in the partition that has quorum"
        source = self.servers.get(db.active_server.lower())
        status = self.copy_status(db, copy)
        if status not in BCS_STATES:
            return f"its status is {status}"
        if not copy.files_present:
            return "its database files are missing"
        if copy.activation_suspended:
            return "activation is suspended on the copy"
        if automatic and host.database_copy_auto_activation_policy == "Blocked":
            return f"{host.name}'s DatabaseCopyAutoActivationPolicy is Blocked"
        if (automatic and host.database_copy_auto_activation_policy == "IntrasiteOnly"
                and source is not None and source.site.lower() != host.site.lower()):
            return (f"{host.name}'s DatabaseCopyAutoActivationPolicy is IntrasiteOnly and the database is active "
                    f"in site {source.site}")
        if self._at_max_active(host):
            return f"{host.name} has reached MaximumActiveDatabases ({host.maximum_active_databases})"
        return None

    def _lossless_sort(self, db: Any) -> bool:
        """B-3: any server hosting a copy with AutoDatabaseMountDial Lossless sorts by
        ActivationPreference."""
        return any(self.servers[c.server.lower()].auto_database_mount_dial == "Lossless"
                   for c in db.copies if c.server.lower() in self.servers)

    def rank_copies(self, db: Any, automatic: bool = True, lossless: bool = False) -> tuple[list, list]:
        """Best copy selection: the candidates in the order they are tried (tier by tier,
        B-3 order inside a tier) and the copies skipped, as (copy, reason)."""
        cands, skipped = [], []
        for copy in db.copies:
            if copy.server.lower() == db.active_server.lower():
                continue
            why = self.copy_exclusion(db, copy, automatic)
            if why is None:
                cands.append(copy)
            else:
                skipped.append((copy, why))
        if lossless or self._lossless_sort(db):
            cands.sort(key=lambda c: c.activation_preference)
        else:
            cands.sort(key=lambda c: (self.copy_queue_length(db, c), c.activation_preference))
        ranked = sorted((Candidate(c, self.copy_tier(db, c)) for c in cands), key=lambda k: k.tier)
        return ranked, skipped

    def copy_tier(self, db: Any, c: Any) -> int:
        """B-4: the first of the ten criteria sets the copy meets (1..10)."""
        cq = self.copy_queue_length(db, c) < MAX_COPY_QUEUE
        rq = self.replay_queue_length(db, c) < MAX_REPLAY_QUEUE
        ci = c.content_index_state
        checks = (ci == "Healthy" and cq and rq, ci == "Crawling" and cq and rq, ci == "Healthy" and rq,
                  ci == "Crawling" and rq, rq, ci == "Healthy" and cq, ci == "Crawling" and cq,
                  ci == "Healthy", ci == "Crawling", True)
        return checks.index(True) + 1

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

    # --- attempt copy last logs (ACLL) and the mount dial (M-2..M-5) ------------------------------
    def acll_source_available(self, db: Any, copy: Any) -> bool:
        """Can ``copy`` fetch the logs it misses from the old active's server? Its log files
        must exist and its Replication service must answer."""
        active = db.active_copy
        source = self.servers.get(db.active_server.lower())
        host = self.servers.get(copy.server.lower())
        return (active is not None and active.files_present and source is not None and host is not None
                and source.replication_service and self.reachable(source, host))

    def logs_lost_on_activation(self, db: Any, copy: Any) -> int:
        """M-3: after ACLL, the generations the old active produced that ``copy`` lacks."""
        if self.acll_source_available(db, copy):
            return 0
        return max(0, db.last_generated - self.shared_position(copy))

    @staticmethod
    def dial_allows(dial: str, lost: int) -> bool:
        limit = DIAL_LIMITS[dial]
        return limit is None or lost <= limit

    # --- switchovers --------------------------------------------------------------------------
    def move_active(self, db: Any, target: Any = None, mount_dial_override: str | None = None,
                    skip_health_checks: bool = False, skip_lag_checks: bool = False,
                    skip_client_experience_checks: bool = False, skip_active_copy_checks: bool = False,
                    move_comment: str | None = None, terminate_on_warning: bool = False) -> MoveOutcome:
        """Database switchover to ``target`` (a Server) or, without one, to the copy best copy
        selection picks (A-5: on failure the database stays where it is). ``skip_active_copy_
        checks`` is accepted for -SkipActiveCopyChecks: seeding completes within its command, so
        an active copy is never a seeding source when a move starts (C-3)."""
        source = self.servers[db.active_server.lower()]
        fqdn = self.fqdn(source.name)
        if len(db.copies) < 2:
            raise _am_error(f"An error occurred while trying to validate the specified database copy for "
                            f"possible activation. Error: Database '{db.name}' doesn't have any passive "
                            f"copies that can be activated.", db.name, source.name, fqdn)
        dag = self.dag_of(source)
        if dag is not None and not self.has_quorum(dag):
            raise _am_error(f"The database availability group '{dag.name}' doesn't have quorum. To perform this "
                            "operation, the database availability group must have quorum.", db.name, source.name,
                            fqdn)
        checks = dict(dial=mount_dial_override, skip_health=skip_health_checks, skip_lag=skip_lag_checks,
                      skip_ci=skip_client_experience_checks)
        if target is None:
            copy, logs_lost, warnings = self._targetless_choice(db, checks, source)
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
            logs_lost, warnings = self._validate_switchover(db, copy, **checks)
        if warnings and terminate_on_warning:
            host = self.servers[copy.server.lower()]
            raise _am_error(f"The move was stopped because of a warning (TerminateOnWarning): {warnings[0]}",
                            db.name, host.name, self.fqdn(host.name))
        for w in warnings:
            self.warn(w)
        reason = "administrator switchover" + (f": {move_comment}" if move_comment else "")
        # A database that failed (not one an administrator dismounted) mounts on its new server (M-8).
        return self.activate_copy(db, copy, logs_lost, reason=reason, mount=db.mounted or db.mount_wanted,
                                  event="Switchover")

    def _targetless_choice(self, db: Any, checks: dict, source: Any) -> tuple[Any, int, list]:
        """B-7: best copy selection (activation blocks honoured), then the switchover checks
        on each candidate in turn; the first that passes is activated."""
        lossless = checks["dial"] in (None, "Lossless")
        ranked, skipped = self.rank_copies(db, automatic=True, lossless=lossless)
        errors = [f"Database copy '{db.name}' on server '{c.server}' was skipped because {why}."
                  for c, why in skipped]
        for cand in ranked:
            try:
                lost, warnings = self._validate_switchover(db, cand.copy, **checks)
            except E.AmDbActionException as exc:
                errors.append(_inner_message(exc))
                continue
            self.log_event("ActiveManager", self._bcs_sentence(db, cand, skipped, "targetless switchover"),
                           cand.copy.server, db.name, event="BestCopySelection",
                           **self.bcs_data(db, cand, skipped))
            return cand.copy, lost, warnings
        detail = " ".join(errors) or "No database copies were found that could be activated."
        raise _am_error(f"An error occurred while trying to select a database copy for possible activation. "
                        f"Error: {detail}", db.name, source.name, self.fqdn(source.name))

    def bcs_data(self, db: Any, cand: Any, skipped: list, rejected: list | None = None) -> dict:
        """A BestCopySelection event's data: the chosen copy, its tier and queues, and the
        copies skipped (B-2) or rejected after ACLL/dial/mount (B-1), each with its reason."""
        c = cand.copy
        return dict(chosen=c.server, tier=cand.tier, copy_queue=self.copy_queue_length(db, c),
                    replay_queue=self.replay_queue_length(db, c), activation_preference=c.activation_preference,
                    skipped={s.server: reason for s, reason in skipped}, rejected=dict(rejected or []))

    def _bcs_sentence(self, db: Any, cand: Any, skipped: list, why: str) -> str:
        c = cand.copy
        text = (f"Best copy selection for '{db.name}' ({why}) chose {c.server}: tier {cand.tier} "
                f"({TIER_NAMES[cand.tier - 1]}), copy queue {self.copy_queue_length(db, c)}, replay queue "
                f"{self.replay_queue_length(db, c)}, activation preference {c.activation_preference}")
        if skipped:
            text += "; skipped " + "; ".join(f"{s.server} ({reason})" for s, reason in skipped)
        return text + "."

    def _validate_switchover(self, db: Any, copy: Any, dial: str | None, skip_health: bool,
                             skip_lag: bool, skip_ci: bool) -> tuple[int, list]:
        """B-6 checks for one target; returns the logs that would be lost and the warnings."""
        host = self.servers[copy.server.lower()]
        fqdn = self.fqdn(host.name)
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
        acll = self.acll_source_available(db, copy)
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
        if db.mounted or db.mount_wanted:
            refusal = self.mount_refusal(db, host)
            if refusal is not None:
                raise _am_error(f"{pre} can't be mounted there: {_inner_message(refusal)}", db.name, host.name, fqdn)
        lost = 0 if acll else max(0, db.last_generated - self.shared_position(copy))
        if dial == "None":
            dial = host.auto_database_mount_dial
        dial = dial or "Lossless"
        if not self.dial_allows(dial, lost):
            raise _am_error(f"{pre} would lose {lost} log file(s), which is more than the mount dial setting "
                            f"'{dial}' allows. Use -MountDialOverride to accept the loss.",
                            db.name, host.name, fqdn)
        warnings = []
        if lost:
            warnings.append(f"Database '{db.name}' will be activated on server '{host.name}' with {lost} log "
                            f"file(s) lost, because the previous active server '{db.active_server}' can't supply "
                            "them.")
        return lost, warnings

    def activate_copy(self, db: Any, copy: Any, logs_lost: int, reason: str, mount: bool | None = None,
                      event: str = "Switchover") -> MoveOutcome:
        """Make ``copy`` the active copy (switchover or failover). ``mount``: mount it there
        (default: keep the database's mount state). A lossy activation (L-7, M-7) cuts the
        log stream back to the copy's last generation: copies holding later generations
        diverge, messages of the lost generations leave their mailboxes, and the transport
        dumpster is asked to redeliver them once the database mounts."""
        source_name = db.active_server
        was_mounted = db.mounted
        if mount is None:
            mount = was_mounted
        old = db.active_copy
        db.mounted = False
        if logs_lost:
            self.cut_log_stream(db, self.shared_position(copy))
        copy.last_copied = copy.last_inspected = copy.last_replayed = db.last_generated
        copy.status = "Healthy"
        copy.divergence_point = None
        copy.blocked = False  # Block-SimReplication blocks a passive copy's log shipping; it ends here
        db.active_server = copy.server
        if old is not None:
            if not old.files_present:
                old.status = "Failed"  # C-2: the old active after a storage failure
                old.error_message = (f"The database file '{db.edb_file_path}' for database copy "
                                     f"'{db.name}\\{old.server}' is missing.")
            elif old.divergence_point is not None:
                old.status = "Resynchronizing"
            else:
                # It holds every generation of the stream: a passive again, in step once it
                # reaches the new active.
                old.status = "Healthy"
        recovery_point = db.log_time(db.last_generated) or self.now()
        lost_text = f"{logs_lost} log(s) lost" if logs_lost else "no logs lost"
        self.log_event("ActiveManager",
                       f"Database '{db.name}' activated on {copy.server} (was {source_name}; {reason}); "
                       f"{lost_text}.", copy.server, db.name, "Warning" if logs_lost else "Information",
                       event=event, from_server=source_name, to_server=copy.server, logs_lost=logs_lost)
        host = self.servers[copy.server.lower()]
        if mount:
            self._mount(db, host, event="Mounted", why=" (lossy)" if logs_lost else "")
            self.redeliver_from_dumpster(db)
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


def _inner_message(exc: Exception) -> str:
    """The innermost sentence of an Active Manager error (what the timeline repeats)."""
    text = str(exc)
    marker = "Error: "
    if marker in text:
        text = text.rsplit(marker, 1)[1]
    return text.split(" [Database:")[0].split(" [Server:")[0].strip()
