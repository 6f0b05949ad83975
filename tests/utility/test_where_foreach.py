"""Where-Object and ForEach-Object: script blocks, the simplified syntax, member form."""
import pytest

DBS = ("$dbs = [pscustomobject]@{Name='DB1';Status='Mounted';Queue=3}, "
       "[pscustomobject]@{Name='DB2';Status='Healthy';Queue=0}, "
       "[pscustomobject]@{Name='db3';Status='Mounted';Queue=12}; ")


def names(objs):
    return [o.get("Name") for o in objs]


def test_where_scriptblock_filters(ps):
    assert ps("1..6 | Where-Object { $_ % 2 -eq 0 }") == [2, 4, 6]


def test_where_aliases(ps):
    assert ps("1..4 | ? { $_ -gt 2 }") == [3, 4]
    assert ps("1..4 | where { $_ -lt 2 }") == [1]


@pytest.mark.parametrize("expr,expected", [
    ("Where-Object Status -eq mounted", ["DB1", "db3"]),
    ("Where-Object Status -CEQ mounted", []),
    ("Where-Object Status -ne Mounted", ["DB2"]),
    ("Where-Object Queue -gt 2", ["DB1", "db3"]),
    ("Where-Object Queue -ge 3", ["DB1", "db3"]),
    ("Where-Object Queue -lt 3", ["DB2"]),
    ("Where-Object Queue -le 0", ["DB2"]),
    ("Where-Object Name -like db*", ["DB1", "DB2", "db3"]),
    ("Where-Object Name -clike db*", ["db3"]),
    ("Where-Object Name -notlike *1", ["DB2", "db3"]),
    ("Where-Object Name -match '^DB[12]$'", ["DB1", "DB2"]),
    ("Where-Object Name -cmatch '^db'", ["db3"]),
    ("Where-Object Name -notmatch 2", ["DB1", "db3"]),
    ("Where-Object Name -in DB1,DB3", ["DB1", "db3"]),
    ("Where-Object Name -cin DB1,DB3", ["DB1"]),
    ("Where-Object Name -notin DB1", ["DB2", "db3"]),
    ("Where-Object Queue", ["DB1", "db3"]),
    ("Where-Object -Property Status -Value Healthy -EQ", ["DB2"]),
    ("Where-Object Queue -is [int]", ["DB1", "DB2", "db3"]),
    ("Where-Object Name -isnot int", ["DB1", "DB2", "db3"]),
])
def test_where_simplified_syntax(ps, expr, expected):
    assert names(ps(DBS + "$dbs | " + expr)) == expected


def test_where_contains_on_collection_property(ps):
    out = ps("[pscustomobject]@{Name='A';Servers='EX1','EX2'}, [pscustomobject]@{Name='B';Servers='EX3'} | "
             "Where-Object Servers -Contains ex1")
    assert names(out) == ["A"]
    out = ps("[pscustomobject]@{Name='A';Servers='EX1','EX2'}, [pscustomobject]@{Name='B';Servers='EX3'} | "
             "Where-Object Servers -NotContains EX1")
    assert names(out) == ["B"]


def test_where_hashtable_key(ps):
    assert len(ps("@{Role='Mailbox'}, @{Role='Hub'} | Where-Object Role -eq Hub")) == 1


def test_where_operator_without_value_is_an_error(run):
    r = run(DBS + "$dbs | Where-Object Queue -gt")
    assert r.errors[0].message.startswith("The specified operator requires both the -Property and -Value")
    assert r.errors[0].fully_qualified_error_id == \
        "ValueNotSpecifiedForWhereObject,Microsoft.PowerShell.Commands.WhereObjectCommand"


def test_where_value_without_operator_is_an_error(run):
    r = run(DBS + "$dbs | Where-Object Status Mounted")
    assert r.errors[0].message.startswith("An operator is required to compare the two specified values.")
    assert r.errors[0].error_id == "OperatorNotSpecified"


def test_where_without_input_outputs_nothing(ps):
    assert ps("Where-Object { $true }") == []


def test_foreach_scriptblock_runs_in_callers_scope(ps):
    assert ps("1..4 | ForEach-Object -Begin { $sum = 0 } -Process { $sum += $_ } -End { $sum }") == [10]
    assert ps("$n = 0; 1..3 | % { $n++ }; $n") == [3]


def test_foreach_positional_begin_process_end(ps):
    assert ps("1,2 | % {'begin'} {$_ * 10} {'end'}") == ["begin", 10, 20, "end"]


def test_foreach_without_input_runs_once(ps):
    assert ps("ForEach-Object { 'once' }") == ["once"]


def test_foreach_member_name_property_and_method(ps):
    assert ps(DBS + "$dbs | ForEach-Object Name") == ["DB1", "DB2", "db3"]
    assert ps("'ab','cd' | % ToUpper") == ["AB", "CD"]
    assert ps("'a-b' | % Split '-'") == ["a", "b"]


def test_foreach_member_unrolls_collections(ps):
    assert ps("[pscustomobject]@{S='EX1','EX2'} | % S") == ["EX1", "EX2"]


def test_foreach_missing_member_writes_null(ps):
    assert ps("'x' | % NoSuchMember") == [None]


def test_foreach_output_streams_in_order_with_host_output(run):
    r = run("1..2 | % { $_; Write-Host \"after $_\" }")
    assert r.text.split() == ["1", "after", "1", "2", "after", "2"]


def test_foreach_whatif_rejected_for_script_blocks(run):
    r = run("1 | % { $_ } -WhatIf")
    assert r.errors[0].message == "The -WhatIf and -Confirm parameters are not supported for script blocks."


def test_strict_mode_missing_members_are_errors(run):
    r = run("Set-StrictMode -Version 2; [pscustomobject]@{a=1} | Where-Object Nope -eq 1")
    assert r.errors[0].message == 'The input name "Nope" cannot be resolved to a property.'
    r = run("Set-StrictMode -Version 2; 'x' | ForEach-Object Nope")
    assert r.errors[0].message == 'The input name "Nope" cannot be resolved to a member.'
    assert r.output == []
