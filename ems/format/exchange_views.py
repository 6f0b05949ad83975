"""The default views of the Exchange 2010 types (Exchange.format.ps1xml, as EMS prints them).

AUTHORITATIVE TYPE NAMES. ems.exchange objects put these in ``PS_TYPE_NAMES`` (most derived
first); a view applies when one of an object's type names is registered here.

    DAG                 Microsoft.Exchange.Data.Directory.SystemConfiguration.DatabaseAvailabilityGroup
    DAG_NETWORK         Microsoft.Exchange.Data.Directory.SystemConfiguration.DatabaseAvailabilityGroupNetwork
    MAILBOX_DATABASE    Microsoft.Exchange.Data.Directory.SystemConfiguration.MailboxDatabase
    PUBLIC_FOLDER_DB    Microsoft.Exchange.Data.Directory.SystemConfiguration.PublicFolderDatabase
    COPY_STATUS         Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseCopyStatusEntry
    MOVE_RESULT         Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseMoveResult
    REPLICATION_CHECK   Microsoft.Exchange.Management.SystemConfigurationTasks.ReplicationCheckOutputObject
    EXCHANGE_SERVER     Microsoft.Exchange.Data.Directory.Management.ExchangeServer
    MAILBOX_SERVER      Microsoft.Exchange.Data.Directory.Management.MailboxServer
    CLIENT_ACCESS       Microsoft.Exchange.Data.Directory.Management.ClientAccessServer
    CLIENT_ACCESS_ARRAY Microsoft.Exchange.Data.Directory.SystemConfiguration.ClientAccessArray
    MAILBOX             Microsoft.Exchange.Data.Directory.Management.Mailbox
    MAILBOX_STATISTICS  Microsoft.Exchange.Data.Mapi.MailboxStatistics
    TRANSPORT_CONFIG    Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportConfigContainer

MailboxStatistics is the Exchange 2010 class (``Microsoft.Exchange.Data.Mapi``); Exchange 2013
moved it to ``Microsoft.Exchange.Management.MapiTasks.Presentation`` — that name is accepted
too. TransportConfig has no table view: like real EMS it prints as a list (it has far more
than four properties).

Columns are the documented ones (reference/ems-output.md), in order. Widths: the copy-status,
DAG and Get-Mailbox widths are taken from the transcripts in ems-output.md / the Exchange
docs sample; the others are our best recollection of real EMS output and are kept here, in
one place, to be corrected. A column without a width takes the rest of the line (the width
manager hands it the remaining cells). Long headers in narrow columns wrap (``CopyQueue`` /
``Length``) because TableWriter word-wraps header labels.
"""
from __future__ import annotations

from ems.format.views import TableView, View, col, table

DAG = "Microsoft.Exchange.Data.Directory.SystemConfiguration.DatabaseAvailabilityGroup"
DAG_NETWORK = "Microsoft.Exchange.Data.Directory.SystemConfiguration.DatabaseAvailabilityGroupNetwork"
MAILBOX_DATABASE = "Microsoft.Exchange.Data.Directory.SystemConfiguration.MailboxDatabase"
PUBLIC_FOLDER_DB = "Microsoft.Exchange.Data.Directory.SystemConfiguration.PublicFolderDatabase"
COPY_STATUS = "Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseCopyStatusEntry"
MOVE_RESULT = "Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseMoveResult"
REPLICATION_CHECK = "Microsoft.Exchange.Management.SystemConfigurationTasks.ReplicationCheckOutputObject"
EXCHANGE_SERVER = "Microsoft.Exchange.Data.Directory.Management.ExchangeServer"
MAILBOX_SERVER = "Microsoft.Exchange.Data.Directory.Management.MailboxServer"
CLIENT_ACCESS = "Microsoft.Exchange.Data.Directory.Management.ClientAccessServer"
CLIENT_ACCESS_ARRAY = "Microsoft.Exchange.Data.Directory.SystemConfiguration.ClientAccessArray"
MAILBOX = "Microsoft.Exchange.Data.Directory.Management.Mailbox"
MAILBOX_STATISTICS = "Microsoft.Exchange.Data.Mapi.MailboxStatistics"
MAILBOX_STATISTICS_2013 = "Microsoft.Exchange.Management.MapiTasks.Presentation.MailboxStatistics"
TRANSPORT_CONFIG = "Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportConfigContainer"

TYPE_NAMES = (DAG, DAG_NETWORK, MAILBOX_DATABASE, PUBLIC_FOLDER_DB, COPY_STATUS, MOVE_RESULT,
              REPLICATION_CHECK, EXCHANGE_SERVER, MAILBOX_SERVER, CLIENT_ACCESS,
              CLIENT_ACCESS_ARRAY, MAILBOX, MAILBOX_STATISTICS, TRANSPORT_CONFIG)
"""Every Exchange type name the cmdlets emit (for tests and the exchange layer)."""


def exchange_views() -> dict[str, tuple[View, ...]]:
    mailbox_statistics: TableView = table(
        col("DisplayName", 25), col("ItemCount", 12), col("StorageLimitStatus", 46),
        col("LastLogonTime"))
    return {
        EXCHANGE_SERVER: (table(
            col("Name", 19), col("Site", 20), col("ServerRole", 15), col("Edition", 15),
            col("AdminDisplayVersion", 19)),),
        MAILBOX_SERVER: (table(
            col("Name", 20), col("DatabaseAvailabilityGroup")),),
        # "Name / Member Servers / Operational Servers" (ems-output.md transcript: 16, 51, rest).
        DAG: (table(
            col("Name", 16), col("Servers", 51, "Member Servers"),
            col("OperationalServers", label="Operational Servers")),),
        DAG_NETWORK: (table(
            col("Identity", 35), col("ReplicationEnabled", 18), col("Subnets")),),
        # Exchange 2010 Get-MailboxDatabase: Name 30, Server 15, Recovery 15, ReplicationType.
        MAILBOX_DATABASE: (table(
            col("Name", 30), col("Server", 15), col("Recovery", 15), col("ReplicationType")),),
        PUBLIC_FOLDER_DB: (table(
            col("Name", 30), col("Server")),),
        # ems-output.md transcript: 45, 15, 9, 11, 22, rest (ContentIndexState wraps at 120).
        COPY_STATUS: (table(
            col("Name", 45), col("Status", 15), col("CopyQueueLength", 9),
            col("ReplayQueueLength", 11), col("LastInspectedLogTime", 22),
            col("ContentIndexState")),),
        # Narrow columns make the long headers wrap: ActiveServerAtS/tart, RecoveryPoint/
        # Objective, MountStatus/AtMoveStart, as in real EMS.
        MOVE_RESULT: (table(
            col("Identity", 15), col("ActiveServerAtStart", 15), col("ActiveServerAtEnd", 15),
            col("Status", 10), col("NumberOfLogsLost", 16), col("RecoveryPointObjective", 13),
            col("MountStatusAtMoveStart", 11), col("MountStatusAtMoveEnd", 11)),),
        REPLICATION_CHECK: (table(
            col("Server", 15), col("Check", 26), col("CheckDescription", 52), col("Result", 10),
            col("Error")),),
        # Exchange docs sample ("Working with command output"): 25, 20, 16, rest.
        MAILBOX: (table(
            col("Name", 25), col("Alias", 20), col("ServerName", 16),
            col("ProhibitSendQuota")),),
        MAILBOX_STATISTICS: (mailbox_statistics,),
        MAILBOX_STATISTICS_2013: (mailbox_statistics,),
        CLIENT_ACCESS: (table(
            col("Name", 25), col("OutlookAnywhereEnabled")),),
        CLIENT_ACCESS_ARRAY: (table(
            col("Name", 30), col("Site", 20), col("Fqdn", 30), col("Members")),),
    }
