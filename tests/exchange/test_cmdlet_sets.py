"""Parameter sets and switches of the Exchange cmdlets not covered elsewhere, through the shell,
and -WhatIf on every cmdlet that changes the organisation."""
import pytest

from ems import Shell

from .conftest import state

SETUP = ("New-ClientAccessArray -Fqdn outlook.contoso.com -Site Portland | Out-Null\n"
         "Suspend-MailboxDatabaseCopy DB1\\EX4 -Confirm:$false")

WHATIF = {
    "New-DatabaseAvailabilityGroup -Name DAG2 -WitnessServer FS3": 'Creating database availability group "DAG2".',
    "Set-DatabaseAvailabilityGroup DAG1 -ReplicationPort 1000": 'Setting database availability group "DAG1".',
    "Remove-DatabaseAvailabilityGroup DAG1": 'Removing database availability group "DAG1".',
    "Add-DatabaseAvailabilityGroupServer DAG1 EX1":
        'Adding Mailbox server "EX1" to database availability group "DAG1".',
    "Remove-DatabaseAvailabilityGroupServer DAG1 EX4":
        'Removing Mailbox server "EX4" from database availability group "DAG1".',
    "New-DatabaseAvailabilityGroupNetwork -DatabaseAvailabilityGroup DAG1 -Name N3":
        'Creating database availability group network "DAG1\\N3".',
    "Set-DatabaseAvailabilityGroupNetwork DAG1\\DAGNetwork01 -ReplicationEnabled:$false":
        'Setting database availability group network "DAG1\\DAGNetwork01".',
    "Remove-DatabaseAvailabilityGroupNetwork DAG1\\DAGNetwork02":
        'Removing database availability group network "DAG1\\DAGNetwork02".',
    "New-MailboxDatabase -Name DB9 -Server EX1": 'Creating mailbox database "DB9".',
    "Set-MailboxDatabase DB1 -CircularLoggingEnabled $true": 'Setting mailbox database "DB1".',
    "Remove-MailboxDatabase DB1": 'Removing mailbox database "DB1".',
    "Dismount-Database DB1": 'Dismounting database "DB1". This may result in reduced availability for mailboxes in '
                             'the database.',
    "Add-MailboxDatabaseCopy DB1 EX4": 'Adding mailbox database copy "DB1\\EX4".',
    "Remove-MailboxDatabaseCopy DB1\\EX4": 'Removing mailbox database copy "DB1\\EX4".',
    "Set-MailboxDatabaseCopy DB1\\EX4 -ActivationPreference 1": 'Setting mailbox database copy "DB1\\EX4".',
    "Suspend-MailboxDatabaseCopy DB1\\EX3": 'Suspending mailbox database copy "DB1\\EX3".',
    "Resume-MailboxDatabaseCopy DB1\\EX4": 'Resuming mailbox database copy "DB1\\EX4".',
    "Update-MailboxDatabaseCopy DB1\\EX4 -DeleteExistingFiles": 'Seeding mailbox database copy "DB1\\EX4".',
    "Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX2":
        'Moving mailbox database "DB1" from server "EX1.contoso.com" to server "EX2.contoso.com".',
    "Move-ActiveMailboxDatabase -Server EX1": 'Moving all active mailbox databases from server "EX1.contoso.com".',
    "Set-MailboxServer EX1 -MaximumActiveDatabases 3": 'Setting Mailbox server "EX1".',
    "New-Mailbox -Name Kim -UserPrincipalName kim@contoso.com -Password x -Database DB1": 'Creating mailbox "Kim".',
    "Set-Mailbox user1 -DisplayName U": 'Setting mailbox "contoso.com/Users/user1".',
    "Remove-Mailbox user1": 'Removing the Mailbox "contoso.com/Users/user1" will remove the Active Directory user '
                            'object and mark the mailbox in the database for removal.',
    "Set-TransportConfig -MaxDumpsterTime 1.00:00:00": 'Setting transport configuration "Transport Settings".',
    "Set-ClientAccessServer EX1 -IsOutOfService $true": 'Setting Client Access server "EX1".',
    "New-ClientAccessArray -Fqdn cas.contoso.com -Site Redmond": 'Creating Client Access array "cas".',
    "Set-ClientAccessArray outlook -Name x": 'Setting Client Access array "outlook".',
    "Remove-ClientAccessArray outlook": 'Removing Client Access array "outlook".',
    'Add-ADGroupMember Administrators -Members "Exchange Trusted Subsystem"':
        'Performing the operation "Set" on target "Administrators".',
}


@pytest.mark.parametrize("command", sorted(WHATIF))
def test_whatif_says_what_and_changes_nothing(command):
    shell = Shell(scenario="two-datacenter")
    assert not shell.run(SETUP).errors
    before = state(shell.org)
    r = shell.run(command + " -WhatIf")
    assert not r.errors, r.error_text
    assert r.text == f"What if: {WHATIF[command]}\n"
    assert state(shell.org) == before


# --- servers --------------------------------------------------------------------------------

def test_get_exchange_server_domain_set_and_status(dc_lab):
    names = lambda cmd: [s.Name for s in dc_lab.run(cmd).output]  # noqa: E731
    assert names("Get-ExchangeServer -Domain contoso.com") == ["EX1", "EX2", "EX3", "EX4"]
    assert names("Get-ExchangeServer -Domain fabrikam.com") == []
    s = dc_lab.run("Get-ExchangeServer EX1 -Status").output[0]
    assert s.CurrentDomainControllers == ["DC1.contoso.com"] and s.CurrentConfigDomainController == "DC1.contoso.com"
    assert dc_lab.run("Get-ExchangeServer EX1").output[0].CurrentDomainControllers is None
    r = dc_lab.run("Get-ExchangeServer EX1 -Domain contoso.com")
    assert r.errors[0].exception_type == "ParameterBindingException"  # Identity and Domain are different sets


def test_set_mailbox_server_every_setting(dc_lab):
    r = dc_lab.run("Set-MailboxServer EX3 -DatabaseCopyAutoActivationPolicy IntrasiteOnly -AutoDatabaseMountDial "
                   "BestAvailability -MaximumActiveDatabases 40 -IsExcludedFromProvisioning $true -Locale en-US,de-DE")
    assert not r.errors, r.error_text
    s = dc_lab.run("Get-MailboxServer EX3").output[0]
    assert (s.DatabaseCopyAutoActivationPolicy, s.AutoDatabaseMountDial, s.MaximumActiveDatabases,
            s.IsExcludedFromProvisioning, s.Locale) == ("IntrasiteOnly", "BestAvailability", 40, True,
                                                        ["en-US", "de-DE"])


# --- DAGs -------------------------------------------------------------------------------------

def test_set_dag_witness_alternate_and_discover_networks(dc_lab):
    r = dc_lab.run(r"Set-DatabaseAvailabilityGroup DAG1 -WitnessServer FS3 -WitnessDirectory C:\DAG1W "
                   r"-AlternateWitnessServer FS1 -AlternateWitnessDirectory C:\DAG1A -AllowCrossSiteRpcClientAccess "
                   "-DiscoverNetworks")
    assert not r.errors, r.error_text
    d = dc_lab.run("Get-DatabaseAvailabilityGroup DAG1").output[0]
    assert (d.WitnessServer, d.WitnessDirectory, d.AlternateWitnessServer, d.AlternateWitnessDirectory,
            d.AllowCrossSiteRpcClientAccess) == ("FS3.contoso.com", r"C:\DAG1W", "FS1.contoso.com", r"C:\DAG1A", True)
    dc_lab.run("Set-DatabaseAvailabilityGroup DAG1 -DatacenterActivationMode Off")
    d = dc_lab.run("Get-DatabaseAvailabilityGroup DAG1").output[0]
    assert d.DatacenterActivationMode == "Off" and d.StartedMailboxServers == []


def test_new_dag_third_party_replication(lab):
    r = lab.run("New-DatabaseAvailabilityGroup DAG -WitnessServer DC -ThirdPartyReplication Enabled")
    assert not r.errors and r.output[0].ThirdPartyReplication == "Enabled"


def test_get_dag_network_from_a_server(dc_lab):
    r = dc_lab.run(r"Get-DatabaseAvailabilityGroupNetwork -Identity DAG1\DAGNetwork02 -Server EX3 | Format-List")
    assert not r.errors and "Identity           : DAG1\\DAGNetwork02" in r.text
    assert dc_lab.run(r"Get-DatabaseAvailabilityGroupNetwork DAG1 -Server NOPE").errors


def test_set_dag_network_every_setting(dc_lab):
    r = dc_lab.run(r'Set-DatabaseAvailabilityGroupNetwork DAG1\DAGNetwork02 -Name Replication -Description "Repl" '
                   "-IgnoreNetwork:$true -ReplicationEnabled:$false")
    assert not r.errors, r.error_text
    n = dc_lab.run(r"Get-DatabaseAvailabilityGroupNetwork DAG1\Replication").output[0]
    assert (n.Name, n.Description, n.IgnoreNetwork, n.ReplicationEnabled) == ("Replication", "Repl", True, False)


# --- databases ------------------------------------------------------------------------------------

def test_new_mailbox_database_options(lab):
    r = lab.run(r"New-MailboxDatabase DB5 -Server MAILSERVER02 -LogFolderPath D:\Logs\DB5 "
                "-IsExcludedFromProvisioning $true -IsSuspendedFromProvisioning $true "
                '-OfflineAddressBook "Default Offline Address Book" -PublicFolderDatabase "Public Folder Database*"')
    assert not r.errors, r.error_text
    db = r.output[0]
    assert (db.LogFolderPath, db.IsExcludedFromProvisioning, db.IsSuspendedFromProvisioning,
            str(db.OfflineAddressBook)) == (r"D:\Logs\DB5", True, True, "Default Offline Address Book")
    assert str(db.PublicFolderDatabase).startswith("Public Folder Database ")
    assert db.Mounted is None and lab.org.databases["db5"].mounted is False  # new databases start dismounted


def test_get_mailbox_database_switches(dc_lab):
    for switch in ("-DumpsterStatistics", "-IncludePreExchange2010"):
        assert [d.Name for d in dc_lab.run(f"Get-MailboxDatabase {switch}").output] == ["DB1", "DB2", "DB3", "DB4"]


def test_mount_force_and_accept_data_loss(lab):
    db = lab.run("(Get-MailboxDatabase -Server MAILSERVER02).Name").output[0]
    lab.run(f'Dismount-Database "{db}" -Confirm:$false\nRemove-SimDatabaseFiles -Identity "{db}" -Server MAILSERVER02')
    assert lab.run(f'Mount-Database "{db}"').errors
    r = lab.run(f'Mount-Database "{db}" -Force -AcceptDataLoss')
    assert not r.errors, r.error_text
    assert lab.run(f'Get-MailboxDatabase "{db}" -Status').output[0].Mounted is True


def test_get_public_folder_database_status(lab):
    assert lab.run("Get-PublicFolderDatabase -Status").output[0].Mounted is True
    assert lab.run("Get-PublicFolderDatabase").output[0].Mounted is None


# --- copies ------------------------------------------------------------------------------------

def test_copy_status_local_active_and_switches(dc_lab):
    names = lambda cmd: [e.Name for e in dc_lab.run(cmd).output]  # noqa: E731
    # the shell is connected to EX1 (the first DAG member): -Local lists EX1's copies
    assert names("Get-MailboxDatabaseCopyStatus -Local") == ["DB1\\EX1", "DB2\\EX1", "DB3\\EX1", "DB4\\EX1"]
    assert names("Get-MailboxDatabaseCopyStatus -Local -Active") == ["DB1\\EX1", "DB3\\EX1"]
    assert names("Get-MailboxDatabaseCopyStatus -Server EX2 -Active") == ["DB2\\EX2", "DB4\\EX2"]
    assert names("Get-MailboxDatabaseCopyStatus * -Active") == ["DB1\\EX1", "DB2\\EX2", "DB3\\EX1", "DB4\\EX2"]
    for switch in ("-ConnectionStatus", "-ExtendedErrorInfo"):
        assert len(names(f"Get-MailboxDatabaseCopyStatus DB1 {switch}")) == 4
    r = dc_lab.run("Get-MailboxDatabaseCopyStatus DB1 -Server EX1")
    assert r.errors[0].exception_type == "ParameterBindingException"


def test_update_copy_options(dc_lab):
    dc_lab.run(r"Suspend-MailboxDatabaseCopy DB1\EX3 -Confirm:$false")
    r = dc_lab.run(r"Update-MailboxDatabaseCopy DB1\EX3 -SourceServer EX2 -DeleteExistingFiles -ManualResume "
                   "-Network DAG1\\DAGNetwork02 -NetworkCompressionOverride On -NetworkEncryptionOverride Off -Force "
                   "-Confirm:$false")
    assert not r.errors, r.error_text
    assert dc_lab.run(r"Get-MailboxDatabaseCopyStatus DB1\EX3").output[0].Status == "Suspended"  # -ManualResume
    assert not dc_lab.run(r"Update-MailboxDatabaseCopy DB1\EX3 -CatalogOnly -Confirm:$false").errors
    assert dc_lab.run(r"Get-MailboxDatabaseCopyStatus DB1\EX3").output[0].Status == "Healthy"
    dc_lab.run(r"Suspend-MailboxDatabaseCopy DB1\EX3 -Confirm:$false")
    assert not dc_lab.run(r"Update-MailboxDatabaseCopy DB1\EX3 -DatabaseOnly -DeleteExistingFiles -Confirm:$false").errors
    r = dc_lab.run(r"Update-MailboxDatabaseCopy DB1\EX3 -NetworkCompressionOverride Maybe -Confirm:$false")
    assert "UseDagDefault, Off, On" in r.errors[0].message


def test_resume_replication_only_keeps_activation_suspended(dc_lab):
    dc_lab.run(r"Suspend-MailboxDatabaseCopy DB2\EX4 -Confirm:$false")
    assert not dc_lab.run(r"Resume-MailboxDatabaseCopy DB2\EX4 -ReplicationOnly").errors
    e = dc_lab.run(r"Get-MailboxDatabaseCopyStatus DB2\EX4").output[0]
    assert (e.Status, e.ActivationSuspended) == ("Healthy", True)


def test_move_with_every_switch(dc_lab):
    r = dc_lab.run("Move-ActiveMailboxDatabase DB3 -ActivateOnServer EX2 -MountDialOverride BestEffort -SkipLagChecks "
                   '-SkipHealthChecks -SkipClientExperienceChecks -SkipActiveCopyChecks -MoveComment "patching" '
                   "-TerminateOnWarning -Confirm:$false")
    assert not r.errors, r.error_text
    assert (r.output[0].ActiveServerAtEnd, r.output[0].Status) == ("ex2", "Succeeded")


def test_server_switchover_to_a_named_server_and_best_copy(dc_lab):
    r = dc_lab.run("Move-ActiveMailboxDatabase -Server EX2 -ActivateOnServer EX3 -Confirm:$false")
    assert not r.errors and [(str(o.Identity), o.ActiveServerAtEnd) for o in r.output] == [
        ("DB2", "ex3"), ("DB4", "ex3")]
    r = dc_lab.run("Move-ActiveMailboxDatabase DB1 -Confirm:$false")  # no target: Active Manager picks
    assert not r.errors and r.output[0].ActiveServerAtEnd == "ex2"


def test_test_replication_health_of_the_local_server(dc_lab):
    r = dc_lab.run("Test-ReplicationHealth -OutputObjects -MonitoringContext $false -ActiveDirectoryTimeout 15 "
                   "-TransientEventSuppressionWindow 3")
    assert not r.errors and {c.Server for c in r.output} == {"EX1"}


# --- mailboxes ------------------------------------------------------------------------------------

def test_new_mailbox_kinds(dc_lab):
    r = dc_lab.run("New-Mailbox -Name Projector -Equipment -Database DB1\n"
                   "New-Mailbox -Name Discovery -Discovery -Database DB1\n"
                   "New-Mailbox -Name Ext -LinkedMasterAccount FABRIKAM\\ext -LinkedDomainController dc.fabrikam.com "
                   "-Database DB2")
    assert not r.errors, r.error_text
    assert [m.RecipientTypeDetails for m in r.output] == ["EquipmentMailbox", "DiscoveryMailbox", "LinkedMailbox"]


def test_get_mailbox_sets_and_options(dc_lab):
    names = lambda cmd: [m.Name for m in dc_lab.run(cmd).output]  # noqa: E731
    assert names("Get-Mailbox -Anr user1") == ["user1"]
    assert names("Get-Mailbox -Database DB4") == ["user7", "user8"]
    assert names("Get-Mailbox -Server EX2") == ["user3", "user4", "user7", "user8"]
    assert names("Get-Mailbox -OrganizationalUnit contoso.com/Users -ResultSize 2") == ["user1", "user2"]
    assert names("Get-Mailbox -SortBy DisplayName -ResultSize Unlimited")[:2] == ["user1", "user2"]
    assert names("Get-Mailbox -IgnoreDefaultScope user5") == ["user5"]
    r = dc_lab.run("Get-Mailbox -ResultSize 3")
    assert len(r.output) == 3 and r.warnings == [
        "There are more results available than are currently displayed. To view them, increase the value for the "
        "ResultSize parameter."]
    assert not dc_lab.run("Get-Mailbox -ResultSize 8").warnings
    r = dc_lab.run("Get-Mailbox user1 -Database DB1")
    assert r.errors[0].exception_type == "ParameterBindingException"


def test_remove_mailbox_by_store_identity_and_permanent(dc_lab):
    guid = dc_lab.run("(Get-Mailbox user2).ExchangeGuid").output[0]
    assert not dc_lab.run(f"Remove-Mailbox -Database DB1 -StoreMailboxIdentity {guid} -Confirm:$false").errors
    assert not dc_lab.run("Remove-Mailbox user3 -Permanent $true -Confirm:$false").errors
    assert sorted(m.name for m in dc_lab.org.mailboxes.values())[:3] == ["user1", "user4", "user5"]


def test_mailbox_statistics_archive_switch(dc_lab):
    r = dc_lab.run("Get-MailboxStatistics user1 -Archive -IncludeMoveHistory -IncludeMoveReport")
    assert not r.errors and r.output[0].DisplayName == "user1"


# --- client access, transport, AD ---------------------------------------------------------------

def test_client_access_array_site_and_fqdn(dc_lab):
    dc_lab.run("New-ClientAccessArray -Name PDX -Fqdn pdx.contoso.com -Site Portland | Out-Null\n"
               "New-ClientAccessArray -Fqdn red.contoso.com -Site Redmond | Out-Null")
    assert [a.Name for a in dc_lab.run("Get-ClientAccessArray -Site Redmond").output] == ["red"]
    assert not dc_lab.run("Set-ClientAccessArray PDX -Fqdn mail.contoso.com").errors
    assert dc_lab.run("Get-ClientAccessArray pdx").output[0].Fqdn == "mail.contoso.com"
    assert [str(m) for m in dc_lab.run("Get-ClientAccessArray red").output[0].Members] == ["EX3", "EX4"]


def test_client_access_server_alternate_service_account_set(dc_lab):
    assert not dc_lab.run("Set-ClientAccessServer EX1 -RemoveAlternateServiceAccountCredentials").errors
    r = dc_lab.run("Set-ClientAccessServer EX1 -RemoveAlternateServiceAccountCredentials -AutoDiscoverSiteScope x")
    assert r.errors[0].exception_type == "ParameterBindingException"
    r = dc_lab.run("Set-ClientAccessServer EX1 -IrmLogEnabled $false -IrmLogMaxAge 10.00:00:00 -IrmLogPath D:\\Irm "
                   '-AutoDiscoverSiteScope Portland,Redmond')
    assert not r.errors, r.error_text
    s = dc_lab.run("Get-ClientAccessServer EX1").output[0]
    assert (s.IrmLogEnabled, s.IrmLogPath, s.AutoDiscoverSiteScope) == (False, "D:\\Irm", ["Portland", "Redmond"])


def test_transport_config_shadow_settings(dc_lab):
    r = dc_lab.run("Set-TransportConfig -ShadowHeartbeatRetryCount 5 -ShadowHeartbeatTimeoutInterval 00:10:00 "
                   "-ShadowMessageAutoDiscardInterval 1.00:00:00 -ShadowRedundancyEnabled $false")
    assert not r.errors, r.error_text
    t = dc_lab.run("Get-TransportConfig").output[0]
    assert (t.ShadowHeartbeatRetryCount, str(t.ShadowRedundancyEnabled)) == (5, "False")


def test_add_ad_group_member_passthru(lab):
    r = lab.run('Add-ADGroupMember -Identity Administrators -Members "Exchange Trusted Subsystem" -PassThru')
    assert not r.errors and r.output[0].name == "Administrators" and r.output[0].objectClass == "group"
    assert lab.run("Get-ADGroupMember Administrators | Get-ADGroupMember").errors  # users aren't groups


def test_copy_status_shows_each_copys_log_stream(dc_lab):
    """§7: CQL = generated - inspected, RQL = inspected - replayed; a blocked copy stays Healthy
    while its queue grows; a lagged copy holds its logs until the lag passes."""
    dc_lab.run(r"Block-SimReplication -Identity DB1\EX4" + "\n"
               r"Set-MailboxDatabaseCopy DB1\EX3 -ReplayLagTime 01:00:00" + "\nSend-SimMail -Database DB1 -Count 5")
    rows = {e.MailboxServer: (e.Status, e.LastLogGenerated, e.LastLogCopied, e.LastLogInspected, e.LastLogReplayed,
                              e.CopyQueueLength, e.ReplayQueueLength)
            for e in dc_lab.run("Get-MailboxDatabaseCopyStatus DB1").output}
    assert rows == {"EX1": ("Mounted", 6, 0, 0, 0, 0, 0), "EX2": ("Healthy", 6, 6, 6, 6, 0, 0),
                    "EX3": ("Healthy", 6, 6, 6, 1, 0, 5), "EX4": ("Healthy", 6, 1, 1, 1, 5, 0)}
    dc_lab.run("Start-Sleep -Seconds 3700")
    e = dc_lab.run(r"Get-MailboxDatabaseCopyStatus DB1\EX3").output[0]
    assert (e.LastLogReplayed, e.ReplayQueueLength) == (6, 0)
