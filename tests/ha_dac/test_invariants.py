"""Invariants of a DAC-mode DAG under random failures and administration (hypothesis, stateful).

On two-datacenter: crashes, clean shutdowns, boots, site power, WAN and NIC cuts, service
stops, database switchovers (to a target, targetless, whole servers), copy suspensions and
resumes, activation blocks, mount/dismount, mail, Stop-/Start-DatabaseAvailabilityGroup of one
member, and datacenter switchovers and switchbacks run the way the runbook says
(Stop-DatabaseAvailabilityGroup, Restore-, Start-). Commands may fail; after every step:

- no database has two mounted copies (DAC mode prevents split brain);
- every mounted copy is on a running member inside the partition with quorum;
- each site's StartedMailboxServers and StoppedMailboxServers are disjoint;
- every database's activation preferences are 1..n.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ems import Shell

# the shell raises the recursion limit for deep scripts; hypothesis notices and says so
pytestmark = pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")

MEMBERS = ("EX1", "EX2", "EX3", "EX4")
MACHINES = MEMBERS + ("DC1", "DC2", "FS1", "FS2", "FS3")
SITES = ("Portland", "Redmond")
DATABASES = ("DB1", "DB2", "DB3", "DB4")
LINKS = ("Portland,Redmond", "Portland,Olympia", "Redmond,Olympia")
OTHER = {"Portland": "Redmond", "Redmond": "Portland"}
SITE_MEMBERS = {"Portland": ("EX1", "EX2"), "Redmond": ("EX3", "EX4")}


class DacLab(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.sh = Shell(scenario="two-datacenter")
        self.org = self.sh.org

    def run(self, text: str) -> None:
        self.sh.run(text)

    # --- failures -----------------------------------------------------------------------
    @rule(machine=st.sampled_from(MACHINES), crash=st.booleans())
    def stop_machine(self, machine: str, crash: bool) -> None:
        self.run(f"Stop-SimServer {machine}" + (" -Crash" if crash else ""))

    @rule(machine=st.sampled_from(MACHINES))
    def boot(self, machine: str) -> None:
        self.run(f"Start-SimServer {machine}")

    @rule(site=st.sampled_from(SITES + ("Olympia",)), up=st.booleans())
    def site_power(self, site: str, up: bool) -> None:
        self.run(f"{'Start' if up else 'Stop'}-SimSite {site}")

    @rule(link=st.sampled_from(LINKS), up=st.booleans())
    def wan(self, link: str, up: bool) -> None:
        self.run(f"{'Connect' if up else 'Disconnect'}-SimSiteLink -Site {link}")

    @rule(member=st.sampled_from(MEMBERS), network=st.sampled_from(("MAPI", "Replication")), up=st.booleans())
    def nic(self, member: str, network: str, up: bool) -> None:
        self.run(f"{'Connect' if up else 'Disconnect'}-SimNetwork {member} -Network {network}")

    @rule(member=st.sampled_from(MEMBERS), service=st.sampled_from(("ClusSvc", "MSExchangeRepl", "MSExchangeIS")),
          up=st.booleans())
    def service(self, member: str, service: str, up: bool) -> None:
        self.run(f"Get-Service {service} -ComputerName {member} | {'Start' if up else 'Stop'}-Service")

    # --- administration -----------------------------------------------------------------
    def _passive(self, db: str, pick: int) -> str | None:
        """One of ``db``'s passive copies' servers (``pick`` chooses), or None."""
        d = self.org.databases[db.lower()]
        passives = sorted(c.server for c in d.copies if c.server.lower() != d.active_server.lower())
        return passives[pick % len(passives)] if passives else None

    @rule(db=st.sampled_from(DATABASES), pick=st.integers(0, 3))
    def move(self, db: str, pick: int) -> None:
        target = self._passive(db, pick)
        if target:
            self.run(f"Move-ActiveMailboxDatabase {db} -ActivateOnServer {target} -Confirm:$false")

    @rule(db=st.sampled_from(DATABASES), dial=st.sampled_from(("", " -MountDialOverride BestAvailability")))
    def targetless_move(self, db: str, dial: str) -> None:
        self.run(f"Move-ActiveMailboxDatabase {db}{dial} -Confirm:$false")

    @rule(server=st.sampled_from(MEMBERS))
    def server_switchover(self, server: str) -> None:
        self.run(f"Move-ActiveMailboxDatabase -Server {server} -Confirm:$false")

    @rule(db=st.sampled_from(DATABASES), pick=st.integers(0, 3), activation_only=st.booleans())
    def suspend(self, db: str, pick: int, activation_only: bool) -> None:
        server = self._passive(db, pick)
        if server:
            switch = " -ActivationOnly" if activation_only else ""
            self.run(f"Suspend-MailboxDatabaseCopy {db}\\{server}{switch} -Confirm:$false")

    @rule(db=st.sampled_from(DATABASES), pick=st.integers(0, 3))
    def resume(self, db: str, pick: int) -> None:
        server = self._passive(db, pick)
        if server:
            self.run(f"Resume-MailboxDatabaseCopy {db}\\{server} -Confirm:$false")

    @rule(member=st.sampled_from(MEMBERS), policy=st.sampled_from(("Blocked", "Unrestricted")))
    def activation_policy(self, member: str, policy: str) -> None:
        self.run(f"Set-MailboxServer {member} -DatabaseCopyAutoActivationPolicy {policy}")

    @rule(db=st.sampled_from(DATABASES), mount=st.booleans())
    def mount(self, db: str, mount: bool) -> None:
        self.run(f"Mount-Database {db}" if mount else f"Dismount-Database {db} -Confirm:$false")

    @rule(db=st.sampled_from(DATABASES), count=st.integers(1, 8))
    def mail(self, db: str, count: int) -> None:
        self.run(f"Send-SimMail {db} -Count {count}")

    @rule(member=st.sampled_from(MEMBERS), start=st.booleans())
    def stop_or_start_member(self, member: str, start: bool) -> None:
        """Stop-/Start-DatabaseAvailabilityGroup of one member (maintenance), as an operator
        connected to a running member runs it."""
        up = [s for s in MEMBERS if self.org.machine_running(self.org.servers[s.lower()])]
        if up:
            self.run(f"Connect-ExchangeServer {up[0]}")
            verb = "Start" if start else "Stop"
            self.run(f"{verb}-DatabaseAvailabilityGroup DAG1 -MailboxServer {member} -Confirm:$false")

    @rule(failed=st.sampled_from(SITES))
    def datacenter_switchover(self, failed: str) -> None:
        """The runbook: the failed datacenter is dark, mark it stopped in the surviving
        datacenter, stop the Cluster service there, restore. Only towards a datacenter whose
        members are still nodes of the cluster: servers evicted by an earlier switchover come
        back through a switchback first (a Restore on them would fork the cluster, and each
        datacenter's Active Directory would list its own members as started)."""
        survivor_site = OTHER[failed]
        survivors = SITE_MEMBERS[survivor_site]
        nodes = {n.lower() for n in self.org.dags["dag1"].cluster_nodes}
        if not all(s.lower() in nodes for s in survivors):
            return
        self.run(f"Stop-SimSite {failed}; Disconnect-SimSiteLink -Site Portland,Redmond")
        up = [s for s in survivors if self.org.machine_running(self.org.servers[s.lower()])]
        if not up:
            return
        self.run(f"Connect-ExchangeServer {up[0]}")
        self.run(f"Stop-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite {failed} -ConfigurationOnly "
                 "-Confirm:$false")
        for s in up:
            self.run(f"Get-Service ClusSvc -ComputerName {s} | Stop-Service")
        alt = "FS2" if survivor_site == "Redmond" else "FS1"
        self.run(f"Restore-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite {survivor_site} "
                 f"-AlternateWitnessServer {alt} -AlternateWitnessDirectory C:\\DAG1Alt -Confirm:$false")

    def _infrastructure_healthy(self) -> bool:
        return (all(self.org.sites[x.lower()].up for x in SITES)
                and self.org.site_link("Portland", "Redmond").connected)

    @precondition(lambda self: self._infrastructure_healthy())
    @rule(site=st.sampled_from(SITES))
    def switchback(self, site: str) -> None:
        """R-1: when the primary datacenter's infrastructure and the WAN are healthy again."""
        up = [s for s in MEMBERS if self.org.machine_running(self.org.servers[s.lower()])]
        if not up:
            return
        self.run(f"Connect-ExchangeServer {up[0]}")
        self.run(f"Start-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite {site} -Confirm:$false")
        self.run("Set-DatabaseAvailabilityGroup -Identity DAG1")

    # --- invariants -----------------------------------------------------------------------
    @invariant()
    def no_split_brain(self) -> None:
        assert self.org.dags["dag1"].datacenter_activation_mode == "DagOnly"   # the rule holds with DAC on
        for db in self.org.databases.values():
            places = self.org.mounted_copies(db)
            assert len(places) <= 1, f"{db.name} mounted on {places}"

    @invariant()
    def mounted_only_with_quorum(self) -> None:
        for db in self.org.databases.values():
            for name in self.org.mounted_copies(db):
                host = self.org.servers[name.lower()]
                assert self.org.machine_running(host), f"{db.name} mounted on {host.name}, which is down"
                assert self.org.server_has_quorum(host), f"{db.name} mounted on {host.name} without quorum"

    @invariant()
    def started_and_stopped_disjoint(self) -> None:
        dag = self.org.dags["dag1"]
        for site in ("Portland", "Redmond", "Olympia"):
            view = self.org.dag_directory(dag, site)
            started = {s.lower() for s in view.started_servers}
            stopped = {s.lower() for s in view.stopped_servers}
            assert not started & stopped, (site, view)

    @invariant()
    def activation_preferences_are_1_to_n(self) -> None:
        for db in self.org.databases.values():
            prefs = sorted(c.activation_preference for c in db.copies)
            assert prefs == list(range(1, len(prefs) + 1)), (db.name, prefs)


# about 10 s here; the CI budget is < 30 s
DacLab.TestCase.settings = settings(max_examples=100, stateful_step_count=40, deadline=None,
                                    suppress_health_check=[HealthCheck.too_slow])
test_dac_invariants = DacLab.TestCase
