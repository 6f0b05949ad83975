"""Error display, byte-exact against the 5.1 examples of A.14, and error semantics of A.10."""
from ems import Shell
from ems.format.errorview import position_message
from .rt_helpers import err, out, run


def test_canonical_get_childitem_foo():
    assert err("Get-ChildItem -Foo") == (
        "Get-ChildItem : A parameter cannot be found that matches parameter name 'Foo'.\n"
        "At line:1 char:15\n"
        "+ Get-ChildItem -Foo\n"
        "+               ~~~~\n"
        "    + CategoryInfo          : InvalidArgument: (:) [Get-ChildItem], ParameterBindingException\n"
        "    + FullyQualifiedErrorId : NamedParameterNotFound,Microsoft.PowerShell.Commands.GetChildItemCommand\n"
        " \n")


def test_alias_prefix_is_the_name_as_typed():
    assert err("gci -Foo").startswith("gci : A parameter cannot be found")
    assert err("& Get-ChildItem -Foo").startswith("Get-ChildItem : ")


def test_canonical_throw():
    assert err('throw "boom"') == (
        "boom\n"
        "At line:1 char:1\n"
        '+ throw "boom"\n'
        "+ ~~~~~~~~~~~~\n"
        "    + CategoryInfo          : OperationStopped: (boom:String) [], RuntimeException\n"
        "    + FullyQualifiedErrorId : boom\n"
        " \n")


def test_throw_without_value_and_with_object():
    assert err("throw").startswith("ScriptHalted\n")
    assert "OperationStopped: (1:Int32) [], RuntimeException" in err("throw 1")


def test_write_error_inside_a_function():
    text = "function Test-WriteError {\n  Write-Error 'Bad'\n}\nTest-WriteError"
    assert err(text) == (
        "Test-WriteError : Bad\n"
        "At line:4 char:1\n"
        "+ Test-WriteError\n"
        "+ ~~~~~~~~~~~~~~~\n"
        "    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n"
        "    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,Test-WriteError\n"
        " \n")


def test_position_windowing_of_long_lines():
    line = "Get-ChildItem " + "-Path x " * 10 + "-Bogus 1"
    msg = position_message("", 1, line.index("-Bogus") + 1, line, "-Bogus")
    head, src, marker = msg.split("\n")
    assert head == f"At line:1 char:{line.index('-Bogus') + 1}"
    assert src.startswith("+ ... ") and len(src) == 2 + 4 + 69
    assert marker == "+ " + " " * (src.index("-Bogus") - 2) + "~~~~~~"
    short = position_message("", 3, 5, "abc defgh", "defgh")
    assert short == "At line:3 char:5\n+ abc defgh\n+     ~~~~~"


def test_position_of_multi_line_extent_runs_to_end_of_line():
    assert position_message("C:\\s.ps1", 2, 3, "  if ($x) {", "if ($x) {\n}") == (
        "At C:\\s.ps1:2 char:3\n+   if ($x) {\n+   ~~~~~~~~~")


def test_tabs_expand_to_four_spaces():
    assert position_message("", 1, 2, "\tfoo", "foo") == "At line:1 char:2\n+     foo\n+     ~~~"


def test_terminating_error_in_script_stops_only_on_throw():
    r = run("Get-ChildItem -Foo; 'next'")
    assert r.output == ["next"]
    r = run("throw 'x'; 'next'")
    assert r.output == []
    r = run("function f { throw 'inner' }; f; 'next'")
    assert r.output == []
    assert r.exit_code == 1


def test_try_catch_finally_and_typed_catch():
    assert out("try { throw 'oops' } catch { \"caught: $_\" } finally { 'finally' }") == ["caught: oops", "finally"]
    assert out("try { Get-ChildItem -Foo } catch [System.Management.Automation.ParameterBindingException] "
               "{ $_.FullyQualifiedErrorId }") == ["NamedParameterNotFound,Microsoft.PowerShell.Commands.GetChildItemCommand"]
    assert out("try { 1/0 } catch [System.DivideByZeroException] { 'dz' } catch { 'other' }") == ["dz"]
    assert out("try { nosuchcmd } catch [System.Management.Automation.CommandNotFoundException] { 'cnf' }") == ["cnf"]
    assert out("try { throw 'x' } catch [System.IO.IOException] { 'io' } catch { 'any' }") == ["any"]
    assert out("try { try { throw 'x' } catch { throw } } catch { \"outer: $_\" }") == ["outer: x"]
    assert out("try { 'a' } finally { 'f' }") == ["a", "f"]
    assert out("foreach ($i in 1..3) { try { if ($i -eq 2) { continue }; $i } finally { \"f$i\" } }") == [
        1, "f1", "f2", 3, "f3"]


def test_catch_sees_error_record_members():
    assert out("try { [int]'x' } catch { $_.Exception.Message; $_.CategoryInfo.Category; "
               "$_.InvocationInfo.ScriptLineNumber }") == [
        'Cannot convert value "x" to type "System.Int32". Error: "Input string was not in a correct format."',
        "InvalidArgument", 1]


def test_error_action_preference_variants():
    assert out("$ErrorActionPreference = 'SilentlyContinue'; Write-Error 'hidden'; 'still'") == ["still"]
    r = run("$ErrorActionPreference = 'Stop'; Write-Error 'fatal'; 'never'")
    assert r.output == [] and "fatal" in r.error_text and r.exit_code == 1
    r = run("Write-Error 'shown' -ErrorAction Continue; 'after'")
    assert r.output == ["after"] and "shown" in r.error_text
    assert out("try { Write-Error 'x' -ErrorAction Stop } catch { $_.Exception.Message }") == ["x"]


def test_dollar_error_and_dollar_question():
    sh = Shell(scenario="empty")
    run("$Error.Clear()", sh)
    run("Get-ChildItem -Foo", sh)
    assert out("$?", sh) == [False]
    assert out("$Error.Count; $Error[0].FullyQualifiedErrorId", sh) == [
        1, "NamedParameterNotFound,Microsoft.PowerShell.Commands.GetChildItemCommand"]
    assert out("Write-Error x 2>$null; $?", sh) == [False]


def test_redirections():
    assert out("Write-Error 'e1' 2>&1 | ForEach-Object { \"got: $_\" }") == ["got: e1"]
    r = run("Write-Error 'e2' 2>$null; 'after'")
    assert r.output == ["after"] and r.error_text == ""
    assert out("Write-Warning 'w' 3>$null; 'x' | Out-Null; 'done'") == ["done"]
    assert run("Write-Warning 'w' 3>$null").text == ""


def test_file_redirection(tmp_path):
    f = tmp_path / "o.txt"
    run(f"'one' > '{f}'; 'two' >> '{f}'")
    assert f.read_text() == "one\ntwo\n"
    run(f"Write-Error 'oops' 2> '{f}'")
    assert f.read_text().startswith("Write-Error 'oops' 2> ")


def test_redirection_is_relative_to_the_current_location(tmp_path):
    run(f"Set-Location '{tmp_path}'; 'here' > rel.txt; 'more' >> rel.txt")
    assert (tmp_path / "rel.txt").read_text() == "here\nmore\n"


def test_file_errors_are_error_records(tmp_path):
    r = run(f"'x' > '{tmp_path}'")
    assert r.error_text.startswith(f"Access to the path '{tmp_path}' is denied.\n")
    assert r.errors[0].fully_qualified_error_id == "FileOpenFailure"
    r = run(f"'x' > '{tmp_path}/no/such.txt'")
    assert r.errors[0].message == f"Could not find a part of the path '{tmp_path}/no/such.txt'."
    for command in ("Set-Content", "Add-Content", "Out-File", "Export-Csv", "Tee-Object"):
        r = run(f"'x' | {command} '{tmp_path}' | Out-Null")
        assert r.errors[0].message == f"Access to the path '{tmp_path}' is denied.", command
        assert r.errors[0].exception_type == "UnauthorizedAccessException" and "internal" not in r.error_text


def test_parse_error_in_script_file_reports_path(tmp_path):
    s = tmp_path / "p.ps1"
    s.write_text("'ok'\nif ($x {\n")
    r = Shell(scenario="empty").run_file(str(s))
    assert r.exit_code == 1
    assert f"At {s}:2 char:" in r.error_text
    assert "+ CategoryInfo          : ParserError: (:) [], ParseException" in r.error_text


def test_trap_continue_and_break():
    assert out('trap { "trapped: $_"; continue }; throw "x"; "after"') == ["trapped: x", "after"]
    r = run('function f { trap { "t"; break }; 1/0; "no" }; f; "end"')
    assert r.output == ["t"]
    assert "Attempted to divide by zero." in r.error_text


def test_trap_catches_errors_of_nested_blocks_and_functions():
    text = 'trap { "trapped: $_"; continue }; if ($true) { throw "inner"; "no" }; function g { 1/0; "g-no" }; g; "after"'
    assert out(text) == ["trapped: inner", "trapped: Attempted to divide by zero.", "after"]


def test_several_parse_errors_follow_each_other():
    from ems.format.errorview import render
    from ems.lang.ast import Extent, Source
    from ems.runtime.errors import ErrorRecord
    src = Source("a ( b\nc {")
    errors = [("Missing closing ')' in expression.", "MissingEndParenthesisInExpression", Extent(src, 2, 3)),
              ("Missing closing '}' in statement block or type definition.", "MissingEndCurlyBrace", Extent(src, 8, 9))]
    rec = ErrorRecord(message=errors[0][0], exception_type="ParseException", category="ParserError",
                      error_id=errors[0][1], script_level=True, parse_errors=errors)
    assert render(rec) == (
        "At line:1 char:3\n+ a ( b\n+   ~\nMissing closing ')' in expression.\n"
        "At line:2 char:3\n+ c {\n+   ~\nMissing closing '}' in statement block or type definition.\n"
        "    + CategoryInfo          : ParserError: (:) [], ParseException\n"
        "    + FullyQualifiedErrorId : MissingEndParenthesisInExpression\n"
        " ")
    rec.parse_errors = errors * 6
    assert render(rec).count("Missing closing") == 10
    assert "Not all parse errors were reported.  Correct the reported errors and try again." in render(rec)


def test_several_parse_errors_of_a_script_through_the_shell():
    assert err("Get-Date\nGet-X -Y ,a\n'fine'\nGet-Z &") == (
        "At line:2 char:10\n"
        "+ Get-X -Y ,a\n"
        "+          ~\n"
        "Missing argument in parameter list.\n"
        "At line:4 char:7\n"
        "+ Get-Z &\n"
        "+       ~\n"
        'The ampersand (&) character is not allowed. The & operator is reserved for future use; wrap an '
        'ampersand in double quotation marks ("&") to pass it as part of a string.\n'
        "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\n"
        "    + FullyQualifiedErrorId : MissingArgument\n"
        " \n")


def test_more_than_ten_parse_errors_end_with_the_5_1_notice():
    text = err("1..3 | % { $_ 1 2 3 4 5 6 7 8 9 10 11 12 }")
    assert text.count("Unexpected token") == 10
    assert "Unexpected token '10' in expression or statement.\n" \
           "Not all parse errors were reported.  Correct the reported errors and try again.\n" \
           "    + CategoryInfo          : ParserError" in text
