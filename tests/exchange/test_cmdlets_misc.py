"""Mailboxes, statistics, transport, client access, Sim cmdlets and the built-in labs."""
from .conftest import state, unchanged


def test_new_mailbox_and_get(lab):
    r = lab.run('New-Mailbox -Name user1 -UserPrincipalName user1@benet.com -Password "x" '
                '-Database "Mailbox Database*"')
    assert r.errors  # a wildcard matching two databases is ambiguous
    db = lab.run("(Get-MailboxDatabase -Server MAILSERVER02).Name").output[0]
    r = lab.run(f'New-Mailbox -Name "Chris Ashton" -UserPrincipalName chris@benet.com -Password "x" -Database "{db}"')
    assert not r.errors, r.error_text
    m = r.output[0]
    assert (m.Alias, m.PrimarySmtpAddress, m.ServerName, str(m.Identity)) == (
        "chris", "chris@benet.com", "mailserver02", "benet.com/Users/Chris Ashton")
    assert [x.Name for x in lab.run("Get-Mailbox").output] == ["Administrator", "Chris Ashton"]
    assert lab.run("Get-Mailbox chris@benet.com").output[0].Name == "Chris Ashton"
    assert [x.Name for x in lab.run("Get-Mailbox -Anr Chr").output] == ["Chris Ashton"]
    assert [x.Name for x in lab.run("Get-Mailbox -Server MAILSERVER02").output] == ["Chris Ashton"]
    assert [x.Name for x in lab.run(f'Get-Mailbox -Database "{db}"').output] == ["Chris Ashton"]
    assert [x.Name for x in lab.run("Get-Mailbox -Filter \"Alias -like 'ch*'\"").output] == ["Chris Ashton"]
    err = unchanged(lab, 'New-Mailbox -Name "Chris Ashton" -UserPrincipalName c2@benet.com -Password "x"')
    assert err.exception_type == "RecipientTaskException"


def test_new_mailbox_requires_password_and_upn(lab):
    r = lab.run("New-Mailbox -Name user9")
    assert r.errors
    assert "user9" not in lab.org.mailboxes


def test_set_and_remove_mailbox(lab):
    lab.run("New-SimMailbox -Name user1 -Server MAILSERVER01")
    r = lab.run("Set-Mailbox user1 -UseDatabaseQuotaDefaults $false -IssueWarningQuota 200MB "
                "-ProhibitSendQuota 250MB -ProhibitSendReceiveQuota 280MB")
    assert not r.errors
    m = lab.run("Get-Mailbox user1").output[0]
    assert str(m.ProhibitSendQuota) == "250 MB (262,144,000 bytes)" and m.UseDatabaseQuotaDefaults is False
    err = unchanged(lab, "Set-Mailbox user1 -IssueWarningQuota 300MB")
    assert err.exception_type == "DataValidationException"
    assert not lab.run("Get-Mailbox user1 | Set-Mailbox -DisplayName 'User One'").errors
    assert lab.run("Get-Mailbox user1").output[0].DisplayName == "User One"
    assert not lab.run("Remove-Mailbox user1 -Confirm:$false").errors
    assert lab.run("Get-Mailbox user1").errors


def test_mailbox_statistics(lab):
    lab.run("New-SimMailbox -Name user1 -Server MAILSERVER01 -ItemCount 12")
    s = lab.run("Get-MailboxStatistics user1").output[0]
    assert (s.DisplayName, s.ItemCount, s.StorageLimitStatus) == ("user1", 12, "BelowLimit")
    assert [x.DisplayName for x in lab.run("Get-MailboxStatistics -Server MAILSERVER01").output] == [
        "Administrator", "user1"]
    db = lab.org.mailboxes["user1"].database
    lab.run(f'Dismount-Database "{db}" -Confirm:$false')
    r = lab.run("Get-MailboxStatistics user1")
    assert r.errors and r.errors[0].exception_type == "MapiExceptionMdbOffline"


def test_send_sim_mail_adds_items_and_logs(lab):
    lab.run("New-SimMailbox -Name user1 -Server MAILSERVER01")
    db = lab.org.mailboxes["user1"].database
    before = lab.org.databases[db.lower()].last_generated
    assert not lab.run(f'Send-SimMail -Database "{db}" -Count 4').errors
    assert lab.org.databases[db.lower()].last_generated == before + 4
    assert lab.run("Get-MailboxStatistics user1").output[0].ItemCount >= 2


def test_transport_config(lab):
    tc = lab.run("Get-TransportConfig").output[0]
    assert str(tc.MaxDumpsterSizePerDatabase) == "18 MB (18,874,368 bytes)"
    assert "MaxDumpsterTime            : 7.00:00:00" in lab.run("Get-TransportConfig | Format-List MaxDumpster*").text
    assert not lab.run("Set-TransportConfig -MaxDumpsterSizePerDatabase 30720 -MaxDumpsterTime 14.00:00:00").errors
    tc = lab.run("Get-TransportConfig").output[0]
    assert str(tc.MaxDumpsterSizePerDatabase) == "30 MB (31,457,280 bytes)"
    err = unchanged(lab, "Set-TransportConfig -ShadowHeartbeatRetryCount 99")
    assert err.exception_type == "DataValidationException"


def test_client_access(lab):
    r = lab.run("Get-ClientAccessServer")
    assert [s.Name for s in r.output] == ["MAILSERVER01", "MAILSERVER02"]
    lab.run('Set-ClientAccessServer MAILSERVER01 -AutoDiscoverServiceInternalUri "https://mail.benet.com/autodiscover/autodiscover.xml"')
    assert lab.run("Get-ClientAccessServer MAILSERVER01").output[0].AutoDiscoverServiceInternalUri == (
        "https://mail.benet.com/autodiscover/autodiscover.xml")
    r = lab.run('New-ClientAccessArray -Fqdn outlook.benet.com -Site "Default-First-Site-Name"')
    arr = r.output[0]
    assert (arr.Name, arr.Fqdn, [str(m) for m in arr.Members]) == (
        "outlook", "outlook.benet.com", ["MAILSERVER01", "MAILSERVER02"])
    err = unchanged(lab, 'New-ClientAccessArray -Fqdn cas2.benet.com -Site "Default-First-Site-Name"')
    assert "only one Client Access array" in err.message
    r = lab.run("New-MailboxDatabase -Name DB1 -Server MAILSERVER01")
    assert r.output[0].RpcClientAccessServer == "outlook.benet.com"
    assert not lab.run("Set-ClientAccessArray outlook -Name casarray").errors
    assert [a.Name for a in lab.run("Get-ClientAccessArray").output] == ["casarray"]
    assert not lab.run("Remove-ClientAccessArray casarray -Confirm:$false").errors
    assert lab.run("Get-ClientAccessArray").output == []


def test_sim_cmdlets_validate(lab):
    assert lab.run("New-SimServer -Name MAILSERVER01 -Site Default-First-Site-Name -IPAddress 192.168.10.99").errors
    assert lab.run("New-SimSite -Name Default-First-Site-Name").errors
    assert lab.run("Remove-SimDatabaseFiles -Identity nope -Server MAILSERVER01").errors
    assert lab.run("New-SimServer -Name X1 -Site Default-First-Site-Name -IPAddress 192.168.10.99 -Role Wizard").errors


# --- built-in labs ------------------------------------------------------------------------------

def test_benet_lab_contract(lab):
    org = lab.org
    assert org.domain == "benet.com" and list(org.sites) == ["default-first-site-name"]
    dc = org.servers["dc"]
    assert [str(ip) for ip in dc.ip_addresses] == ["192.168.10.10"] and dc.is_domain_controller
    assert not org.is_local_administrator(dc, "Exchange Trusted Subsystem")
    for name, ips in (("MAILSERVER01", ["192.168.10.20", "10.0.0.20"]), ("MAILSERVER02", ["192.168.10.30", "10.0.0.30"])):
        s = org.servers[name.lower()]
        assert [str(ip) for ip in s.ip_addresses] == ips
        assert (s.version, s.edition, s.roles) == ("14.3", "Enterprise", ["Mailbox", "ClientAccess", "HubTransport"])
    assert org.mailboxes["administrator"].database == next(
        d.name for d in org.databases.values() if d.server == "MAILSERVER01")


def test_two_datacenter_contract(dc_lab):
    org = dc_lab.org
    assert org.domain == "contoso.com"
    assert sorted(s.name for s in org.sites.values()) == ["Olympia", "Portland", "Redmond"]
    dag = org.dags["dag1"]
    assert dag.servers == ["EX1", "EX2", "EX3", "EX4"] and dag.datacenter_activation_mode == "DagOnly"
    assert (dag.witness_server, dag.witness_directory) == ("FS1.contoso.com", r"C:\DAG1")
    assert (dag.alternate_witness_server, dag.alternate_witness_directory) == ("FS2.contoso.com", r"C:\DAG1")
    assert [str(a) for a in dag.ip_addresses] == ["192.168.1.50", "192.168.2.50"]
    prefs = {d.name: {c.server: c.activation_preference for c in d.copies} for d in org.databases.values()}
    assert prefs["DB1"] == prefs["DB3"] == {"EX1": 1, "EX2": 2, "EX3": 3, "EX4": 4}
    assert prefs["DB2"] == prefs["DB4"] == {"EX2": 1, "EX1": 2, "EX4": 3, "EX3": 4}
    assert {d.name: d.active_server for d in org.databases.values()} == {
        "DB1": "EX1", "DB2": "EX2", "DB3": "EX1", "DB4": "EX2"}
    statuses = {e.Status for e in dc_lab.run("Get-MailboxDatabaseCopyStatus *").output}
    assert statuses == {"Mounted", "Healthy"}
    assert sorted(m.name for m in org.mailboxes.values()) == [f"user{i}" for i in range(1, 9)]
    assert all(org.is_local_administrator(org.servers[f], "Exchange Trusted Subsystem") for f in ("fs1", "fs2", "fs3"))


def test_empty_contract():
    from ems import Shell
    org = Shell(scenario="empty").org
    assert org.domain == "contoso.com" and [s.name for s in org.servers.values()] == ["DC1"]


def test_scenario_list_matches_files():
    import os
    from ems.scenarios import SCENARIOS
    here = os.path.dirname(__import__("ems.scenarios").scenarios.__file__)
    assert sorted(SCENARIOS) == sorted(f[:-4] for f in os.listdir(here) if f.endswith(".ps1"))


def test_saved_state_through_the_shell(tmp_path, dc_lab):
    from ems import Shell
    path = tmp_path / "lab.json"
    dc_lab.run("Dismount-Database DB3 -Confirm:$false")
    dc_lab.save_state(str(path))
    again = Shell(state=str(path))
    assert again.run("Get-MailboxDatabase DB3 -Status").output[0].Mounted is False
    assert state(again.org) == state(dc_lab.org)


def test_mailbox_kinds(lab):
    r = lab.run('New-Mailbox -Name "Room 1010" -Room -Database "$((Get-MailboxDatabase -Server MAILSERVER01).Name)"')
    assert not r.errors, r.error_text
    assert r.output[0].RecipientTypeDetails == "RoomMailbox" and r.output[0].Alias == "Room1010"
    lab.run('New-Mailbox -Name Sales -Shared -Archive')
    assert lab.run("Get-Mailbox Sales").output[0].RecipientTypeDetails == "SharedMailbox"
    assert [m.Name for m in lab.run("Get-Mailbox -Archive").output] == ["Sales"]
    lab.run('New-Mailbox -Name "SystemMailbox1" -Arbitration')
    assert "SystemMailbox1" not in [m.Name for m in lab.run("Get-Mailbox").output]
    assert [m.Name for m in lab.run("Get-Mailbox -Arbitration").output] == ["SystemMailbox1"]
    assert [m.Name for m in lab.run("Get-Mailbox -RecipientTypeDetails RoomMailbox").output] == ["Room 1010"]


def test_recovery_database_and_public_folder_server_set(lab):
    r = lab.run("New-MailboxDatabase -Recovery -Name RDB1 -Server MAILSERVER02")
    assert not r.errors and r.output[0].Recovery is True
    assert lab.run("Get-PublicFolderDatabase -Server MAILSERVER02").output == []
    assert len(lab.run("Get-PublicFolderDatabase -Server MAILSERVER01").output) == 1


def test_ad_group_member_recursive(lab):
    r = lab.run("Get-ADGroupMember -Identity Administrators -Recursive")
    assert [p.name for p in r.output] == ["Administrator"]
    r = lab.run("Get-ADGroupMember -Identity Nope")
    assert r.errors and "Cannot find an object with identity: 'Nope'" in r.errors[0].message
