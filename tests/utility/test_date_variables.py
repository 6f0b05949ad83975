"""Get-Date, Start-Sleep, Get-Random, Set-StrictMode and the variable cmdlets."""
import datetime as dt

import pytest

START = dt.datetime(2026, 11, 21, 9, 0, 0)   # EMS_START_TIME set by tests/conftest.py


def test_get_date_reads_the_simulated_clock(ps):
    assert ps("Get-Date") == [START]


def test_get_date_default_display(run):
    assert run("Get-Date").text == "\nSaturday, November 21, 2026 9:00:00 AM\n\n\n"


@pytest.mark.parametrize("args,expected", [
    ("-Format yyyy-MM-dd", "2026-11-21"),
    ("-Format 'dddd HH:mm:ss'", "Saturday 09:00:00"),
    ("-UFormat '%Y%m%d-%H%M'", "20261121-0900"),
    ("-UFormat '%A %B %d %j'", "Saturday November 21 325"),
    ("-Date '1/2/2024 3:04 PM' -Format 's'", "2024-01-02T15:04:00"),
    ("-Year 2025 -Month 2 -Day 3 -Format d", "2/3/2025"),
])
def test_get_date_formats(ps, args, expected):
    assert ps(f"Get-Date {args}") == [expected]


def test_get_date_methods_and_arithmetic(ps):
    assert ps("(Get-Date).AddDays(-1).Day") == [20]


def test_start_sleep_advances_the_clock_without_waiting(ps):
    out = ps("Start-Sleep -Seconds 3600; Start-Sleep -Milliseconds 1500; Get-Date; sleep 1; Get-Date")
    assert out == [START + dt.timedelta(hours=1, seconds=1.5), START + dt.timedelta(hours=1, seconds=2.5)]


def test_start_sleep_rejects_negative(run):
    r = run("Start-Sleep -Seconds -1")
    assert "The -1 argument is less than the minimum allowed range of 0." in r.errors[0].message


def test_get_random_is_seeded_and_in_range(run):
    a = run("1..20 | % { Get-Random -Minimum 5 -Maximum 10 }").output
    b = run("1..20 | % { Get-Random -Minimum 5 -Maximum 10 }").output
    assert a == b and all(5 <= x < 10 for x in a) and len(set(a)) > 1


def test_get_random_picks_from_input(ps):
    out = ps("'a','b','c','d' | Get-Random -Count 2")
    assert len(out) == 2 and set(out) <= {"a", "b", "c", "d"} and out[0] != out[1]
    assert len(ps("Get-Random -InputObject 1,2,3 -Count 10")) == 3


def test_get_random_min_not_below_max(run):
    r = run("Get-Random -Minimum 10 -Maximum 10")
    assert r.errors[0].message == "The Minimum value (10) cannot be greater than or equal to the Maximum value (10)."
    assert r.errors[0].error_id == "MinGreaterThanOrEqualMax"


def test_set_strict_mode(run):
    r = run("Set-StrictMode -Version 2.0; $nosuch")
    assert "cannot be retrieved because it has not been set" in r.errors[0].message
    r = run("Set-StrictMode -Version Latest; Set-StrictMode -Off; $nosuch; 'ok'")
    assert r.output == [None, "ok"] and not r.errors


def test_get_variable(ps):
    out = ps("$dbName = 'DB1'; $dbCount = 2; Get-Variable db*")
    assert [(v.Name, v.Value) for v in out] == [("dbCount", 2), ("dbName", "DB1")]
    assert ps("$x = 5; Get-Variable x -ValueOnly") == [5]


def test_get_variable_not_found(run):
    r = run("Get-Variable nosuch")
    assert r.errors[0].message == "Cannot find a variable with the name 'nosuch'."
    assert r.errors[0].fully_qualified_error_id == "VariableNotFound,Microsoft.PowerShell.Commands.GetVariableCommand"
    assert r.errors[0].category == "ObjectNotFound"


def test_set_and_new_variable(ps, run):
    assert ps("Set-Variable -Name a -Value 1; $a") == [1]
    assert ps("1,2,3 | Set-Variable b; $b.Count") == [3]
    assert ps("New-Variable c 7 -PassThru | % Value; $c") == [7, 7]
    r = run("New-Variable d 1; New-Variable d 2; $d")
    assert r.output == [1]
    assert r.errors[0].message == "A variable with name 'd' already exists."
    assert r.errors[0].category == "ResourceExists"


def test_variable_scopes(ps):
    assert ps("function f { Set-Variable g 1 -Scope Global; Set-Variable l 2 }; f; $g; $l") == [1, None]
    assert ps("$v = 'outer'; function f { Set-Variable v 'changed' -Scope 1 }; f; $v") == ["changed"]


def test_read_only_variables(run):
    r = run("New-Variable k 1 -Option ReadOnly; Set-Variable k 2; $k")
    assert r.output == [1]
    assert r.errors[0].message == "Cannot overwrite variable k because it is read-only or constant."
    r = run("New-Variable k 1 -Option ReadOnly; Remove-Variable k; $k; Remove-Variable k -Force; $k")
    assert r.output == [1, None]
    assert r.errors[0].message.startswith("Cannot remove variable k because it is constant or read-only.")


def test_remove_and_clear_variable(ps, run):
    assert ps("$r = 1; Remove-Variable r; $r") == [None]
    assert ps("$c = 1; Clear-Variable c; $c") == [None]
    r = run("Remove-Variable nosuch")
    assert r.errors[0].message == "Cannot find a variable with the name 'nosuch'."
