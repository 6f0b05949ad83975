"""Select-Object, Sort-Object, Group-Object, Measure-Object, Compare-Object."""
import pytest

DBS = ("$dbs = [pscustomobject]@{Name='DB1';Status='Mounted';CopyQueue=3;ReplayQueue=1}, "
       "[pscustomobject]@{Name='DB2';Status='Healthy';CopyQueue=0;ReplayQueue=0}, "
       "[pscustomobject]@{Name='db3';Status='Mounted';CopyQueue=12;ReplayQueue=5}; ")


def props(obj):
    return obj.properties()


# ----------------------------------------------------------------- Select-Object

def test_select_properties_and_type_name(ps):
    out = ps(DBS + "$dbs | Select-Object Name, Status")
    assert props(out[0]) == [("Name", "DB1"), ("Status", "Mounted")]
    assert out[0].type_names[0] == "Selected.System.Management.Automation.PSCustomObject"


def test_selected_type_name_is_the_base_type(ps):
    assert ps("'abc' | Select-Object Length")[0].type_names[0] == "Selected.System.String"
    out = ps(DBS + "$dbs | Select-Object Name | Select-Object Name")
    assert out[0].type_names[0] == "Selected.System.Management.Automation.PSCustomObject"


def test_select_wildcards_in_member_order(ps):
    out = ps(DBS + "$dbs | Select-Object -First 1 Name, *Queue")
    assert [n for n, _ in props(out[0])] == ["Name", "CopyQueue", "ReplayQueue"]


def test_select_missing_property_becomes_null(ps):
    out = ps(DBS + "$dbs | Select-Object -First 1 Name, NoSuch")
    assert props(out[0]) == [("Name", "DB1"), ("NoSuch", None)]


def test_select_calculated_properties_with_abbreviated_keys(ps):
    out = ps(DBS + "$dbs | Select-Object -First 1 @{n='Q';e={$_.CopyQueue * 2}}, "
                   "@{Label='S'; Expression='Status'}, @{e={$_.Name.ToLower()}}")
    assert props(out[0]) == [("Q", 6), ("S", "Mounted"), ("$_.Name.ToLower()", "db1")]


def test_select_scriptblock_property_is_labelled_with_its_text(ps):
    out = ps("1 | Select-Object {$_ + 1}")
    assert props(out[0]) == [("$_ + 1", 2)]


@pytest.mark.parametrize("spec,message,error_id", [
    ("@{n='x'}", "A mandatory entry for expression is missing.", "DictionaryKeyMandatoryEntry"),
    ("@{n='x';q=1}", "The q key is not valid.", "DictionaryKeyIllegal"),
    ("@{e=5}", 'The "e" key has a type, System.Int32, that is not valid; expected types are '
               "{System.String, System.Management.Automation.ScriptBlock}.", "DictionaryKeyIllegalValue1"),
    ("@{e='a';n=5}", 'The "n" key has a type, System.Int32, that is not valid; expected type is System.String.',
     "DictionaryKeyIllegalValue2"),
    ("@{e='a';expr='b'}", 'The duplicated key "expr" conflicts with "expression".', "DictionaryKeyDuplicate"),
])
def test_select_bad_calculated_property(run, spec, message, error_id):
    r = run(f"1 | Select-Object {spec}")
    assert r.output == []
    err = r.errors[0]
    assert err.message == message
    assert err.category == "InvalidArgument"
    assert err.exception_type == "NotSupportedException"
    assert err.fully_qualified_error_id == f"{error_id},Microsoft.PowerShell.Commands.SelectObjectCommand"


def test_sort_keys_abbreviate_and_reject_unknown(run):
    r = run("3,1,2 | Sort-Object @{e={$_};d=$true}")
    assert r.output == [3, 2, 1] and not r.errors
    r = run("1 | Sort-Object @{e='x';n='y'}")
    assert r.errors[0].message == "The n key is not valid."


def test_select_expand_property(ps):
    out = ps("[pscustomobject]@{Servers='EX1','EX2'}, [pscustomobject]@{Servers='EX3'} | "
             "Select-Object -ExpandProperty Servers")
    assert out == ["EX1", "EX2", "EX3"]


def test_select_expand_missing_property_error(run):
    r = run("[pscustomobject]@{a=1} | Select-Object -ExpandProperty Nope")
    assert r.errors[0].message == 'Property "Nope" cannot be found.'
    assert r.errors[0].fully_qualified_error_id == \
        "ExpandPropertyNotFound,Microsoft.PowerShell.Commands.SelectObjectCommand"


def test_select_expand_with_wildcard_matching_two_properties(run):
    r = run(DBS + "$dbs[0] | Select-Object -ExpandProperty *Queue")
    assert r.errors[0].message == "Multiple properties cannot be expanded."


def test_select_renaming_multiple_results(run):
    r = run(DBS + "$dbs[0] | Select-Object @{n='X';e='*Queue'}")
    assert r.errors[0].message == "Cannot rename multiple results."


def test_select_duplicate_property_error(run):
    r = run(DBS + "$dbs[0] | Select-Object Name, name")
    assert r.errors[0].message == 'The property cannot be processed because the property "Name" already exists.'
    assert props(r.output[0]) == [("Name", "DB1")]


@pytest.mark.parametrize("args,expected", [
    ("-First 2", [1, 2]),
    ("-Last 2", [4, 5]),
    ("-Skip 3", [4, 5]),
    ("-First 2 -Skip 1", [2, 3]),
    ("-Last 2 -Skip 1", [3, 4]),
    ("-Index 0,3", [1, 4]),
    ("-SkipLast 2", [1, 2, 3]),
    ("-First 0", []),
])
def test_select_positions(ps, args, expected):
    assert ps(f"1..5 | Select-Object {args}") == expected


def test_select_first_stops_upstream(ps):
    assert ps("$n = 0; 1..100 | % { $n++; $_ } | Select-Object -First 2 | Out-Null; $n") == [2]


def test_select_unique_is_case_sensitive(ps):
    assert ps("'a','A','a','b' | Select-Object -Unique") == ["a", "A", "b"]


def test_select_exclude_property(ps):
    out = ps(DBS + "$dbs[0] | Select-Object * -ExcludeProperty *Queue")
    assert [n for n, _ in props(out[0])] == ["Name", "Status"]


# ----------------------------------------------------------------- Sort-Object

def test_sort_by_property_and_descending(ps):
    assert [o.get("Name") for o in ps(DBS + "$dbs | Sort-Object CopyQueue")] == ["DB2", "DB1", "db3"]
    assert [o.get("Name") for o in ps(DBS + "$dbs | sort CopyQueue -Descending")] == ["db3", "DB1", "DB2"]


def test_sort_hashtable_direction_per_key(ps):
    out = ps(DBS + "$dbs | Sort-Object Status, @{Expression='Name'; Descending=$true}")
    assert [o.get("Name") for o in out] == ["DB2", "db3", "DB1"]


def test_sort_strings_case_insensitive_and_unique(ps):
    assert ps("'b','C','a' | Sort-Object") == ["a", "b", "C"]
    assert ps("'b','a','B','A' | Sort-Object -Unique") == ["a", "b"]


def test_sort_null_ordering(ps):
    assert ps("3, $null, -2, 0 | Sort-Object") == [-2, None, 0, 3]


def test_sort_missing_property_sorts_last_in_both_directions(ps):
    src = "[pscustomobject]@{N=2}, [pscustomobject]@{X=1}, [pscustomobject]@{N=1}"
    assert [o.get("N") for o in ps(f"{src} | Sort-Object N")] == [1, 2, None]
    assert [o.get("N") for o in ps(f"{src} | Sort-Object N -Descending")] == [2, 1, None]


def test_sort_by_scriptblock(ps):
    assert ps("'ccc','a','bb' | Sort-Object { $_.Length }") == ["a", "bb", "ccc"]


# ----------------------------------------------------------------- Group-Object

def test_group_in_order_of_first_appearance(ps):
    out = ps(DBS + "$dbs | Group-Object Status")
    assert [(g.Name, g.Count) for g in out] == [("Mounted", 2), ("Healthy", 1)]
    assert [o.get("Name") for o in out[0].Group] == ["DB1", "db3"]
    assert out[0].Values == ["Mounted"]


def test_group_case_insensitive_unless_asked(ps):
    assert [g.Count for g in ps("'a','A','b' | Group-Object")] == [2, 1]
    assert [g.Count for g in ps("'a','A','b' | Group-Object -CaseSensitive")] == [1, 1, 1]


def test_group_multiple_properties_name(ps):
    out = ps(DBS + "$dbs | Group-Object Status, ReplayQueue")
    assert out[0].Name == "Mounted, 1"


def test_group_no_element(ps):
    out = ps(DBS + "$dbs | Group-Object Status -NoElement")
    assert out[0].Group == [] and out[0].Count == 2


def test_group_as_hashtable(ps):
    out = ps(DBS + "$h = $dbs | Group-Object Status -AsHashTable; $h['mounted'].Count; $h.Healthy[0].Name")
    assert out == [2, "DB2"]


def test_group_as_hashtable_needs_as_string_for_several_properties(run):
    r = run(DBS + "$dbs | Group-Object Status, Name -AsHashTable")
    assert "must be a single property" in r.errors[0].message


def test_group_default_view(run):
    r = run("'a','b','a' | Group-Object")
    assert "Count Name                      Group" in r.text
    assert "    2 a                         {a, a}" in r.text


# ----------------------------------------------------------------- Measure-Object

def test_measure_count(ps):
    out = ps("1..7 | Measure-Object")
    assert out[0].Count == 7 and out[0].Sum is None


def test_measure_statistics_of_a_property(ps):
    out = ps(DBS + "$dbs | Measure-Object CopyQueue -Sum -Average -Maximum -Minimum")
    m = out[0]
    assert (m.Count, m.Sum, m.Average, m.Maximum, m.Minimum, m.Property) == (3, 15.0, 5.0, 12.0, 0.0, "CopyQueue")


def test_measure_list_view(run):
    r = run("1,2,3 | Measure-Object -Sum")
    assert "Count    : 3\nAverage  : \nSum      : 6\nMaximum  : \nMinimum  : \nProperty : \n" in r.text


def test_measure_missing_property_error(run):
    r = run("1,2 | Measure-Object -Property Nope -Sum")
    assert r.output == []
    assert r.errors[0].message == 'The property "Nope" cannot be found in the input for any objects.'
    assert r.errors[0].fully_qualified_error_id == \
        "GenericMeasurePropertyNotFound,Microsoft.PowerShell.Commands.MeasureObjectCommand"


def test_measure_non_numeric_error(run):
    r = run("'a',1 | Measure-Object -Sum")
    assert r.errors[0].message == 'Input object "a" is not numeric.'
    assert r.output[0].Sum is None


def test_measure_text(ps):
    out = ps("'one two', 'three' | Measure-Object -Line -Word -Character")
    assert (out[0].Lines, out[0].Words, out[0].Characters) == (2, 3, 12)


def test_measure_maximum_of_strings(ps):
    out = ps("'b','c','a' | Measure-Object -Maximum -Minimum")
    assert (out[0].Maximum, out[0].Minimum) == ("c", "a")


# ----------------------------------------------------------------- Compare-Object

def test_compare_object(ps):
    out = ps("Compare-Object 1,2,3 2,3,4")
    assert [(o.get("InputObject"), o.get("SideIndicator")) for o in out] == [(4, "=>"), (1, "<=")]
    out = ps("Compare-Object a,b b -IncludeEqual -ExcludeDifferent")
    assert [(o.get("InputObject"), o.get("SideIndicator")) for o in out] == [("b", "==")]
