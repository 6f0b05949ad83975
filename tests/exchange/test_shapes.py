"""What every Exchange object looks like: ``Format-List`` starts with RunspaceId, then the
type's own properties (those the reference documents among them), then the common directory
properties in Exchange 2010's order; with no formatter, the default view of ems-output.md."""
import re

import pytest

from ems import Shell

CONFIG_TAIL = ["AdminDisplayName", "ExchangeVersion", "Name", "DistinguishedName", "Identity", "Guid",
               "ObjectCategory", "ObjectClass", "WhenChanged", "WhenCreated", "WhenChangedUTC", "WhenCreatedUTC",
               "OrganizationId", "OriginatingServer", "IsValid"]
PRESENTATION_TAIL = ["IsValid", "ExchangeVersion", "Name", "DistinguishedName", "Identity", "Guid", "ObjectCategory",
                     "ObjectClass", "WhenChanged", "WhenCreated", "WhenChangedUTC", "WhenCreatedUTC",
                     "OrganizationId", "OriginatingServer"]

# command -> (documented own properties, in order; the common tail, None for non-directory objects)
SHAPES = {
    "Get-DatabaseAvailabilityGroup DAG1 -Status": (
        ["Name", "Servers", "WitnessServer", "WitnessDirectory", "AlternateWitnessServer",
         "AlternateWitnessDirectory", "NetworkCompression", "NetworkEncryption", "DatacenterActivationMode",
         "StoppedMailboxServers", "StartedMailboxServers", "DatabaseAvailabilityGroupIpAddresses",
         "AllowCrossSiteRpcClientAccess", "OperationalServers", "PrimaryActiveManager", "ThirdPartyReplication",
         "ReplicationPort", "NetworkNames", "WitnessShareInUse"], CONFIG_TAIL),
    "Get-MailboxDatabase DB1 -Status": (
        ["JournalRecipient", "MailboxRetention", "OfflineAddressBook", "PublicFolderDatabase",
         "ProhibitSendReceiveQuota", "ProhibitSendQuota", "RecoverableItemsQuota", "RecoverableItemsWarningQuota",
         "IndexEnabled", "IsExcludedFromProvisioning", "IsSuspendedFromProvisioning", "RpcClientAccessServer",
         "AllowFileRestore", "BackgroundDatabaseMaintenance", "BackupInProgress", "CircularLoggingEnabled",
         "EdbFilePath", "DatabaseCopies", "Servers", "ActivationPreference", "ReplayLagTimes", "TruncationLagTimes",
         "DeletedItemRetention", "LastFullBackup", "AvailableNewMailboxSpace", "MaintenanceSchedule",
         "MountAtStartup", "Mounted", "OnlineMaintenanceInProgress", "EventHistoryRetentionPeriod", "LogFolderPath",
         "IssueWarningQuota", "QuotaNotificationSchedule", "Recovery", "RetainDeletedItemsUntilBackup", "Server",
         "MasterServerOrAvailabilityGroup", "ReplicationType", "DataMoveReplicationConstraint"], CONFIG_TAIL),
    r"Get-MailboxDatabaseCopyStatus DB1\EX2": (
        ["Identity", "Name", "DatabaseName", "Status", "MailboxServer", "ActiveDatabaseCopy", "ActivationSuspended",
         "ErrorMessage", "SuspendComment", "ContentIndexState", "CopyQueueLength", "ReplayQueueLength",
         "LatestAvailableLogTime", "LastCopiedLogTime", "LastInspectedLogTime", "LastReplayedLogTime",
         "OutgoingConnections", "IncomingLogCopyingNetwork", "SeedingNetwork", "IsValid"], None),
    "Get-DatabaseAvailabilityGroupNetwork DAG1\\DAGNetwork01": (
        ["Name", "Description", "Subnets", "Interfaces", "MapiAccessEnabled", "ReplicationEnabled", "IgnoreNetwork",
         "Identity", "IsValid"], None),
    "Get-MailboxServer EX1": (
        ["Name", "AutoDatabaseMountDial", "DatabaseAvailabilityGroup", "DatabaseCopyAutoActivationPolicy",
         "IsExcludedFromProvisioning", "Locale", "MaximumActiveDatabases"], PRESENTATION_TAIL),
    "Get-ExchangeServer EX1": (["Name", "Domain", "Edition", "Fqdn", "AdminDisplayVersion", "Site", "ServerRole"],
                               PRESENTATION_TAIL),
    "Get-ClientAccessServer EX1": (["Name", "Fqdn", "AutoDiscoverServiceInternalUri", "AutoDiscoverSiteScope",
                                    "IrmLogEnabled", "IrmLogMaxAge", "IrmLogPath"], PRESENTATION_TAIL),
    "Get-Mailbox user1": (["Database", "ProhibitSendQuota", "ProhibitSendReceiveQuota", "SamAccountName",
                           "ServerName", "UseDatabaseQuotaDefaults", "IssueWarningQuota", "UserPrincipalName",
                           "Alias", "DisplayName", "EmailAddresses", "PrimarySmtpAddress", "RecipientTypeDetails"],
                          PRESENTATION_TAIL),
    "Get-MailboxStatistics user1": (["DisplayName", "ItemCount", "LastLogonTime", "StorageLimitStatus",
                                     "TotalItemSize", "Database", "ServerName", "Identity", "IsValid"], None),
    "Get-TransportConfig": (["MaxDumpsterSizePerDatabase", "MaxDumpsterTime", "ShadowHeartbeatRetryCount",
                             "ShadowRedundancyEnabled"], CONFIG_TAIL),
    "New-ClientAccessArray -Fqdn outlook.contoso.com -Site Portland": (["Fqdn", "Site", "Members"], CONFIG_TAIL),
    "Move-ActiveMailboxDatabase DB1 EX2 -Confirm:$false": (
        ["Identity", "ActiveServerAtStart", "ActiveServerAtEnd", "Status", "NumberOfLogsLost",
         "RecoveryPointObjective", "MountStatusAtMoveStart", "MountStatusAtMoveEnd", "ErrorMessage", "IsValid"], None),
    "Test-ReplicationHealth EX1": (["Server", "Check", "CheckDescription", "Result", "Error", "IsValid"], None),
}


def list_names(text):
    return [m.group(1) for m in re.finditer(r"^(\w+) +: ", text, re.M)]


def in_order(expected, names):
    positions = [names.index(n) for n in expected]
    return positions == sorted(positions)


@pytest.mark.parametrize("command", sorted(SHAPES))
def test_format_list_shape(command):
    shell = Shell(scenario="two-datacenter")
    r = shell.run(f"{command} | Select-Object -First 1 | Format-List")
    assert not r.errors, r.error_text
    names = list_names(r.text)
    own, tail = SHAPES[command]
    assert names[0] == "RunspaceId"
    assert len(names) == len(set(names)), "a property is listed twice"
    assert in_order(own, names), [n for n in own if n not in names] or names
    if tail is not None:  # the common block closes the list (names the type shows earlier are left out)
        assert any(names[-m:] == [t for t in tail if t not in names[:-m]] for m in range(1, len(tail) + 1)), names


def test_runspace_id_is_one_per_session():
    shell = Shell(scenario="two-datacenter")
    ids = {str(o.RunspaceId) for o in shell.run("Get-ExchangeServer; Get-MailboxDatabase; Get-Mailbox").output}
    assert len(ids) == 1 and re.fullmatch(r"[0-9a-f-]{36}", ids.pop())


# --- default views (ems-output.md) -----------------------------------------------------------

VIEWS = {
    "Get-ExchangeServer": ["Name", "Site", "ServerRole", "Edition", "AdminDisplayVersion"],
    "Get-MailboxServer": ["Name", "DatabaseAvailabilityGroup"],
    "Get-DatabaseAvailabilityGroup": ["Name", "Member Servers", "Operational Servers"],
    "Get-DatabaseAvailabilityGroupNetwork": ["Identity", "ReplicationEnabled", "Subnets"],
    "Get-MailboxDatabase": ["Name", "Server", "Recovery", "ReplicationType"],
    "Get-MailboxDatabaseCopyStatus DB1": ["Name", "Status", "CopyQueue", "ReplayQueue", "LastInspectedLogTime",
                                          "ContentIndex"],
    "Move-ActiveMailboxDatabase DB2 EX1 -Confirm:$false": ["Identity", "ActiveServerAtS", "ActiveServerAtE", "Status",
                                                           "NumberOfLogsLost", "RecoveryPoint", "MountStatus",
                                                           "MountStatus"],
    "Test-ReplicationHealth EX1": ["Server", "Check", "CheckDescription", "Result", "Error"],
    "Get-Mailbox": ["Name", "Alias", "ServerName", "ProhibitSendQuota"],
    "Get-MailboxStatistics user1": ["DisplayName", "ItemCount", "StorageLimitStatus", "LastLogonTime"],
}


@pytest.mark.parametrize("command", sorted(VIEWS))
def test_default_view_columns(command):
    shell = Shell(scenario="two-datacenter")
    r = shell.run(command)
    assert not r.errors, r.error_text
    assert columns(r.text) == VIEWS[command], r.text[:400]


def columns(text):
    """Header cells of the first table, cut where the dash row's columns start."""
    lines = text.lstrip("\n").splitlines()
    dashes = next(line for line in lines if line.startswith("-"))
    starts = [m.start() for m in re.finditer(r"-+", dashes)]
    header = lines[0]
    return [header[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
