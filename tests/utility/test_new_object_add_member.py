"""New-Object and Add-Member as EMS scripts use them."""


def test_new_object_psobject_with_properties(ps):
    out = ps("$o = New-Object PSObject -Property @{Name='DB1'; Copies=2}; $o.Name; $o.Copies")
    assert out == ["DB1", 2]
    out = ps("New-Object -TypeName PSObject -Property ([ordered]@{B=1; A=2})")
    assert out[0].properties() == [("B", 1), ("A", 2)]
    assert out[0].type_names[0] == "System.Management.Automation.PSCustomObject"


def test_new_object_collections(ps):
    assert ps("$l = New-Object System.Collections.ArrayList; [void]$l.Add('a'); $l.Add('b'); $l.Count") == [1, 2]
    assert ps("$h = New-Object Hashtable; $h['k'] = 1; $h.k") == [1]
    assert ps("$l = New-Object 'System.Collections.Generic.List[string]'; [void]$l.Add('x'); $l.Count") == [1]


def test_generic_list_add_outputs_nothing_unlike_arraylist(ps):
    # List<T>.Add is void; ArrayList.Add returns the new index (which scripts must [void]).
    text = ("$l = New-Object 'System.Collections.Generic.List[string]'; $l.Add('a'); $l.Add(5); "
            "$l.Count; $l[1].GetType().Name; $l.Remove('a'); $l.Remove('zz'); $l.GetType().Name")
    assert ps(text) == [2, "String", True, False, "List`1"]
    assert ps("$a = New-Object System.Collections.ArrayList; $a.Add('x'); $a.Add('y')") == [0, 1]
    assert ps("$l = [System.Collections.Generic.List[int]]::new(); $l.Add('7'); $l[0] + 1") == [8]
    assert ps("[System.Collections.Generic.List[string]]$x = 'a', 'b'; $x.Add('c'); $x -join ','") == ["a,b,c"]


def test_generic_list_type_name(ps):
    assert ps("(New-Object System.Collections.Generic.List[int]).GetType().FullName") == [
        "System.Collections.Generic.List`1[[System.Int32, mscorlib, Version=4.0.0.0, Culture=neutral, "
        "PublicKeyToken=b77a5c561934e089]]"]


def test_constructors_with_arguments(ps):
    import datetime
    assert ps("New-Object DateTime 2020, 1, 2") == [datetime.datetime(2020, 1, 2)]
    assert ps("[datetime]::new(2020, 1, 2, 3, 4, 5)") == [datetime.datetime(2020, 1, 2, 3, 4, 5)]
    assert ps("[timespan]::new(1, 2, 3).TotalSeconds") == [3723.0]


def test_no_such_constructor(run):
    r = run("New-Object String")
    assert r.errors[0].message == ("A constructor was not found. Cannot find an appropriate constructor "
                                   "for type String.")
    r = run("[string]::new()")
    assert r.errors[0].message == 'Cannot find an overload for "new" and the argument count: "0".'


def test_new_object_value_types(ps):
    assert ps("New-Object Int32") == [0]
    assert ps("(New-Object TimeSpan '01:00:00').TotalMinutes") == [60.0]


def test_new_object_unknown_type(run):
    r = run("New-Object Foo.Bar")
    assert r.errors[0].message == "Cannot find type [Foo.Bar]: verify that the assembly containing this type is loaded."
    assert r.errors[0].fully_qualified_error_id == "TypeNotFound,Microsoft.PowerShell.Commands.NewObjectCommand"
    assert r.errors[0].category == "InvalidType"


def test_add_member_note_property_forms(ps):
    out = ps("$o = [pscustomobject]@{Name='EX1'}; "
             "$o | Add-Member -MemberType NoteProperty -Name Site -Value Portland; "
             "Add-Member -InputObject $o -NotePropertyName Role -NotePropertyValue Mailbox; "
             "$o | Add-Member NoteProperty Up $true; "
             "$o | Add-Member -NotePropertyMembers @{Rack=4}; $o")
    assert out[0].properties() == [("Name", "EX1"), ("Site", "Portland"), ("Role", "Mailbox"), ("Up", True),
                                   ("Rack", 4)]


def test_add_member_passthru_and_force(ps, run):
    assert ps("New-Object PSObject | Add-Member NoteProperty X 1 -PassThru | % X") == [1]
    r = run("$o = [pscustomobject]@{X=1}; $o | Add-Member NoteProperty X 2; $o.X")
    assert r.output == [1]
    assert r.errors[0].message == ('Cannot add a member with the name "X" because a member with that name already '
                                   "exists. To overwrite the member anyway, add the Force parameter to your command.")
    assert ps("$o = [pscustomobject]@{X=1}; $o | Add-Member NoteProperty X 2 -Force; $o.X") == [2]


def test_add_member_type_name(ps):
    out = ps("[pscustomobject]@{A=1} | Add-Member -TypeName My.Report -PassThru")
    assert out[0].type_names[0] == "My.Report"


def test_add_member_other_member_types_refused(run):
    r = run("[pscustomobject]@{A=1} | Add-Member -MemberType ScriptMethod -Name Go -Value {1}")
    assert r.errors[0].message == ('Cannot add a member with type "ScriptMethod". Specify a different type for '
                                   "the MemberTypes parameter.")
