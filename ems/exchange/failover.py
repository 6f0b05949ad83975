"""The HA engine's reaction to events: what the cluster and Active Manager do when a machine,
site, WAN link, network or service changes (§1 quorum, §4 Active Manager, §5-§6 failover).

How to build on it (the datacenter module does)
-----------------------------------------------
- ``org.react(reason)``: call it after *any* change of machines, sites, links, NICs, services
  or cluster membership. It recomputes each DAG's partitions and quorum (Q-1..Q-3), records
  the witness lock and moves the Primary Active Manager (A-2), dismounts databases whose
  server can't serve them (down, store stopped, storage lost, no quorum: Q-4), mounts again
  what Active Manager wants mounted once its server can (automount), and fails databases over
  (A-7, A-8: best copy selection, ACLL, mount dial) where a quorate partition can. Every
  decision goes to the timeline (``org.log_event``, shown by Get-SimEvent) with its reason.
- ``activation.MOUNT_CHECKS``: append ``check(org, db, server) -> str | None`` to veto a mount
  (DAC: DACP = 0, automount consensus, Stopped). The string ends the MD-3 refusal text
  ("... must have quorum. Error: <string>. [Server: fqdn]."). Mount-Database, automount,
  failover (BCS skips the copy and says why) and switchovers all ask it.
- ``DAG_HOOKS``: ``hook(org, dag, view)`` runs in ``react`` for each DAG after its quorum,
  witness lock and PAM are recorded (``view`` is the ``cluster.QuorumView``) and before any
  database is mounted or failed over: the place to set DACP bits by automount consensus (D-3).
- ``BOOT_HOOKS``: ``hook(org, server)`` runs when a machine boots (Start-SimServer,
  Start-SimSite) after Active Manager reset DACP to 0 and the services started (a Cluster
  service whose start type is Disabled can be stopped again there).

The failure injections of the Sim cmdlets (stop/start a server or a site, cut a WAN link or a
NIC, block replication, lose storage) are here too; each ends in ``react``.
"""
from __future__ import annotations

from typing import Any, Callable

from ems.exchange import errors as E

DAG_HOOKS: list[Callable[[Any, Any, Any], None]] = []
BOOT_HOOKS: list[Callable[[Any, Any], None]] = []
NETWORKS = ("MAPI", "Replication")


def _names(nodes: Any) -> str:
    return ", ".join(nodes)


class FailoverOps:
    """Mixin of Organization: ``react`` and the failure injections."""

    # --- the reaction -----------------------------------------------------------------------------
    def react(self, reason: str = "") -> None:
        """Re-evaluate the cluster and Active Manager after a change (see the module notes).
        ``reason`` names the change for the caller's reader; every decision states its own
        cause on the timeline."""
        for dag in sorted(self.dags.values(), key=lambda d: d.name.lower()):
            self._react_dag(dag)
        for db in sorted(self.databases.values(), key=lambda d: d.name.lower()):
            self._react_database(db)
        self.settle()
        for db in self.databases.values():
            if db.mounted and any(i.lost for i in db.dumpster):
                self.redeliver_from_dumpster(db)

    def _note(self, key: Any, text: str) -> bool:
        """True the first time ``text`` is said about ``key`` (a repeated reaction that decides
        the same thing doesn't repeat itself on the timeline)."""
        notes = self.__dict__.setdefault("_reaction_notes", {})
        if notes.get(key) == text:
            return False
        notes[key] = text
        return True

    def _react_dag(self, dag: Any) -> None:
        view = self.quorum(dag)
        holder = view.lock_holder if view.uses_witness else None
        if (holder or "").lower() != (dag.witness_lock or "").lower():
            if holder:
                self.log_event("Cluster", f"{holder} took the lock on the witness share of '{dag.name}' on "
                                          f"{view.witness} (two votes).", holder, event="WitnessLock",
                               dag=dag.name, holder=holder, witness=view.witness)
            elif dag.witness_lock and view.uses_witness:
                self.log_event("Cluster", f"The witness lock of '{dag.name}' held by {dag.witness_lock} was "
                                          "released.", dag.witness_lock, event="WitnessLock", dag=dag.name,
                               holder=None, witness=view.witness)
            dag.witness_lock = holder
            view = self.quorum(dag)
        before = {n.lower() for n in dag.quorate_nodes}
        after = list(view.quorate or [])
        if {n.lower() for n in after} != before:
            self._quorum_events(dag, view, before)
        pam = self.primary_active_manager(dag)
        if pam and (dag.pam or "").lower() != pam.lower():
            old = dag.pam
            why = ""
            if old:
                s = self.servers.get(old.lower())
                why = (f" ({old} is down)" if s is None or not self.machine_running(s)
                       else f" ({old} isn't in the partition with quorum)")
            self.log_event("ActiveManager", f"The Primary Active Manager of '{dag.name}' moved from {old or 'none'} "
                                            f"to {pam}{why}.", pam, event="PamMoved", dag=dag.name,
                           from_server=old, to_server=pam)
            dag.pam = pam
        dag.quorate_nodes = after
        for hook in DAG_HOOKS:
            hook(self, dag, view)

    def _quorum_events(self, dag: Any, view: Any, before: set) -> None:
        if view.quorate:
            i = view.partitions.index(view.quorate)
            self.log_event("Cluster", f"'{dag.name}' has quorum in the partition {{{_names(view.quorate)}}}: "
                                      f"{view.votes[i]} of {view.voters} votes (needs {view.needed})"
                                      + self._witness_clause(view, i) + ".", view.quorate[0], event="Quorum",
                           **self._quorum_data(dag, view, i))
        for i, part in enumerate(view.partitions):
            if part == view.quorate:
                continue
            was = any(n.lower() in before for n in part)
            if not self._note(("minority", dag.name, part), f"{view.votes[i]}/{view.voters}") and not was:
                continue  # the same partition, still without quorum: nothing new to say
            verb = "lost quorum" if was else "has no quorum"
            who = _names(part)
            self.log_event("Cluster", f"{who} {verb} in '{dag.name}': the partition has {view.votes[i]} of "
                                      f"{view.voters} votes (needs {view.needed}){self._witness_clause(view, i)}; "
                                      "the Cluster service stops there and its databases dismount.",
                           part[0], kind="Warning", event="QuorumLost", **self._quorum_data(dag, view, i))
        if not view.quorate and not view.partitions and before:
            self.log_event("Cluster", f"'{dag.name}' lost quorum: no member is running.", None, kind="Warning",
                           event="QuorumLost", dag=dag.name, nodes=[], votes=0, voters=view.voters,
                           needed=view.needed, witness_vote=False)

    @staticmethod
    def _quorum_data(dag: Any, view: Any, index: int) -> dict:
        return dict(dag=dag.name, nodes=list(view.partitions[index]), votes=view.votes[index], voters=view.voters,
                    needed=view.needed, witness_vote=view.witness_partition == index)

    @staticmethod
    def _witness_clause(view: Any, index: int) -> str:
        if not view.uses_witness or view.witness is None:
            return ""
        if view.witness_partition == index:
            return f", with the witness vote of {view.witness} (lock held by {view.lock_holder})"
        if index in view.reaching:
            return f"; it can reach the witness {view.witness}, but {view.lock_holder} holds the witness lock"
        return f"; it can't reach the witness {view.witness}"

    # --- per database -------------------------------------------------------------------------------
    def serving_problem(self, db: Any) -> str | None:
        """Why the active copy's server can't serve ``db`` now (None: it can)."""
        host = self.servers[db.active_server.lower()]
        if not self.machine_running(host):
            return f"server {host.name} is down" + (" (crashed)" if host.crashed else "")
        if not host.information_store:
            return f"the Microsoft Exchange Information Store service on {host.name} isn't running"
        active = db.active_copy
        if active is not None and not active.files_present:
            return f"the database files on {host.name} were lost (storage failure)"
        if not self.server_has_quorum(host):
            return f"{host.name} isn't in a partition with quorum"
        if host.dag and not host.mapi_network:
            return f"{host.name} lost its MAPI network"
        return None

    def _react_database(self, db: Any) -> None:
        problem = self.serving_problem(db)
        host = self.servers[db.active_server.lower()]
        mapi_only = problem is not None and problem.endswith("lost its MAPI network")
        if db.mounted and problem and not mapi_only:
            self._failure_dismount(db, problem)
        if not db.mount_wanted:
            return
        if problem is None:
            if db.mounted or not db.mount_at_startup:
                return
            refusal = self.mount_refusal(db, host)
            if refusal is not None:
                if self._note(("mount", db.name), str(refusal)):
                    self.log_event("ActiveManager", f"Active Manager didn't mount '{db.name}' on {host.name}: "
                                                    f"{_inner(refusal)}", host.name, db.name, "Warning",
                                   event="MountRefused", reason=_inner(refusal))
                return
            self._note(("mount", db.name), "")
            self._mount(db, host, event="Automount", why=" by Active Manager")
            return
        self.fail_over(db, problem, lossless_only=mapi_only)

    def fail_over(self, db: Any, problem: str, lossless_only: bool = False) -> bool:
        """A-7/A-8: the PAM runs best copy selection; each candidate in turn gets ACLL and the
        mount dial of its own server (M-3, M-4); the first that qualifies is activated and
        mounted. None qualifies: the database stays dismounted (MD-7)."""
        host = self.servers[db.active_server.lower()]
        dag = self.dag_of(host)
        key = ("failover", db.name)
        if dag is None or len(db.copies) < 2:
            text = (f"'{db.name}' has no other copy to activate after {problem}; it stays "
                    f"{'mounted' if db.mounted else 'dismounted'} on {host.name}.")
            if self._note(key, text):
                self.log_event("ActiveManager" if dag is not None else "Store", text, host.name, db.name, "Warning",
                               event="FailoverFailed", problem=problem, reasons={})
            return False
        pam = self.primary_active_manager(dag)
        if pam is None:
            if self._note(key, "no quorum"):
                self.log_event("ActiveManager", f"'{db.name}' can't fail over: '{dag.name}' has no partition with "
                                                "quorum, so there is no Primary Active Manager.", host.name,
                               db.name, "Warning", event="FailoverFailed", problem=problem, reasons={})
            return False
        ranked, skipped = self.rank_copies(db, automatic=True)
        tried = []
        for cand in ranked:
            copy = cand.copy
            target = self.servers[copy.server.lower()]
            lost = self.logs_lost_on_activation(db, copy)
            dial = target.auto_database_mount_dial
            if lossless_only and lost:
                tried.append((target.name, f"would lose {lost} log(s); a failover for a lost MAPI network must "
                                           "be lossless"))
                continue
            if not self.dial_allows(dial, lost):
                tried.append((target.name, f"would lose {lost} log(s), more than its AutoDatabaseMountDial "
                                           f"{dial} allows ({self.dial_limit_text(dial)})"))
                continue
            refusal = self.mount_refusal(db, target)
            if refusal is not None:
                tried.append((target.name, f"may not mount: {_inner(refusal)}"))
                continue
            text = self._bcs_sentence(db, cand, skipped, f"failover by {pam}: {problem}")
            if tried:
                text = text[:-1] + "; rejected " + "; ".join(f"{name} {why}" for name, why in tried) + "."
            self.log_event("ActiveManager", text, copy.server, db.name, event="BestCopySelection",
                           **self.bcs_data(db, cand, skipped, tried))
            acll = "ACLL copied the missing logs from the old active" if self.acll_source_available(db, copy) \
                else f"ACLL couldn't reach {host.name}"
            self.activate_copy(db, copy, lost, reason=f"failover: {problem}; {acll}", mount=True, event="Failover")
            self._note(key, "")
            return True
        parts = [f"{c.server}: {why}" for c, why in skipped] + [f"{name} {why}" for name, why in tried]
        detail = "; ".join(parts) if parts else "no other copy"
        stays = "stays mounted" if db.mounted else "stays dismounted"
        text = (f"No copy of '{db.name}' could be activated after {problem} ({detail}); the database {stays} "
                f"on {host.name}.")
        if self._note(key, text):
            self.log_event("ActiveManager", text, host.name, db.name, "Error", event="FailoverFailed",
                           problem=problem, reasons={**{c.server: why for c, why in skipped}, **dict(tried)})
        return False

    @staticmethod
    def dial_limit_text(dial: str) -> str:
        from ems.exchange.activation import DIAL_LIMITS
        limit = DIAL_LIMITS[dial]
        return "any number" if limit is None else f"at most {limit}"

    # --- failure injections (the Sim cmdlets) --------------------------------------------------------
    def stop_server(self, server: Any, crash: bool = False) -> None:
        """Stop-SimServer: a clean shutdown first tries to switch its mounted databases over
        (A-9, best copy selection, ACLL from the still running server); ``crash`` is a power
        loss."""
        if not self.machine_running(server):
            raise E.InvalidOperationException(f"The machine '{server.name}' isn't running.", target=server.name)
        if crash:
            self.log_event("Lab", f"{server.name} crashed (power loss).", server.name, kind="Warning",
                           event="ServerCrashed")
        else:
            self.log_event("Lab", f"{server.name} is shutting down.", server.name, event="ServerShutdown")
            self._shutdown_switchovers(server)
        server.up = False
        server.crashed = crash
        self.react(f"{server.name} stopped")

    def _shutdown_switchovers(self, server: Any) -> None:
        for db in sorted(self.databases.values(), key=lambda d: d.name.lower()):
            if db.active_server.lower() != server.name.lower() or not db.mounted:
                continue
            dag = self.dag_of(server)
            moved = False
            if dag is not None and len(db.copies) > 1 and self.has_quorum(dag):
                ranked, skipped = self.rank_copies(db, automatic=True)
                for cand in ranked:
                    target = self.servers[cand.copy.server.lower()]
                    if self.mount_refusal(db, target) is not None:
                        continue
                    lost = self.logs_lost_on_activation(db, cand.copy)
                    self.log_event("ActiveManager", self._bcs_sentence(db, cand, skipped,
                                                                       f"{server.name} is shutting down"),
                                   target.name, db.name, event="BestCopySelection",
                                   **self.bcs_data(db, cand, skipped))
                    self.activate_copy(db, cand.copy, lost, reason=f"{server.name} is shutting down",
                                       mount=True, event="Switchover")
                    moved = True
                    break
            if not moved:
                self._failure_dismount(db, f"{server.name} is shutting down and no other copy could be activated")

    def start_server(self, server: Any) -> None:
        """Start-SimServer: the machine boots; Active Manager starts with DACP = 0 (D-2)."""
        if self.machine_running(server):
            return
        site = self.sites.get(server.site.lower())
        if site is not None and not site.up:
            raise E.InvalidOperationException(
                f"The machine '{server.name}' can't start because its site '{site.name}' is down. Use "
                "Start-SimSite.", target=server.name)
        self._boot(server)
        self.react(f"{server.name} started")

    def _boot(self, server: Any) -> None:
        server.up = True
        server.crashed = False
        server.boot_time = self.now()
        server.dacp = 0
        server.replication_service = server.information_store = server.cluster_service = True
        for hook in BOOT_HOOKS:
            hook(self, server)
        self.log_event("Lab", f"{server.name} started.", server.name, event="ServerStarted")

    def stop_site(self, site: Any) -> None:
        """Stop-SimSite: every machine of the site loses power."""
        self.log_event("Lab", f"Site {site.name} lost power.", kind="Warning", event="SiteDown")
        for s in self.servers.values():
            if s.site.lower() == site.name.lower() and s.running:
                s.up, s.crashed = False, True
        site.up = False
        self.react(f"site {site.name} stopped")

    def start_site(self, site: Any) -> None:
        """Start-SimSite: power returns and every machine of the site boots."""
        site.up = True
        self.log_event("Lab", f"Site {site.name} has power again.", event="SiteUp")
        for s in sorted(self.servers.values(), key=lambda s: s.name.lower()):
            if s.site.lower() == site.name.lower() and not s.running:
                self._boot(s)
        self.react(f"site {site.name} started")

    def set_site_link(self, sites: list, connected: bool) -> None:
        """Disconnect-/Connect-SimSiteLink: the WAN between two sites."""
        if len(sites) != 2:
            raise E.ArgumentException("Specify the two sites the link joins, for example -Site Portland,Redmond.")
        a, b = (self.get_site(s) for s in sites)
        link = self.site_link(a.name, b.name)
        if link is None:
            raise E.InvalidOperationException(f"There is no site link between '{a.name}' and '{b.name}'.")
        if link.connected == connected:
            return
        link.connected = connected
        self.log_event("Lab", f"The WAN link between {a.name} and {b.name} is "
                              f"{'connected' if connected else 'cut'}.", kind="Information" if connected else "Warning",
                       event="LinkUp" if connected else "LinkDown")
        self.react(f"link {a.name}-{b.name}")

    def set_network(self, server: Any, network: str, connected: bool) -> None:
        """Disconnect-/Connect-SimNetwork: one NIC of a machine (MAPI, or its replication NICs)."""
        net = next((n for n in NETWORKS if n.lower() == str(network).lower()), None)
        if net is None:
            raise E.ArgumentException(f"'{network}' isn't a network. Use MAPI or Replication.")
        if net == "Replication" and (len(server.ip_addresses) < 2 or not server.is_exchange):
            raise E.InvalidOperationException(f"The machine '{server.name}' has no replication network.")
        attr = "mapi_network" if net == "MAPI" else "replication_network"
        if getattr(server, attr) == connected:
            return
        setattr(server, attr, connected)
        self.log_event("Lab", f"{server.name}'s {net} network is {'connected' if connected else 'disconnected'}.",
                       server.name, kind="Information" if connected else "Warning",
                       event="NetworkUp" if connected else "NetworkDown")
        self.react(f"{server.name} {net} network")

    def block_replication(self, db: Any, copy: Any, blocked: bool) -> None:
        """Block-/Unblock-SimReplication: the copy silently stops (or resumes) receiving logs;
        its status stays Healthy and its copy queue grows."""
        if copy.server.lower() == db.active_server.lower():
            raise E.InvalidOperationException(
                f"Database copy '{db.name}\\{copy.server}' is the active copy; only a passive copy receives logs.",
                target=f"{db.name}\\{copy.server}")
        copy.blocked = blocked
        self.log_event("Lab", f"Log shipping to '{db.name}\\{copy.server}' is "
                              f"{'blocked' if blocked else 'unblocked'}.", copy.server, db.name,
                       event="ReplicationBlocked" if blocked else "ReplicationUnblocked")
        self.sync_database(db)

    def set_content_index_state(self, db: Any, copy: Any, state: str) -> None:
        """Set-SimContentIndex: the copy's content index catalog state (B-4 tiers, B-6)."""
        canonical = {"healthy": "Healthy", "crawling": "Crawling", "failed": "Failed"}.get(str(state).lower())
        if canonical is None:
            raise E.ArgumentException(f"'{state}' isn't a content index state. Use Healthy, Crawling or Failed.")
        copy.content_index_state = canonical
        self.log_event("Lab", f"The content index of '{db.name}\\{copy.server}' is {canonical}.", copy.server,
                       db.name, event="ContentIndex")


def _inner(exc: Exception) -> str:
    from ems.exchange.activation import _inner_message
    return _inner_message(exc)
