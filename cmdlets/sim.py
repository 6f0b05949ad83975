"""Simulation cmdlets: the lab's hands (verb-noun with the ``Sim`` prefix, never real cmdlets).

They build labs (sites, machines, mailboxes) and inject what administrators can't type on a
real server (delete database files, deliver mail, power off a server or a site, cut a WAN link
or a NIC, block log shipping). They write nothing to the pipeline, so a scenario script stays
silent; Get-SimEvent reads the timeline of what the cluster and Active Manager did about it.
Each failure cmdlet calls one operation of the organisation, which ends in ``org.react``.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from cmdlets.exchange_common import ExchangeCmdlet, switch
from ems.runtime.cmdlet import IDENTITY, Example, Parameter, register

SIM_MODULE = "EMS.Simulation"
ROLES = ("Mailbox", "ClientAccess", "HubTransport", "UnifiedMessaging", "Edge", "DomainController", "FileServer")


class SimCmdlet(ExchangeCmdlet):
    module = SIM_MODULE


@register
class SetSimOrganization(SimCmdlet):
    name = "Set-SimOrganization"
    synopsis = "Sets the lab's AD domain and Exchange organization name (before machines are added)."
    parameters = (
        Parameter("Domain", str, position=0, help="The AD domain, e.g. benet.com."),
        Parameter("Name", str, help="The Exchange organization name (default First Organization)."),
    )
    examples = (Example("Set-SimOrganization -Domain benet.com", "The lab's domain is benet.com."),)

    def run(self, org: Any) -> None:
        org.set_organization(self.param("Domain"), self.param("Name"))


@register
class NewSimSite(SimCmdlet):
    name = "New-SimSite"
    synopsis = "Creates an AD site with its subnets."
    parameters = (
        Parameter("Name", str, mandatory=True, position=0),
        Parameter("Subnets", str, array=True, help="Subnets as address/bits, e.g. 192.168.1.0/24."),
    )
    examples = (Example("New-SimSite -Name Portland -Subnets 192.168.1.0/24,10.0.1.0/24",
                        "Creates the site Portland with two subnets."),)

    def run(self, org: Any) -> None:
        org.new_site(self.param("Name"), self.param("Subnets") or [])


@register
class NewSimSiteLink(SimCmdlet):
    name = "New-SimSiteLink"
    synopsis = "Joins two AD sites with a WAN link (Disconnect-SimSiteLink cuts it)."
    parameters = (
        Parameter("Site", str, mandatory=True, position=0, array=True, help="The two sites."),
        Parameter("Name", str),
        Parameter("Cost", int),
    )
    examples = (Example("New-SimSiteLink -Site Portland,Redmond", "Links Portland and Redmond."),)

    def run(self, org: Any) -> None:
        org.new_site_link(self.param("Site"), self.param("Name"), self.param("Cost", 100))


@register
class NewSimServer(SimCmdlet):
    name = "New-SimServer"
    synopsis = ("Adds a machine to the lab: an Exchange 2010 server installed with Setup's typical options (a "
                "Mailbox server gets its default database, mounted), a domain controller or a file server.")
    parameters = (
        Parameter("Name", str, mandatory=True, position=0),
        Parameter("Site", str, mandatory=True),
        Parameter("IPAddress", str, mandatory=True, array=True,
                  help="One address per NIC; the first is the MAPI (client) network."),
        Parameter("Role", str, array=True, values=ROLES),
        Parameter("Version", str, help="Exchange version: 14.3 (2010 SP3, default), 14.2, 14.1, 14.0, 15.0."),
        Parameter("Edition", str, values=("Enterprise", "Standard")),
        switch("NoDefaultDatabase", help="Don't create Setup's default mailbox database."),
        switch("PublicFolderDatabase", help="Also create a public folder database (first server of the org)."),
    )
    examples = (Example("New-SimServer -Name EX1 -Site Portland -IPAddress 192.168.1.11,10.0.1.11 "
                        "-Role Mailbox,ClientAccess,HubTransport", "Adds the Exchange server EX1."),
                Example("New-SimServer -Name DC1 -Site Portland -IPAddress 192.168.1.10 -Role DomainController",
                        "Adds a domain controller."))

    def run(self, org: Any) -> None:
        roles = self.param("Role") or ["Mailbox", "ClientAccess", "HubTransport"]
        canonical = {r.lower(): r for r in ROLES}
        org.new_server(self.param("Name"), self.param("Site"), self.param("IPAddress"),
                       [canonical[r.lower()] for r in roles], self.param("Version", "14.3"),
                       self.param("Edition", "Enterprise"), not self.param("NoDefaultDatabase"),
                       bool(self.param("PublicFolderDatabase")))


@register
class AddSimLocalAdministrator(SimCmdlet):
    name = "Add-SimLocalAdministrator"
    synopsis = ("Adds a user or group to a machine's local Administrators group (on a DC: the domain's "
                "Builtin\\Administrators).")
    parameters = (
        Parameter("Server", IDENTITY, mandatory=True, position=0),
        Parameter("Member", str, mandatory=True, position=1, array=True),
    )
    examples = (Example('Add-SimLocalAdministrator -Server FS1 -Member "Exchange Trusted Subsystem"',
                        "Lets Exchange create the witness share on FS1."),)

    def run(self, org: Any) -> None:
        server = self.resolve("machine", "Server")
        for member in self.param("Member"):
            org.add_local_administrator(server, member)


@register
class NewSimMailbox(SimCmdlet):
    name = "New-SimMailbox"
    synopsis = "Creates a user and its mailbox without a password prompt (lab building), with some content."
    parameters = (
        Parameter("Name", str, mandatory=True, position=0),
        Parameter("Database", IDENTITY, type_name="DatabaseIdParameter"),
        Parameter("Server", IDENTITY, type_name="ServerIdParameter",
                  help="Put the mailbox in the first database active on this server."),
        Parameter("ItemCount", int, help="Messages already in the mailbox."),
    )
    examples = (Example("New-SimMailbox -Name user1 -Database DB1 -ItemCount 25",
                        "Creates user1 with 25 items in DB1."),)

    def run(self, org: Any) -> None:
        db = self.resolve("database", "Database") if self.has("Database") else None
        if self.has("Server"):
            server = self.resolve("server", "Server")
            db = min((d for d in org.databases_on(server) if d.active_server.lower() == server.name.lower()),
                     key=lambda d: d.created, default=None)
        name = self.param("Name")
        org.new_mailbox(name, db, user_principal_name=f"{name}@{org.domain}", item_count=self.param("ItemCount", 0),
                        existing_user=True)


@register
class SendSimMail(SimCmdlet):
    name = "Send-SimMail"
    synopsis = ("Delivers messages to a database: each commits one log generation on the active copy and is kept "
                "by the transport dumpster.")
    parameters = (
        Parameter("Database", IDENTITY, mandatory=True, position=0, type_name="DatabaseIdParameter"),
        Parameter("Count", int, position=1),
    )
    examples = (Example("Send-SimMail -Database DB1 -Count 20", "Delivers 20 messages to DB1."),)

    def run(self, org: Any) -> None:
        org.send_mail(self.resolve("database", "Database"), self.param("Count", 1))


@register
class RemoveSimDatabaseFiles(SimCmdlet):
    name = "Remove-SimDatabaseFiles"
    synopsis = "Deletes a database copy's .edb and log files from a server's disk."
    parameters = (
        Parameter("Identity", IDENTITY, mandatory=True, position=0, type_name="DatabaseIdParameter"),
        Parameter("Server", IDENTITY, mandatory=True, position=1, type_name="ServerIdParameter"),
    )
    examples = (Example("Remove-SimDatabaseFiles -Identity mailbox01 -Server MAILSERVER01",
                        "Deletes mailbox01's files on MAILSERVER01 (the database must be dismounted there)."),)

    def run(self, org: Any) -> None:
        org.remove_database_files(self.resolve("database"), self.resolve("server", "Server"))


# --------------------------------------------------------------------------- failures

class _MachineCmdlet(SimCmdlet):
    parameters = (Parameter("Identity", IDENTITY, mandatory=True, position=0, pipeline=True,
                            type_name="ServerIdParameter"),)

    def run(self, org: Any) -> None:
        self.act(org, self.resolve("machine"))

    def act(self, org: Any, server: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


@register
class StopSimServer(_MachineCmdlet):
    name = "Stop-SimServer"
    synopsis = ("Shuts a machine down: cleanly by default (a DAG member first switches its mounted databases over); "
                "-Crash is a power loss.")
    parameters = _MachineCmdlet.parameters + (
        switch("Crash", help="Power loss: no switchovers first; Active Manager fails the databases over."),)
    examples = (Example("Stop-SimServer -Identity EX1 -Crash", "EX1 loses power; its databases fail over."),
                Example("Stop-SimServer EX2", "EX2 shuts down after switching its databases over."))

    def act(self, org: Any, server: Any) -> None:
        org.stop_server(server, crash=bool(self.param("Crash")))


@register
class StartSimServer(_MachineCmdlet):
    name = "Start-SimServer"
    synopsis = "Boots a machine; its Active Manager starts with DACP = 0."
    examples = (Example("Start-SimServer -Identity EX1", "EX1 boots and rejoins its DAG."),)

    def act(self, org: Any, server: Any) -> None:
        org.start_server(server)


class _SiteCmdlet(SimCmdlet):
    parameters = (Parameter("Identity", IDENTITY, mandatory=True, position=0, pipeline=True,
                            type_name="AdSiteIdParameter"),)

    def run(self, org: Any) -> None:
        self.act(org, org.get_site(self.param("Identity")))

    def act(self, org: Any, site: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


@register
class StopSimSite(_SiteCmdlet):
    name = "Stop-SimSite"
    synopsis = "Every machine of an AD site loses power."
    examples = (Example("Stop-SimSite -Identity Portland", "The Portland datacenter goes dark."),)

    def act(self, org: Any, site: Any) -> None:
        org.stop_site(site)


@register
class StartSimSite(_SiteCmdlet):
    name = "Start-SimSite"
    synopsis = "Power returns to an AD site: every machine of the site boots."
    examples = (Example("Start-SimSite -Identity Portland", "Every machine in Portland boots."),)

    def act(self, org: Any, site: Any) -> None:
        org.start_site(site)


class _LinkCmdlet(SimCmdlet):
    connected = True
    parameters = (Parameter("Site", str, mandatory=True, position=0, array=True, help="The two sites."),)

    def run(self, org: Any) -> None:
        org.set_site_link(self.param("Site"), self.connected)


@register
class DisconnectSimSiteLink(_LinkCmdlet):
    name = "Disconnect-SimSiteLink"
    synopsis = "Cuts the WAN link between two AD sites."
    connected = False
    examples = (Example("Disconnect-SimSiteLink -Site Portland,Redmond", "Portland and Redmond can't talk."),)


@register
class ConnectSimSiteLink(_LinkCmdlet):
    name = "Connect-SimSiteLink"
    synopsis = "Restores the WAN link between two AD sites."
    examples = (Example("Connect-SimSiteLink -Site Portland,Redmond", "The WAN is back."),)


class _NetworkCmdlet(SimCmdlet):
    connected = True
    parameters = (
        Parameter("Identity", IDENTITY, mandatory=True, position=0, pipeline=True, type_name="ServerIdParameter"),
        Parameter("Network", str, mandatory=True, position=1, values=("MAPI", "Replication"),
                  help="MAPI: the client network (first NIC); Replication: the replication NICs."),
    )

    def run(self, org: Any) -> None:
        org.set_network(self.resolve("machine"), self.param("Network"), self.connected)


@register
class DisconnectSimNetwork(_NetworkCmdlet):
    name = "Disconnect-SimNetwork"
    synopsis = ("Unplugs a machine's MAPI or replication network (a DAG member that loses its MAPI network "
                "fails its databases over, losslessly).")
    connected = False
    examples = (Example("Disconnect-SimNetwork -Identity EX1 -Network MAPI", "Clients can't reach EX1."),)


@register
class ConnectSimNetwork(_NetworkCmdlet):
    name = "Connect-SimNetwork"
    synopsis = "Plugs a machine's MAPI or replication network back in."
    examples = (Example("Connect-SimNetwork -Identity EX1 -Network MAPI", "EX1's client network is back."),)


class _BlockCmdlet(SimCmdlet):
    blocked = True
    parameters = (Parameter("Identity", IDENTITY, mandatory=True, position=0, pipeline=True,
                            type_name="DatabaseCopyIdParameter"),)

    def run(self, org: Any) -> None:
        from ems.exchange.identity import resolve_copy
        db, copy = resolve_copy(org, self.param("Identity"))
        org.block_replication(db, copy, self.blocked)


@register
class BlockSimReplication(_BlockCmdlet):
    name = "Block-SimReplication"
    synopsis = ("That database copy silently stops receiving logs: its status stays Healthy and its copy queue "
                "grows.")
    examples = (Example(r"Block-SimReplication -Identity DB1\EX2", "DB1's copy on EX2 falls behind."),)


@register
class UnblockSimReplication(_BlockCmdlet):
    name = "Unblock-SimReplication"
    synopsis = "That database copy receives logs again and catches up."
    blocked = False
    examples = (Example(r"Unblock-SimReplication -Identity DB1\EX2", "DB1's copy on EX2 catches up."),)


@register
class SetSimContentIndex(SimCmdlet):
    name = "Set-SimContentIndex"
    synopsis = ("Sets a database copy's content index state (Healthy, Crawling, Failed), which best copy selection "
                "and -SkipClientExperienceChecks look at.")
    parameters = (
        Parameter("Identity", IDENTITY, mandatory=True, position=0, pipeline=True, type_name="DatabaseCopyIdParameter"),
        Parameter("State", str, mandatory=True, position=1, values=("Healthy", "Crawling", "Failed")),
    )
    examples = (Example(r"Set-SimContentIndex -Identity DB1\EX3 -State Crawling", "DB1's index on EX3 is rebuilding."),)

    def run(self, org: Any) -> None:
        from ems.exchange.identity import resolve_copy
        db, copy = resolve_copy(org, self.param("Identity"))
        org.set_content_index_state(db, copy, self.param("State"))


@register
class GetSimEvent(SimCmdlet):
    name = "Get-SimEvent"
    synopsis = ("The timeline of what the lab, the cluster and Active Manager did, and why (quorum, witness lock, "
                "PAM, best copy selection, logs lost, mounts refused, resynchronisation, redelivery).")
    settle = True
    parameters = (
        Parameter("Newest", int, position=0, help="Only the last N events."),
        Parameter("Source", str, help="Lab, Cluster, ActiveManager, Store, Replication, Transport ... (wildcards)."),
        Parameter("Event", str, help="Failover, QuorumLost, BestCopySelection ... (wildcards)."),
        Parameter("Database", str, help="Events about this database (wildcards)."),
        Parameter("Server", str, help="Events about this server (wildcards)."),
        Parameter("After", _dt.datetime, help="Events at or after this time."),
    )
    examples = (Example("Get-SimEvent -Newest 10", "The last ten things that happened."),
                Example("Get-SimEvent -Database DB1 | Format-List", "Everything about DB1, in full."),
                Example("Get-SimEvent -Source ActiveManager", "Active Manager's decisions."))

    def run(self, org: Any) -> None:
        from ems.exchange.events import timeline
        for e in timeline(org, self.param("Newest"), self.param("Source"), self.param("Event"),
                          self.param("Database"), self.param("Server"), self.param("After")):
            self.write(e)
