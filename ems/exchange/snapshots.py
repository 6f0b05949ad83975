"""Presentation objects: frozen attrs snapshots of the model, as EMS returns them.

Field names are the PowerShell property names in the order real EMS's ``Format-List`` shows
them: ``RunspaceId`` first (implicit remoting adds it), the type's own properties, then the
common directory properties. Exchange 2010 has two common blocks: configuration objects
(DAG, databases, transport config) end ``AdminDisplayName ... OriginatingServer, IsValid``;
presentation objects (servers, mailboxes) end ``IsValid, ExchangeVersion, Name ...
OriginatingServer`` (2010 has no ``ObjectState`` on directory objects).

Snapshots never change after they are written: a later ``Get-`` shows the new state, a
variable keeps the old one, as in EMS. ``__str__`` is the object's ToString() (its identity).
"""
from __future__ import annotations

import datetime as _dt
import uuid as _uuid
from typing import Any

import attrs

from ems.exchange.typenames import (  # .NET type names, one place
    T_DAG, T_DAG_NETWORK, T_MAILBOX_DATABASE, T_PUBLIC_FOLDER_DB, T_DATABASE,
    T_COPY_STATUS, T_MOVE_RESULT, T_REPLICATION_CHECK, T_EXCHANGE_SERVER,
    T_MAILBOX_SERVER, T_CLIENT_ACCESS, T_CLIENT_ACCESS_ARRAY, T_MAILBOX,
    T_MAILBOX_STATISTICS, T_TRANSPORT_CONFIG, T_AD_PRINCIPAL)
from ems.exchange.values import (ByteQuantifiedSize, DagNetworkInterface, DagSubnet, KeyValue, ObjectId,
                                 ServerVersion, VERSION_BUILDS)

CONFIG_TAIL = ("AdminDisplayName", "ExchangeVersion", "Name", "DistinguishedName", "Identity", "Guid",
               "ObjectCategory", "ObjectClass", "WhenChanged", "WhenCreated", "WhenChangedUTC",
               "WhenCreatedUTC", "OrganizationId", "OriginatingServer", "IsValid")
PRESENTATION_TAIL = ("IsValid", "ExchangeVersion", "Name", "DistinguishedName", "Identity", "Guid",
                     "ObjectCategory", "ObjectClass", "WhenChanged", "WhenCreated", "WhenChangedUTC",
                     "WhenCreatedUTC", "OrganizationId", "OriginatingServer")
V2010 = "0.10 (14.0.100.0)"
V2007 = "0.1 (8.0.535.0)"

_CONFIG_BASES = ("Microsoft.Exchange.Data.Directory.ADConfigurationObject",
                 "Microsoft.Exchange.Data.Directory.ADObject",
                 "Microsoft.Exchange.Data.Directory.ADRawEntry",
                 "Microsoft.Exchange.Data.ConfigurableObject")
_PRESENTATION_BASES = ("Microsoft.Exchange.Data.Directory.ADPresentationObject",
                       "Microsoft.Exchange.Data.ConfigurableObject")


def _str(self: Any) -> str:
    return str(self.Identity)


def _snapshot(name: str, type_names: tuple[str, ...], own: tuple[str, ...],
              tail: tuple[str, ...] = ()) -> type:
    """A frozen attrs class with these PowerShell properties, in this order."""
    names = ["RunspaceId"] + list(own) + [n for n in tail if n not in own]
    cls = attrs.make_class(name, {n: attrs.field(default=None) for n in names},
                           frozen=True, slots=True, eq=False, repr=False)
    cls.PS_TYPE_NAMES = type_names
    cls.__str__ = _str
    cls.__repr__ = _str
    return cls


# --------------------------------------------------------------------------- classes

DatabaseAvailabilityGroup = _snapshot("DatabaseAvailabilityGroup", (T_DAG,) + _CONFIG_BASES, (
    "Name", "Servers", "WitnessServer", "WitnessDirectory", "AlternateWitnessServer",
    "AlternateWitnessDirectory", "NetworkCompression", "NetworkEncryption", "DatacenterActivationMode",
    "StoppedMailboxServers", "StartedMailboxServers",
    "DatabaseAvailabilityGroupIpAddresses", "AllowCrossSiteRpcClientAccess", "OperationalServers",
    "PrimaryActiveManager", "ServersInMaintenance", "ThirdPartyReplication", "ReplicationPort",
    "NetworkNames", "WitnessShareInUse"), CONFIG_TAIL)

DatabaseAvailabilityGroupNetwork = _snapshot("DatabaseAvailabilityGroupNetwork", (T_DAG_NETWORK,), (
    "Name", "Description", "Subnets", "Interfaces", "MapiAccessEnabled", "ReplicationEnabled",
    "IgnoreNetwork", "Identity", "IsValid"))

MailboxDatabase = _snapshot("MailboxDatabase", (T_MAILBOX_DATABASE, T_DATABASE) + _CONFIG_BASES, (
    "JournalRecipient", "MailboxRetention", "OfflineAddressBook", "OriginalDatabase", "PublicFolderDatabase",
    "ProhibitSendReceiveQuota", "ProhibitSendQuota", "RecoverableItemsQuota", "RecoverableItemsWarningQuota",
    "IndexEnabled", "IsExcludedFromProvisioning", "IsSuspendedFromProvisioning", "DumpsterStatistics",
    "DumpsterServersNotAvailable", "RpcClientAccessServer", "AdminDisplayVersion", "AdministrativeGroup",
    "AllowFileRestore", "BackgroundDatabaseMaintenance", "ReplayBackgroundDatabaseMaintenance",
    "BackgroundDatabaseMaintenanceSerialization", "BackgroundDatabaseMaintenanceDelay",
    "ReplayBackgroundDatabaseMaintenanceDelay", "MimimumBackgroundDatabaseMaintenanceInterval",
    "MaximumBackgroundDatabaseMaintenanceInterval", "BackupInProgress", "CircularLoggingEnabled",
    "DatabaseCreated", "Description", "EdbFilePath", "ExchangeLegacyDN", "DatabaseCopies",
    "InvalidDatabaseCopies", "AllDatabaseCopies", "Servers", "ActivationPreference", "ReplayLagTimes",
    "TruncationLagTimes", "RpcClientAccessServerLegacyDN", "DeletedItemRetention", "SnapshotLastFullBackup",
    "SnapshotLastIncrementalBackup", "SnapshotLastDifferentialBackup", "SnapshotLastCopyBackup",
    "LastFullBackup", "LastIncrementalBackup", "LastDifferentialBackup", "LastCopyBackup", "DatabaseSize",
    "AvailableNewMailboxSpace", "MaintenanceSchedule", "MountAtStartup", "Mounted",
    "OnlineMaintenanceInProgress", "EventHistoryRetentionPeriod", "LogFolderPath", "LogFilePrefix",
    "LogFileSize", "IssueWarningQuota", "QuotaNotificationSchedule", "Recovery",
    "RetainDeletedItemsUntilBackup", "Server", "MasterServerOrAvailabilityGroup", "WorkerProcessId",
    "CurrentSchemaVersion", "RequestedSchemaVersion", "AutoDatabaseMountDial", "DatabaseGroup", "MasterType",
    "ServerName", "IsMailboxDatabase", "IsPublicFolderDatabase", "ReplicationType",
    "DataMoveReplicationConstraint"), CONFIG_TAIL)

PublicFolderDatabase = _snapshot("PublicFolderDatabase", (T_PUBLIC_FOLDER_DB, T_DATABASE) + _CONFIG_BASES, (
    "MaxItemSize", "ItemRetentionPeriod", "ReplicationPeriod", "ReplicationSchedule", "ReplicationMessageSize",
    "UseCustomReferralServerList", "CustomReferralServerList", "Alias", "AdminDisplayVersion",
    "AdministrativeGroup", "BackupInProgress", "CircularLoggingEnabled", "DatabaseCreated", "Description",
    "EdbFilePath", "ExchangeLegacyDN", "DeletedItemRetention", "IssueWarningQuota", "LogFolderPath",
    "LogFilePrefix", "MaintenanceSchedule", "MountAtStartup", "Mounted", "ProhibitPostQuota", "Recovery",
    "RetainDeletedItemsUntilBackup", "Server", "ServerName", "IsMailboxDatabase", "IsPublicFolderDatabase"),
    CONFIG_TAIL)

DatabaseCopyStatusEntry = _snapshot("DatabaseCopyStatusEntry", (T_COPY_STATUS,), (
    "Identity", "Id", "Name", "DatabaseName", "Status", "MailboxServer", "ActiveDatabaseCopy",
    "ActivationSuspended", "ActionInitiator", "ErrorMessage", "ErrorEventId", "ExtendedErrorInfo",
    "SuspendComment", "SinglePageRestore", "ContentIndexState", "ContentIndexErrorMessage", "CopyQueueLength",
    "ReplayQueueLength", "LatestAvailableLogTime", "LastCopyNotificationedLogTime", "LastCopiedLogTime",
    "LastInspectedLogTime", "LastReplayedLogTime", "LastLogGenerated", "LastLogCopyNotified", "LastLogCopied",
    "LastLogInspected", "LastLogReplayed", "LogsReplayedSinceInstanceStart", "LogsCopiedSinceInstanceStart",
    "LatestFullBackupTime", "LatestIncrementalBackupTime", "LatestDifferentialBackupTime",
    "LatestCopyBackupTime", "SnapshotBackup", "SnapshotLatestFullBackup", "SnapshotLatestIncrementalBackup",
    "SnapshotLatestDifferentialBackup", "SnapshotLatestCopyBackup", "LogReplayQueueIncreasing",
    "LogCopyQueueIncreasing", "OutstandingDumpsterRequests", "OutgoingConnections",
    "IncomingLogCopyingNetwork", "SeedingNetwork", "ActiveCopy", "IsValid", "ObjectState"))

DatabaseMoveResult = _snapshot("DatabaseMoveResult", (T_MOVE_RESULT,), (
    "Identity", "ActiveServerAtStart", "ActiveServerAtEnd", "Status", "NumberOfLogsLost",
    "RecoveryPointObjective", "MountStatusAtMoveStart", "MountStatusAtMoveEnd", "ErrorMessage", "IsValid",
    "ObjectState"))

ReplicationCheckOutputObject = _snapshot("ReplicationCheckOutputObject", (T_REPLICATION_CHECK,), (
    "Server", "Check", "CheckDescription", "Result", "Error", "Identity", "IsValid", "ObjectState"))

ExchangeServer = _snapshot("ExchangeServer", (T_EXCHANGE_SERVER,) + _PRESENTATION_BASES, (
    "Name", "DataPath", "Domain", "Edition", "ExchangeLegacyDN", "ExchangeLegacyServerRole", "Fqdn",
    "CustomerFeedbackEnabled", "InternetWebProxy", "IsHubTransportServer", "IsClientAccessServer",
    "IsExchange2007OrLater", "IsEdgeServer", "IsMailboxServer", "IsE14OrLater", "IsProvisionedServer",
    "IsUnifiedMessagingServer", "NetworkAddress", "OrganizationalUnit", "AdminDisplayVersion", "Site",
    "ServerRole", "ErrorReportingEnabled", "StaticDomainControllers", "StaticGlobalCatalogs",
    "StaticConfigDomainController", "StaticExcludedDomainControllers", "CurrentDomainControllers",
    "CurrentGlobalCatalogs", "CurrentConfigDomainController", "ProductID", "IsExchange2007TrialEdition",
    "IsExpiredExchange2007TrialEdition", "RemainingTrialPeriod"), PRESENTATION_TAIL)

MailboxServer = _snapshot("MailboxServer", (T_MAILBOX_SERVER,) + _PRESENTATION_BASES, (
    "Name", "AutoDatabaseMountDial", "CalendarRepairIntervalEndWindow", "CalendarRepairLogDirectorySizeLimit",
    "CalendarRepairLogEnabled", "CalendarRepairLogFileAgeLimit", "CalendarRepairLogPath",
    "CalendarRepairLogSubjectLoggingEnabled", "CalendarRepairMissingItemFixDisabled", "CalendarRepairMode",
    "CalendarRepairWorkCycle", "CalendarRepairWorkCycleCheckpoint", "DatabaseAvailabilityGroup",
    "DatabaseCopyAutoActivationPolicy", "ExchangeLegacyDN", "IsExcludedFromProvisioning",
    "JournalingLogForManagedFoldersEnabled", "Locale", "LogDirectorySizeLimitForManagedFolders",
    "LogFileAgeLimitForManagedFolders", "LogFileSizeLimitForManagedFolders", "LogPathForManagedFolders",
    "ManagedFolderAssistantSchedule", "ManagedFolderWorkCycle", "ManagedFolderWorkCycleCheckpoint",
    "MAPIEncryptionRequired", "MaximumActiveDatabases", "MessageTrackingLogEnabled",
    "MessageTrackingLogMaxAge", "MessageTrackingLogMaxDirectorySize", "MessageTrackingLogMaxFileSize",
    "MessageTrackingLogPath", "MessageTrackingLogSubjectLoggingEnabled", "RetentionLogForManagedFoldersEnabled",
    "SharingPolicySchedule", "SubjectLogForManagedFoldersEnabled", "SubmissionServerOverrideList",
    "TopNWorkCycle", "TopNWorkCycleCheckpoint", "UMReportingWorkCycle", "UMReportingWorkCycleCheckpoint",
    "Identity"), PRESENTATION_TAIL)

ClientAccessServer = _snapshot("ClientAccessServer", (T_CLIENT_ACCESS,) + _PRESENTATION_BASES, (
    "Name", "Fqdn", "OutlookAnywhereEnabled", "AutoDiscoverServiceCN", "AutoDiscoverServiceClassName",
    "AutoDiscoverServiceInternalUri", "AutoDiscoverServiceGuid", "AutoDiscoverSiteScope",
    "AlternateServiceAccountConfiguration", "IrmLogEnabled", "IrmLogMaxAge", "IrmLogMaxDirectorySize",
    "IrmLogMaxFileSize", "IrmLogPath", "Identity"), PRESENTATION_TAIL)

ClientAccessArray = _snapshot("ClientAccessArray", (T_CLIENT_ACCESS_ARRAY,) + _CONFIG_BASES, (
    "ExchangeLegacyDN", "Fqdn", "Site", "SiteName", "Members"), CONFIG_TAIL)

Mailbox = _snapshot("Mailbox", (T_MAILBOX,) + _PRESENTATION_BASES, (
    "Database", "DeletedItemFlags", "DeliverToMailboxAndForward", "ExchangeGuid", "ExchangeUserAccountControl",
    "ForwardingAddress", "ForwardingSmtpAddress", "IsMailboxEnabled", "LitigationHoldEnabled", "Languages",
    "ArchiveDatabase", "ArchiveGuid", "ArchiveName", "ArchiveQuota", "ArchiveWarningQuota", "ArchiveStatus",
    "RemoteRecipientType", "CalendarVersionStoreDisabled", "OfflineAddressBook", "UseDatabaseRetentionDefaults",
    "RetainDeletedItemsUntilBackup", "RetainDeletedItemsFor", "ProhibitSendQuota", "ProhibitSendReceiveQuota",
    "RecoverableItemsQuota", "RecoverableItemsWarningQuota", "RecipientLimits", "IsResource", "IsLinked",
    "IsShared", "ResetPasswordOnNextLogon", "SamAccountName", "ServerLegacyDN", "ServerName",
    "UseDatabaseQuotaDefaults", "IssueWarningQuota", "RulesQuota", "Office", "UserPrincipalName", "UMEnabled",
    "RoleAssignmentPolicy", "SharingPolicy", "SingleItemRecoveryEnabled", "AuditEnabled", "AuditLogAgeLimit",
    "WhenMailboxCreated", "Alias", "OrganizationalUnit", "CustomAttribute1", "DisplayName", "EmailAddresses",
    "GrantSendOnBehalfTo", "HiddenFromAddressListsEnabled", "LegacyExchangeDN", "MaxSendSize",
    "MaxReceiveSize", "EmailAddressPolicyEnabled", "PrimarySmtpAddress", "RecipientType",
    "RecipientTypeDetails", "WindowsEmailAddress", "Identity"), PRESENTATION_TAIL)

MailboxStatistics = _snapshot("MailboxStatistics", (T_MAILBOX_STATISTICS,), (
    "AssociatedItemCount", "DeletedItemCount", "DisconnectDate", "DisplayName", "ItemCount",
    "LastLoggedOnUserAccount", "LastLogoffTime", "LastLogonTime", "LegacyDN", "MailboxGuid", "ObjectClass",
    "StorageLimitStatus", "TotalDeletedItemSize", "TotalItemSize", "MailboxTableIdentifier", "Database",
    "ServerName", "DatabaseName", "MoveHistory", "IsQuarantined", "IsArchiveMailbox", "Identity",
    "MapiIdentity", "OriginatingServer", "IsValid"))

TransportConfig = _snapshot("TransportConfig", (T_TRANSPORT_CONFIG,) + _CONFIG_BASES, (
    "ClearCategories", "ConvertDisclaimerWrapperToEml", "DSNConversionMode", "ExternalDelayDsnEnabled",
    "ExternalDsnDefaultLanguage", "ExternalDsnLanguageDetectionEnabled", "ExternalDsnMaxMessageAttachSize",
    "ExternalDsnReportingAuthority", "ExternalDsnSendHtml", "ExternalPostmasterAddress", "GenerateCopyOfDSNFor",
    "HygieneSuite", "InternalDelayDsnEnabled", "InternalDsnDefaultLanguage", "InternalDsnLanguageDetectionEnabled",
    "InternalDsnMaxMessageAttachSize", "InternalDsnReportingAuthority", "InternalDsnSendHtml",
    "InternalSMTPServers", "JournalingReportNdrTo", "LegacyJournalingMigrationEnabled",
    "MaxDumpsterSizePerDatabase", "MaxDumpsterTime", "MaxReceiveSize", "MaxRecipientEnvelopeLimit",
    "MaxSendSize", "MigrationEnabled", "OpenDomainRoutingEnabled", "OrganizationFederatedMailbox",
    "PreserveReportBodypart", "Rfc2231EncodingEnabled", "ShadowHeartbeatRetryCount",
    "ShadowHeartbeatTimeoutInterval", "ShadowMessageAutoDiscardInterval", "ShadowRedundancyEnabled",
    "SupervisionTags", "TLSReceiveDomainSecureList", "TLSSendDomainSecureList", "VerifySecureSubmitEnabled",
    "VoicemailJournalingEnabled", "HeaderPromotionModeSetting", "WriteBrandingInDSNEnabled", "Xexch50Enabled"),
    CONFIG_TAIL)


@attrs.frozen(slots=True, eq=False)
class ADPrincipal:
    """Get-ADGroupMember output (ActiveDirectory module; camelCase names as in the module)."""

    PS_TYPE_NAMES = (T_AD_PRINCIPAL, "Microsoft.ActiveDirectory.Management.ADObject",
                     "Microsoft.ActiveDirectory.Management.ADEntity")
    distinguishedName: str
    name: str
    objectClass: str
    objectGUID: Any
    SamAccountName: str
    SID: str

    def __str__(self) -> str:
        return self.distinguishedName


# --------------------------------------------------------------------------- builders

def _common(org: Any, name: str, dn: str, identity: Any, guid: Any, category: str, classes: list,
            created: Any, changed: Any, version: str = V2010) -> dict:
    return dict(
        RunspaceId=org.runspace_id, AdminDisplayName=None, ExchangeVersion=version, Name=name,
        DistinguishedName=dn, Identity=identity, Guid=guid, ObjectCategory=org.schema_category(category),
        ObjectClass=classes, WhenChanged=changed, WhenCreated=created, WhenChangedUTC=changed,
        WhenCreatedUTC=created, OrganizationId=None, OriginatingServer=org.domain_controller, IsValid=True)


def server_id(org: Any, name: str | None) -> ObjectId | None:
    if not name:
        return None
    return ObjectId(name, name, f"CN={name},CN=Servers,{org.admin_group_dn}")


def site_id(org: Any, name: str) -> ObjectId:
    return ObjectId(f"{org.domain}/Configuration/Sites/{name}", name, f"CN={name},CN=Sites,{org.config_dn}")


def _version(server: Any) -> ServerVersion:
    return ServerVersion(*VERSION_BUILDS[server.version])


def dag(org: Any, d: Any, status: bool = False) -> Any:
    st = org.dag_status(d) if status else None
    ad = org.dag_directory(d)  # the copy of the connected server's site (ems.exchange.directory)
    dn = f"CN={d.name},CN=Database Availability Groups,{org.admin_group_dn}"
    values = _common(org, d.name, dn, ObjectId(d.name, d.name, dn), d.guid, "ms-Exch-MDB-Availability-Group",
                     ["top", "msExchMDBAvailabilityGroup"], d.created, d.changed)
    values.update(
        Servers=[server_id(org, s) for s in reversed(d.servers)],
        WitnessServer=ad.witness_server, WitnessDirectory=ad.witness_directory,
        AlternateWitnessServer=ad.alternate_witness_server, AlternateWitnessDirectory=ad.alternate_witness_directory,
        NetworkCompression=d.network_compression, NetworkEncryption=d.network_encryption,
        DatacenterActivationMode=ad.datacenter_activation_mode,
        StoppedMailboxServers=[org.fqdn(s) for s in ad.stopped_servers],
        StartedMailboxServers=[org.fqdn(s) for s in ad.started_servers],
        DatabaseAvailabilityGroupIpAddresses=list(d.ip_addresses),
        AllowCrossSiteRpcClientAccess=d.allow_cross_site_rpc_client_access,
        OperationalServers=[server_id(org, s) for s in st.operational_servers] if st else None,
        PrimaryActiveManager=server_id(org, st.primary_active_manager) if st else None,
        ServersInMaintenance=[] if st else None,
        ThirdPartyReplication=d.third_party_replication,
        ReplicationPort=st.replication_port if st else 0,
        NetworkNames=st.network_names if st else None,
        WitnessShareInUse=st.witness_share_in_use if st else None)
    return DatabaseAvailabilityGroup(**values)


def dag_network(org: Any, d: Any, net: Any) -> Any:
    mapi = org.mapi_subnets(d)
    return DatabaseAvailabilityGroupNetwork(
        RunspaceId=org.runspace_id, Name=net.name, Description=net.description,
        Subnets=[DagSubnet(s, org.subnet_state(d, net, s)) for s in net.subnets],
        Interfaces=[DagNetworkInterface(node, state, ip) for node, state, ip in org.network_interfaces(d, net)],
        MapiAccessEnabled=any(s in mapi for s in net.subnets), ReplicationEnabled=net.replication_enabled,
        IgnoreNetwork=net.ignore_network, Identity=ObjectId(f"{d.name}\\{net.name}", net.name), IsValid=True)


def _schedule() -> list[str]:
    days = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
    return [f"{d}.1:00 AM-{d}.5:00 AM" for d in days]


def mailbox_database(org: Any, db: Any, status: bool = False) -> Any:
    dn = f"CN={db.name},CN=Databases,{org.admin_group_dn}"
    active = org.servers[db.active_server.lower()]
    values = _common(org, db.name, dn, ObjectId(db.name, db.name, dn), db.guid, "ms-Exch-Private-MDB",
                     ["top", "msExchMDB", "msExchPrivateMDB"], db.created, db.changed)
    copies = sorted(db.copies, key=lambda c: c.activation_preference)
    master = active.dag or active.name
    pf = org.public_folder_databases.get((db.public_folder_database or "").lower())
    values.update(
        AdminDisplayName=db.name, JournalRecipient=db.journal_recipient, MailboxRetention=db.mailbox_retention,
        OfflineAddressBook=db.offline_address_book, OriginalDatabase=None,
        PublicFolderDatabase=ObjectId(pf.name) if pf else None,
        ProhibitSendReceiveQuota=db.prohibit_send_receive_quota, ProhibitSendQuota=db.prohibit_send_quota,
        RecoverableItemsQuota=db.recoverable_items_quota,
        RecoverableItemsWarningQuota=db.recoverable_items_warning_quota, IndexEnabled=db.index_enabled,
        IsExcludedFromProvisioning=db.is_excluded_from_provisioning,
        IsSuspendedFromProvisioning=db.is_suspended_from_provisioning,
        DumpsterStatistics=None, DumpsterServersNotAvailable=None,
        RpcClientAccessServer=db.rpc_client_access_server, AdminDisplayVersion=_version(active),
        AdministrativeGroup="Exchange Administrative Group (FYDIBOHF23SPDLT)",
        AllowFileRestore=db.allow_file_restore, BackgroundDatabaseMaintenance=db.background_database_maintenance,
        ReplayBackgroundDatabaseMaintenance=None, BackgroundDatabaseMaintenanceSerialization=None,
        BackgroundDatabaseMaintenanceDelay=None, ReplayBackgroundDatabaseMaintenanceDelay=None,
        MimimumBackgroundDatabaseMaintenanceInterval=None, MaximumBackgroundDatabaseMaintenanceInterval=None,
        BackupInProgress=False if status else None, CircularLoggingEnabled=db.circular_logging_enabled,
        DatabaseCreated=True, Description=db.description, EdbFilePath=db.edb_file_path,
        ExchangeLegacyDN=org.legacy_dn("cn=Configuration", "cn=Servers", f"cn={db.server}",
                                       "cn=Microsoft Private MDB"),
        DatabaseCopies=[ObjectId(f"{db.name}\\{c.server}", c.server) for c in db.copies],
        InvalidDatabaseCopies=[], AllDatabaseCopies=[ObjectId(f"{db.name}\\{c.server}", c.server) for c in db.copies],
        Servers=[server_id(org, c.server) for c in db.copies],
        ActivationPreference=[KeyValue(server_id(org, c.server), c.activation_preference) for c in copies],
        ReplayLagTimes=[KeyValue(server_id(org, c.server), c.replay_lag_time) for c in db.copies],
        TruncationLagTimes=[KeyValue(server_id(org, c.server), c.truncation_lag_time) for c in db.copies],
        RpcClientAccessServerLegacyDN=None, DeletedItemRetention=db.deleted_item_retention,
        SnapshotLastFullBackup=None, SnapshotLastIncrementalBackup=None, SnapshotLastDifferentialBackup=None,
        SnapshotLastCopyBackup=None, LastFullBackup=None, LastIncrementalBackup=None, LastDifferentialBackup=None,
        LastCopyBackup=None,
        DatabaseSize=_database_size(org, db) if status else None,
        AvailableNewMailboxSpace=_size(0) if status else None,
        MaintenanceSchedule=db.maintenance_schedule if db.maintenance_schedule is not None else _schedule(),
        MountAtStartup=db.mount_at_startup, Mounted=db.mounted if status else None,
        OnlineMaintenanceInProgress=False if status else None,
        EventHistoryRetentionPeriod=db.event_history_retention_period, LogFolderPath=db.log_folder_path,
        LogFilePrefix=db.log_file_prefix, LogFileSize=1024, IssueWarningQuota=db.issue_warning_quota,
        QuotaNotificationSchedule=db.quota_notification_schedule or [], Recovery=db.recovery,
        RetainDeletedItemsUntilBackup=db.retain_deleted_items_until_backup,
        Server=server_id(org, db.active_server), MasterServerOrAvailabilityGroup=ObjectId(master),
        WorkerProcessId=None, CurrentSchemaVersion=None, RequestedSchemaVersion=None,
        AutoDatabaseMountDial=active.auto_database_mount_dial, DatabaseGroup=None,
        MasterType="DatabaseAvailabilityGroup" if active.dag else "Server", ServerName=db.active_server,
        IsMailboxDatabase=True, IsPublicFolderDatabase=False,
        ReplicationType="Remote" if len(db.copies) > 1 else "None",
        DataMoveReplicationConstraint=db.data_move_replication_constraint)
    return MailboxDatabase(**values)


def _size(n: int) -> Any:
    return ByteQuantifiedSize(n)


def _database_size(org: Any, db: Any) -> Any:
    """A new database file is about 8 MB; mailbox contents add to it."""
    used = sum(m.total_item_size for m in org.mailboxes.values() if m.database.lower() == db.name.lower())
    return _size(8454144 + used + db.last_generated * 1048576 // 16)


def public_folder_database(org: Any, p: Any, status: bool = False) -> Any:
    dn = f"CN={p.name},CN=Databases,{org.admin_group_dn}"
    server = org.servers[p.server.lower()]
    values = _common(org, p.name, dn, ObjectId(f"{p.server}\\{p.name}", p.name, dn), p.guid,
                     "ms-Exch-Public-MDB", ["top", "msExchMDB", "msExchPublicMDB"], p.created, p.created)
    values.update(
        AdminDisplayName=p.name, MaxItemSize=ByteQuantifiedSize(10485760),
        ItemRetentionPeriod=None, ReplicationPeriod=900, ReplicationSchedule=["Always"],
        ReplicationMessageSize=ByteQuantifiedSize(307200), UseCustomReferralServerList=False,
        CustomReferralServerList=[], Alias=None, AdminDisplayVersion=_version(server),
        AdministrativeGroup="Exchange Administrative Group (FYDIBOHF23SPDLT)", BackupInProgress=False if status else None,
        CircularLoggingEnabled=False, DatabaseCreated=True, Description=None, EdbFilePath=p.edb_file_path,
        ExchangeLegacyDN=org.legacy_dn("cn=Configuration", "cn=Servers", f"cn={p.server}", "cn=Microsoft Public MDB"),
        DeletedItemRetention=_dt.timedelta(days=14), IssueWarningQuota=ByteQuantifiedSize(1992294400),
        LogFolderPath=p.log_folder_path, LogFilePrefix=p.log_file_prefix, MaintenanceSchedule=_schedule(),
        MountAtStartup=True, Mounted=p.mounted if status else None, ProhibitPostQuota=ByteQuantifiedSize(2097152000),
        Recovery=False, RetainDeletedItemsUntilBackup=False, Server=server_id(org, p.server), ServerName=p.server,
        IsMailboxDatabase=False, IsPublicFolderDatabase=True)
    return PublicFolderDatabase(**values)


def copy_status(org: Any, db: Any, c: Any) -> Any:
    status = org.copy_status(db, c)
    active = c.server.lower() == db.active_server.lower()
    latest = db.log_time(db.last_generated)
    name = f"{db.name}\\{c.server}"
    ident = ObjectId(name, name)
    host = org.servers.get(c.server.lower())
    down = status == "ServiceDown"
    cql = org.copy_queue_length(db, c)
    rql = org.replay_queue_length(db, c)
    if active:
        pos = dict(LastCopyNotificationedLogTime=None, LastCopiedLogTime=None, LastInspectedLogTime=None,
                   LastReplayedLogTime=None, LastLogCopyNotified=0, LastLogCopied=0, LastLogInspected=0,
                   LastLogReplayed=0)
    else:
        pos = dict(LastCopyNotificationedLogTime=latest, LastCopiedLogTime=db.log_time(c.last_copied),
                   LastInspectedLogTime=db.log_time(c.last_inspected),
                   LastReplayedLogTime=db.log_time(c.last_replayed), LastLogCopyNotified=db.last_generated,
                   LastLogCopied=c.last_copied, LastLogInspected=c.last_inspected, LastLogReplayed=c.last_replayed)
    return DatabaseCopyStatusEntry(
        RunspaceId=org.runspace_id, Identity=ident, Id=ident, Name=name, DatabaseName=db.name, Status=status,
        MailboxServer=c.server, ActiveDatabaseCopy=db.active_server.lower(),
        ActivationSuspended=c.activation_suspended, ActionInitiator=c.action_initiator,
        ErrorMessage=c.error_message if not down else
        f"The Microsoft Exchange Replication service may not be running on server {org.fqdn(host.name) if host else c.server}.",
        ErrorEventId=None, ExtendedErrorInfo=None,
        SuspendComment=c.suspend_comment if c.suspend_comment is not None else c.suspend_message,
        SinglePageRestore=0, ContentIndexState=c.content_index_state if not down else "Unknown",
        ContentIndexErrorMessage=None, CopyQueueLength=cql, ReplayQueueLength=rql,
        LatestAvailableLogTime=latest, LastLogGenerated=db.last_generated,
        LogsReplayedSinceInstanceStart=c.logs_replayed_since_start,
        LogsCopiedSinceInstanceStart=c.logs_copied_since_start,
        LatestFullBackupTime=None, LatestIncrementalBackupTime=None, LatestDifferentialBackupTime=None,
        LatestCopyBackupTime=None, SnapshotBackup=None, SnapshotLatestFullBackup=None,
        SnapshotLatestIncrementalBackup=None, SnapshotLatestDifferentialBackup=None, SnapshotLatestCopyBackup=None,
        LogReplayQueueIncreasing=False, LogCopyQueueIncreasing=False, OutstandingDumpsterRequests=[],
        OutgoingConnections=None, IncomingLogCopyingNetwork=None, SeedingNetwork=None, ActiveCopy=active,
        IsValid=True, ObjectState="Unchanged", **pos)


def move_result(org: Any, outcome: Any) -> Any:
    return DatabaseMoveResult(
        RunspaceId=org.runspace_id, Identity=ObjectId(outcome.database), ActiveServerAtStart=outcome.active_server_at_start.lower(),
        ActiveServerAtEnd=outcome.active_server_at_end.lower(), Status=outcome.status,
        NumberOfLogsLost=outcome.logs_lost, RecoveryPointObjective=outcome.recovery_point,
        MountStatusAtMoveStart=outcome.mount_status_at_start, MountStatusAtMoveEnd=outcome.mount_status_at_end,
        ErrorMessage=outcome.error_message, IsValid=True, ObjectState="New")


def replication_check(org: Any, server: str, check: str, description: str, result: str, error: str | None) -> Any:
    return ReplicationCheckOutputObject(
        RunspaceId=org.runspace_id, Server=server, Check=check, CheckDescription=description, Result=result,
        Error=error, Identity=None, IsValid=True, ObjectState="New")


def _server_common(org: Any, s: Any) -> dict:
    dn = f"CN={s.name},CN=Servers,{org.admin_group_dn}"
    values = _common(org, s.name, dn, ObjectId(s.name, s.name, dn), s.guid, "ms-Exch-Exchange-Server",
                     ["top", "server", "msExchExchangeServer"], s.created, s.changed, V2007)
    values.pop("AdminDisplayName")
    return values


def server_roles(s: Any) -> str:
    order = ("Mailbox", "ClientAccess", "UnifiedMessaging", "HubTransport", "Edge")
    return ", ".join(r for r in order if r in s.roles)


def exchange_server(org: Any, s: Any, status: bool = False) -> Any:
    values = _server_common(org, s)
    values.update(
        DataPath=r"C:\Program Files\Microsoft\Exchange Server\V14\Mailbox", Domain=org.domain, Edition=s.edition,
        ExchangeLegacyDN=org.legacy_dn("cn=Configuration", "cn=Servers", f"cn={s.name}"),
        ExchangeLegacyServerRole=0, Fqdn=org.fqdn(s.name), CustomerFeedbackEnabled=None, InternetWebProxy=None,
        IsHubTransportServer=s.has_role("HubTransport"), IsClientAccessServer=s.has_role("ClientAccess"),
        IsExchange2007OrLater=True, IsEdgeServer=s.has_role("Edge"), IsMailboxServer=s.has_role("Mailbox"),
        IsE14OrLater=True, IsProvisionedServer=False, IsUnifiedMessagingServer=s.has_role("UnifiedMessaging"),
        NetworkAddress=[f"ncacn_vns_spp:{s.name}", f"netbios:{s.name}", f"ncacn_np:{s.name}",
                        f"ncacn_spx:{s.name}", f"ncacn_ip_tcp:{org.fqdn(s.name)}", f"ncalrpc:{s.name}"],
        OrganizationalUnit=f"{org.domain}/{s.name}", AdminDisplayVersion=_version(s), Site=site_id(org, s.site),
        ServerRole=server_roles(s), ErrorReportingEnabled=None, StaticDomainControllers=[],
        StaticGlobalCatalogs=[], StaticConfigDomainController=None, StaticExcludedDomainControllers=[],
        CurrentDomainControllers=[org.domain_controller] if status else None,
        CurrentGlobalCatalogs=[org.domain_controller] if status else None,
        CurrentConfigDomainController=org.domain_controller if status else None,
        ProductID=None, IsExchange2007TrialEdition=False, IsExpiredExchange2007TrialEdition=False,
        RemainingTrialPeriod=_dt.timedelta(0))
    return ExchangeServer(**values)


def mailbox_server(org: Any, s: Any) -> Any:
    values = _server_common(org, s)
    logs = r"C:\Program Files\Microsoft\Exchange Server\V14\Logging"
    values.update(
        AutoDatabaseMountDial=s.auto_database_mount_dial, CalendarRepairIntervalEndWindow=30,
        CalendarRepairLogDirectorySizeLimit=ByteQuantifiedSize(524288000), CalendarRepairLogEnabled=True,
        CalendarRepairLogFileAgeLimit=_dt.timedelta(days=10), CalendarRepairLogPath=f"{logs}\\Calendar Repair Assistant",
        CalendarRepairLogSubjectLoggingEnabled=True, CalendarRepairMissingItemFixDisabled=False,
        CalendarRepairMode="RepairAndValidate", CalendarRepairWorkCycle=_dt.timedelta(days=1),
        CalendarRepairWorkCycleCheckpoint=_dt.timedelta(days=1),
        DatabaseAvailabilityGroup=ObjectId(s.dag) if s.dag else None,
        DatabaseCopyAutoActivationPolicy=s.database_copy_auto_activation_policy,
        ExchangeLegacyDN=org.legacy_dn("cn=Configuration", "cn=Servers", f"cn={s.name}"),
        IsExcludedFromProvisioning=s.is_excluded_from_provisioning, JournalingLogForManagedFoldersEnabled=False,
        Locale=list(s.locale), LogDirectorySizeLimitForManagedFolders="unlimited",
        LogFileAgeLimitForManagedFolders=_dt.timedelta(0), LogFileSizeLimitForManagedFolders=ByteQuantifiedSize(10485760),
        LogPathForManagedFolders=f"{logs}\\Managed Folder Assistant", ManagedFolderAssistantSchedule=None,
        ManagedFolderWorkCycle=_dt.timedelta(days=1), ManagedFolderWorkCycleCheckpoint=_dt.timedelta(days=1),
        MAPIEncryptionRequired=False, MaximumActiveDatabases=s.maximum_active_databases,
        MessageTrackingLogEnabled=True, MessageTrackingLogMaxAge=_dt.timedelta(days=30),
        MessageTrackingLogMaxDirectorySize=ByteQuantifiedSize(1073741824),
        MessageTrackingLogMaxFileSize=ByteQuantifiedSize(10485760),
        MessageTrackingLogPath=r"C:\Program Files\Microsoft\Exchange Server\V14\TransportRoles\Logs\MessageTracking",
        MessageTrackingLogSubjectLoggingEnabled=True, RetentionLogForManagedFoldersEnabled=False,
        SharingPolicySchedule=None, SubjectLogForManagedFoldersEnabled=False, SubmissionServerOverrideList=[],
        TopNWorkCycle=_dt.timedelta(days=7), TopNWorkCycleCheckpoint=_dt.timedelta(days=1),
        UMReportingWorkCycle=_dt.timedelta(days=1), UMReportingWorkCycleCheckpoint=_dt.timedelta(days=1))
    return MailboxServer(**values)


def client_access_server(org: Any, s: Any) -> Any:
    values = _server_common(org, s)
    values.update(
        Fqdn=org.fqdn(s.name), OutlookAnywhereEnabled=False, AutoDiscoverServiceCN=s.name,
        AutoDiscoverServiceClassName="ms-Exchange-AutoDiscover-Service",
        AutoDiscoverServiceInternalUri=(s.autodiscover_internal_uri
                                        or f"https://{org.fqdn(s.name).lower()}/Autodiscover/Autodiscover.xml"),
        AutoDiscoverServiceGuid="77378f46-2c66-4aa9-a6a6-3e7a48b19596",
        AutoDiscoverSiteScope=list(s.autodiscover_site_scope) or [s.site],
        AlternateServiceAccountConfiguration=None, IrmLogEnabled=s.irm_log_enabled, IrmLogMaxAge=s.irm_log_max_age,
        IrmLogMaxDirectorySize=s.irm_log_max_directory_size, IrmLogMaxFileSize=s.irm_log_max_file_size,
        IrmLogPath=s.irm_log_path)
    return ClientAccessServer(**values)


def cas_array(org: Any, a: Any) -> Any:
    dn = f"CN={a.name},CN=Arrays,{org.admin_group_dn}"
    values = _common(org, a.name, dn, ObjectId(a.name, a.name, dn), a.guid, "ms-Exch-Client-Access-Array",
                     ["top", "server", "msExchClientAccessArray"], a.created, a.changed, V2007)
    values.update(
        ExchangeLegacyDN=org.legacy_dn("cn=Configuration", "cn=Servers", f"cn={a.fqdn}"), Fqdn=a.fqdn,
        Site=ObjectId(a.site), SiteName=a.site, Members=[server_id(org, m) for m in org.cas_array_members(a)])
    return ClientAccessArray(**values)


def mailbox(org: Any, m: Any) -> Any:
    db = org.databases.get(m.database.lower())
    server = db.active_server if db else ""
    dn = f"CN={m.name},CN={m.organizational_unit},{org.domain_dn}"
    ident = ObjectId(f"{org.domain}/{m.organizational_unit}/{m.name}", m.name, dn)
    values = _common(org, m.name, dn, ident, m.guid, "Person", ["top", "person", "organizationalPerson", "user"],
                     m.created, m.changed)
    values.pop("AdminDisplayName")
    values.update(
        Database=ObjectId(m.database) if m.database else None, DeletedItemFlags="DatabaseDefault",
        DeliverToMailboxAndForward=m.deliver_to_mailbox_and_forward, ExchangeGuid=m.exchange_guid,
        ExchangeUserAccountControl="None", ForwardingAddress=m.forwarding_address,
        ForwardingSmtpAddress=m.forwarding_smtp_address, IsMailboxEnabled=True,
        LitigationHoldEnabled=m.litigation_hold_enabled, Languages=[], ArchiveDatabase=m.archive_database,
        ArchiveGuid=_uuid.UUID(int=0), ArchiveName=[], ArchiveQuota=ByteQuantifiedSize(None),
        ArchiveWarningQuota=ByteQuantifiedSize(None), ArchiveStatus="None", RemoteRecipientType="None",
        CalendarVersionStoreDisabled=False, OfflineAddressBook=None,
        UseDatabaseRetentionDefaults=m.use_database_retention_defaults, RetainDeletedItemsUntilBackup=False,
        RetainDeletedItemsFor=m.retain_deleted_items_for, ProhibitSendQuota=m.prohibit_send_quota,
        ProhibitSendReceiveQuota=m.prohibit_send_receive_quota, RecoverableItemsQuota=m.recoverable_items_quota,
        RecoverableItemsWarningQuota=m.recoverable_items_warning_quota, RecipientLimits="unlimited",
        IsResource=m.recipient_type_details in ("RoomMailbox", "EquipmentMailbox"), IsLinked=False,
        IsShared=m.recipient_type_details == "SharedMailbox",
        ResetPasswordOnNextLogon=m.reset_password_on_next_logon, SamAccountName=m.sam_account_name,
        ServerLegacyDN=org.legacy_dn("cn=Configuration", "cn=Servers", f"cn={server}") if server else None,
        ServerName=server.lower(), UseDatabaseQuotaDefaults=m.use_database_quota_defaults,
        IssueWarningQuota=m.issue_warning_quota, RulesQuota=ByteQuantifiedSize(65536), Office=None,
        UserPrincipalName=m.user_principal_name, UMEnabled=False,
        RoleAssignmentPolicy=ObjectId("Default Role Assignment Policy"),
        SharingPolicy=ObjectId("Default Sharing Policy"), SingleItemRecoveryEnabled=m.single_item_recovery_enabled,
        AuditEnabled=False, AuditLogAgeLimit=_dt.timedelta(days=90), WhenMailboxCreated=m.created, Alias=m.alias,
        OrganizationalUnit=f"{org.domain}/{m.organizational_unit}", CustomAttribute1=m.custom_attribute1,
        DisplayName=m.display_name, EmailAddresses=list(m.email_addresses),
        GrantSendOnBehalfTo=list(m.grant_send_on_behalf_to),
        HiddenFromAddressListsEnabled=m.hidden_from_address_lists_enabled,
        LegacyExchangeDN=f"/o={org.name}/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn={m.alias}",
        MaxSendSize=m.max_send_size, MaxReceiveSize=m.max_receive_size,
        EmailAddressPolicyEnabled=m.email_address_policy_enabled, PrimarySmtpAddress=m.primary_smtp_address,
        RecipientType="UserMailbox", RecipientTypeDetails=m.recipient_type_details,
        WindowsEmailAddress=m.primary_smtp_address)
    return Mailbox(**values)


def mailbox_statistics(org: Any, m: Any) -> Any:
    db = org.databases.get(m.database.lower())
    server = db.active_server if db else ""
    return MailboxStatistics(
        RunspaceId=org.runspace_id, AssociatedItemCount=0, DeletedItemCount=m.deleted_item_count,
        DisconnectDate=m.disconnected, DisplayName=m.display_name, ItemCount=m.item_count,
        LastLoggedOnUserAccount=None, LastLogoffTime=None, LastLogonTime=m.last_logon_time,
        LegacyDN=f"/o={org.name}/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn={m.alias}".upper(),
        MailboxGuid=m.exchange_guid, ObjectClass="Mailbox", StorageLimitStatus=org.storage_limit_status(m),
        TotalDeletedItemSize=ByteQuantifiedSize(0), TotalItemSize=ByteQuantifiedSize(m.total_item_size),
        MailboxTableIdentifier=None, Database=ObjectId(m.database), ServerName=server, DatabaseName=m.database,
        MoveHistory=None, IsQuarantined=False, IsArchiveMailbox=False, Identity=ObjectId(str(m.exchange_guid)),
        MapiIdentity=ObjectId(str(m.exchange_guid)), OriginatingServer=org.fqdn(server) if server else None,
        IsValid=True)


def transport_config(org: Any) -> Any:
    tc = org.transport_config
    dn = f"CN=Transport Settings,{org.org_dn}"
    values = _common(org, "Transport Settings", dn, ObjectId("Transport Settings", "Transport Settings", dn),
                     tc.guid, "ms-Exch-Transport-Settings", ["top", "container", "msExchTransportSettings"],
                     tc.created, tc.changed, V2007)
    values.update(
        ClearCategories=True, ConvertDisclaimerWrapperToEml=False, DSNConversionMode="UseExchangeDSNs",
        ExternalDelayDsnEnabled=True, ExternalDsnDefaultLanguage=None, ExternalDsnLanguageDetectionEnabled=True,
        ExternalDsnMaxMessageAttachSize=ByteQuantifiedSize(10485760), ExternalDsnReportingAuthority=None,
        ExternalDsnSendHtml=True, ExternalPostmasterAddress=None, GenerateCopyOfDSNFor=[], HygieneSuite="Standard",
        InternalDelayDsnEnabled=True, InternalDsnDefaultLanguage=None, InternalDsnLanguageDetectionEnabled=True,
        InternalDsnMaxMessageAttachSize=ByteQuantifiedSize(10485760), InternalDsnReportingAuthority=None,
        InternalDsnSendHtml=True, InternalSMTPServers=[], JournalingReportNdrTo=None,
        LegacyJournalingMigrationEnabled=False, MaxDumpsterSizePerDatabase=tc.max_dumpster_size_per_database,
        MaxDumpsterTime=tc.max_dumpster_time, MaxReceiveSize=ByteQuantifiedSize(10485760),
        MaxRecipientEnvelopeLimit=5000, MaxSendSize=ByteQuantifiedSize(10485760), MigrationEnabled=False,
        OpenDomainRoutingEnabled=False, OrganizationFederatedMailbox=None, PreserveReportBodypart=True,
        Rfc2231EncodingEnabled=False, ShadowHeartbeatRetryCount=tc.shadow_heartbeat_retry_count,
        ShadowHeartbeatTimeoutInterval=tc.shadow_heartbeat_timeout_interval,
        ShadowMessageAutoDiscardInterval=tc.shadow_message_auto_discard_interval,
        ShadowRedundancyEnabled=tc.shadow_redundancy_enabled, SupervisionTags=["Reject", "Allow"],
        TLSReceiveDomainSecureList=[], TLSSendDomainSecureList=[], VerifySecureSubmitEnabled=False,
        VoicemailJournalingEnabled=True, HeaderPromotionModeSetting="NoCreate", WriteBrandingInDSNEnabled=True,
        Xexch50Enabled=True)
    return TransportConfig(**values)


def ad_principal(org: Any, name: str) -> ADPrincipal:
    low = name.lower()
    if low in org.groups:
        g = org.groups[low]
        container = "CN=Builtin" if g.builtin else (f"OU={g.ou}" if g.ou != "Users" else "CN=Users")
        return ADPrincipal(f"CN={g.name},{container},{org.domain_dn}", g.name, "group", g.guid, g.name, g.sid)
    if low in org.users:
        u = org.users[low]
        return ADPrincipal(f"CN={u.name},CN=Users,{org.domain_dn}", u.name, "user", u.guid, u.name, u.sid)
    if low in org.servers:
        s = org.servers[low]
        return ADPrincipal(f"CN={s.name},CN=Computers,{org.domain_dn}", s.name, "computer", s.guid,
                           f"{s.name}$", _stable_sid(org, s.guid))
    for m in org.mailboxes.values():
        if m.name.lower() == low or m.sam_account_name.lower() == low:
            return ADPrincipal(f"CN={m.name},CN={m.organizational_unit},{org.domain_dn}", m.name, "user", m.guid,
                               m.sam_account_name, _stable_sid(org, m.guid))
    return ADPrincipal(name, name, "unknown", None, name, "")


def _stable_sid(org: Any, guid: Any) -> str:
    """Computers and mailbox users get a SID derived from their GUID (reading never changes state)."""
    return f"{org.domain_sid}-{1100 + guid.int % 8900}"
