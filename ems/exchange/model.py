"""The organisation's mutable state: one attrs class per directory/cluster object.

These are *live* model objects, owned by ``Organization`` (one place owns the state, like a
moto backend). Cmdlets never hand them to the pipeline: they write frozen snapshots built by
``ems.exchange.snapshots``. Fields are Python-named; typed fields carry converters that also
accept their saved (JSON) form, which is how ``Organization.from_dict`` rebuilds them.

Where the HA engine hooks in:
- ``Server``: ``up``, service flags, ``dacp``/``dacp_set_time``, ``boot_time``;
- ``Dag``: ``cluster_nodes`` (members joined to the cluster, minus evicted ones),
  ``started_servers``/``stopped_servers`` (DAC), ``pam``, ``witness_in_use``;
- ``MailboxDatabase``: the log stream (``last_generated``, ``log_times``), ``active_server``,
  ``mounted``; ``DatabaseCopy``: per-copy stream position (``last_copied``/``inspected``/
  ``replayed``), ``status``, ``blocked`` (replication silently stopped), ``files_present``.
"""
from __future__ import annotations

import datetime as _dt
import ipaddress
import uuid
from typing import Any

import attrs

from ems.exchange.values import ByteQuantifiedSize, parse_timespan


# --- converters: accept live values and their saved JSON form --------------------------

def to_dt(v: Any) -> _dt.datetime | None:
    if v is None or isinstance(v, _dt.datetime):
        return v
    return _dt.datetime.fromisoformat(v)


def to_td(v: Any) -> _dt.timedelta | None:
    return None if v is None else parse_timespan(v)


def to_uuid(v: Any) -> uuid.UUID | None:
    if v is None or isinstance(v, uuid.UUID):
        return v
    return uuid.UUID(str(v))


def to_ip_list(v: Any) -> list:
    return [a if not isinstance(a, str) else ipaddress.ip_address(a) for a in (v or [])]


def to_net_list(v: Any) -> list:
    return [n if not isinstance(n, str) else ipaddress.ip_network(n, strict=False) for n in (v or [])]


def to_size(v: Any) -> ByteQuantifiedSize:
    if isinstance(v, ByteQuantifiedSize):
        return v
    return ByteQuantifiedSize(None) if v in (None, "unlimited") else ByteQuantifiedSize(int(v))


def to_dt_list(v: Any) -> list:
    return [to_dt(x) for x in (v or [])]


def _list_of(cls: type):
    def convert(v: Any) -> list:
        return [x if isinstance(x, cls) else cls(**x) for x in (v or [])]
    return convert


# --- topology ---------------------------------------------------------------------------

@attrs.define(eq=False)
class Site:
    name: str
    subnets: list = attrs.field(factory=list, converter=to_net_list)
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    created: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    up: bool = True
    """False after Stop-SimSite (every machine of the site is down)."""


@attrs.define(eq=False)
class SiteLink:
    """The WAN between two sites (Disconnect-/Connect-SimSiteLink)."""

    name: str
    sites: list = attrs.field(factory=list)
    connected: bool = True
    cost: int = 100


EXCHANGE_ROLES = ("Mailbox", "ClientAccess", "HubTransport", "UnifiedMessaging", "Edge")


@attrs.define(eq=False)
class Server:
    """A machine of the lab: an Exchange server or a DC / file server (``roles`` tells)."""

    name: str
    site: str
    ip_addresses: list = attrs.field(factory=list, converter=to_ip_list)
    """One address per NIC, in NIC order: the first is the MAPI (client) network."""
    roles: list = attrs.field(factory=list)
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    created: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    changed: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    version: str = "14.3"
    edition: str = "Enterprise"
    # machine state (HA engine)
    up: bool = True
    crashed: bool = False
    replication_service: bool = True
    information_store: bool = True
    cluster_service: bool = True
    cluster_start_type: str = "Automatic"
    """Start type of the Cluster service (ClusSvc): Stop-DatabaseAvailabilityGroup's force
    cleanup sets Disabled; a Disabled service doesn't start at boot (WF)."""
    mapi_network: bool = True
    """The NIC on the MAPI (client) network works (Disconnect-SimNetwork -Network MAPI clears it)."""
    replication_network: bool = True
    """The replication NIC(s) work (Disconnect-SimNetwork -Network Replication clears it)."""
    boot_time: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    local_administrators: list = attrs.field(factory=list)
    """Members of the machine's local Administrators group (a DC uses the domain's
    Builtin\\Administrators group instead)."""
    # DAG / Active Manager
    dag: str | None = None
    dacp: int = 0
    dacp_set_time: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    boot_order: int = 0
    dacp_order: int = 0
    """Order of the last boot / the last DACP set among all machines: the simulated clock
    stands still between Start-Sleeps, so D-4's "earlier than" needs a tie-breaker."""
    # Set-MailboxServer
    auto_database_mount_dial: str = "GoodAvailability"
    database_copy_auto_activation_policy: str = "Unrestricted"
    maximum_active_databases: int | None = None
    is_excluded_from_provisioning: bool = False
    locale: list = attrs.field(factory=list)
    # Set-ClientAccessServer
    autodiscover_internal_uri: str | None = None
    autodiscover_site_scope: list = attrs.field(factory=list)
    irm_log_enabled: bool = True
    irm_log_max_age: _dt.timedelta = attrs.field(default=_dt.timedelta(days=30), converter=to_td)
    irm_log_max_directory_size: ByteQuantifiedSize = attrs.field(
        factory=lambda: ByteQuantifiedSize(262144000), converter=to_size)
    irm_log_max_file_size: ByteQuantifiedSize = attrs.field(
        factory=lambda: ByteQuantifiedSize(10485760), converter=to_size)
    irm_log_path: str = r"C:\Program Files\Microsoft\Exchange Server\V14\Logging\IRMLogs"
    is_out_of_service: bool = False
    alternate_service_account_credentials: list = attrs.field(factory=list)
    next_log_prefix: int = 0
    """ESE log prefix counter: each new database on this server takes E00, E01, ..."""

    @property
    def is_exchange(self) -> bool:
        return any(r in EXCHANGE_ROLES for r in self.roles)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_domain_controller(self) -> bool:
        return "DomainController" in self.roles

    @property
    def running(self) -> bool:
        return self.up and not self.crashed


# --- DAG --------------------------------------------------------------------------------

@attrs.define(eq=False)
class DagNetwork:
    name: str
    subnets: list = attrs.field(factory=list, converter=to_net_list)
    description: str | None = None
    replication_enabled: bool = True
    ignore_network: bool = False
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)


@attrs.define(eq=False)
class Dag:
    name: str
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    created: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    changed: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    servers: list = attrs.field(factory=list)
    """Member names in the order they were added (EMS shows the newest first)."""
    witness_server: str | None = None
    witness_directory: str | None = None
    alternate_witness_server: str | None = None
    alternate_witness_directory: str | None = None
    ip_addresses: list = attrs.field(factory=list, converter=to_ip_list)
    network_compression: str = "InterSubnetOnly"
    network_encryption: str = "InterSubnetOnly"
    datacenter_activation_mode: str = "Off"
    replication_port: int = 64327
    third_party_replication: str = "Disabled"
    allow_cross_site_rpc_client_access: bool = False
    started_servers: list = attrs.field(factory=list)
    stopped_servers: list = attrs.field(factory=list)
    networks: list = attrs.field(factory=list, converter=_list_of(DagNetwork))
    # cluster state (HA engine)
    cluster_nodes: list = attrs.field(factory=list)
    """Members that are nodes of the DAG's failover cluster (evicted nodes are removed)."""
    pam: str | None = None
    witness_in_use: str | None = None
    """"Primary" / "Alternate" once the cluster uses a witness share; None for node majority."""
    witness_lock: str | None = None
    """The node holding the SMB lock on the witness share's witness.log (Q-3: two votes)."""
    quorate_nodes: list = attrs.field(factory=list)
    """The quorate partition as the HA engine last saw it (quorum changes are events)."""
    forced_quorum: list = attrs.field(factory=list)
    """Nodes whose Cluster service was started with forced quorum (Start-ClusterNode -FixQuorum,
    ``net start clussvc /forcequorum``): their partition runs without a majority until it
    has one again (ems.exchange.services)."""
    paused_nodes: list = attrs.field(factory=list)
    """Nodes paused with Suspend-ClusterNode: they keep what they own but can't become the
    owner of the cluster group, i.e. the Primary Active Manager (A-2)."""
    node_memory: dict = attrs.field(factory=dict)
    """Nodes outside the quorate partition -> the cluster as they last saw it (``nodes``,
    ``witness``, ``actives``), what an eviction out of reach leaves them believing."""
    evicted_views: dict = attrs.field(factory=dict)
    """Nodes evicted while out of reach, which don't know it yet -> the cluster as they last
    knew it (``nodes``, ``witness``, ``actives``): a stale cluster that may still form
    quorum on their side (D-5, split brain). Cleared when they reach the cluster again."""


# --- databases --------------------------------------------------------------------------

@attrs.define(eq=False)
class DatabaseCopy:
    """One copy of a mailbox database on one server (active or passive)."""

    database: str
    server: str
    activation_preference: int = 1
    replay_lag_time: _dt.timedelta = attrs.field(default=_dt.timedelta(0), converter=to_td)
    truncation_lag_time: _dt.timedelta = attrs.field(default=_dt.timedelta(0), converter=to_td)
    status: str = "Healthy"
    """Passive copies: Healthy, Suspended, Failed, FailedAndSuspended, Seeding, Initializing,
    Resynchronizing ... (the active copy's status comes from the database's mount state)."""
    activation_suspended: bool = False
    suspend_comment: str | None = None
    suspend_message: str | None = None
    error_message: str | None = None
    content_index_state: str = "Healthy"
    last_copied: int = 0
    last_inspected: int = 0
    last_replayed: int = 0
    logs_copied_since_start: int = 0
    logs_replayed_since_start: int = 0
    files_present: bool = True
    """The .edb and logs exist on this server's disk (Remove-SimDatabaseFiles clears it)."""
    blocked: bool = False
    """Block-SimReplication: the copy silently stops receiving logs (status stays Healthy)."""
    action_initiator: str = "Unknown"
    truncated_through: int = 0
    """The last log generation this passive copy deleted from its own disk (L-5: replayed,
    truncated on the active, and older than ReplayLagTime + TruncationLagTime)."""
    divergence_point: int | None = None
    """After a lossy activation: the last generation this copy shares with the new active
    stream; its logs above it diverge and are discarded when it resynchronizes (L-7, L-8)."""
    split_brain_mounted: bool = False
    """Mounted by a stale cluster partition that doesn't know the database moved (split
    brain after a datacenter switchover, ems.exchange.services): a second mounted copy."""


@attrs.define(eq=False)
class DumpsterItem:
    """One message the transport dumpster keeps for a database (L-10)."""

    generation: int
    """The log generation that delivered it on the active copy."""
    mailbox: str | None = None
    received: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    size: int = 4096
    lost: bool = False
    """Its generation was lost in a lossy activation: waiting to be redelivered."""


def _to_dumpster(v: Any) -> list:
    """Dumpster items; a bare generation number (older saved states) is accepted."""
    return [DumpsterItem(x) if isinstance(x, int) else x if isinstance(x, DumpsterItem) else DumpsterItem(**x)
            for x in v or []]


@attrs.define(eq=False)
class MailboxDatabase:
    name: str
    server: str
    """The server the database was created on."""
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    created: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    changed: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    edb_file_path: str = ""
    log_folder_path: str = ""
    log_file_prefix: str = "E00"
    recovery: bool = False
    active_server: str = ""
    mounted: bool = False
    copies: list = attrs.field(factory=list, converter=_list_of(DatabaseCopy))
    # log stream of the active copy
    last_generated: int = 0
    log_times: list = attrs.field(factory=list, converter=to_dt_list)
    """Creation time of each generation (index = generation - 1)."""
    mounted_since: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    # Set-MailboxDatabase settings
    circular_logging_enabled: bool = False
    issue_warning_quota: ByteQuantifiedSize = attrs.field(
        factory=lambda: ByteQuantifiedSize(2040109465), converter=to_size)
    prohibit_send_quota: ByteQuantifiedSize = attrs.field(
        factory=lambda: ByteQuantifiedSize(2147483648), converter=to_size)
    prohibit_send_receive_quota: ByteQuantifiedSize = attrs.field(
        factory=lambda: ByteQuantifiedSize(2469396480), converter=to_size)
    recoverable_items_quota: ByteQuantifiedSize = attrs.field(
        factory=lambda: ByteQuantifiedSize(32212254720), converter=to_size)
    recoverable_items_warning_quota: ByteQuantifiedSize = attrs.field(
        factory=lambda: ByteQuantifiedSize(21474836480), converter=to_size)
    deleted_item_retention: _dt.timedelta = attrs.field(default=_dt.timedelta(days=14), converter=to_td)
    mailbox_retention: _dt.timedelta = attrs.field(default=_dt.timedelta(days=30), converter=to_td)
    event_history_retention_period: _dt.timedelta = attrs.field(default=_dt.timedelta(days=7), converter=to_td)
    mount_at_startup: bool = True
    retain_deleted_items_until_backup: bool = False
    allow_file_restore: bool = False
    background_database_maintenance: bool = True
    index_enabled: bool = True
    is_excluded_from_provisioning: bool = False
    is_suspended_from_provisioning: bool = False
    offline_address_book: str | None = None
    public_folder_database: str | None = None
    journal_recipient: str | None = None
    rpc_client_access_server: str | None = None
    data_move_replication_constraint: str = "SecondCopy"
    description: str | None = None
    maintenance_schedule: list | None = None
    quota_notification_schedule: list | None = None
    dumpster: list = attrs.field(factory=list, converter=_to_dumpster)
    """Transport dumpster: the delivered messages kept for resubmission (DumpsterItem)."""
    log_recipients: list = attrs.field(factory=list)
    """Per generation (index = generation - 1): the mailbox a delivered message went to, or
    None (a log without a message): what a lossy activation takes away from mailboxes."""
    truncated_through: int = 0
    """Generations up to this one were truncated on the active copy (circular logging)."""
    mount_wanted: bool = False
    """Active Manager keeps this database mounted: set by a mount, cleared by an
    administrator's dismount; a failure dismounts it but leaves it set (automount, failover)."""

    def copy_on(self, server: str) -> DatabaseCopy | None:
        low = server.lower()
        for c in self.copies:
            if c.server.lower() == low:
                return c
        return None

    @property
    def active_copy(self) -> DatabaseCopy | None:
        return self.copy_on(self.active_server)

    def log_time(self, generation: int) -> _dt.datetime | None:
        if generation <= 0 or generation > len(self.log_times):
            return None
        return self.log_times[generation - 1]


@attrs.define(eq=False)
class PublicFolderDatabase:
    name: str
    server: str
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    created: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    edb_file_path: str = ""
    log_folder_path: str = ""
    log_file_prefix: str = "E01"
    mounted: bool = True


# --- recipients and directory -------------------------------------------------------------

@attrs.define(eq=False)
class Mailbox:
    name: str
    alias: str
    database: str
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    exchange_guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    created: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    changed: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    display_name: str = ""
    first_name: str | None = None
    last_name: str | None = None
    initials: str | None = None
    user_principal_name: str = ""
    sam_account_name: str = ""
    primary_smtp_address: str = ""
    email_addresses: list = attrs.field(factory=list)
    organizational_unit: str = "Users"
    recipient_type_details: str = "UserMailbox"
    use_database_quota_defaults: bool = True
    issue_warning_quota: ByteQuantifiedSize = attrs.field(factory=ByteQuantifiedSize.unlimited, converter=to_size)
    prohibit_send_quota: ByteQuantifiedSize = attrs.field(factory=ByteQuantifiedSize.unlimited, converter=to_size)
    prohibit_send_receive_quota: ByteQuantifiedSize = attrs.field(factory=ByteQuantifiedSize.unlimited, converter=to_size)
    recoverable_items_quota: ByteQuantifiedSize = attrs.field(
        factory=lambda: ByteQuantifiedSize(32212254720), converter=to_size)
    recoverable_items_warning_quota: ByteQuantifiedSize = attrs.field(
        factory=lambda: ByteQuantifiedSize(21474836480), converter=to_size)
    max_send_size: ByteQuantifiedSize = attrs.field(factory=ByteQuantifiedSize.unlimited, converter=to_size)
    max_receive_size: ByteQuantifiedSize = attrs.field(factory=ByteQuantifiedSize.unlimited, converter=to_size)
    retain_deleted_items_for: _dt.timedelta = attrs.field(default=_dt.timedelta(days=14), converter=to_td)
    single_item_recovery_enabled: bool = False
    use_database_retention_defaults: bool = True
    litigation_hold_enabled: bool = False
    hidden_from_address_lists_enabled: bool = False
    email_address_policy_enabled: bool = True
    deliver_to_mailbox_and_forward: bool = False
    forwarding_address: str | None = None
    forwarding_smtp_address: str | None = None
    grant_send_on_behalf_to: list = attrs.field(factory=list)
    custom_attribute1: str = ""
    archive_database: str | None = None
    reset_password_on_next_logon: bool = False
    # mailbox contents (Get-MailboxStatistics)
    item_count: int = 0
    total_item_size: int = 0
    deleted_item_count: int = 0
    last_logon_time: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    disconnected: _dt.datetime | None = attrs.field(default=None, converter=to_dt)


@attrs.define(eq=False)
class ADGroup:
    name: str
    ou: str = "Users"
    members: list = attrs.field(factory=list)
    group_scope: str = "Universal"
    builtin: bool = False
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    sid: str = ""


@attrs.define(eq=False)
class ADUser:
    name: str
    ou: str = "Users"
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    sid: str = ""


@attrs.define(eq=False)
class ClientAccessArray:
    name: str
    fqdn: str
    site: str
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    created: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    changed: _dt.datetime | None = attrs.field(default=None, converter=to_dt)


@attrs.define(eq=False)
class TransportConfig:
    max_dumpster_size_per_database: ByteQuantifiedSize = attrs.field(
        factory=lambda: ByteQuantifiedSize(18 * 1024 * 1024), converter=to_size)
    max_dumpster_time: _dt.timedelta = attrs.field(default=_dt.timedelta(days=7), converter=to_td)
    shadow_redundancy_enabled: bool = True
    shadow_heartbeat_retry_count: int = 12
    shadow_heartbeat_timeout_interval: _dt.timedelta = attrs.field(
        default=_dt.timedelta(minutes=15), converter=to_td)
    shadow_message_auto_discard_interval: _dt.timedelta = attrs.field(
        default=_dt.timedelta(days=2), converter=to_td)
    guid: uuid.UUID | None = attrs.field(default=None, converter=to_uuid)
    created: _dt.datetime | None = attrs.field(default=None, converter=to_dt)
    changed: _dt.datetime | None = attrs.field(default=None, converter=to_dt)


@attrs.define(eq=False)
class Event:
    """One line of the timeline (Get-SimEvent): what the cluster / Active Manager did, why."""

    time: _dt.datetime = attrs.field(converter=to_dt)
    source: str
    message: str
    server: str | None = None
    database: str | None = None
    kind: str = "Information"
    event: str | None = None
    """Short name of what happened (QuorumLost, Failover ...) for Get-SimEvent's Event column."""
    data: dict = attrs.field(factory=dict)
    """What happened as values, for programs (the runbook replay) that must not parse
    ``message``: e.g. ``{"logs_lost": 4, "messages": 4, ...}`` on DB1's LogsLost entry (the
    database and server are the fields above). Keys are snake_case; values are JSON types
    (saved with the state)."""
