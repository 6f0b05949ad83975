"""Literals: numbers (value and 5.1 type), strings (all quoting forms), variables."""
from decimal import Decimal

import pytest

from ems.lang import ast as A
from ems.lang.parser import parse


def expr(text: str):
    """The single expression of a one-statement script."""
    statement = parse(text).end.statements[0]
    assert isinstance(statement, A.PipelineAst)
    return statement.elements[0].expression


@pytest.mark.parametrize("text, value, type_name", [
    ("42", 42, "int"),
    ("2147483647", 2147483647, "int"),
    ("2147483648", 2147483648, "long"),
    ("9223372036854775808", Decimal(9223372036854775808), "decimal"),
    ("0x10", 16, "int"),
    ("0xFFFFFFFF", -1, "int"),
    ("0x80000000", -2147483648, "int"),
    ("0x100000000", 4294967296, "long"),
    ("10l", 10, "long"),
    ("3d", Decimal(3), "decimal"),
    ("1.5d", Decimal("1.5"), "decimal"),
    ("1kb", 1024, "int"),
    ("20MB", 20971520, "int"),
    ("2gb", 2147483648, "long"),
    ("1.5kb", 1536.0, "double"),
    ("1.5", 1.5, "double"),
    (".5", 0.5, "double"),
    ("1e3", 1000.0, "double"),
    ("1.5E-2", 0.015, "double"),
    ("-1", -1, "int"),
    ("-2147483648", -2147483648, "int"),
])
def test_numbers(text, value, type_name):
    node = expr(text)
    assert isinstance(node, A.ConstantExpression)
    assert node.value == value and type(node.value) is type(value)
    assert node.type_name == type_name


def test_negative_number_folds_only_when_glued():
    assert isinstance(expr("-1"), A.ConstantExpression)
    spaced = expr("- 1")
    assert isinstance(spaced, A.UnaryExpression) and spaced.op == "-"


@pytest.mark.parametrize("text, value, kind", [
    ("'abc'", "abc", "single"),
    ("'it''s'", "it's", "single"),
    ("'$x `n'", "$x `n", "single"),
    ('"plain"', "plain", "double"),
    ('"a""b"', 'a"b', "double"),
    ('"a`"b"', 'a"b', "double"),
    ('"`0`a`b`f`n`r`t`v"', "\0\a\b\f\n\r\t\v", "double"),
    ('"`$x `q ``"', "$x q `", "double"),
    ('"US$ 5"', "US$ 5", "double"),
    ("\u2018smart\u2019", "smart", "single"),
    ("\u201csmart\u201d", "smart", "double"),
    ("@'\nline1\n  'quoted' \"too\"\n'@", "line1\n  'quoted' \"too\"", "single_here"),
    ("@'\n'@", "", "single_here"),
    ("@'  \r\nwin\r\n'@", "win", "single_here"),
    ('@"\nno vars here\n"@', "no vars here", "double_here"),
    ('"multi\nline"', "multi\nline", "double"),
])
def test_constant_strings(text, value, kind):
    node = expr(text)
    assert isinstance(node, A.StringConstantExpression)
    assert (node.value, node.kind) == (value, kind)


def _parts(node):
    out = []
    for part in node.parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, A.VariableExpression):
            out.append("$" + part.path)
        elif isinstance(part, A.SubExpression):
            out.append("$(" + A.dump(part.body) + ")")
        else:
            out.append(A.dump(part))
    return out


@pytest.mark.parametrize("text, parts", [
    ('"a $x b"', ["a ", "$x", " b"]),
    ('"$x.Name"', ["$x", ".Name"]),
    ('"$a[0]"', ["$a", "[0]"]),
    ('"${HOME}x"', ["$HOME", "x"]),
    ('"${a b}"', ["$a b"]),
    ('"$env:COMPUTERNAME\\x"', ["$env:COMPUTERNAME", "\\x"]),
    ('"$script:count items"', ["$script:count", " items"]),
    ('"$($x.Name) ok"', ["$({(. $x Name)})", " ok"]),
    ('"$(Get-Date -Format \'yyyy\')"', ["$({(Command Get-Date -Format 'yyyy')})"]),
    ('"nested $("inner $y")"', ["nested ", "$({(Expand 'inner ' $y)})"]),
    ('"$_ and $?"', ["$_", " and ", "$?"]),
    ('@"\nName: $name\n  `$literal\n"@', ["Name: ", "$name", "\n  $literal"]),
])
def test_expandable_strings(text, parts):
    node = expr(text)
    assert isinstance(node, A.ExpandableStringExpression)
    assert _parts(node) == parts


@pytest.mark.parametrize("text, name, scope, braced", [
    ("$x", "x", None, False),
    ("$_", "_", None, False),
    ("$?", "?", None, False),
    ("$$", "$", None, False),
    ("$^", "^", None, False),
    ("$global:x", "x", "global", False),
    ("$Script:Count", "Count", "script", False),
    ("$env:Path", "Path", "env", False),
    ("${weird name}", "weird name", None, True),
    ("${env:ProgramFiles(x86)}", "ProgramFiles(x86)", "env", True),
    ("$true", "true", None, False),
])
def test_variables(text, name, scope, braced):
    node = expr(text)
    assert isinstance(node, A.VariableExpression)
    assert (node.name, node.scope, node.braced, node.splatted) == (name, scope, braced, False)


def test_source_positions():
    sb = parse("$a = 1\r\n  Get-Mailbox  -Identity x", file="C:\\s.ps1")
    command = sb.end.statements[1].elements[0]
    assert command.extent.start_line == 2 and command.extent.start_column == 3
    assert command.extent.text == "Get-Mailbox  -Identity x"
    assert command.extent.line_text == "  Get-Mailbox  -Identity x"
    assert command.extent.file == "C:\\s.ps1"
    parameter = command.elements[0]
    assert (parameter.extent.start_column, parameter.extent.end_column) == (16, 25)
    assert sb.end.statements[0].extent.line_text == "$a = 1"
