"""Add-PSSnapin/Get-PSSnapin and Import-Module/Get-Module, as EMS scripts call them first."""

E2010 = "Microsoft.Exchange.Management.PowerShell.E2010"


def test_add_exchange_snapin_once(run):
    r = run(f"Add-PSSnapin {E2010}; (Get-PSSnapin).Name; Add-PSSnapin {E2010}")
    assert r.output == ["Microsoft.PowerShell.Core", E2010]
    assert r.errors[0].message == (f"Cannot add Windows PowerShell snap-in {E2010} because it is already added. "
                                   "Verify the name of the snap-in, and then try again.")
    assert r.errors[0].fully_qualified_error_id == "AddPSSnapInRead,Microsoft.PowerShell.Commands.AddPSSnapinCommand"


def test_snapin_checks_used_by_scripts(ps, run):
    assert ps(f"if (-not (Get-PSSnapin {E2010} -ErrorAction SilentlyContinue)) {{ 'not loaded' }}") == ["not loaded"]
    assert [s.Name for s in ps("Get-PSSnapin -Registered")] == [E2010]
    r = run("Add-PSSnapin Contoso.Tools")
    assert r.errors[0].message == "The Windows PowerShell snap-in 'Contoso.Tools' is not installed on this computer."


def test_import_and_get_module(ps, run):
    out = ps("Import-Module ActiveDirectory; Get-Module")
    assert [(m.Name, m.ExportedCommands[:1]) for m in out] == [("ActiveDirectory", ["Add-ADGroupMember"])]
    assert "Microsoft.PowerShell.Utility" in [m.Name for m in ps("Get-Module -ListAvailable")]
    r = run("Import-Module SqlServer")
    assert r.errors[0].message == ("The specified module 'SqlServer' was not loaded because no valid "
                                   "module file was found in any module directory.")
    assert r.errors[0].category == "ResourceUnavailable"
