"""DAC mode rules (§2): DACP reset at boot (D-2), automount consensus (D-3), the single-member
witness boot-time rule (D-4), the MD-3 refusal, Stopped servers (D-6)."""
from __future__ import annotations

from .conftest import PORTLAND_DARK, SWITCHOVER_DAC, events, lab, mounted, names, ok, one

MD3 = ("Couldn't mount the database that you specified. Specified database: DB1; Error code: An Active Manager "
       "operation failed. Error An Active Manager operation encountered an error. To perform this operation, the "
       "server must be a member of a database availability group, and the database availability group must have "
       "quorum. Error: Automount consensus not reached.. [Server: {server}.contoso.com].")


def dacp(sh, name: str) -> int:
    return sh.org.servers[name.lower()].dacp


def test_dacp_is_reset_at_boot_and_set_by_a_dacp_1_member():
    sh = lab()
    ok(sh, "Start-Sleep -Seconds 60; Stop-SimServer EX3 -Crash")
    before = sh.org.servers["ex3"].dacp_set_time
    ok(sh, "Start-Sleep -Seconds 60; Start-SimServer EX3")
    # it booted with 0 and reached consensus at once through EX4 (DACP 1)
    assert dacp(sh, "EX3") == 1 and sh.org.servers["ex3"].dacp_set_time > before
    assert any("EX3" in e for e in events(sh, "DacpSet"))


def test_restarting_the_replication_service_restarts_active_manager_with_dacp_0():
    sh = lab()
    order = sh.org.servers["ex3"].dacp_order
    ok(sh, "Get-Service MSExchangeRepl -ComputerName EX3 | Stop-Service")
    assert dacp(sh, "EX3") == 1  # Active Manager isn't running: the bit is what it was
    ok(sh, "Get-Service MSExchangeRepl -ComputerName EX3 | Start-Service")
    # it started with 0 and set 1 again through a DACP-1 member
    assert dacp(sh, "EX3") == 1 and sh.org.servers["ex3"].dacp_order > order
    assert [e for e in events(sh, "DacpSet") if "EX3" in e]
    # with the WAN cut and EX4 down, EX3 has no quorum: a restart leaves DACP 0
    ok(sh, "Stop-SimServer EX4 -Crash; Disconnect-SimSiteLink -Site Portland,Redmond")
    ok(sh, "Get-Service MSExchangeRepl -ComputerName EX3 | Restart-Service")
    assert dacp(sh, "EX3") == 0


def test_whole_dag_power_loss_every_member_talks_to_every_started_server():
    sh = lab()
    ok(sh, "Stop-SimSite Portland; Stop-SimSite Redmond; Start-Sleep -Seconds 60")
    assert mounted(sh) == {}
    ok(sh, "Start-SimSite Redmond")
    assert {dacp(sh, n) for n in ("EX3", "EX4")} == {0}  # Portland's members are on the Started list
    ok(sh, "Start-SimSite Portland")
    assert {dacp(sh, n) for n in ("EX1", "EX2", "EX3", "EX4")} == {1}
    assert sorted(mounted(sh)) == ["DB1", "DB2", "DB3", "DB4"]


def test_dead_member_on_the_started_list_blocks_consensus_tm_dac5():
    """TM-DAC5: EX4 dead but still a member; the others reboot into a quorate cluster, nobody has
    DACP 1 and EX4 can't be reached: nothing mounts, Mount-Database is refused (MD-3); marking
    EX4 stopped (-ConfigurationOnly) lets the rest reach consensus."""
    sh = lab()
    ok(sh, "Stop-SimServer EX4 -Crash; Stop-SimServer EX1 -Crash; Stop-SimServer EX2 -Crash; "
           "Stop-SimServer EX3 -Crash; Start-Sleep -Seconds 60")
    ok(sh, "Start-SimServer EX1; Start-SimServer EX2; Start-SimServer EX3")
    assert names(one(sh, "Get-DatabaseAvailabilityGroup DAG1 -Status").OperationalServers) == ["EX1", "EX2", "EX3"]
    assert {dacp(sh, n) for n in ("EX1", "EX2", "EX3")} == {0}
    assert mounted(sh) == {}
    active = str(one(sh, "Get-MailboxDatabase DB1").Server)
    r = sh.run("Mount-Database DB1")
    assert len(r.errors) == 1 and r.errors[0].message == MD3.format(server=active)
    assert r.errors[0].category == "InvalidOperation"
    r = sh.run("Mount-Database DB1 -Force")
    assert r.errors and r.errors[0].message == MD3.format(server=active)
    ok(sh, "Stop-DatabaseAvailabilityGroup DAG1 -MailboxServer EX4 -ConfigurationOnly -Confirm:$false")
    assert {dacp(sh, n) for n in ("EX1", "EX2", "EX3")} == {1}
    assert sorted(mounted(sh)) == ["DB1", "DB2", "DB3", "DB4"]


def test_a_stopped_server_may_not_mount_and_stop_without_configuration_only_disables_clussvc():
    sh = lab()
    ok(sh, "Stop-DatabaseAvailabilityGroup DAG1 -MailboxServer EX1 -Confirm:$false")
    svc = one(sh, "Get-Service ClusSvc -ComputerName EX1")
    assert (svc.Status.name, svc.StartType.name) == ("Stopped", "Disabled")
    # EX1's databases failed over (EX2 + EX3 + EX4 + FS1 keep quorum); EX1 may not take them back
    assert "EX1" not in {s for servers in mounted(sh).values() for s in servers}
    r = sh.run("Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX1 -Confirm:$false")
    assert r.errors
    r = sh.run("Get-Service ClusSvc -ComputerName EX1 | Start-Service")
    assert r.errors[0].message == ("Service 'Cluster Service (ClusSvc)' cannot be started due to the following error: "
                                   "Cannot start service ClusSvc on computer 'EX1'.")
    assert r.errors[0].fully_qualified_error_id == "CouldNotStartService,Microsoft.PowerShell.Commands.StartServiceCommand"
    assert (r.errors[0].category, r.errors[0].exception_type) == ("OpenError", "ServiceCommandException")
    assert "OpenError: (System.ServiceProcess.ServiceController:ServiceController) [Start-Service]," in r.error_text
    ok(sh, "Start-DatabaseAvailabilityGroup DAG1 -MailboxServer EX1 -Confirm:$false")
    svc = one(sh, "Get-Service ClusSvc -ComputerName EX1")
    assert (svc.Status.name, svc.StartType.name) == ("Running", "Automatic")
    ok(sh, "Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX1 -Confirm:$false")
    assert mounted(sh)["DB1"] == ["EX1"]


SINGLE_SURVIVOR = PORTLAND_DARK + r"""
Connect-ExchangeServer -ServerFqdn EX3
Stop-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Portland -ConfigurationOnly -Confirm:$false
Stop-SimServer EX4 -Crash
Stop-DatabaseAvailabilityGroup -Identity DAG1 -MailboxServer EX4 -ConfigurationOnly -Confirm:$false
Stop-Service ClusSvc
Restore-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Redmond -Confirm:$false
"""


def test_single_survivor_uses_node_majority_and_the_witness_boot_time_rule():
    sh = lab()
    ok(sh, SINGLE_SURVIVOR)
    d = one(sh, "Get-DatabaseAvailabilityGroup DAG1 -Status")
    assert names(d.OperationalServers) == ["EX3"] and d.WitnessShareInUse == "None"  # 2010: node majority
    assert all(servers == ["EX3"] for servers in mounted(sh).values()) and len(mounted(sh)) == 4
    # EX3 alone reboots; the witness (FS2) didn't: DACP was set after FS2 booted -> it mounts again
    ok(sh, "Start-Sleep -Seconds 60; Stop-SimServer EX3; Start-Sleep -Seconds 60; Start-SimServer EX3")
    assert dacp(sh, "EX3") == 1 and len(mounted(sh)) == 4
    # the whole of Redmond reboots, EX3 and the witness together: EX3 may not mount (D-4)
    ok(sh, "Start-Sleep -Seconds 60; Stop-SimSite Redmond; Start-Sleep -Seconds 60; Start-SimSite Redmond")
    assert dacp(sh, "EX3") == 0 and mounted(sh) == {}
    r = sh.run("Mount-Database DB1")
    assert "Error: Automount consensus not reached.. [Server: EX3.contoso.com]." in r.errors[0].message
    # recovery: Restore-DatabaseAvailabilityGroup resets DACP
    ok(sh, "Stop-Service ClusSvc; Restore-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Redmond -Confirm:$false")
    assert dacp(sh, "EX3") == 1 and len(mounted(sh)) == 4


def test_primary_datacenter_back_without_wan_after_switchover_mounts_nothing():
    sh = lab()
    ok(sh, PORTLAND_DARK + SWITCHOVER_DAC + "Start-Sleep -Seconds 60; Start-SimSite Portland")
    # the stale cluster of EX1 + EX2 has quorum by its old configuration (D-5) ...
    dag1 = sh.org.dags["dag1"]
    assert sh.org.stale_quorum(dag1, sh.org.servers["ex1"])
    # ... but DACP stays 0: no DACP-1 member and not every started server can be reached
    assert dacp(sh, "EX1") == 0 and dacp(sh, "EX2") == 0
    assert all(len(s) == 1 and s[0] in ("EX3", "EX4") for s in mounted(sh).values())
    assert len(events(sh, "SplitBrainPrevented")) == 4


def test_dac_mode_off_means_no_dacp_veto():
    sh = lab()
    ok(sh, "Set-DatabaseAvailabilityGroup DAG1 -DatacenterActivationMode Off")
    d = one(sh, "Get-DatabaseAvailabilityGroup DAG1")
    assert str(d.DatacenterActivationMode) == "Off"
    assert names(d.StartedMailboxServers) == [] and names(d.StoppedMailboxServers) == []
    ok(sh, "Stop-SimServer EX4 -Crash; Stop-SimServer EX1 -Crash; Stop-SimServer EX2 -Crash; "
           "Stop-SimServer EX3 -Crash; Start-SimServer EX1; Start-SimServer EX2; Start-SimServer EX3")
    assert sorted(mounted(sh)) == ["DB1", "DB2", "DB3", "DB4"]


def test_after_restore_blocked_survivors_need_an_explicit_move():
    """S-5: Active Manager activates the surviving datacenter's copies by itself unless they
    are activation-blocked; then each database needs Move-ActiveMailboxDatabase with an
    explicit target (the lossy form, since Portland can't supply its last logs)."""
    sh = lab()
    ok(sh, "Set-MailboxServer EX3 -DatabaseCopyAutoActivationPolicy Blocked; "
           "Set-MailboxServer EX4 -DatabaseCopyAutoActivationPolicy Blocked")
    ok(sh, PORTLAND_DARK + SWITCHOVER_DAC)
    assert mounted(sh) == {}
    assert "EX3's DatabaseCopyAutoActivationPolicy is Blocked" in "\n".join(events(sh, "FailoverFailed"))
    for db in ("DB1", "DB2", "DB3", "DB4"):
        ok(sh, f"Move-ActiveMailboxDatabase {db} -ActivateOnServer EX3 -MountDialOverride BestEffort -SkipLagChecks "
               "-Confirm:$false")
    assert mounted(sh) == {db: ["EX3"] for db in ("DB1", "DB2", "DB3", "DB4")}
