"""Mailbox databases: New/Get/Set/Remove-MailboxDatabase, Mount-/Dismount-Database,
Get-PublicFolderDatabase."""
from __future__ import annotations

import datetime as _dt
from typing import Any

from cmdlets.exchange_common import (SYSCONFIG, ExchangeCmdlet, dc_param, identity_param, sentence, switch)
from ems.exchange.enums import DataMoveReplicationConstraintParameter
from ems.exchange.values import ByteQuantifiedSize
from ems.exchange.typenames import T_MAILBOX_DATABASE, T_PUBLIC_FOLDER_DB
from ems.runtime.cmdlet import IDENTITY, Example, Parameter, register

DB_ID = "DatabaseIdParameter"


@register
class NewMailboxDatabase(ExchangeCmdlet):
    name = "New-MailboxDatabase"
    dotnet_class = SYSCONFIG + "NewMailboxDatabase"
    output_type = T_MAILBOX_DATABASE
    synopsis = "Use the New-MailboxDatabase cmdlet to create a mailbox database, or a recovery database."
    supports_should_process = True
    parameters = (
        Parameter("Name", str, mandatory=("NonRecovery",), position=0, sets=("NonRecovery", "Recovery")),
        switch("Recovery", sets=("Recovery",), mandatory=("Recovery",)),
        Parameter("Server", IDENTITY, mandatory=True, pipeline=True, type_name="ServerIdParameter"),
        Parameter("EdbFilePath", str, type_name="EdbFilePath"),
        Parameter("IsExcludedFromProvisioning", bool, sets=("NonRecovery",)),
        Parameter("IsSuspendedFromProvisioning", bool, sets=("NonRecovery",)),
        Parameter("LogFolderPath", str, type_name="NonRootLocalLongFullPath"),
        Parameter("OfflineAddressBook", IDENTITY, sets=("NonRecovery",), type_name="OfflineAddressBookIdParameter"),
        Parameter("PublicFolderDatabase", IDENTITY, sets=("NonRecovery",), type_name=DB_ID),
        dc_param(),
    )
    default_set = "NonRecovery"
    examples = (Example(r'New-MailboxDatabase -Server Server1 -Name "DB1" -EdbFilePath D:\ExchangeDatabases\DB1\DB1.edb',
                        "Creates the mailbox database DB1 on Server1 with a non-default database file location."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        server = self.resolve("server", "Server")
        name = self.param("Name") or f"Recovery Database {org._random_digits()}"
        settings: dict[str, Any] = {}
        for pname, attr in (("IsExcludedFromProvisioning", "is_excluded_from_provisioning"),
                            ("IsSuspendedFromProvisioning", "is_suspended_from_provisioning")):
            if self.has(pname):
                settings[attr] = self.param(pname)
        if self.has("OfflineAddressBook"):
            settings["offline_address_book"] = str(self.param("OfflineAddressBook"))
        if self.has("PublicFolderDatabase"):
            settings["public_folder_database"] = self.resolve("public folder database", "PublicFolderDatabase").name
        if not self.should_process(name, message=sentence("Creating", "mailbox database", name)):
            return
        db = org.new_mailbox_database(name, server, self.param("EdbFilePath"), self.param("LogFolderPath"),
                                      bool(self.param("Recovery")), settings)
        self.write(S.mailbox_database(org, db))


@register
class GetMailboxDatabase(ExchangeCmdlet):
    name = "Get-MailboxDatabase"
    dotnet_class = SYSCONFIG + "GetMailboxDatabase"
    output_type = T_MAILBOX_DATABASE
    synopsis = "Use the Get-MailboxDatabase cmdlet to retrieve one or more mailbox database objects from a server or organization."
    settle = True
    parameters = (
        identity_param(DB_ID, mandatory=False, sets=("Identity",)),
        Parameter("Server", IDENTITY, mandatory=("Server",), pipeline=True, sets=("Server",),
                  type_name="ServerIdParameter"),
        switch("DumpsterStatistics"),
        switch("IncludePreExchange2010"),
        switch("Status", help="Adds Mounted, BackupInProgress, OnlineMaintenanceInProgress, DatabaseSize ..."),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example("Get-MailboxDatabase -Identity MailboxDatabase01 -Status | Format-List",
                        "Returns detailed information about MailboxDatabase01."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        if self.parameter_set == "Server":
            server = self.resolve("server", "Server")
            dbs = sorted(org.databases_on(server), key=lambda d: d.name.lower())
        else:
            dbs = self.select("database")
        status = bool(self.param("Status"))
        for db in dbs:
            self.write(S.mailbox_database(org, db, status))


def _quota(value: Any) -> Any:
    return value if isinstance(value, ByteQuantifiedSize) else ByteQuantifiedSize.parse(value)


@register
class SetMailboxDatabase(ExchangeCmdlet):
    name = "Set-MailboxDatabase"
    dotnet_class = SYSCONFIG + "SetMailboxDatabase"
    synopsis = "Use the Set-MailboxDatabase cmdlet to configure a variety of properties for a mailbox database."
    supports_should_process = True
    parameters = (
        identity_param(DB_ID),
        Parameter("AllowFileRestore", bool),
        Parameter("BackgroundDatabaseMaintenance", bool),
        Parameter("CircularLoggingEnabled", bool),
        Parameter("DataMoveReplicationConstraint", DataMoveReplicationConstraintParameter),
        Parameter("DeletedItemRetention", _dt.timedelta, type_name="EnhancedTimeSpan"),
        Parameter("EventHistoryRetentionPeriod", _dt.timedelta, type_name="EnhancedTimeSpan"),
        Parameter("IndexEnabled", bool),
        Parameter("IsExcludedFromProvisioning", bool),
        Parameter("IssueWarningQuota", ByteQuantifiedSize),
        Parameter("IsSuspendedFromProvisioning", bool),
        Parameter("JournalRecipient", IDENTITY, type_name="RecipientIdParameter"),
        Parameter("MailboxRetention", _dt.timedelta, type_name="EnhancedTimeSpan"),
        Parameter("MaintenanceSchedule", str, array=True, type_name="Schedule"),
        Parameter("MountAtStartup", bool),
        Parameter("Name", str),
        Parameter("OfflineAddressBook", IDENTITY, type_name="OfflineAddressBookIdParameter"),
        Parameter("ProhibitSendQuota", ByteQuantifiedSize),
        Parameter("ProhibitSendReceiveQuota", ByteQuantifiedSize),
        Parameter("PublicFolderDatabase", IDENTITY, type_name=DB_ID),
        Parameter("QuotaNotificationSchedule", str, array=True, type_name="Schedule"),
        Parameter("RecoverableItemsQuota", ByteQuantifiedSize),
        Parameter("RecoverableItemsWarningQuota", ByteQuantifiedSize),
        Parameter("RetainDeletedItemsUntilBackup", bool),
        Parameter("RpcClientAccessServer", IDENTITY, type_name="ClientAccessServerOrArrayIdParameter"),
        dc_param(),
    )
    settable = {
        "AllowFileRestore": "allow_file_restore", "BackgroundDatabaseMaintenance": "background_database_maintenance",
        "CircularLoggingEnabled": "circular_logging_enabled",
        "DataMoveReplicationConstraint": "data_move_replication_constraint",
        "DeletedItemRetention": "deleted_item_retention",
        "EventHistoryRetentionPeriod": "event_history_retention_period", "IndexEnabled": "index_enabled",
        "IsExcludedFromProvisioning": "is_excluded_from_provisioning", "IssueWarningQuota": "issue_warning_quota",
        "IsSuspendedFromProvisioning": "is_suspended_from_provisioning", "JournalRecipient": "journal_recipient",
        "MailboxRetention": "mailbox_retention", "MaintenanceSchedule": "maintenance_schedule",
        "MountAtStartup": "mount_at_startup", "Name": "name", "OfflineAddressBook": "offline_address_book",
        "ProhibitSendQuota": "prohibit_send_quota", "ProhibitSendReceiveQuota": "prohibit_send_receive_quota",
        "QuotaNotificationSchedule": "quota_notification_schedule",
        "RecoverableItemsQuota": "recoverable_items_quota",
        "RecoverableItemsWarningQuota": "recoverable_items_warning_quota",
        "RetainDeletedItemsUntilBackup": "retain_deleted_items_until_backup",
    }
    converters = {"JournalRecipient": str, "OfflineAddressBook": str}
    examples = (Example('Set-MailboxDatabase "Mailbox Database01" -DeletedItemRetention 7.00:00:00',
                        "Keeps deleted items for 7 days."),
                Example("Set-MailboxDatabase DB1 -CircularLoggingEnabled $false", "Turns circular logging off."))

    def run(self, org: Any) -> None:
        db = self.resolve("database")
        changes = self.changes()
        if self.has("PublicFolderDatabase"):
            changes["public_folder_database"] = self.resolve("public folder database", "PublicFolderDatabase").name
        if self.has("RpcClientAccessServer"):
            changes["rpc_client_access_server"] = self._client_access(org)
        if self.should_process(db.name, message=sentence("Setting", "mailbox database", db.name)):
            org.set_mailbox_database(db, changes)

    def _client_access(self, org: Any) -> str:
        """A Client Access server or array: stored as its FQDN."""
        from ems.exchange import errors as E
        from ems.exchange.identity import identity_text, resolve_many
        value = self.param("RpcClientAccessServer")
        arrays = resolve_many(org, "cas array", value, wildcards=False)
        if arrays:
            return arrays[0].fqdn
        servers = resolve_many(org, "client access server", value, wildcards=False)
        if servers:
            return org.fqdn(servers[0].name)
        raise E.referenced_not_found("Client Access server or array", identity_text(value))


@register
class RemoveMailboxDatabase(ExchangeCmdlet):
    name = "Remove-MailboxDatabase"
    dotnet_class = SYSCONFIG + "RemoveMailboxDatabase"
    synopsis = "Use the Remove-MailboxDatabase cmdlet to delete a mailbox database object."
    supports_should_process = True
    confirm_impact = "High"
    parameters = (identity_param(DB_ID), dc_param())
    examples = (Example("Remove-MailboxDatabase -Identity MailboxDatabase01", "Removes the database MailboxDatabase01."),)

    def run(self, org: Any) -> None:
        db = self.resolve("database")
        if self.should_process(db.name, message=sentence("Removing", "mailbox database", db.name)):
            org.remove_mailbox_database(db)


@register
class MountDatabase(ExchangeCmdlet):
    name = "Mount-Database"
    dotnet_class = SYSCONFIG + "MountDatabase"
    synopsis = "Use the Mount-Database cmdlet to mount mailbox databases on Exchange servers."
    supports_should_process = True
    parameters = (
        identity_param(DB_ID),
        switch("AcceptDataLoss"),
        switch("Force", help="Mount even if the database files are missing (creates an empty database)."),
        dc_param(),
    )
    examples = (Example("Mount-Database -Identity MyDatabase", "Mounts the database MyDatabase."),)

    def run(self, org: Any) -> None:
        db = self.resolve("database")
        if self.should_process(db.name, message=sentence("Mounting", "database", db.name)):
            org.mount_database(db, bool(self.param("Force")), bool(self.param("AcceptDataLoss")))


@register
class DismountDatabase(ExchangeCmdlet):
    name = "Dismount-Database"
    dotnet_class = SYSCONFIG + "DismountDatabase"
    synopsis = "Use the Dismount-Database cmdlet to dismount databases."
    supports_should_process = True
    confirm_impact = "High"
    parameters = (identity_param(DB_ID), dc_param())
    examples = (Example("Dismount-Database -Identity MyDatabase", "Dismounts the database MyDatabase."),)

    def run(self, org: Any) -> None:
        db = self.resolve("database")
        message = (f'Dismounting database "{db.name}". This may result in reduced availability for mailboxes '
                   "in the database.")
        if self.should_process(db.name, message=message):
            org.dismount_database(db)


@register
class GetPublicFolderDatabase(ExchangeCmdlet):
    name = "Get-PublicFolderDatabase"
    dotnet_class = SYSCONFIG + "GetPublicFolderDatabase"
    output_type = T_PUBLIC_FOLDER_DB
    synopsis = "Use the Get-PublicFolderDatabase cmdlet to retrieve one or more public folder database objects."
    parameters = (
        identity_param(DB_ID, mandatory=False, sets=("Identity",)),
        Parameter("Server", IDENTITY, mandatory=("Server",), pipeline=True, sets=("Server",),
                  type_name="ServerIdParameter"),
        switch("IncludePreExchange2010"),
        switch("Status"),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example("Get-PublicFolderDatabase | Format-List", "Shows every public folder database."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        if self.parameter_set == "Server":
            server = self.resolve("server", "Server")
            pfs = [p for p in org.public_folder_databases.values() if p.server.lower() == server.name.lower()]
        else:
            pfs = self.select("public folder database")
        for p in pfs:
            self.write(S.public_folder_database(org, p, bool(self.param("Status"))))
