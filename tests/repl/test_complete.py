"""Tab completion: what the engine offers for the text before the cursor."""

from ems.repl_complete import complete


def texts(line, shell=None):
    return [c.text for c in complete(line, shell).candidates]


def test_cmdlet_names_complete_from_the_registry(test_cmdlets):
    assert texts("Move-ReplT") == ["Move-ReplTestDatabase"]
    assert texts("move-repltest") == ["Move-ReplTestDatabase"]


def test_cmdlet_name_replaces_the_whole_word(test_cmdlets):
    result = complete("Get-Date; Set-ReplT")
    assert result.start == len("Get-Date; ")


def test_cmdlet_names_with_wildcards(test_cmdlets):
    assert "Resume-ReplTestCopy" in texts("*-ReplTestC")
    assert "Move-ReplTestDatabase" not in texts("*-ReplTestC")


def test_aliases_complete_after_names(test_cmdlets):
    assert texts("mrt") == ["mrtd"]


def test_command_after_pipe_and_in_parentheses_and_assignment(test_cmdlets):
    assert texts("Get-X | Set-ReplT") == ["Set-ReplTestDag"]
    assert texts("Get-X -Database (Move-ReplT") == ["Move-ReplTestDatabase"]
    assert texts("$d = Resume-Repl") == ["Resume-ReplTestCopy"]


def test_nothing_on_an_empty_line(test_cmdlets):
    assert texts("") == []
    assert texts("   ") == []


def test_parameter_names_of_the_cmdlet_being_typed(test_cmdlets):
    assert texts("Move-ReplTestDatabase -Mo") == ["-MountDialOverride", "-MoveComment"]


def test_parameters_already_given_are_not_offered(test_cmdlets):
    offered = texts("Move-ReplTestDatabase DB1 -MountDialOverride Lossless -")
    assert "-MountDialOverride" not in offered
    assert "-Identity" not in offered          # bound by position
    assert offered[0] == "-ActivateOnServer"


def test_only_parameters_of_still_possible_sets(test_cmdlets):
    offered = texts("Move-ReplTestDatabase -Server EX1 -")
    assert "-Identity" not in offered
    assert "-Server" not in offered
    assert "-ActivateOnServer" in offered


def test_common_and_risk_parameters_are_offered(test_cmdlets):
    assert texts("Move-ReplTestDatabase -WhatI") == ["-WhatIf"]
    assert texts("Move-ReplTestDatabase -ErrorA") == ["-ErrorAction"]
    assert "-WhatIf" not in texts("Set-ReplTestDag -W")


def test_parameter_alias_completes_to_the_parameter(test_cmdlets):
    assert texts("Set-ReplTestDag -ea") == ["-ErrorAction"]


def test_parameters_after_an_alias_and_after_a_group(test_cmdlets):
    assert texts("mrtd -Skip") == ["-SkipHealthChecks"]
    assert texts("Move-ReplTestDatabase (Get-X DB1) -Skip") == ["-SkipHealthChecks"]


def test_validate_set_values(test_cmdlets):
    assert texts("Set-ReplTestDag DAG1 -DatacenterActivationMode ") == ["Off", "DagOnly"]
    assert texts("Set-ReplTestDag DAG1 -DatacenterActivationMode d") == ["DagOnly"]
    assert texts("Move-ReplTestDatabase DB1 -MountDialOverride:Go") == ["GoodAvailability"]


def test_value_after_colon_replaces_only_the_value(test_cmdlets):
    line = "Move-ReplTestDatabase DB1 -MountDialOverride:Go"
    assert complete(line).start == len(line) - 2


def test_enum_values(test_cmdlets):
    assert texts("Set-ReplTestDag -AutoDatabaseMountDial ") == [
        "BestAvailability", "GoodAvailability", "Lossless"]


def test_booleans_and_switch_values(test_cmdlets):
    assert texts("Set-ReplTestDag -Enabled ") == ["$true", "$false"]
    assert texts("Move-ReplTestDatabase DB1 -SkipHealthChecks:$f") == ["$false"]


def test_identities_by_position(test_cmdlets, dc_shell):
    assert texts("Move-ReplTestDatabase ", dc_shell) == ["DB1", "DB2", "DB3", "DB4"]
    assert texts("Move-ReplTestDatabase db3", dc_shell) == ["DB3"]


def test_second_positional_identity(test_cmdlets, dc_shell):
    assert texts("Move-ReplTestDatabase DB1 E", dc_shell) == ["EX1", "EX2", "EX3", "EX4"]


def test_mailbox_servers_exclude_other_machines(test_cmdlets, dc_shell):
    assert texts("Move-ReplTestDatabase DB1 -ActivateOnServer ", dc_shell) == ["EX1", "EX2", "EX3", "EX4"]


def test_witness_server_offers_every_machine(test_cmdlets, dc_shell):
    offered = texts("Set-ReplTestDag -WitnessServer ", dc_shell)
    assert "FS1" in offered and "DC1" in offered and "EX1" in offered


def test_dags_sites_and_copies(test_cmdlets, dc_shell):
    assert texts("Set-ReplTestDag ", dc_shell) == ["DAG1"]
    assert texts("Resume-ReplTestCopy DB1", dc_shell) == ["DB1\\EX1", "DB1\\EX2", "DB1\\EX3", "DB1\\EX4"]
    assert texts("Resume-ReplTestCopy -Site Portland,", dc_shell) == ["Olympia", "Portland", "Redmond"]


def test_identities_with_spaces_are_quoted(test_cmdlets, benet_shell):
    offered = texts("Move-ReplTestDatabase ", benet_shell)
    assert len(offered) == 2
    assert all(o.startswith("'Mailbox Database ") and o.endswith("'") for o in offered)


def test_quoted_identity_keeps_its_quotes(test_cmdlets, benet_shell):
    single = texts("Move-ReplTestDatabase 'Mail", benet_shell)
    double = texts('Move-ReplTestDatabase "Mail', benet_shell)
    assert single and all(o.startswith("'") for o in single)
    assert double and all(o.startswith('"') and o.endswith('"') for o in double)


def test_variables(dc_shell):
    from ems import Shell
    shell = Shell(scenario="empty")
    shell.run("$dbs = 1,2; $DAGName = 'DAG1'")
    assert texts("Get-Date $da", shell) == ["$DAGName"]
    assert texts("Get-Date $db", shell) == ["$dbs"]
    assert texts("$tr", shell) == ["$true"]
    assert "$ErrorActionPreference" in texts("$err", shell)


def test_members_of_a_variable():
    from ems import Shell
    shell = Shell(scenario="empty")
    shell.run("$dag = [pscustomobject]@{Name='DAG1'; Servers='EX1'; NetworkCompression='On'}")
    assert texts("$dag.N", shell) == ["Name", "NetworkCompression"]


def test_no_candidates_for_a_free_text_parameter(test_cmdlets, dc_shell):
    assert texts("Move-ReplTestDatabase DB1 -MoveComment ", dc_shell) == []


def test_path_parameter_and_script_names(test_cmdlets, tmp_path, monkeypatch):
    (tmp_path / "runbook.ps1").write_text("Get-Date")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "labs").mkdir()
    monkeypatch.chdir(tmp_path)
    assert texts("Resume-ReplTestCopy -Path n") == ["notes.txt"]
    assert texts(".\\ru") == [".\\runbook.ps1"]
    assert texts("./") == ["./labs/", "./runbook.ps1"]
    assert texts("& ./l") == ["./labs/"]


def test_unknown_command_completes_paths(tmp_path, monkeypatch):
    (tmp_path / "data.csv").write_text("")
    monkeypatch.chdir(tmp_path)
    assert texts("notacmdlet da") == ["data.csv"]


# --- the real cmdlets, on a real lab ----------------------------------------------------------

def test_real_cmdlet_names(dc_shell):
    assert texts("Move-Act", dc_shell) == ["Move-ActiveMailboxDatabase"]
    assert "Get-MailboxDatabaseCopyStatus" in texts("Get-MailboxDatabaseC", dc_shell)


def test_real_aliases(dc_shell):
    assert "ft" in texts("f", dc_shell)


def test_real_enum_values(dc_shell):
    assert texts("Set-DatabaseAvailabilityGroup DAG1 -DatacenterActivationMode ", dc_shell) == ["Off", "DagOnly"]


def test_real_identities(dc_shell):
    assert texts("Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX", dc_shell) == ["EX1", "EX2", "EX3", "EX4"]
    assert texts("Get-MailboxDatabaseCopyStatus DB2\\", dc_shell) == ["DB2\\EX1", "DB2\\EX2", "DB2\\EX3", "DB2\\EX4"]
    assert texts("Get-DatabaseAvailabilityGroupNetwork ", dc_shell) == ["DAG1\\DAGNetwork01", "DAG1\\DAGNetwork02"]


def test_session_functions_complete(dc_shell):
    from ems import Shell
    shell = Shell(scenario="empty")
    shell.run("function Test-MyRunbook { 'ok' }")
    assert texts("Test-MyR", shell) == ["Test-MyRunbook"]


def test_paths_are_relative_to_the_session_location(tmp_path):
    from ems import Shell
    (tmp_path / "labs").mkdir()
    (tmp_path / "labs" / "failover.ps1").write_text("Get-Date")
    shell = Shell(scenario="empty")
    shell.run(f"Set-Location '{tmp_path / 'labs'}'")
    assert texts(".\\f", shell) == [".\\failover.ps1"]


def test_help_and_command_take_command_names(dc_shell):
    assert texts("Get-Help Move-Act", dc_shell) == ["Move-ActiveMailboxDatabase"]
    assert texts("Get-Command -Name Get-DatabaseAvailabilityGroupN", dc_shell) == ["Get-DatabaseAvailabilityGroupNetwork"]


def test_members_after_a_bare_dot():
    from ems import Shell
    shell = Shell(scenario="empty")
    shell.run("$o = [pscustomobject]@{Name='DAG1'; Servers='EX1'}")
    assert texts("$o.", shell) == ["Name", "Servers"]


def test_properties_of_exchange_objects_in_a_variable(dc_shell):
    dc_shell.run("$replTestDbs = Get-MailboxDatabase")
    assert "ActivationPreference" in texts("$replTestDbs.Activ", dc_shell)
    assert texts("$replTestDbs | ft Name,Serv", dc_shell) == ["Server", "ServerName", "Servers"]
    assert texts("$replTestDbs | Sort-Object -Property Recovery", dc_shell) == ["Recovery"]
    assert texts("$replTestDbs | ? { $_.Mounted } | select Mounted,Recovery", dc_shell) == ["Recovery"]


def test_dollar_underscore_members_inside_a_script_block(dc_shell):
    dc_shell.run("$replTestDbs = Get-MailboxDatabase")
    assert texts("$replTestDbs | ? { $_.Recovery", dc_shell) == ["Recovery"]
    assert texts("$replTestDbs | ForEach-Object { $_.Mount", dc_shell) == ["MountAtStartup", "Mounted"]
    assert texts("Get-Date | ? { $_.Recov", dc_shell) == []          # upstream commands are not run


def test_sim_cmdlets_reach_every_machine(dc_shell):
    assert texts("Stop-SimServer F", dc_shell) == ["FS1", "FS2", "FS3"]
    assert texts("Stop-SimSite ", dc_shell) == ["Olympia", "Portland", "Redmond"]
    assert texts("Block-SimReplication DB3\\EX", dc_shell) == ["DB3\\EX1", "DB3\\EX2", "DB3\\EX3", "DB3\\EX4"]
