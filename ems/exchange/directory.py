"""Active Directory, one copy per site, and where Exchange commands run.

Why this exists: a datacenter switchover is a race against AD replication. With the WAN
down, each datacenter's domain controllers keep their own copy of the DAG object
(StartedMailboxServers, StoppedMailboxServers, witness settings ...) until the link returns
and replication merges them. That is why the switchover runbook marks the failed servers
stopped "twice, once per datacenter" (S-1, S-2), and why a primary datacenter that comes back
without its WAN still believes every member is started (D-5).

Model. The live ``Dag`` object's replicated attributes (``REPLICATED``) hold the copy of the
*last writer's island* (the sites whose running domain controllers could replicate with the
writer's). Every DC site that was out of reach at that write keeps its own copy in
``Directory.copies``. A site reads its own copy if it has one, otherwise the live object.
Whenever sites can talk again their copies merge attribute by attribute, the newer write
winning (AD resolves conflicting writes of one attribute by last writer, and these attributes
are not linked values). ``usn`` numbers order the writes; they stand for AD's version stamps.

Exchange cmdlets run on the server the shell is connected to (``connected_server``; the
cmdlet layer sets it from ``$env:COMPUTERNAME``) and read and write the directory through a
domain controller of that server's site (another reachable site's DC when the local ones are
down). Everything here is a no-op when nothing is partitioned: no copies exist then.
"""
from __future__ import annotations

import contextlib
import copy as _copy
from typing import Any, Iterator

import attrs

from ems.exchange import errors as E

REPLICATED = ("started_servers", "stopped_servers", "witness_server", "witness_directory",
              "alternate_witness_server", "alternate_witness_directory", "datacenter_activation_mode")
"""Attributes of the DAG's AD object that each site's DCs may hold in their own version."""


@attrs.frozen
class DagDirectoryView:
    """The DAG object as one site's domain controllers see it."""

    started_servers: tuple
    stopped_servers: tuple
    witness_server: str | None
    witness_directory: str | None
    alternate_witness_server: str | None
    alternate_witness_directory: str | None
    datacenter_activation_mode: str

    def is_started(self, name: str) -> bool:
        return name.lower() in (s.lower() for s in self.started_servers)

    def is_stopped(self, name: str) -> bool:
        return name.lower() in (s.lower() for s in self.stopped_servers)


@attrs.define
class Directory:
    """Per-site copies of the replicated DAG attributes (saved with the organisation)."""

    copies: dict = attrs.field(factory=dict)
    """site (lower) -> DAG (lower) -> attribute -> [value, usn]: sites that missed writes."""
    usn: dict = attrs.field(factory=dict)
    """DAG (lower) -> attribute -> usn of the live object's value."""
    next_usn: int = 1


class RemoteSessionBroken(E.ExchangeError):
    """The connected Exchange server is down: the implicit-remoting session fails like
    PowerShell remoting does ([plausible]: the text of a broken WinRM session)."""

    exception_type = "PSRemotingTransportException"
    category = "OperationStopped"
    error_id = "JobFailure"


class DirectoryUnavailable(E.ExchangeError):
    """No domain controller is reachable from the connected server's site [plausible]."""

    exception_type = "ADTransientException"
    category = "NotSpecified"
    error_id = "8D2B6E1F"


class DirectoryOps:
    """Mixin of Organization: per-site AD copies, replication, and the connected server."""

    directory: Directory
    connected_server: str | None = None
    """Name of the Exchange server the shell is connected to (None: Python API, no site)."""

    # --- where commands run -----------------------------------------------------------------
    def begin_command(self, computer_name: Any) -> None:
        """An Exchange cmdlet starts: it runs on ``computer_name`` (``$env:COMPUTERNAME``).
        A connected Exchange server that is down fails the command like a broken remote
        session; a name that isn't an Exchange server of the lab runs without a site."""
        name = str(computer_name or "").split(".")[0].lower()
        server = self.servers.get(name)
        if server is None or not server.is_exchange:
            self.connected_server = None
            return
        self.connected_server = server.name
        if not self.machine_running(server):
            fqdn = self.fqdn(server.name).lower()
            raise RemoteSessionBroken(
                "Starting a command on the remote server failed with the following error message : WinRM "
                "cannot complete the operation. Verify that the specified computer name is valid, that the "
                "computer is accessible over the network, and that a firewall exception for the WinRM service "
                "is enabled and allows access from this computer. By default, the WinRM firewall exception for "
                "public profiles limits access to remote computers within the same local subnet. For more "
                "information, see the about_Remote_Troubleshooting Help topic.", target=fqdn)
        self.replicate_directory()

    def command_site(self) -> str | None:
        server = self.servers.get((self.connected_server or "").lower())
        return server.site if server is not None else None

    # --- domain controllers -----------------------------------------------------------------
    def _dc_sites(self) -> list[str]:
        return sorted({s.site.lower() for s in self.servers.values() if s.is_domain_controller})

    def _site_dc_running(self, site: str) -> bool:
        return any(s.is_domain_controller and s.site.lower() == site and self.machine_running(s)
                   for s in self.servers.values())

    def _dc_islands(self) -> list[set]:
        """DC sites whose running domain controllers can replicate with each other."""
        live = [s for s in self._dc_sites() if self._site_dc_running(s)]
        islands: list[set] = []
        for site in live:
            for island in islands:
                if self.sites_connected(next(iter(island)), site):
                    island.add(site)
                    break
            else:
                islands.append({site})
        return islands

    def _island_of(self, site: str) -> set:
        for island in self._dc_islands():
            if site in island:
                return island
        return {site}

    def directory_site(self, site: str | None) -> str | None:
        """The DC site whose copy a machine in ``site`` reads: its own site's when a DC runs
        there, else the first reachable site with a running DC, else its own site's copy
        when it has a DC (what Active Manager last read), else None (the live object)."""
        if site is None:
            return None
        low = site.lower()
        dc_sites = self._dc_sites()
        for dc_site in ([low] if low in dc_sites else []) + [s for s in dc_sites if s != low]:
            if self._site_dc_running(dc_site) and self.sites_connected(low, dc_site):
                return dc_site
        return low if low in dc_sites else None

    def writing_dc(self, site: str | None) -> str | None:
        """The DC site a command from ``site`` writes to; raises when none is reachable."""
        if site is None:
            return None
        low = site.lower()
        candidates = [low] if low in self._dc_sites() else []
        candidates += [s for s in self._dc_sites() if s != low]
        for dc_site in candidates:
            if self._site_dc_running(dc_site) and self.sites_connected(low, dc_site):
                return dc_site
        dc = next((s.name for s in self.servers.values() if s.is_domain_controller and s.site.lower() == low),
                  None) or self.domain_controller.split(".")[0]
        raise DirectoryUnavailable(
            f"Active Directory server {self.fqdn(dc)} is not available. Error message: Active directory "
            "response: The LDAP server is unavailable.")

    def command_dc(self) -> str | None:
        """FQDN of a running domain controller the connected server's commands use."""
        site = self.command_site()
        if site is None:
            return None
        low = site.lower()
        dcs = sorted((s for s in self.servers.values() if s.is_domain_controller and self.machine_running(s)
                      and self.sites_connected(low, s.site.lower())),
                     key=lambda s: (s.site.lower() != low, s.name.lower()))
        return self.fqdn(dcs[0].name) if dcs else None

    # --- reading --------------------------------------------------------------------------
    def dag_directory(self, dag: Any, site: str | None = None) -> DagDirectoryView:
        """The DAG object as the domain controllers of ``site`` (default: the connected
        server's site) see it."""
        self.replicate_directory()
        where = self.directory_site(site if site is not None else self.command_site())
        held = self.directory.copies.get(where, {}).get(dag.name.lower()) if where else None
        if held is None:
            values = [getattr(dag, a) for a in REPLICATED]
        else:
            values = [held[a][0] for a in REPLICATED]
        values = [tuple(v) if isinstance(v, list) else v for v in values]
        return DagDirectoryView(*values)

    def dag_directory_of(self, dag: Any, server: Any) -> DagDirectoryView:
        """What Active Manager on ``server`` reads (its own site's domain controllers)."""
        return self.dag_directory(dag, server.site)

    # --- writing ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def directory_write(self, dag: Any, site: str | None = None) -> Iterator[None]:
        """Run a change of ``dag``'s AD object as a write through a DC of ``site`` (default:
        the connected server's site): the live object becomes that island's copy, sites out
        of reach keep theirs. A failed change leaves the directory exactly as it was."""
        self.replicate_directory()
        where = site if site is not None else self.command_site()
        dc_site = self.writing_dc(where)
        saved = (_copy.deepcopy(self.directory), {a: _copy.deepcopy(getattr(dag, a)) for a in REPLICATED})
        if dc_site is not None:
            self._make_island_live(dag.name.lower(), self._island_of(dc_site), dag)
        before = {a: _copy.deepcopy(getattr(dag, a)) for a in REPLICATED}
        try:
            yield
        except BaseException:
            self.directory = saved[0]
            for a, v in saved[1].items():
                setattr(dag, a, v)
            raise
        stamps = self.directory.usn.setdefault(dag.name.lower(), {})
        for a in REPLICATED:
            if getattr(dag, a) != before[a]:
                stamps[a] = self._new_usn()

    def _new_usn(self) -> int:
        n = self.directory.next_usn
        self.directory.next_usn += 1
        return n

    def _live_record(self, key: str, dag: Any) -> dict:
        stamps = self.directory.usn.get(key, {})
        return {a: [_copy.deepcopy(getattr(dag, a)), stamps.get(a, 0)] for a in REPLICATED}

    def _make_island_live(self, key: str, island: set, dag: Any, record: dict | None = None) -> None:
        """The live object becomes ``island``'s copy (``record``, or the copy the island
        holds): DC sites outside the island keep what they had."""
        copies = self.directory.copies
        for site in self._dc_sites():
            if site not in island and key not in copies.get(site, {}):
                copies.setdefault(site, {})[key] = self._live_record(key, dag)
        if record is None:
            held = [copies[s][key] for s in sorted(island) if key in copies.get(s, {})]
            if len(held) < len(island):
                self._prune_copies()
                return  # the island already reads the live object (it converged)
            record = held[0]
        stamps = self.directory.usn.setdefault(key, {})
        for a in REPLICATED:
            value, usn = record[a]
            setattr(dag, a, _copy.deepcopy(value))
            stamps[a] = usn
        for site in island:
            copies.get(site, {}).pop(key, None)
        self._prune_copies()

    def _prune_copies(self) -> None:
        for site in [s for s, held in self.directory.copies.items() if not held]:
            del self.directory.copies[site]

    # --- replication ----------------------------------------------------------------------
    def replicate_directory(self) -> None:
        """AD replication: every island of connected, running DCs converges (per attribute,
        the newest write wins). Cheap when nothing diverged."""
        copies = self.directory.copies
        if not copies:
            return
        keys = sorted({k for held in copies.values() for k in held})
        islands = self._dc_islands()
        for key in keys:
            dag = self.dags.get(key)
            if dag is None:
                for held in copies.values():
                    held.pop(key, None)
                continue
            for island in islands:
                holders = [s for s in sorted(island) if key in copies.get(s, {})]
                if not holders:
                    continue
                readers_of_live = [s for s in island if s not in holders]
                records = [copies[s][key] for s in holders]
                if readers_of_live:
                    records.append(self._live_record(key, dag))
                merged = {a: max((r[a] for r in records), key=lambda vu: vu[1]) for a in REPLICATED}
                if readers_of_live:
                    self._make_island_live(key, island, dag, merged)
                    self.log_event("ActiveDirectory",
                                   f"Active Directory replication merged the copies of '{dag.name}' held in "
                                   f"{', '.join(self._site_names(island))}.", event="ADReplication")
                elif len(holders) > 1:
                    for s in holders:
                        copies[s][key] = _copy.deepcopy(merged)
        self._prune_copies()

    def _site_names(self, lows: set) -> list[str]:
        return sorted(self.sites[s].name if s in self.sites else s for s in lows)

    def directory_diverged(self, dag: Any) -> bool:
        """Do some sites' domain controllers hold a different version of ``dag``?"""
        self.replicate_directory()
        return any(dag.name.lower() in held for held in self.directory.copies.values())
