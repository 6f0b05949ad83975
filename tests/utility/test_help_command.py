"""Get-Help, Get-Command, Get-ExCommand and the alias cmdlets, all read from the declarations."""
import cmdlets
from cmdlets.help import syntax_lines
from ems.runtime.cmdlet import REGISTRY

cmdlets.load_all()


def test_syntax_notation_from_declarations():
    assert syntax_lines(REGISTRY["start-sleep"]) == [
        "Start-Sleep [-Seconds] <Int32> [<CommonParameters>]",
        "Start-Sleep -Milliseconds <Int32> [<CommonParameters>]"]
    lines = syntax_lines(REGISTRY["get-date"])
    assert lines[0].startswith("Get-Date [[-Date] <DateTime>] [-Year <Int32>]")
    assert "[-DisplayHint {Date | Time | DateTime}]" in lines[0]
    assert lines[1].endswith("[-UFormat <String>] [<CommonParameters>]")


def test_syntax_of_should_process_cmdlets_lists_whatif_confirm():
    assert syntax_lines(REGISTRY["set-alias"])[0] == (
        "Set-Alias [-Name] <String> [-Value] <String> [-Description <String>] "
        "[-Option {None | ReadOnly | Constant | Private | AllScope | Unspecified}] [-PassThru] "
        "[-Scope <String>] [-Force] [-WhatIf] [-Confirm] [<CommonParameters>]")


def test_every_registered_cmdlet_has_help():
    for cls in REGISTRY.values():
        assert cls.synopsis, cls.name
        assert syntax_lines(cls), cls.name


def test_get_help_default_view(run):
    r = run("Get-Help Start-Sleep")
    assert r.text.startswith("\nNAME\n    Start-Sleep\n    \nSYNOPSIS\n    Suspends the activity in a script")
    assert "SYNTAX\n    Start-Sleep [-Seconds] <Int32> [<CommonParameters>]\n    \n" \
           "    Start-Sleep -Milliseconds <Int32> [<CommonParameters>]\n" in r.text
    assert 'To see the examples, type: "get-help Start-Sleep -examples".' in r.text


def test_get_help_via_alias_and_examples(run):
    r = run("Get-Help sleep -Examples")
    assert "    -------------------------- EXAMPLE 1 --------------------------\n    \n" \
           "    PS C:\\>Start-Sleep -Seconds 30\n" in r.text
    assert "SYNTAX" not in r.text


def test_get_help_full_has_parameter_attributes(run):
    r = run("Get-Help Get-Alias -Full")
    assert "    -Name <String[]>\n" in r.text
    assert "        Position?                    1\n" in r.text
    assert "        Accept pipeline input?       True (ByValue, ByPropertyName)\n" in r.text
    assert "    <CommonParameters>\n" in r.text


def test_get_help_detailed_and_parameter(run):
    assert "PARAMETERS" in run("Get-Help Get-Command -Detailed").text
    r = run("Get-Help Get-Command -Parameter Noun")
    assert r.text.startswith("\n-Noun <String[]>\n    Gets commands that have the specified nouns.")
    r = run("Get-Help Get-Command -Parameter Bogus")
    assert r.errors[0].message == "No parameter matches criteria Bogus."


def test_get_help_wildcard_lists_topics(run):
    r = run("Get-Help *-Variable")
    lines = r.text.splitlines()
    assert lines[1].split() == ["Name", "Category", "Module", "Synopsis"]
    assert lines[3].startswith("Clear-Variable  Cmdlet   Microsoft.PowerShell.Utility Deletes the value")


def test_get_help_unknown_topic(run):
    r = run("Get-Help Get-Nothing")
    assert r.errors[0].message == (
        'Get-Help could not find Get-Nothing in a help file in this session. To download updated help '
        'topics type: "Update-Help". To get help online, search for the help topic in the TechNet '
        "library at http://go.microsoft.com/fwlink/?LinkID=107116.")
    assert r.errors[0].fully_qualified_error_id == "HelpNotFound,Microsoft.PowerShell.Commands.GetHelpCommand"
    assert r.errors[0].category == "ResourceUnavailable"


def test_get_command_objects_and_view(run):
    r = run("Get-Command Get-Date")
    info = r.output[0]
    assert (info.CommandType, info.Name, info.Version, info.Source) == \
        ("Cmdlet", "Get-Date", "3.1.0.0", "Microsoft.PowerShell.Utility")
    assert info.ImplementingType == "Microsoft.PowerShell.Commands.GetDateCommand"
    assert r.text.splitlines()[1].split() == ["CommandType", "Name", "Version", "Source"]


def test_get_command_filters(ps):
    assert [c.Name for c in ps("Get-Command -Noun Variable")] == [
        "Clear-Variable", "Get-Variable", "New-Variable", "Remove-Variable", "Set-Variable"]
    assert [c.Name for c in ps("Get-Command -Verb Write -Module Microsoft.PowerShell.Utility")][:2] == [
        "Write-Debug", "Write-Error"]
    assert all(c.Verb == "Split" for c in ps("Get-Command -Verb Split"))
    assert [c.Name for c in ps("Get-Command -Name *-Csv -CommandType Cmdlet")] == [
        "ConvertFrom-Csv", "ConvertTo-Csv", "Export-Csv", "Import-Csv"]
    assert len(ps("Get-Command -Noun Date -TotalCount 1")) == 1


def test_get_command_aliases_first(run):
    r = run("Get-Command ?, Where-Object")
    assert [c.CommandType for c in r.output] == ["Alias", "Alias", "Cmdlet"]
    assert "Alias           ? -> Where-Object" in r.text


def test_get_command_unknown_name(run):
    r = run("Get-Command Get-Nothing")
    assert r.errors[0].message.startswith("The term 'Get-Nothing' is not recognized as the name of a cmdlet")
    assert r.errors[0].fully_qualified_error_id == \
        "CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand"
    assert run("Get-Command Get-Nothing*").errors == []


def test_get_command_syntax(ps):
    assert ps("Get-Command Start-Sleep -Syntax") == [
        "\nStart-Sleep [-Seconds] <int> [<CommonParameters>]\n\nStart-Sleep -Milliseconds <int> [<CommonParameters>]\n\n"]
    assert ps("Get-Command sleep -Syntax") == ["Start-Sleep"]


def test_get_command_lists_functions(ps):
    out = ps("function Get-Thing { 1 }; Get-Command Get-Thing")
    assert (out[0].CommandType, out[0].Name) == ("Function", "Get-Thing")


def test_get_excommand(ps):
    out = ps("Get-ExCommand")
    assert out and all(c.Source.startswith("Microsoft.Exchange") for c in out)
    names = [c.Name for c in ps("Get-ExCommand *MailboxDatabase")]
    assert "Get-MailboxDatabase" in names and all(n.endswith("MailboxDatabase") for n in names)


def test_get_alias(ps, run):
    assert [a.Name for a in ps("Get-Alias -Definition Where-Object")] == ["?", "where"]
    assert [a.DisplayName for a in ps("Get-Alias gcm")] == ["gcm -> Get-Command"]
    r = run("Get-Alias nosuch")
    assert r.errors[0].message == \
        "This command cannot find a matching alias because an alias with the name 'nosuch' does not exist."
    assert r.errors[0].fully_qualified_error_id == \
        "ItemNotFoundException,Microsoft.PowerShell.Commands.GetAliasCommand"


def test_set_and_new_alias(ps, run):
    out = ps("Set-Alias -Name DBs -Value Get-Date; DBs; Get-Alias dbs | % DisplayName")
    assert out[1] == "DBs -> Get-Date"
    assert ps("New-Alias now Get-Date -PassThru | % Definition") == ["Get-Date"]
    r = run("New-Alias now Get-Date; New-Alias now Get-Host")
    assert r.errors[0].message == "The alias is not allowed, because an alias with the name 'now' already exists."
    r = run("Set-Alias x Get-Date -WhatIf; Get-Alias x")
    assert r.text.startswith('What if: Performing the operation "Set Alias" on target "Name: x Value: Get-Date".')


def test_get_help_for_script_functions(run):
    r = run("function f($a, [int]$b, [switch]$c) {}\n"
            "function Get-Thing { [CmdletBinding()] param([Parameter(Mandatory=$true)][string[]]$Name) }\n"
            "Get-Help f; Get-Help Get-Thing")
    assert "NAME\n    f\n    \nSYNTAX\n    f [[-a] <Object>] [[-b] <int>] [-c]\n" in r.text
    assert "SYNTAX\n    Get-Thing [-Name] <string[]> [<CommonParameters>]\n" in r.text
    assert "ALIASES\n    None\n" in r.text and not r.errors
