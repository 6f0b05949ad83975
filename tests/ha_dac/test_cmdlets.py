"""Stop-/Start-/Restore-DatabaseAvailabilityGroup as cmdlets: parameter sets, confirmation,
-WhatIf, refusals that leave the organisation as it was."""
from __future__ import annotations

import json

from .conftest import PORTLAND_DARK, dag, lab, names, ok


def state(org) -> str:
    data = org.to_dict()
    data["events"] = []
    return json.dumps(data, sort_keys=True)


def refused(sh, command: str):
    before = state(sh.org)
    r = sh.run(command)
    assert r.errors, f"{command!r} should have failed:\n{r.text}"
    assert state(sh.org) == before, f"{command!r} changed the organisation"
    return r.errors[0]


def switched_lab_before_restore():
    sh = lab()
    ok(sh, PORTLAND_DARK + "Connect-ExchangeServer EX3\n"
           "Stop-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Portland -ConfigurationOnly -Confirm:$false")
    return sh


def test_stop_and_restore_need_dac_mode():
    sh = lab()
    ok(sh, "Set-DatabaseAvailabilityGroup DAG1 -DatacenterActivationMode Off")
    for command in ("Stop-DatabaseAvailabilityGroup DAG1 -MailboxServer EX1 -Confirm:$false",
                    "Restore-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Redmond -Confirm:$false",
                    "Start-DatabaseAvailabilityGroup DAG1 -MailboxServer EX1 -Confirm:$false"):
        err = refused(sh, command)
        assert "DatacenterActivationMode property of database availability group 'DAG1' is set to DagOnly" \
            in err.message
        assert err.category == "InvalidOperation"


def test_parameter_sets_site_or_server():
    sh = lab()
    r = sh.run("Stop-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Portland -MailboxServer EX1 -Confirm:$false")
    assert r.errors and r.errors[0].exception_type == "ParameterBindingException"
    r = sh.run("Stop-DatabaseAvailabilityGroup DAG1 -Confirm:$false")
    assert r.errors


def test_piped_servers_bind_mailboxserver_and_start_them_again():
    """-MailboxServer takes piped servers (the reference: pipeline input); -ActiveDirectorySite
    takes none of them, so a piped server selects the MailboxSet parameter set."""
    sh = lab()
    ok(sh, PORTLAND_DARK + "Connect-ExchangeServer EX3 | Out-Null")
    ok(sh, "Get-ExchangeServer | Where-Object Name -in EX1,EX2 | Stop-DatabaseAvailabilityGroup -Identity DAG1 -ConfigurationOnly "
           "-Confirm:$false")
    assert names(dag(sh, status=False).StoppedMailboxServers) == ["EX1", "EX2"]
    ok(sh, "Get-MailboxServer EX1 | Start-DatabaseAvailabilityGroup -Identity DAG1 -ConfigurationOnly -Confirm:$false")
    assert names(dag(sh, status=False).StoppedMailboxServers) == ["EX2"]


def test_stop_refusals():
    sh = lab()
    err = refused(sh, "Stop-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Olympia -Confirm:$false")
    assert err.message == ("Database availability group 'DAG1' has no member servers in Active Directory site "
                           "'Olympia'.")
    err = refused(sh, "Stop-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Atlantis -Confirm:$false")
    assert err.exception_type == "ManagementObjectNotFoundException"
    err = refused(sh, "Stop-DatabaseAvailabilityGroup DAG9 -MailboxServer EX1 -Confirm:$false")
    assert "DAG9" in err.message


def test_stop_and_restore_ask_for_confirmation():
    sh = lab()
    err = refused(sh, "Stop-DatabaseAvailabilityGroup DAG1 -MailboxServer EX1")
    assert "NonInteractive" in err.message  # ConfirmImpact High: a console would ask first
    err = refused(sh, "Restore-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Redmond")
    assert "NonInteractive" in err.message


def test_whatif_says_what_and_changes_nothing():
    sh = lab()
    before = state(sh.org)
    r = sh.run("Stop-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Portland -WhatIf")
    assert r.text.strip() == 'What if: Stopping Active Directory site "Portland" in database availability group "DAG1".'
    r = sh.run("Start-DatabaseAvailabilityGroup -Identity DAG1 -MailboxServer EX2 -WhatIf")
    assert r.text.strip() == 'What if: Starting Mailbox server "EX2" in database availability group "DAG1".'
    r = sh.run(r"Restore-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Redmond -WhatIf")
    assert r.text.strip() == 'What if: Restoring database availability group "DAG1" for Active Directory site "Redmond".'
    assert state(sh.org) == before


def test_restore_needs_a_stop_first():
    sh = lab()
    ok(sh, PORTLAND_DARK + "Connect-ExchangeServer EX3; Stop-Service ClusSvc")
    err = refused(sh, "Restore-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Redmond -Confirm:$false")
    assert "no server of database availability group 'DAG1' is on the StoppedMailboxServers list" in err.message


def test_restore_needs_the_cluster_service_stopped_on_the_survivors():
    sh = switched_lab_before_restore()
    err = refused(sh, "Restore-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Redmond -Confirm:$false")
    assert err.message.startswith("The Cluster service (ClusSvc) is running on server 'EX3'.")


def test_restore_fails_when_the_survivors_cant_reach_quorum():
    sh = switched_lab_before_restore()
    ok(sh, "Stop-SimServer FS2; Stop-SimServer EX4 -Crash; Stop-Service ClusSvc")
    err = refused(sh, "Restore-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Redmond -Confirm:$false")
    assert err.message == ("Quorum of database availability group 'DAG1' can't be restored in Active Directory site "
                           "'Redmond': after the stopped servers are evicted, the members the task can reach (EX3) "
                           "would have 1 of 3 votes, and quorum needs 2.")


def test_restore_checks_the_alternate_witness():
    sh = switched_lab_before_restore()
    ok(sh, "Get-Service ClusSvc -ComputerName EX3, EX4 | Stop-Service")
    err = refused(sh, r"Restore-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Redmond "
                      r"-AlternateWitnessServer EX4 -AlternateWitnessDirectory C:\DAG1 -Confirm:$false")
    assert "is a member of database availability group 'DAG1'" in err.message
    ok(sh, r"Restore-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Redmond -AlternateWitnessServer FS3 "
           r"-AlternateWitnessDirectory C:\DAG1Alt -Confirm:$false")
    d = dag(sh)
    assert str(d.AlternateWitnessServer) == "FS3.contoso.com" and d.WitnessShareInUse == "Alternate"
    assert sh.org.quorum(sh.org.dags["dag1"]).witness == "FS3"


def test_stop_of_an_unreachable_server_needs_configuration_only():
    sh = lab()
    ok(sh, "Stop-SimServer EX2 -Crash")
    err = refused(sh, "Stop-DatabaseAvailabilityGroup DAG1 -MailboxServer EX2 -Confirm:$false")
    assert err.message == ("A server-side database availability group administrative operation failed. Error: The "
                           "operation failed. Error: Unable to contact server 'EX2.contoso.com'. Use the "
                           "ConfigurationOnly parameter to stop a server that can't be contacted. "
                           "[Server: EX1.contoso.com]")
    ok(sh, "Stop-DatabaseAvailabilityGroup DAG1 -MailboxServer EX2 -ConfigurationOnly -Confirm:$false")
    assert "EX2" in names(dag(sh, False).StoppedMailboxServers)


def test_start_with_configuration_only_changes_the_lists_only():
    sh = lab()
    ok(sh, "Stop-DatabaseAvailabilityGroup DAG1 -MailboxServer EX2 -Confirm:$false")
    ok(sh, "Start-DatabaseAvailabilityGroup DAG1 -MailboxServer EX2 -ConfigurationOnly -Confirm:$false")
    assert names(dag(sh, False).StoppedMailboxServers) == []
    assert sh.org.servers["ex2"].cluster_start_type == "Disabled"  # nothing was done on the server


def test_restore_without_a_site_restores_every_started_member():
    sh = switched_lab_before_restore()
    ok(sh, "Get-Service ClusSvc -ComputerName EX3, EX4 | Stop-Service")
    ok(sh, "Restore-DatabaseAvailabilityGroup DAG1 -Confirm:$false")
    assert names(dag(sh).OperationalServers) == ["EX3", "EX4"]


def test_help_and_syntax_come_from_the_declaration():
    sh = lab()
    text = ok(sh, "Get-Command Stop-DatabaseAvailabilityGroup -Syntax").text
    assert "-ActiveDirectorySite" in text and "-MailboxServer" in text and "-ConfigurationOnly" in text
    text = ok(sh, "Get-Help Restore-DatabaseAvailabilityGroup -Examples").text
    assert "AlternateWitnessServer CAS4" in text
