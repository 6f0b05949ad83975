"""``Organization``: the one owner of the Exchange lab's state (a moto-style backend).

State lives in plain dicts keyed by lower-cased name (``servers``, ``sites``, ``dags``,
``databases`` ...). Operations are grouped by area in mixins (topology, DAGs, databases and
copies, activation, replication, recipients, client access); every public operation
validates completely before it changes anything, so a failed call leaves the organisation as
it was. Warnings an operation wants shown go to ``self.warnings`` (the cmdlet layer drains
them after the call); the event timeline is ``self.events``.
"""
from __future__ import annotations

import datetime as _dt
import ipaddress
import random
import uuid
from typing import Any

from ems.exchange import errors as E
from ems.exchange.activation import ActivationOps
from ems.exchange.clientaccess import ClientAccessOps
from ems.exchange.clock import Clock
from ems.exchange.cluster import ClusterOps
from ems.exchange.dac import DacOps
from ems.exchange.dags import DagOps
from ems.exchange.databases import DatabaseOps
from ems.exchange.directory import Directory, DirectoryOps
from ems.exchange.failover import FailoverOps
from ems.exchange.model import (ADGroup, ADUser, Event, Server, Site, SiteLink, TransportConfig)
from ems.exchange.recipients import RecipientOps
from ems.exchange.replication import ReplicationOps
from ems.exchange.services import ServiceOps

ADMIN_GROUP = "Exchange Administrative Group (FYDIBOHF23SPDLT)"
EXCHANGE_TRUSTED_SUBSYSTEM = "Exchange Trusted Subsystem"


class Organization(ClusterOps, ReplicationOps, ActivationOps, FailoverOps, DagOps, DatabaseOps, RecipientOps,
                   ClientAccessOps, DirectoryOps, DacOps, ServiceOps):
    """An Exchange 2010 organisation with its AD forest (one domain) and machines."""

    def __init__(self, clock: Any = None, seed: int = 2010, domain: str = "contoso.com",
                 name: str = "First Organization"):
        self.clock = clock or Clock()
        self.seed = seed
        self.rng = random.Random(seed)
        self.domain = domain
        self.name = name
        self.sites: dict[str, Site] = {}
        self.site_links: list[SiteLink] = []
        self.servers: dict[str, Server] = {}
        self.dags: dict = {}
        self.databases: dict = {}
        self.public_folder_databases: dict = {}
        self.mailboxes: dict = {}
        self.groups: dict[str, ADGroup] = {}
        self.users: dict[str, ADUser] = {}
        self.cas_arrays: dict = {}
        now = self.clock.now()
        self.transport_config = TransportConfig(guid=self.new_guid(), created=now, changed=now)
        self.events: list[Event] = []
        self.warnings: list[str] = []
        self.directory = Directory()
        """Per-site copies of the DAG objects while sites are cut off (ems.exchange.directory)."""
        self.runspace_id = self.new_guid()
        self.domain_sid = "S-1-5-21-%d-%d-%d" % tuple(self.rng.randrange(10 ** 9, 4 * 10 ** 9) for _ in range(3))
        self._next_rid = 1000
        self._create_directory_defaults()

    # --- identity helpers -----------------------------------------------------------------
    def new_guid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def now(self) -> _dt.datetime:
        return self.clock.now()

    def new_sid(self, rid: int | None = None) -> str:
        if rid is None:
            self._next_rid += 1
            rid = self._next_rid
        return f"{self.domain_sid}-{rid}"

    @property
    def domain_dn(self) -> str:
        return ",".join(f"DC={part}" for part in self.domain.split("."))

    @property
    def config_dn(self) -> str:
        return f"CN=Configuration,{self.domain_dn}"

    @property
    def org_dn(self) -> str:
        return f"CN={self.name},CN=Microsoft Exchange,CN=Services,{self.config_dn}"

    @property
    def admin_group_dn(self) -> str:
        return f"CN={ADMIN_GROUP},CN=Administrative Groups,{self.org_dn}"

    def legacy_dn(self, *parts: str) -> str:
        return f"/o={self.name}/ou={ADMIN_GROUP}/" + "/".join(parts)

    def fqdn(self, name: str) -> str:
        return f"{name}.{self.domain}"

    def schema_category(self, cls_name: str) -> str:
        return f"{self.domain}/Configuration/Schema/{cls_name}"

    @property
    def domain_controller(self) -> str:
        """FQDN of the DC the cmdlets talk to (shown in OriginatingServer and not-found errors):
        one of the connected server's site when it has one (ems.exchange.directory)."""
        dc = self.command_dc()
        if dc is not None:
            return dc
        for s in self.servers.values():
            if s.is_domain_controller:
                return self.fqdn(s.name)
        return self.fqdn("DC")

    def log_event(self, source: str, message: str, server: str | None = None,
                  database: str | None = None, kind: str = "Information", event: str | None = None,
                  **data: Any) -> None:
        """One timeline entry; ``data`` holds its facts as values (``Event.data``)."""
        self.events.append(Event(self.now(), source, message, server, database, kind, event, data))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def drain_warnings(self) -> list[str]:
        out, self.warnings = self.warnings, []
        return out

    # --- directory --------------------------------------------------------------------------
    def _create_directory_defaults(self) -> None:
        """The groups and accounts every Exchange 2010 forest has."""
        self.users["administrator"] = ADUser("Administrator", "Users", self.new_guid(), self.new_sid(500))
        defaults = [
            ("Administrators", "Builtin", ["Administrator", "Enterprise Admins", "Domain Admins"], "DomainLocal", True),
            ("Domain Admins", "Users", ["Administrator"], "Global", False),
            ("Enterprise Admins", "Users", ["Administrator"], "Universal", False),
            ("Exchange Servers", "Microsoft Exchange Security Groups", [], "Universal", False),
            (EXCHANGE_TRUSTED_SUBSYSTEM, "Microsoft Exchange Security Groups", [], "Universal", False),
            ("Exchange Windows Permissions", "Microsoft Exchange Security Groups",
             [EXCHANGE_TRUSTED_SUBSYSTEM], "Universal", False),
            ("Organization Management", "Microsoft Exchange Security Groups", ["Administrator"], "Universal", False),
        ]
        for name, ou, members, scope, builtin in defaults:
            rid = 544 if name == "Administrators" else None
            self.groups[name.lower()] = ADGroup(name, ou, list(members), scope, builtin, self.new_guid(),
                                                "S-1-5-32-544" if rid else self.new_sid())

    def get_group(self, name: str) -> ADGroup:
        group = self.groups.get(str(name).lower())
        if group is None:
            raise E.ad_identity_not_found(name, self.domain_dn, "ADGroup")
        return group

    def principal_exists(self, name: str) -> bool:
        low = name.lower()
        return low in self.groups or low in self.users or low in self.servers or any(
            m.sam_account_name.lower() == low or m.name.lower() == low for m in self.mailboxes.values())

    def add_group_members(self, group_name: str, members: list[str]) -> None:
        """Add-ADGroupMember: every member must exist; already-members are accepted silently."""
        group = self.get_group(group_name)
        for m in members:
            if not self.principal_exists(m):
                raise E.ad_identity_not_found(m, self.domain_dn, "ADPrincipal")
        for m in members:
            canonical = self._principal_name(m)
            if canonical.lower() not in (x.lower() for x in group.members):
                group.members.append(canonical)
        self.log_event("ActiveDirectory", f"Added {', '.join(members)} to group '{group.name}'.")

    def _principal_name(self, name: str) -> str:
        low = name.lower()
        for table in (self.groups, self.users, self.servers):
            if low in table:
                return table[low].name
        for m in self.mailboxes.values():
            if m.sam_account_name.lower() == low or m.name.lower() == low:
                return m.name
        return name

    def group_contains(self, group: ADGroup, principal: str, _seen: set | None = None) -> bool:
        """Membership, following nested groups."""
        seen = _seen or set()
        for m in group.members:
            if m.lower() == principal.lower():
                return True
            nested = self.groups.get(m.lower())
            if nested is not None and nested.name.lower() not in seen:
                seen.add(nested.name.lower())
                if self.group_contains(nested, principal, seen):
                    return True
        return False

    def is_local_administrator(self, server: Server, principal: str) -> bool:
        """Is ``principal`` in the machine's local Administrators group? A DC has no local
        groups: its Administrators group is the domain's Builtin\\Administrators."""
        if server.is_exchange and principal.lower() == EXCHANGE_TRUSTED_SUBSYSTEM.lower():
            return True  # Setup grants Exchange Trusted Subsystem admin rights on Exchange servers
        if server.is_domain_controller:
            return self.group_contains(self.groups["administrators"], principal)
        for m in server.local_administrators:
            if m.lower() == principal.lower():
                return True
            nested = self.groups.get(m.lower())
            if nested is not None and self.group_contains(nested, principal):
                return True
        return False

    def add_local_administrator(self, server: Server, member: str) -> None:
        if not self.principal_exists(member):
            raise E.ad_identity_not_found(member, self.domain_dn, "ADPrincipal")
        if server.is_domain_controller:
            self.add_group_members("Administrators", [member])
            return
        if member.lower() not in (m.lower() for m in server.local_administrators):
            server.local_administrators.append(self._principal_name(member))

    # --- topology (the Sim cmdlets build labs with these) -------------------------------------
    def set_organization(self, domain: str | None = None, name: str | None = None) -> None:
        if self.servers and domain and domain.lower() != self.domain.lower():
            raise E.InvalidOperationException(
                "The domain can't be changed after machines have been added to the lab.")
        if domain:
            self.domain = domain
        if name:
            self.name = name

    def new_site(self, name: str, subnets: list | None = None) -> Site:
        if name.lower() in self.sites:
            raise E.ADObjectAlreadyExistsException(f"The AD site '{name}' already exists.")
        nets = []
        for s in subnets or []:
            try:
                nets.append(ipaddress.ip_network(str(s), strict=False))
            except ValueError:
                raise E.ArgumentException(f"'{s}' isn't a valid subnet. Use the form 192.168.1.0/24.")
        site = Site(name, nets, self.new_guid(), self.now())
        self.sites[name.lower()] = site
        self.log_event("ActiveDirectory", f"Site '{name}' created.")
        return site

    def get_site(self, name: Any) -> Site:
        text = str(name)
        site = self.sites.get(text.lower()) or self.sites.get(text.rsplit("/", 1)[-1].lower())
        if site is None:
            raise E.referenced_not_found("site", text)
        return site

    def new_site_link(self, sites: list[str], name: str | None = None, cost: int = 100) -> SiteLink:
        if len(sites) != 2:
            raise E.ArgumentException("A site link joins exactly two sites.")
        a, b = (self.get_site(s) for s in sites)
        if self.site_link(a.name, b.name) is not None:
            raise E.ADObjectAlreadyExistsException(f"The sites '{a.name}' and '{b.name}' are already linked.")
        link = SiteLink(name or f"{a.name}-{b.name}", [a.name, b.name], True, cost)
        self.site_links.append(link)
        return link

    def site_link(self, a: str, b: str) -> SiteLink | None:
        pair = {a.lower(), b.lower()}
        for link in self.site_links:
            if {s.lower() for s in link.sites} == pair:
                return link
        return None

    def site_of_ip(self, ip: Any) -> Site | None:
        for site in self.sites.values():
            for net in site.subnets:
                if ip in net:
                    return site
        return None

    def subnet_of(self, ip: Any) -> Any:
        """The subnet an address is on: the site subnet containing it, else its /24."""
        for site in self.sites.values():
            for net in site.subnets:
                if ip in net:
                    return net
        return ipaddress.ip_network(f"{ip}/24", strict=False)

    def new_server(self, name: str, site: str, ip_addresses: list, roles: list[str],
                   version: str = "14.3", edition: str = "Enterprise",
                   default_database: bool = True, public_folder_database: bool = False) -> Server:
        """A machine joins the lab: a DC, a file server, or an Exchange server installed with
        Setup's typical options (a mailbox server gets its default database, mounted)."""
        from ems.exchange.model import EXCHANGE_ROLES
        from ems.exchange.values import VERSION_BUILDS

        if not name or len(name) > 15 or not all(c.isalnum() or c == "-" for c in name):
            raise E.ArgumentException(f"'{name}' isn't a valid computer name (1-15 letters, digits or hyphens).")
        if self.machine_name_taken(name):
            raise E.ADObjectAlreadyExistsException(f"A computer named '{name}' already exists in {self.domain}.")
        st = self.get_site(site)
        ips = []
        for a in ip_addresses or []:
            try:
                ips.append(ipaddress.ip_address(str(a)))
            except ValueError:
                raise E.ArgumentException(f"'{a}' isn't a valid IP address.")
        if not ips:
            raise E.ArgumentException("A server needs at least one IP address.")
        for ip in ips:
            owner = self.ip_owner(ip)
            if owner:
                raise E.InvalidOperationException(f"The IP address {ip} is already used by '{owner}'.")
        if version not in VERSION_BUILDS:
            raise E.ArgumentException(
                f"'{version}' isn't a supported version. Supported: {', '.join(VERSION_BUILDS)}.")
        if edition not in ("Enterprise", "Standard"):
            raise E.ArgumentException("Edition must be Enterprise or Standard.")
        known = set(EXCHANGE_ROLES) | {"DomainController", "FileServer"}
        for r in roles:
            if r not in known:
                raise E.ArgumentException(f"Unknown role '{r}'. Valid roles: {', '.join(sorted(known))}.")
        now = self.now()
        server = Server(name, st.name, ips, list(roles), self.new_guid(), now, now, version, edition,
                        boot_time=now)
        self.servers[name.lower()] = server
        self.log_event("Lab", f"Machine {name} ({', '.join(roles) or 'member server'}) joined site {st.name}.",
                       server=name)
        if server.is_exchange:
            self.groups["exchange servers"].members.append(name)
        if server.has_role("Mailbox"):
            if public_folder_database:
                self._create_public_folder_database(server)
            if default_database:
                db = self._create_default_database(server)
                self.mount_database(db)
        return server

    def machine_name_taken(self, name: str) -> bool:
        low = name.lower()
        return low in self.servers or low in self.dags

    def ip_owner(self, ip: Any) -> str | None:
        for s in self.servers.values():
            if ip in s.ip_addresses:
                return s.name
        for d in self.dags.values():
            if ip in d.ip_addresses:
                return d.name
        return None

    def get_machine(self, name: Any) -> Server:
        """Any machine by name or FQDN (witness servers, Sim cmdlets)."""
        text = str(name).strip()
        server = self.servers.get(text.lower())
        if server is None and "." in text:
            host, _, dom = text.partition(".")
            if dom.lower() == self.domain.lower():
                server = self.servers.get(host.lower())
        if server is None:
            raise E.referenced_not_found("server", text)
        return server

    def exchange_servers(self) -> list[Server]:
        return [s for s in self.servers.values() if s.is_exchange]

    def mailbox_servers(self) -> list[Server]:
        return [s for s in self.servers.values() if s.has_role("Mailbox")]

    # --- Set-MailboxServer / Set-ClientAccessServer (plain settings) ------------------------
    def set_server_settings(self, server: Server, changes: dict[str, Any]) -> None:
        """Apply validated settings (attribute name -> value) to a server in one step."""
        for attr in changes:
            if not hasattr(server, attr):
                raise AttributeError(attr)
        if "maximum_active_databases" in changes:
            v = changes["maximum_active_databases"]
            if v is not None and v < 0:
                raise E.DataValidationException(
                    "The value of property 'MaximumActiveDatabases' must be a non-negative number.")
        for attr, value in changes.items():
            setattr(server, attr, value)
        server.changed = self.now()

    # --- simulation helpers the labs need -----------------------------------------------------
    def remove_database_files(self, db: Any, server: Server) -> None:
        """Remove-SimDatabaseFiles: the copy's .edb and logs vanish from that server's disk. On
        the mounted active copy that is a storage failure: the store loses the database and
        Active Manager fails it over (``react``)."""
        copy = db.copy_on(server.name)
        if copy is None:
            raise E.InvalidOperationException(
                f"Database '{db.name}' has no copy on server '{server.name}'.")
        active = db.active_server.lower() == server.name.lower()
        copy.files_present = False
        copy.last_copied = copy.last_inspected = copy.last_replayed = 0
        if not active and copy.status not in ("Suspended",):
            # C-2: a passive copy's storage failure -> Failed (not suspended; it stays Failed
            # until an administrator suspends and reseeds it, as the files don't come back)
            copy.status = "Failed"
            copy.error_message = (f"The database file '{db.edb_file_path}' for database copy "
                                  f"'{db.name}\\{server.name}' is missing.")
        self.log_event("Lab", f"Deleted the database and log files of '{db.name}' on {server.name}"
                       + (" (storage failure)." if active and db.mounted else "."),
                       server=server.name, database=db.name, kind="Warning", event="StorageLost")
        if active:
            self.react(f"storage of {db.name} on {server.name} lost")

    def send_mail(self, db: Any, count: int) -> None:
        """Send-SimMail: ``count`` messages delivered to ``db``'s mailboxes (round robin); each
        commits one log generation on the active copy and stays in the transport dumpster."""
        if count < 1:
            raise E.ArgumentException("Count must be at least 1.")
        if not db.mounted:
            raise E.InvalidOperationException(
                f"The messages couldn't be delivered because database '{db.name}' is dismounted. "
                "They stay queued on the Hub Transport server.")
        self.deliver_mail(db, count)
        self.log_event("Transport", f"Delivered {count} message(s) to database '{db.name}'.",
                       database=db.name)

    # --- saved state --------------------------------------------------------------------------
    def to_dict(self) -> dict:
        from ems.exchange.persist import dump
        return dump(self)

    @classmethod
    def from_dict(cls, data: Any, clock: Any = None) -> "Organization":
        from ems.exchange.persist import load
        return load(cls, data, clock)
