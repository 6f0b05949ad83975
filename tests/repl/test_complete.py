"""Tab completion: what the engine offers for the text before the cursor."""
import os

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


def test_identities_by_position(test_cmdlets, fake_shell):
    assert texts("Move-ReplTestDatabase ", fake_shell) == [
        "DB1", "DB2", "'Mailbox Database 0123456789'"]
    assert texts("Move-ReplTestDatabase d", fake_shell) == ["DB1", "DB2"]


def test_second_positional_identity(test_cmdlets, fake_shell):
    assert texts("Move-ReplTestDatabase DB1 E", fake_shell) == ["EX1", "EX2", "EX3"]


def test_mailbox_servers_exclude_other_machines(test_cmdlets, fake_shell):
    assert texts("Move-ReplTestDatabase DB1 -ActivateOnServer ", fake_shell) == ["EX1", "EX2", "EX3"]


def test_witness_server_offers_every_machine(test_cmdlets, fake_shell):
    assert "FS1" in texts("Set-ReplTestDag -WitnessServer ", fake_shell)


def test_dags_sites_and_copies(test_cmdlets, fake_shell):
    assert texts("Set-ReplTestDag ", fake_shell) == ["DAG1"]
    assert texts("Resume-ReplTestCopy DB1", fake_shell) == ["DB1\\EX1", "DB1\\EX2"]
    assert texts("Resume-ReplTestCopy -Site Portland,", fake_shell) == ["Portland", "Redmond"]


def test_quoted_identity_keeps_its_quotes(test_cmdlets, fake_shell):
    assert texts("Move-ReplTestDatabase 'Mail", fake_shell) == ["'Mailbox Database 0123456789'"]
    assert texts('Move-ReplTestDatabase "Mail', fake_shell) == ['"Mailbox Database 0123456789"']


def test_variables(test_cmdlets, fake_shell):
    assert texts("Move-ReplTestDatabase $d", fake_shell) == ["$DAGName", "$dbs"]
    assert texts("$tr", fake_shell) == ["$true"]


def test_members_of_a_variable(fake_shell):
    fake_shell.session.variables["dag"] = __import__("ems.runtime.values", fromlist=["PSObject"]).PSObject(
        [("Name", "DAG1"), ("Servers", ["EX1"]), ("NetworkCompression", "On")])
    assert texts("$dag.N", fake_shell) == ["Name", "NetworkCompression"]


def test_no_candidates_for_a_free_text_parameter(test_cmdlets, fake_shell):
    assert texts("Move-ReplTestDatabase DB1 -MoveComment ", fake_shell) == []


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
