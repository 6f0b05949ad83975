"""Statements (A.9): control flow, loops with labels, switch, functions and parameters,
try/catch/finally, trap, flow control; script-level param blocks and named blocks."""
import pytest

from ems.lang import ast as A
from ems.lang.parser import parse


def d(text: str) -> str:
    return A.dump(parse(text).end)


def first(text: str):
    return parse(text).end.statements[0]


@pytest.mark.parametrize("text, tree", [
    ("if ($a) { 1 }", "{(If clauses=[($a {1})])}"),
    ("if ($a) { 1 } else { 2 }", "{(If clauses=[($a {1})] else_body={2})}"),
    ("if ($a) { 1 } elseif ($b) { 2 } elseif ($c) { 3 } else { 4 }",
     "{(If clauses=[($a {1}) ($b {2}) ($c {3})] else_body={4})}"),
    ("if ($a)\n{\n 1\n}\nelse\n{\n 2\n}", "{(If clauses=[($a {1})] else_body={2})}"),
    ("IF ($a) {1} ELSE {2}", "{(If clauses=[($a {1})] else_body={2})}"),
    ("if(Test-X -Name a){1}", "{(If clauses=[((Command Test-X -Name a) {1})])}"),
    ("if ($x = Get-X) { $x }", "{(If clauses=[((= $x (Command Get-X)) {$x})])}"),
    ("if ($a) { 1 }\nGet-X", "{(If clauses=[($a {1})]); (Command Get-X)}"),
    ("if ($a) { 1 } 2", "{(If clauses=[($a {1})]); 2}"),
])
def test_if(text, tree):
    assert d(text) == tree


def test_else_on_a_later_line_is_not_swallowed_in_hashtables():
    assert d("@{ a = if ($x) { 1 }\n b = 2 }") == "{(@{} (a (If clauses=[($x {1})])) (b 2))}"


@pytest.mark.parametrize("text, tree", [
    ("while ($i -lt 3) { $i++ }", "{(While body={(post++ $i)} condition=(-lt $i 3))}"),
    ("do { $i++ } while ($i -lt 3)", "{(DoWhile body={(post++ $i)} condition=(-lt $i 3))}"),
    ("do { $i++ }\nuntil ($i -ge 3)", "{(DoUntil body={(post++ $i)} condition=(-ge $i 3))}"),
    ("for ($i = 0; $i -lt 3; $i++) { $i }",
     "{(For body={$i} initializer=(= $i 0) condition=(-lt $i 3) iterator=(post++ $i))}"),
    ("for (;;) { break }", "{(For body={(Break)})}"),
    ("for ($i = 0\n $i -lt 3\n $i++) {}",
     "{(For body={} initializer=(= $i 0) condition=(-lt $i 3) iterator=(post++ $i))}"),
    ("foreach ($db in Get-MailboxDatabase) { $db.Name }",
     "{(ForEach body={(. $db Name)} variable=$db iterable=(Command Get-MailboxDatabase))}"),
    ("foreach ($x in $a, $b) {}", "{(ForEach body={} variable=$x iterable=(, $a $b))}"),
    ("foreach ($x in @(1,2) | Sort) {}",
     "{(ForEach body={} variable=$x iterable=(Pipeline (@ {(, 1 2)}) (Command Sort)))}"),
    ("foreach($x in$y){}", "{(ForEach body={} variable=$x iterable=$y)}"),
    ("ForEach ($x IN $y) {}", "{(ForEach body={} variable=$x iterable=$y)}"),
])
def test_loops(text, tree):
    assert d(text) == tree


def test_labels():
    loop = first(":outer foreach ($i in 1..3) { foreach ($j in 1..3) { continue outer } break outer }")
    assert isinstance(loop, A.ForEachStatement) and loop.label == "outer"
    inner, brk = loop.body.statements
    assert inner.label is None
    assert isinstance(inner.body.statements[0], A.ContinueStatement)
    assert inner.body.statements[0].label == "outer"
    assert isinstance(brk, A.BreakStatement) and brk.label == "outer"
    assert first(":w while ($true) { break w }").label == "w"
    assert first(":d do { } while ($false)").label == "d"
    assert first(":f for (;;) { }").label == "f"
    assert first(":s switch (1) { 1 { break s } }").label == "s"


@pytest.mark.parametrize("text, flags", [
    ("switch ($x) { 1 {} }", frozenset()),
    ("switch -regex ($x) { 'a' {} }", frozenset({"regex"})),
    ("switch -Wildcard -CaseSensitive ($x) { 'a*' {} }", frozenset({"wildcard", "casesensitive"})),
    ("switch -exact ($x) { a {} }", frozenset({"exact"})),
    ("switch -regex -wildcard ($x) { a {} }", frozenset({"wildcard"})),
    ("switch -r ($x) { a {} }", frozenset({"regex"})),
])
def test_switch_flags(text, flags):
    assert first(text).flags == flags


def test_switch_clauses():
    sw = first("switch ($a, $b) {\n  'x' { 1 }\n  {$_ -gt 5} { 2; break }\n  42 { 3 }\n  $v { 4 }\n"
               "  Name { 5 }\n  default { 6 }\n}")
    assert A.dump(sw.condition) == "(, $a $b)"
    conditions = [A.dump(c) for c, _ in sw.clauses]
    assert conditions == ["'x'", "{(-gt $_ 5)}", "42", "$v", "Name"]
    assert A.dump(sw.clauses[1][1]) == "{2; (Break)}"
    assert A.dump(sw.default) == "{6}"
    sw = first("switch -file C:\\list.txt { a { 1 } }")
    assert "file" in sw.flags and A.dump(sw.condition) == "C:\\list.txt"
    assert A.dump(first("$r = switch ($x) { 1 { 'one' } ; 2 { 'two' } }")) == \
        "(= $r (Switch condition=$x clauses=[(1 {'one'}) (2 {'two'})]))"


def test_function_with_inline_parameters():
    fn = first("function Get-Thing([string]$Name = 'x', [switch]$Force, $Rest) { $Name }")
    assert isinstance(fn, A.FunctionDefinition) and fn.name == "Get-Thing" and not fn.is_filter
    params = fn.body.param_block.parameters
    assert [p.name for p in params] == ["Name", "Force", "Rest"]
    assert str(params[0].type_constraint) == "string" and params[0].default.value == "x"
    assert params[1].is_switch and not params[0].is_switch
    assert params[2].type_constraint is None and params[2].attributes == []
    assert A.dump(fn.body.end) == "{$Name}"


def test_function_with_param_block_and_attributes():
    fn = first("""function Move-Db {
        [CmdletBinding(SupportsShouldProcess=$true, DefaultParameterSetName='Identity')]
        param(
            [Parameter(Mandatory=$true, Position=0, ValueFromPipeline=$true,
                       ValueFromPipelineByPropertyName=$true, ParameterSetName='Identity')]
            [ValidateNotNullOrEmpty()]
            [string[]] $Identity,

            [Parameter(Mandatory)]
            [ValidateSet('Lossless', 'GoodAvailability')]
            $MountDial = 'Lossless',

            [System.Management.Automation.ValidateNotNullOrEmptyAttribute()]
            [System.Int32] $Count
        )
        process { $Identity }
    }""")
    pb = fn.body.param_block
    binding = pb.attribute("CmdletBinding")
    assert [(a.name, A.dump(a.value)) for a in binding.named_args] == [
        ("SupportsShouldProcess", "$true"), ("DefaultParameterSetName", "'Identity'")]
    identity, dial, count = pb.parameters
    p = identity.attribute("Parameter")
    assert [(a.name, A.dump(a.value)) for a in p.named_args] == [
        ("Mandatory", "$true"), ("Position", "0"), ("ValueFromPipeline", "$true"),
        ("ValueFromPipelineByPropertyName", "$true"), ("ParameterSetName", "'Identity'")]
    assert identity.attribute("ValidateNotNullOrEmpty") is not None
    assert str(identity.type_constraint) == "string[]"
    mandatory = dial.attribute("parameter").named_args[0]
    assert mandatory.name == "Mandatory" and mandatory.value is None
    assert [v.value for v in dial.attribute("ValidateSet").positional_args] == ["Lossless", "GoodAvailability"]
    assert dial.default.value == "Lossless"
    assert count.attribute("ValidateNotNullOrEmpty") is not None
    assert str(count.type_constraint) == "System.Int32"
    assert fn.body.named_blocks and fn.body.end is None and A.dump(fn.body.process) == "{$Identity}"


@pytest.mark.parametrize("text, name, is_filter", [
    ("function f { 1 }", "f", False),
    ("function global:Get-X { 1 }", "global:Get-X", False),
    ("function script:helper\n{\n 1\n}", "script:helper", False),
    ("filter Double { $_ * 2 }", "Double", True),
    ("FUNCTION F{}", "F", False),
])
def test_function_names(text, name, is_filter):
    fn = first(text)
    assert (fn.name, fn.is_filter) == (name, is_filter)


def test_filter_body_is_the_process_block():
    fn = first("filter Double { $_ * 2 }")
    assert fn.body.end is None and A.dump(fn.body.process) == "{(* $_ 2)}"


def test_named_blocks():
    sb = first("{ param($x) begin { 1 } process { 2 } end { 3 } }").elements[0].expression.script_block
    assert sb.named_blocks
    assert [A.dump(b) for b in (sb.begin, sb.process, sb.end)] == ["{1}", "{2}", "{3}"]
    assert sb.dynamicparam is None
    script = parse("[CmdletBinding()]\nparam([string]$Server)\nbegin {}\nend { $Server }\n")
    assert script.param_block.attribute("CmdletBinding") is not None
    assert script.named_blocks and A.dump(script.end) == "{$Server}"


def test_script_param_block():
    script = parse("# comment\nparam(\n  [Parameter(Mandatory=$true)][string]$Identity\n)\nGet-X $Identity")
    assert [p.name for p in script.param_block.parameters] == ["Identity"]
    assert A.dump(script.end) == "{(Command Get-X $Identity)}"
    assert parse("Get-X\nparam($a)").param_block is None


@pytest.mark.parametrize("text, tree", [
    ("try { 1 } catch { 2 }", "{(Try body={1} catches=[(CatchClause body={2})])}"),
    ("try { 1 } finally { 3 }", "{(Try body={1} finally_body={3})}"),
    ("try { 1 }\ncatch [System.IO.IOException], [System.UnauthorizedAccessException] { 2 }\n"
     "catch { 3 }\nfinally { 4 }",
     "{(Try body={1} catches=[(CatchClause types=[[System.IO.IOException] [System.UnauthorizedAccessException]] "
     "body={2}) (CatchClause body={3})] finally_body={4})}"),
    ("try { throw 'x' } catch [Exception] { $_.Exception.Message }",
     "{(Try body={(Throw pipeline='x')} catches=[(CatchClause types=[[Exception]] "
     "body={(. (. $_ Exception) Message)})])}"),
    ("trap { continue } 1", "{(Trap body={(Continue)}); 1}"),
    ("trap [System.Exception] { 'x' }", "{(Trap type_name=[System.Exception] body={'x'})}"),
])
def test_try_and_trap(text, tree):
    assert d(text) == tree


@pytest.mark.parametrize("text, tree", [
    ("throw", "{(Throw)}"),
    ("throw 'boom'", "{(Throw pipeline='boom')}"),
    ("throw \"Failed: $x\"", "{(Throw pipeline=(Expand 'Failed: ' $x))}"),
    ("return", "{(Return)}"),
    ("return $x | Sort", "{(Return pipeline=(Pipeline $x (Command Sort)))}"),
    ("exit", "{(Exit)}"),
    ("exit 3", "{(Exit pipeline=3)}"),
    ("break", "{(Break)}"),
    ("break outer", "{(Break label='outer')}"),
    ("continue $lbl", "{(Continue label=$lbl)}"),
    ("if ($x) { return }\n1", "{(If clauses=[($x {(Return)})]); 1}"),
    ("return\n5", "{(Return); 5}"),
])
def test_flow_control(text, tree):
    assert d(text) == tree


def test_statement_extents():
    script = parse("$a = 1\nif ($a) {\n  'yes'\n}\nGet-X -Name a | Out-Null")
    assignment, if_statement, pipeline = script.end.statements
    assert assignment.extent.text == "$a = 1"
    assert if_statement.extent.text == "if ($a) {\n  'yes'\n}"
    assert (if_statement.extent.start_line, if_statement.extent.end_line) == (2, 4)
    assert pipeline.extent.text == "Get-X -Name a | Out-Null"
    assert pipeline.elements[1].extent.start_column == 17
