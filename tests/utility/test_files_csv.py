"""File and CSV cmdlets on real files, relative to the shell's current location."""
import os

import pytest

from ems import Shell


@pytest.fixture
def sh(tmp_path):
    """A shell whose current location is a fresh temporary folder."""
    shell = Shell(scenario="empty")
    r = shell.run(f"Set-Location '{tmp_path}'")
    assert not r.errors
    shell.dir = tmp_path
    return shell


DBS = ("$dbs = [pscustomobject]@{Name='DB1';Server='EX1';Queue=3;Note=$null}, "
       "[pscustomobject]@{Name='DB \"2\"';Server='EX2, EX3';Queue=0;Note='x'}; ")


def read(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read().splitlines()


def test_export_csv_5_1_layout(sh):
    r = sh.run(DBS + "$dbs | Export-Csv dbs.csv")
    assert not r.errors
    assert read(sh.dir / "dbs.csv") == [
        "#TYPE System.Management.Automation.PSCustomObject",
        '"Name","Server","Queue","Note"',
        '"DB1","EX1","3",',
        '"DB ""2""","EX2, EX3","0","x"']


def test_export_csv_no_type_information_and_selected_type(sh):
    sh.run(DBS + "$dbs | Select-Object Name | Export-Csv a.csv; $dbs | Export-Csv b.csv -NoTypeInformation")
    assert read(sh.dir / "a.csv")[0] == "#TYPE Selected.System.Management.Automation.PSCustomObject"
    assert read(sh.dir / "b.csv")[0] == '"Name","Server","Queue","Note"'


def test_export_csv_delimiter_and_append(sh):
    sh.run(DBS + "$dbs[0] | Export-Csv c.csv -NoTypeInformation -Delimiter ';'; "
                 "$dbs[1] | Export-Csv c.csv -NoTypeInformation -Delimiter ';' -Append")
    assert read(sh.dir / "c.csv") == ['"Name";"Server";"Queue";"Note"', '"DB1";"EX1";"3";',
                                      '"DB ""2""";"EX2, EX3";"0";"x"']


def test_export_csv_append_mismatch(sh):
    r = sh.run(DBS + "$dbs | Export-Csv d.csv; [pscustomobject]@{Other=1} | Export-Csv d.csv -Append")
    assert r.errors[0].message.startswith("Cannot append CSV content to the following file: ")
    assert "corresponds to the following column: Name." in r.errors[0].message


def test_import_csv_round_trip(sh):
    out = sh.run(DBS + "$dbs | Export-Csv e.csv; Import-Csv e.csv").output
    assert [o.properties() for o in out] == [
        [("Name", "DB1"), ("Server", "EX1"), ("Queue", "3"), ("Note", "")],
        [("Name", 'DB "2"'), ("Server", "EX2, EX3"), ("Queue", "0"), ("Note", "x")]]
    assert out[0].type_names[0] == "CSV:System.Management.Automation.PSCustomObject"


def test_import_csv_header_and_missing_file(sh):
    (sh.dir / "h.csv").write_text("EX1,Portland\nEX2,Redmond\n", encoding="utf-8")
    out = sh.run("Import-Csv h.csv -Header Server,Site | % Site").output
    assert out == ["Portland", "Redmond"]
    r = sh.run("Import-Csv nosuch.csv")
    assert r.errors[0].message == f"Cannot find path '{sh.dir / 'nosuch.csv'}' because it does not exist."


def test_convertto_and_convertfrom_csv(sh):
    out = sh.run(DBS + "$dbs | ConvertTo-Csv -NoTypeInformation").output
    assert out == ['"Name","Server","Queue","Note"', '"DB1","EX1","3",', '"DB ""2""","EX2, EX3","0","x"']
    out = sh.run("'Name,Site', 'EX1,Portland', '\"EX2\",\"Red, mond\"' | ConvertFrom-Csv").output
    assert [o.properties() for o in out] == [[("Name", "EX1"), ("Site", "Portland")],
                                             [("Name", "EX2"), ("Site", "Red, mond")]]


def test_set_add_get_content(sh):
    r = sh.run("Set-Content s.txt -Value EX1,EX2; Add-Content s.txt EX3; 'EX4' | Add-Content s.txt; "
               "Get-Content s.txt; (Get-Content s.txt -TotalCount 2).Count; Get-Content s.txt -Tail 1")
    assert r.output == ["EX1", "EX2", "EX3", "EX4", 2, "EX4"]
    assert read(sh.dir / "s.txt") == ["EX1", "EX2", "EX3", "EX4"]


def test_get_content_missing_and_aliases(sh):
    r = sh.run("Get-Content nosuch.txt")
    assert r.errors[0].message == f"Cannot find path '{sh.dir / 'nosuch.txt'}' because it does not exist."
    assert r.errors[0].fully_qualified_error_id == "PathNotFound,Microsoft.PowerShell.Commands.GetContentCommand"
    assert r.errors[0].exception_type == "ItemNotFoundException"
    sh.run("Set-Content t.txt hello")
    assert sh.run("gc t.txt; cat t.txt; type t.txt").output == ["hello"] * 3


def test_test_path(sh):
    sh.run("New-Item -ItemType Directory sub | Out-Null; Set-Content f.txt x")
    assert sh.run("Test-Path f.txt; Test-Path sub -PathType Container; Test-Path f.txt -PathType Container; "
                  "Test-Path nosuch; Test-Path *.txt").output == [True, True, False, False, True]


def test_new_item_and_remove_item(sh):
    r = sh.run("New-Item -Path notes.txt -ItemType File -Value 'hi' | % Name; New-Item -ItemType Directory -Path d1")
    assert r.output[0] == "notes.txt" and r.output[1].Name == "d1"
    assert (sh.dir / "notes.txt").read_text() == "hi"
    r = sh.run("New-Item notes.txt")
    assert r.errors[0].message == f"The file '{sh.dir / 'notes.txt'}' already exists."
    sh.run("Set-Content d1\\inner.txt x")
    r = sh.run("Remove-Item d1")
    assert "has children and the Recurse parameter was not specified" in r.errors[0].message
    sh.run("Remove-Item d1 -Recurse; Remove-Item notes.txt")
    assert not (sh.dir / "d1").exists() and not (sh.dir / "notes.txt").exists()
    r = sh.run("Remove-Item gone.txt")
    assert r.errors[0].error_id == "PathNotFound"


def test_get_child_item(sh):
    sh.run("Set-Content b.csv x; Set-Content a.txt x; New-Item -ItemType Directory sub | Out-Null; "
           "Set-Content sub\\c.txt x")
    assert [i.Name for i in sh.run("Get-ChildItem").output] == ["sub", "a.txt", "b.csv"]
    assert sh.run("Get-ChildItem *.txt -Name").output == ["a.txt"]
    assert sorted(sh.run("dir -Recurse -File -Name").output) == sorted(["a.txt", "b.csv", os.path.join("sub", "c.txt")])


def test_locations(sh):
    assert sh.run("Get-Location | % Path").output == [str(sh.dir)]
    sh.run("New-Item -ItemType Directory inner | Out-Null; cd inner")
    assert sh.run("(Get-Location).Path").output == [str(sh.dir / "inner")]
    r = sh.run("Set-Location nowhere")
    assert r.errors[0].message == f"Cannot find path '{sh.dir / 'inner' / 'nowhere'}' because it does not exist."


@pytest.mark.parametrize("expr,expected", [
    ("Join-Path C:\\Reports db.csv", "C:\\Reports\\db.csv"),
    ("Join-Path C:\\Reports\\ \\db.csv", "C:\\Reports\\db.csv"),
    ("Join-Path /tmp x.txt", "/tmp/x.txt"),
    ("Split-Path C:\\Reports\\db.csv", "C:\\Reports"),
    ("Split-Path C:\\Reports\\db.csv -Leaf", "db.csv"),
    ("Split-Path C:\\Reports\\db.csv -Qualifier", "C:"),
    ("Split-Path C:\\Reports\\db.csv -NoQualifier", "\\Reports\\db.csv"),
    ("Split-Path C:\\Reports\\db.csv -IsAbsolute", True),
    ("Split-Path Reports\\db.csv -IsAbsolute", False),
])
def test_join_and_split_path(ps, expr, expected):
    assert ps(expr) == [expected]


def test_piping_items_into_content_and_remove(sh):
    sh.run("Set-Content a.log one; Set-Content b.log two; Set-Content keep.txt x")
    assert sh.run("Get-ChildItem *.log | Get-Content").output == ["one", "two"]
    r = sh.run("Get-ChildItem -Filter *.log | Remove-Item; (Get-ChildItem).Name")
    assert not r.errors and r.output == ["keep.txt"]


def test_get_item(run, tmp_path):
    f = tmp_path / "report.csv"
    f.write_text("a\n")
    r = run(f"(Get-Item '{f}').Name; (gi '{tmp_path}/*.csv').Length")
    assert r.output == ["report.csv", 2] and not r.errors
    missing = tmp_path / "nosuch"
    lines = run(f"Get-Item {missing}").error_text.split("\n")
    # A.14: the whole command element is underlined (Get-Item nosuch -> 15 tildes).
    assert lines[:4] == [f"Get-Item : Cannot find path '{missing}' because it does not exist.",
                         "At line:1 char:1", f"+ Get-Item {missing}", "+ " + "~" * len(f"Get-Item {missing}")]
    assert lines[4].startswith("    + CategoryInfo          : ObjectNotFound: (")
    assert lines[5] == "    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand"
