"""The three built-in labs match DESIGN.md exactly: every name, address, site, subnet, role,
witness, preference and mailbox placement, read back the way an administrator would."""
import ipaddress
import re
import subprocess
import sys

import pytest

from ems import Shell


def out(shell, command):
    r = shell.run(command)
    assert not r.errors, r.error_text
    return r.output


def nics(org, name):
    return [str(ip) for ip in org.servers[name.lower()].ip_addresses]


def site_subnets(org, site):
    return [str(n) for n in org.sites[site.lower()].subnets]


# --- benet-lab -------------------------------------------------------------------------------

def test_benet_topology(lab):
    org = lab.org
    assert org.domain == "benet.com"
    assert [s.name for s in org.sites.values()] == ["Default-First-Site-Name"]
    assert sorted(s.name for s in org.servers.values()) == ["DC", "MAILSERVER01", "MAILSERVER02"]
    assert nics(org, "DC") == ["192.168.10.10"] and nics(org, "MAILSERVER01") == ["192.168.10.20", "10.0.0.20"]
    assert nics(org, "MAILSERVER02") == ["192.168.10.30", "10.0.0.30"]
    dc = org.servers["dc"]
    assert dc.is_domain_controller and not dc.is_exchange and dc.site == "Default-First-Site-Name"
    assert org.domain_controller == "DC.benet.com"
    assert not org.dags  # before the DAG exists


def test_benet_exchange_servers_as_ems_shows_them(lab):
    servers = out(lab, "Get-ExchangeServer")
    assert [(s.Name, s.ServerRole, s.Edition, str(s.AdminDisplayVersion), str(s.Site), s.Fqdn) for s in servers] == [
        (n, "Mailbox, ClientAccess, HubTransport", "Enterprise", "Version 14.3 (Build 123.4)",
         "benet.com/Configuration/Sites/Default-First-Site-Name", f"{n}.benet.com")
        for n in ("MAILSERVER01", "MAILSERVER02")]
    r = lab.run("Get-ExchangeServer DC")
    assert r.errors[0].exception_type == "ManagementObjectNotFoundException"  # the DC is no Exchange server
    assert [s.Name for s in out(lab, "Get-MailboxServer")] == ["MAILSERVER01", "MAILSERVER02"]
    assert all(s.DatabaseAvailabilityGroup is None for s in out(lab, "Get-MailboxServer"))


def test_benet_default_databases_public_folders_and_administrator(lab):
    dbs = out(lab, "Get-MailboxDatabase -Status")
    assert len(dbs) == 2
    for db, server in zip(dbs, ("MAILSERVER01", "MAILSERVER02")):
        assert re.fullmatch(r"Mailbox Database \d{10}", db.Name)
        assert str(db.Server) == server and db.Mounted is True and db.ReplicationType == "None"
        assert db.EdbFilePath == rf"C:\Program Files\Microsoft\Exchange Server\V14\Mailbox\{db.Name}\{db.Name}.edb"
    pfs = out(lab, "Get-PublicFolderDatabase")
    assert len(pfs) == 1 and re.fullmatch(r"Public Folder Database \d{10}", pfs[0].Name)
    assert str(pfs[0].Server) == "MAILSERVER01"
    boxes = out(lab, "Get-Mailbox")
    assert [(m.Name, str(m.Database), m.ServerName) for m in boxes] == [
        ("Administrator", dbs[0].Name, "mailserver01")]
    assert boxes[0].UserPrincipalName == "Administrator@benet.com"


def test_benet_witness_is_not_yet_prepared(lab):
    org = lab.org
    assert not org.is_local_administrator(org.servers["dc"], "Exchange Trusted Subsystem")
    names = [p.name for p in out(lab, "Get-ADGroupMember -Identity Administrators")]
    assert "Exchange Trusted Subsystem" not in names and "Administrator" in names
    # the Exchange servers themselves have it (Setup grants it)
    assert org.is_local_administrator(org.servers["mailserver01"], "Exchange Trusted Subsystem")


def test_benet_networks_are_the_two_subnets(lab):
    assert site_subnets(lab.org, "Default-First-Site-Name") == ["192.168.10.0/24", "10.0.0.0/24"]


# --- two-datacenter --------------------------------------------------------------------------

SITES = {"Portland": ["192.168.1.0/24", "10.0.1.0/24"], "Redmond": ["192.168.2.0/24", "10.0.2.0/24"],
         "Olympia": ["192.168.3.0/24"]}
MACHINES = {"Portland": ["DC1", "EX1", "EX2", "FS1"], "Redmond": ["DC2", "EX3", "EX4", "FS2"], "Olympia": ["FS3"]}


def test_two_datacenter_sites_and_machines(dc_lab):
    org = dc_lab.org
    assert org.domain == "contoso.com"
    assert {s.name: [str(n) for n in s.subnets] for s in org.sites.values()} == SITES
    by_site = {}
    for s in org.servers.values():
        by_site.setdefault(s.site, []).append(s.name)
    assert {k: sorted(v) for k, v in by_site.items()} == MACHINES
    for s in org.servers.values():
        addresses = [ipaddress.ip_address(a) for a in nics(org, s.name)]
        subnets = [ipaddress.ip_network(n) for n in SITES[s.site]]
        assert all(any(a in n for n in subnets) for a in addresses), s.name
        kind = ("DomainController" if s.name.startswith("DC") else "FileServer" if s.name.startswith("FS")
                else "Exchange")
        if kind == "Exchange":
            assert s.roles == ["Mailbox", "ClientAccess", "HubTransport"] and len(addresses) == 2
            assert (s.version, s.edition) == ("14.3", "Enterprise")
        else:
            assert s.roles == [kind] and len(addresses) == 1


def test_two_datacenter_dag(dc_lab):
    dag = out(dc_lab, "Get-DatabaseAvailabilityGroup -Status")
    assert len(dag) == 1
    dag = dag[0]
    assert dag.Name == "DAG1" and sorted(str(s) for s in dag.Servers) == ["EX1", "EX2", "EX3", "EX4"]
    assert (dag.WitnessServer, dag.WitnessDirectory) == ("FS1.contoso.com", r"C:\DAG1")
    assert (dag.AlternateWitnessServer, dag.AlternateWitnessDirectory) == ("FS2.contoso.com", r"C:\DAG1")
    assert dag.DatacenterActivationMode == "DagOnly" and dag.WitnessShareInUse == "Primary"
    assert [str(a) for a in dag.DatabaseAvailabilityGroupIpAddresses] == ["192.168.1.50", "192.168.2.50"]
    assert [str(s) for s in dag.OperationalServers] == ["EX1", "EX2", "EX3", "EX4"]
    nets = out(dc_lab, "Get-DatabaseAvailabilityGroupNetwork DAG1")
    assert [[str(s) for s in n.Subnets] for n in nets] == [
        ["{192.168.1.0/24,Up}", "{192.168.2.0/24,Up}"], ["{10.0.1.0/24,Up}", "{10.0.2.0/24,Up}"]]
    assert [n.MapiAccessEnabled for n in nets] == [True, False]


def test_two_datacenter_databases_copies_and_preferences(dc_lab):
    dbs = out(dc_lab, "Get-MailboxDatabase -Status")
    assert [(d.Name, str(d.Server), d.Mounted, [str(p) for p in d.ActivationPreference]) for d in dbs] == [
        ("DB1", "EX1", True, ["[EX1, 1]", "[EX2, 2]", "[EX3, 3]", "[EX4, 4]"]),
        ("DB2", "EX2", True, ["[EX2, 1]", "[EX1, 2]", "[EX4, 3]", "[EX3, 4]"]),
        ("DB3", "EX1", True, ["[EX1, 1]", "[EX2, 2]", "[EX3, 3]", "[EX4, 4]"]),
        ("DB4", "EX2", True, ["[EX2, 1]", "[EX1, 2]", "[EX4, 3]", "[EX3, 4]"])]
    copies = out(dc_lab, "Get-MailboxDatabaseCopyStatus *")
    assert len(copies) == 16
    for c in copies:
        active = c.MailboxServer == {"DB1": "EX1", "DB3": "EX1"}.get(c.DatabaseName, "EX2")
        assert c.Status == ("Mounted" if active else "Healthy"), c.Name
        assert (c.CopyQueueLength, c.ReplayQueueLength, c.ContentIndexState, c.ActivationSuspended) == (
            0, 0, "Healthy", False), c.Name


def test_two_datacenter_mailboxes_two_per_database(dc_lab):
    boxes = out(dc_lab, "Get-Mailbox")
    assert [(m.Name, str(m.Database)) for m in boxes] == [
        ("user1", "DB1"), ("user2", "DB1"), ("user3", "DB2"), ("user4", "DB2"),
        ("user5", "DB3"), ("user6", "DB3"), ("user7", "DB4"), ("user8", "DB4")]


def test_two_datacenter_file_servers_trust_exchange(dc_lab):
    org = dc_lab.org
    for fs in ("FS1", "FS2", "FS3"):
        assert org.is_local_administrator(org.servers[fs.lower()], "Exchange Trusted Subsystem"), fs
    assert not org.is_local_administrator(org.servers["dc1"], "Exchange Trusted Subsystem")


def test_two_datacenter_is_healthy(dc_lab):
    checks = out(dc_lab, "Get-MailboxServer | Test-ReplicationHealth")
    assert {c.Result for c in checks} == {"Passed"}


# --- empty -----------------------------------------------------------------------------------

def test_empty_lab():
    shell = Shell(scenario="empty")
    org = shell.org
    assert org.domain == "contoso.com"
    assert [s.name for s in org.sites.values()] == ["Default-First-Site-Name"]
    assert [(s.name, s.roles, s.site) for s in org.servers.values()] == [
        ("DC1", ["DomainController"], "Default-First-Site-Name")]
    for command in ("Get-ExchangeServer", "Get-MailboxDatabase", "Get-DatabaseAvailabilityGroup", "Get-Mailbox"):
        assert out(shell, command) == [], command


# --- listing ---------------------------------------------------------------------------------

def test_list_scenarios_on_the_command_line():
    r = subprocess.run([sys.executable, "-m", "ems", "--list-scenarios"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == ""
    assert sorted(line.split()[0] for line in r.stdout.splitlines() if line.strip()) == [
        "benet-lab", "empty", "two-datacenter"]


def test_unknown_scenario_is_a_clear_error():
    r = subprocess.run([sys.executable, "-m", "ems", "--scenario", "nope", "-c", "Get-Date"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "nope" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("scenario", ["benet-lab", "two-datacenter", "empty"])
def test_labs_are_deterministic(scenario):
    a, b = Shell(scenario=scenario), Shell(scenario=scenario)
    assert a.org.to_dict() == b.org.to_dict()
