"""Mailbox databases and their copies (V-6, V-7, V-9; copy state transitions §8 C-2)."""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ems.exchange import errors as E
from ems.exchange.model import DatabaseCopy, MailboxDatabase, PublicFolderDatabase
from ems.exchange.values import format_timespan

INSTALL_PATH = r"C:\Program Files\Microsoft\Exchange Server\V14\Mailbox"
DATABASE_LIMITS = {"Enterprise": 100, "Standard": 5}
MAX_COPIES = 16
MAX_LAG = _dt.timedelta(days=14)
SEEDING_POSTPONED = "Replication is suspended for database copy '{0}' because database needs to be seeded."
_PATH_RE = re.compile(r"^[A-Za-z]:\\")


class DatabaseOps:
    """Mixin of Organization: databases, copies, suspend/resume/seed."""

    # --- lookups ----------------------------------------------------------------------------
    def databases_on(self, server: Any) -> list[MailboxDatabase]:
        """Mailbox databases with a copy (active or passive) on ``server``."""
        low = server.name.lower()
        return [db for db in self.databases.values() if any(c.server.lower() == low for c in db.copies)]

    def database_count(self, server: Any) -> int:
        low = server.name.lower()
        n = sum(1 for db in self.databases.values() for c in db.copies if c.server.lower() == low)
        return n + sum(1 for p in self.public_folder_databases.values() if p.server.lower() == low)

    def _check_database_limit(self, server: Any, adding: int = 1) -> None:
        limit = DATABASE_LIMITS.get(server.edition, 100)
        if self.database_count(server) + adding > limit:
            raise E.InvalidOperationException(
                f"Server '{server.name}' already hosts {self.database_count(server)} databases. Exchange Server "
                f"2010 {server.edition} Edition supports up to {limit} databases per server.")

    def _random_digits(self) -> str:
        return "%010d" % self.rng.randrange(10 ** 9, 10 ** 10)

    def _next_prefix(self, server: Any) -> str:
        prefix = f"E{server.next_log_prefix:02X}"
        server.next_log_prefix += 1
        return prefix

    def _check_paths(self, server: Any, edb: str, logs: str, ignore: Any = None) -> None:
        if not _PATH_RE.match(edb) or not edb.lower().endswith(".edb"):
            raise E.DataValidationException(
                f"'{edb}' isn't a valid database file path. Specify a full local path to an .edb file.")
        if not _PATH_RE.match(logs):
            raise E.DataValidationException(f"'{logs}' isn't a valid log folder path. Specify a full local path.")
        for db in self.databases_on(server):
            if db is ignore:
                continue
            if db.edb_file_path.lower() == edb.lower():
                raise E.InvalidOperationException(
                    f"The database file path '{edb}' is already used by database '{db.name}' on server "
                    f"'{server.name}'.")
            if db.log_folder_path.lower() == logs.lower():
                raise E.InvalidOperationException(
                    f"The log folder path '{logs}' is already used by database '{db.name}' on server "
                    f"'{server.name}'.")

    def _rpc_client_access_for(self, server: Any) -> str | None:
        """[ref2010] a CAS array in the site, else the server itself if it is a CAS, else a CAS of
        the site."""
        for arr in self.cas_arrays.values():
            if arr.site.lower() == server.site.lower():
                return arr.fqdn
        if server.has_role("ClientAccess"):
            return self.fqdn(server.name)
        for s in self.servers.values():
            if s.has_role("ClientAccess") and s.site.lower() == server.site.lower():
                return self.fqdn(s.name)
        return None

    def _check_database_name(self, name: str, db: Any = None) -> None:
        if not name or len(name) > 64:
            raise E.DataValidationException(
                f"The length of the property is too long. The maximum length is 64 and the length of the value "
                f"provided is {len(name)}.")
        low = name.lower()
        other = self.databases.get(low) or self.public_folder_databases.get(low)
        if other is not None and other is not db:
            raise E.ADObjectAlreadyExistsException(
                f"The name \"{name}\" is already used by another database in the organization. Database names "
                "must be unique.")

    # --- New / Set / Remove -----------------------------------------------------------------------
    def new_mailbox_database(self, name: str, server: Any, edb_file_path: str | None = None,
                             log_folder_path: str | None = None, recovery: bool = False,
                             settings: dict[str, Any] | None = None) -> MailboxDatabase:
        self._check_database_name(name)
        if not server.has_role("Mailbox"):
            raise E.InvalidOperationException(
                f"Server '{server.name}' doesn't have the Mailbox server role installed.")
        self._check_database_limit(server)
        edb = edb_file_path or f"{INSTALL_PATH}\\{name}\\{name}.edb"
        logs = log_folder_path or f"{INSTALL_PATH}\\{name}"
        self._check_paths(server, edb, logs)
        now = self.now()
        db = MailboxDatabase(name, server.name, self.new_guid(), now, now, edb, logs,
                             self._next_prefix(server), recovery, server.name, False)
        db.copies = [DatabaseCopy(name, server.name, 1)]
        db.rpc_client_access_server = self._rpc_client_access_for(server)
        pf = next(iter(self.public_folder_databases.values()), None)
        db.public_folder_database = pf.name if pf is not None and not recovery else None
        for key, value in (settings or {}).items():
            setattr(db, key, value)
        self.databases[name.lower()] = db
        self.log_event("Store", f"Mailbox database '{name}' created on {server.name}.", server.name, name)
        return db

    def _create_default_database(self, server: Any) -> MailboxDatabase:
        """What Setup creates on a new Mailbox server: ``Mailbox Database <10 digits>``."""
        name = f"Mailbox Database {self._random_digits()}"
        while name.lower() in self.databases:
            name = f"Mailbox Database {self._random_digits()}"
        return self.new_mailbox_database(name, server)

    def _create_public_folder_database(self, server: Any) -> PublicFolderDatabase:
        name = f"Public Folder Database {self._random_digits()}"
        pf = PublicFolderDatabase(name, server.name, self.new_guid(), self.now(),
                                  f"{INSTALL_PATH}\\{name}\\{name}.edb", f"{INSTALL_PATH}\\{name}",
                                  self._next_prefix(server))
        self.public_folder_databases[name.lower()] = pf
        for db in self.databases.values():
            if db.public_folder_database is None and not db.recovery:
                db.public_folder_database = name
        return pf

    def set_mailbox_database(self, db: MailboxDatabase, changes: dict[str, Any]) -> None:
        if "name" in changes:
            self._check_database_name(changes["name"], db)
        E.check_quota_order({name: changes.get(attr, getattr(db, attr)) for name, attr in (
            ("IssueWarningQuota", "issue_warning_quota"), ("ProhibitSendQuota", "prohibit_send_quota"),
            ("ProhibitSendReceiveQuota", "prohibit_send_receive_quota"))})
        E.check_quota_order({name: changes.get(attr, getattr(db, attr)) for name, attr in (
            ("RecoverableItemsQuota", "recoverable_items_quota"),
            ("RecoverableItemsWarningQuota", "recoverable_items_warning_quota"))},
            (("RecoverableItemsQuota", "RecoverableItemsWarningQuota"),))
        for key in ("deleted_item_retention", "mailbox_retention"):
            if key in changes and changes[key] < _dt.timedelta(0):
                raise E.DataValidationException("The retention period can't be negative.")
        if "event_history_retention_period" in changes:
            v = changes["event_history_retention_period"]
            if not _dt.timedelta(seconds=1) <= v <= _dt.timedelta(days=30):
                raise E.DataValidationException(
                    "The value of property 'EventHistoryRetentionPeriod' must be between 00:00:01 and 30.00:00:00.")
        # --- apply ----------------------------------------------------------------------------
        if "name" in changes and changes["name"] != db.name:
            old = db.name
            del self.databases[old.lower()]
            db.name = changes["name"]
            self.databases[db.name.lower()] = db
            for c in db.copies:
                c.database = db.name
            for box in self.mailboxes.values():
                if box.database.lower() == old.lower():
                    box.database = db.name
        for key, value in changes.items():
            if key != "name":
                setattr(db, key, value)
        db.changed = self.now()

    def remove_mailbox_database(self, db: MailboxDatabase) -> None:
        if len(db.copies) > 1:
            raise E.InvalidOperationException(
                f"Database '{db.name}' has one or more database copies. Remove all copies except the active copy "
                "with Remove-MailboxDatabaseCopy before removing the database.")
        if any(m.database.lower() == db.name.lower() for m in self.mailboxes.values()):
            raise E.InvalidOperationException(
                "This mailbox database contains one or more mailboxes, mailbox plans, archive mailboxes, or "
                "arbitration mailboxes. To get a list of all mailboxes in this database, run the command "
                "Get-Mailbox -Database <Database ID>. To get a list of all mailbox plans in this database, run the "
                "command Get-MailboxPlan. To get a list of archive mailboxes in this database, run the command "
                "Get-Mailbox -Database <Database ID> -Archive. To get a list of all arbitration mailboxes in this "
                "database, run the command Get-Mailbox -Database <Database ID> -Arbitration. To disable a "
                "non-arbitration mailbox so that you can delete the mailbox database, run the command "
                "Disable-Mailbox <Mailbox ID>. Arbitration mailboxes should be moved to another server; to do "
                "this, run the command New-MoveRequest <parameters>. If this is the last server in the "
                "organization, run the command Disable-Mailbox <Mailbox ID> -Arbitration "
                "-DisableLastArbitrationMailboxAllowed to disable the arbitration mailbox. Mailbox plans should "
                "be moved to another server; to do this, run the command Set-MailboxPlan <MailboxPlan ID> "
                "-Database <Database ID>.")
        del self.databases[db.name.lower()]
        self.warn(f"The specified database has been removed. You must remove the database file located in "
                  f"{db.edb_file_path} from your computer manually if it exists. Otherwise, you won't be able to "
                  "create a new database with the same name.")
        self.log_event("Store", f"Mailbox database '{db.name}' removed.", db.active_server, db.name)

    # --- copies ---------------------------------------------------------------------------------
    def _check_lag(self, name: str, value: _dt.timedelta | None) -> None:
        if value is not None and not _dt.timedelta(0) <= value <= MAX_LAG:
            raise E.DataValidationException(
                f"The value of property '{name}' must be between 00:00:00 and 14.00:00:00. The value specified "
                f"is {format_timespan(value)}.")

    def _reorder_preferences(self, db: MailboxDatabase, copy: DatabaseCopy, preference: int) -> None:
        """V-6 [plausible]: the copy takes the given rank; the others shift to keep 1..n."""
        others = sorted((c for c in db.copies if c is not copy), key=lambda c: c.activation_preference)
        others.insert(preference - 1, copy)
        for i, c in enumerate(others, 1):
            c.activation_preference = i

    def add_database_copy(self, db: MailboxDatabase, server: Any, activation_preference: int | None = None,
                          replay_lag_time: _dt.timedelta | None = None,
                          truncation_lag_time: _dt.timedelta | None = None,
                          seeding_postponed: bool = False) -> DatabaseCopy:
        active = self.servers[db.active_server.lower()]
        if not server.has_role("Mailbox"):
            raise E.DatabaseCopyException(f"Server '{server.name}' doesn't have the Mailbox server role installed.")
        if db.copy_on(server.name) is not None:
            raise E.DatabaseCopyException(
                f"A copy of database '{db.name}' already exists on server '{server.name}'. A server can host only "
                "one copy of a database.")
        if not active.dag:
            raise E.DatabaseCopyException(
                f"Database '{db.name}' is hosted on server '{active.name}', which isn't a member of a database "
                "availability group. Add the server to a database availability group before adding copies.")
        if not server.dag or server.dag.lower() != active.dag.lower():
            raise E.DatabaseCopyException(
                f"Server '{server.name}' isn't a member of database availability group '{active.dag}'. A database "
                "copy can only be added to a server in the same database availability group as the database.")
        if len(db.copies) >= MAX_COPIES:
            raise E.DatabaseCopyException(f"Database '{db.name}' already has {MAX_COPIES} copies, the maximum.")
        if db.recovery:
            raise E.DatabaseCopyException(f"Recovery database '{db.name}' can't have database copies.")
        dag = self.dags[active.dag.lower()]
        if not self.has_quorum(dag):
            raise E.DagTaskQuorumNotAchievedException(
                f"Database availability group '{dag.name}' doesn't have quorum. The database availability group "
                "must have quorum and be healthy to add a database copy.")
        if not db.mounted:
            raise E.DatabaseCopyException(
                f"Database '{db.name}' isn't mounted on server '{active.name}'. The active copy must be mounted "
                "to add a database copy.")
        if db.circular_logging_enabled and len(db.copies) == 1:
            raise E.DatabaseCopyException(
                f"Database '{db.name}' has circular logging enabled. Disable circular logging with "
                "Set-MailboxDatabase -CircularLoggingEnabled $false before adding the second copy.")
        self._check_paths(server, db.edb_file_path, db.log_folder_path)
        self._check_database_limit(server)
        count = len(db.copies) + 1
        pref = count if activation_preference is None else activation_preference
        if not 1 <= pref <= count:
            raise E.DataValidationException(
                f"The value of ActivationPreference must be between 1 and {count}, the number of copies of "
                f"database '{db.name}'.")
        self._check_lag("ReplayLagTime", replay_lag_time)
        self._check_lag("TruncationLagTime", truncation_lag_time)
        if not self.reachable(active, server) or not server.replication_service:
            raise E.DatabaseCopyException(
                f"The Microsoft Exchange Replication service on server '{server.name}' couldn't be contacted. "
                "The database copy wasn't added.")
        # --- apply ----------------------------------------------------------------------------
        copy = DatabaseCopy(db.name, server.name, count, replay_lag_time or _dt.timedelta(0),
                            truncation_lag_time or _dt.timedelta(0))
        db.copies.append(copy)
        self._reorder_preferences(db, copy, pref)
        if seeding_postponed:
            copy.status = "Suspended"
            copy.activation_suspended = True
            copy.files_present = False
            copy.suspend_message = SEEDING_POSTPONED.format(f"{db.name}\\{server.name}")
        else:
            # Seeding -> Initializing -> Healthy, within this command (the seed copies the .edb)
            copy.last_copied = copy.last_inspected = copy.last_replayed = db.last_generated
            copy.status = "Healthy"
        db.changed = self.now()
        self.log_event("Replication", f"Database copy '{db.name}\\{server.name}' added"
                       + (" (seeding postponed)." if seeding_postponed else " and seeded."), server.name, db.name)
        self.sync_database(db)
        return copy

    def _passive(self, db: MailboxDatabase, copy: DatabaseCopy, action: str) -> None:
        if copy.server.lower() == db.active_server.lower():
            raise E.ReplayServiceException(
                f"The {action} operation can't be performed on database copy '{db.name}\\{copy.server}' because it "
                f"is the active copy of the database. Use Move-ActiveMailboxDatabase to activate another copy first.")

    def _replication_service(self, copy: DatabaseCopy) -> Any:
        host = self.servers[copy.server.lower()]
        if not self.machine_running(host) or not host.replication_service:
            raise E.ReplayServiceException(
                f"The Microsoft Exchange Replication service on server '{host.name}' couldn't be contacted. "
                f"Make sure the server is running.")
        return host

    def remove_database_copy(self, db: MailboxDatabase, copy: DatabaseCopy) -> None:
        if copy.server.lower() == db.active_server.lower():
            raise E.DatabaseCopyException(
                f"Database copy '{db.name}\\{copy.server}' is the active copy and can't be removed. Use "
                "Move-ActiveMailboxDatabase to activate another copy first, or remove all passive copies and then "
                "use Remove-MailboxDatabase to remove the database.")
        server = self.servers[db.active_server.lower()]
        dag = self.dag_of(server)
        if dag is not None and not self.has_quorum(dag):
            raise E.DagTaskQuorumNotAchievedException(
                f"Database availability group '{dag.name}' doesn't have quorum. The database availability group "
                "must have quorum and be healthy to remove a database copy.")
        if db.circular_logging_enabled and len(db.copies) == 2:
            raise E.DatabaseCopyException(
                f"Database '{db.name}' has continuous replication circular logging enabled. Disable circular "
                "logging before removing the last passive copy.")
        db.copies = [c for c in db.copies if c is not copy]
        for i, c in enumerate(sorted(db.copies, key=lambda c: c.activation_preference), 1):
            c.activation_preference = i
        db.changed = self.now()
        self.warn(f"The database copy has been removed. The files of database copy '{db.name}\\{copy.server}' "
                  f"weren't removed from server '{copy.server}'. Remove them manually before you add a copy of "
                  "this database to that server again.")
        self.log_event("Replication", f"Database copy '{db.name}\\{copy.server}' removed.", copy.server, db.name)

    def set_database_copy(self, db: MailboxDatabase, copy: DatabaseCopy, activation_preference: int | None = None,
                          replay_lag_time: _dt.timedelta | None = None,
                          truncation_lag_time: _dt.timedelta | None = None) -> None:
        if activation_preference is not None and not 1 <= activation_preference <= len(db.copies):
            raise E.DataValidationException(
                f"The value of ActivationPreference must be between 1 and {len(db.copies)}, the number of copies "
                f"of database '{db.name}'.")
        self._check_lag("ReplayLagTime", replay_lag_time)
        self._check_lag("TruncationLagTime", truncation_lag_time)
        if activation_preference is not None:
            self._reorder_preferences(db, copy, activation_preference)
        if replay_lag_time is not None:
            copy.replay_lag_time = replay_lag_time
        if truncation_lag_time is not None:
            copy.truncation_lag_time = truncation_lag_time
        db.changed = self.now()
        self.sync_database(db)

    def suspend_database_copy(self, db: MailboxDatabase, copy: DatabaseCopy, activation_only: bool = False,
                              comment: str | None = None) -> None:
        self._passive(db, copy, "suspend")
        if comment is not None and len(comment) > 512:
            raise E.DataValidationException(
                f"The length of the property is too long. The maximum length is 512 and the length of the value "
                f"provided is {len(comment)}.")
        self._replication_service(copy)
        copy.activation_suspended = True
        if comment is not None:
            copy.suspend_comment = comment
        if not activation_only and copy.status != "FailedAndSuspended":
            copy.status = "Suspended"
        copy.action_initiator = "Administrator"
        self.log_event("Replication", f"Database copy '{db.name}\\{copy.server}' suspended"
                       + (" for activation." if activation_only else "."), copy.server, db.name)

    def resume_database_copy(self, db: MailboxDatabase, copy: DatabaseCopy, replication_only: bool = False) -> None:
        self._passive(db, copy, "resume")
        self._replication_service(copy)
        if copy.status in ("Suspended", "FailedAndSuspended"):
            if not copy.files_present or copy.suspend_message or copy.status == "FailedAndSuspended":
                # C-2: a copy suspended because it is bad goes straight back to a suspended state
                reason = copy.suspend_message or copy.error_message or "The database copy needs to be reseeded."
                copy.status = "FailedAndSuspended"
                copy.error_message = reason
                raise E.ReplayServiceException(
                    f"Database copy '{db.name}\\{copy.server}' couldn't be resumed. {reason} Use "
                    "Update-MailboxDatabaseCopy to reseed it.")
            copy.status = "Initializing"
            copy.suspend_comment = None
        if not replication_only:
            copy.activation_suspended = False
        copy.action_initiator = "Administrator"
        self.sync_database(db)
        self.log_event("Replication", f"Database copy '{db.name}\\{copy.server}' resumed.", copy.server, db.name)

    def update_database_copy(self, db: MailboxDatabase, copy: DatabaseCopy, source: Any = None,
                             delete_existing_files: bool = False, catalog_only: bool = False,
                             database_only: bool = False, manual_resume: bool = False) -> None:
        """Update-MailboxDatabaseCopy: (re)seed a suspended passive copy (V-9, L-9)."""
        self._passive(db, copy, "seed")
        host = self._replication_service(copy)
        if copy.status not in ("Suspended", "FailedAndSuspended"):
            raise E.ReplayServiceException(
                f"The seeding operation failed. Error: Database copy '{db.name}\\{copy.server}' must be suspended "
                "before it can be seeded. Use Suspend-MailboxDatabaseCopy first.")
        if source is None:
            source = self.servers[db.active_server.lower()]
        src_copy = db.copy_on(source.name)
        if src_copy is None or src_copy is copy:
            raise E.ReplayServiceException(
                f"The seeding operation failed. Error: Server '{source.name}' doesn't host a copy of database "
                f"'{db.name}' that can be used as a seeding source.")
        if (not src_copy.files_present or not self.reachable(source, host)
                or (src_copy is not db.active_copy and self.copy_status(db, src_copy) != "Healthy")):
            raise E.ReplayServiceException(
                f"The seeding operation failed. Error: The seeding source '{source.name}' for database "
                f"'{db.name}' isn't available.")
        if copy.files_present and not delete_existing_files and not catalog_only:
            raise E.ReplayServiceException(
                f"The seeding operation failed. Error: The database file '{db.edb_file_path}' already exists on "
                f"server '{copy.server}'. Remove the files or use the DeleteExistingFiles parameter.")
        # --- apply ----------------------------------------------------------------------------
        if not database_only:
            copy.content_index_state = "Healthy"
        if not catalog_only:
            copy.files_present = True
            copy.last_copied = copy.last_inspected = copy.last_replayed = db.last_generated
            copy.divergence_point = None  # a fresh seed holds exactly the active stream
        copy.error_message = copy.suspend_message = None
        if manual_resume:
            copy.status = "Suspended"
        else:
            copy.status = "Healthy"
            copy.activation_suspended = False
            copy.suspend_comment = None
        self.log_event("Replication", f"Database copy '{db.name}\\{copy.server}' seeded from {source.name}.",
                       copy.server, db.name)
        self.sync_database(db)
