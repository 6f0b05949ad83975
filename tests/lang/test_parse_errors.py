"""Parse errors: exact 5.1 messages (A.15), error ids, the column PowerShell reports, and the
incomplete-input flag the REPL uses for its ``>>`` continuation prompt."""
import pytest

from ems.lang.parser import is_complete, parse
from ems.runtime.errors import ParseException


def error_of(text: str):
    with pytest.raises(ParseException) as info:
        parse(text)
    message, error_id, extent = info.value.errors[0]
    return message, error_id, extent, info.value.incomplete


# Error ids and positions from PowerShell's own parser tests (Parsing.Tests.ps1,
# ``ShouldBeParseError``), converted to 1-based columns.
@pytest.mark.parametrize("text, error_id, column", [
    ("for", "MissingOpenParenthesisAfterKeyword", 4),
    ("for(", "MissingEndParenthesisAfterStatement", 5),
    ("for(;", "MissingEndParenthesisAfterStatement", 6),
    ("for(;;", "MissingEndParenthesisAfterStatement", 7),
    ("for($a", "MissingEndParenthesisAfterStatement", 7),
    ("for($a;", "MissingEndParenthesisAfterStatement", 8),
    ("for($a;$b", "MissingEndParenthesisAfterStatement", 10),
    ("for($a;$b;", "MissingEndParenthesisAfterStatement", 11),
    ("for($a;$b;$c", "MissingEndParenthesisAfterStatement", 13),
    ("for($a;$b;$c)", "MissingLoopStatement", 14),
    (":lab for", "MissingOpenParenthesisAfterKeyword", 9),
    (":lab for(", "MissingEndParenthesisAfterStatement", 10),
    (":lab for($a;$b;$c)", "MissingLoopStatement", 19),
    ("foreach", "MissingOpenParenthesisAfterKeyword", 8),
    ("foreach (", "MissingVariableNameAfterForeach", 10),
    ("foreach ($a", "MissingInInForeach", 12),
    ("foreach ($a into", "MissingInInForeach", 12),
    ("foreach ($a in", "MissingForeachExpression", 15),
    ("foreach ($a in $x", "MissingEndParenthesisAfterForeach", 18),
    ("foreach ($a in $x)", "MissingForeachStatement", 19),
    (":lab foreach ($a into", "MissingInInForeach", 17),
    ("do", "MissingLoopStatement", 3),
    ("do {}", "MissingWhileOrUntilInDoWhile", 6),
    ("do {} while", "MissingOpenParenthesisAfterKeyword", 12),
    ("do {} while (", "MissingExpressionAfterKeyword", 14),
    ("do {} while (1", "MissingEndParenthesisAfterStatement", 15),
    ("do {} until (1", "MissingEndParenthesisAfterStatement", 15),
    ("trap", "MissingTrapStatement", 5),
    ("trap [int]", "MissingTrapStatement", 11),
    ("begin", "MissingNamedStatementBlock", 6),
    ("end", "MissingNamedStatementBlock", 4),
    ("dynamicparam", "MissingNamedStatementBlock", 13),
    ("begin process {}", "MissingNamedStatementBlock", 6),
    ("process begin {}", "MissingNamedStatementBlock", 8),
    ("try", "MissingTryStatementBlock", 4),
    ("try {}", "MissingCatchOrFinally", 7),
    ("try {} catch", "MissingCatchHandlerBlock", 13),
    ("try {} finally", "MissingFinallyStatementBlock", 15),
    ("try {} catch [int]", "MissingCatchHandlerBlock", 19),
    ("try {} catch {} finally", "MissingFinallyStatementBlock", 24),
    ("try {} catch {} catch", "MissingCatchHandlerBlock", 22),
    ("try {} catch [int],", "MissingTypeLiteralToken", 20),
    ("switch", "PipelineValueRequired", 7),
    ("switch -abc", "InvalidSwitchFlag", 8),
    ("switch -file", "MissingFilenameOption", 13),
    ("switch (", "PipelineValueRequired", 9),
    ("switch ()", "PipelineValueRequired", 9),
    ('switch ("abc")  ', "MissingCurlyBraceInSwitchStatement", 15),
    ('switch ("abc")  {', "MissingSwitchConditionExpression", 18),
    ('switch ("abc")  { 1', "MissingSwitchStatementClause", 20),
    ('switch ("abc")  { 1 }', "MissingSwitchStatementClause", 20),
    ("switch (1) {default {} default {}}", "MultipleSwitchDefaultClauses", 24),
    ("function", "MissingNameAfterFunctionKeyword", 9),
    ("function foo", "MissingFunctionBody", 13),
    ("function foo(", "MissingEndParenthesisInFunctionParameterList", 14),
    ("function foo {", "MissingEndCurlyBrace", 14),
    ("function foo { function bar { if (1) {} }", "MissingEndCurlyBrace", 14),
    ("function foo {param(}", "MissingEndParenthesisInFunctionParameterList", 21),
    ("$a,$b += 1,2", "InvalidLeftHandSide", 1),
    ("@a", "SplattingNotPermitted", 1),
    ("foreach (@a in $b) {}", "SplattingNotPermitted", 10),
    ("param(@a)", "SplattingNotPermitted", 7),
    ("function foo (@a) {}", "SplattingNotPermitted", 15),
    ("|gps", "EmptyPipeElement", 1),
    ("gps|", "EmptyPipeElement", 5),
    ("gps| |foreach name", "EmptyPipeElement", 5),
    ("1|1", "ExpressionsMustBeFirstInPipeline", 3),
    ("$a=", "ExpectedValueExpression", 4),
    ("gcm -a:", "ParameterRequiresArgument", 8),
    ("gcm -a: 1,", "MissingExpression", 11),
    ("gcm ,", "MissingArgument", 5),
    ("   )", "UnexpectedToken", 4),
    ("   }", "UnexpectedToken", 4),
    ("1+", "ExpectedValueExpression", 3),
])
def test_powershell_parser_test_table(text, error_id, column):
    _, got_id, extent, _ = error_of(text)
    assert (got_id, extent.start_column) == (error_id, column)


@pytest.mark.parametrize("text, message, error_id, column, incomplete", [
    ("Get-Mailbox (", "Missing closing ')' in expression.", "MissingEndParenthesisInExpression", 14, True),
    ("(1 2)", "Unexpected token '2' in expression or statement.", "UnexpectedToken", 4, False),
    ("$x = 1 2", "Unexpected token '2' in expression or statement.", "UnexpectedToken", 8, False),
    ("1 -foo", "Unexpected token '-foo' in expression or statement.", "UnexpectedToken", 3, False),
    ("Get-X )", "Unexpected token ')' in expression or statement.", "UnexpectedToken", 7, False),
    ("if ($x) {", "Missing closing '}' in statement block or type definition.", "MissingEndCurlyBrace", 9, True),
    ("{ 1", "Missing closing '}' in statement block or type definition.", "MissingEndCurlyBrace", 1, True),
    ("$(1", "Missing closing ')' in subexpression.", "MissingEndParenthesisInSubexpression", 4, True),
    ("$a[0", "Missing ']' after array index expression.", "MissingEndSquareBracket", 5, True),
    ("$a[", "Array index expression is missing or not valid.", "MissingArrayIndexExpression", 4, True),
    ('"abc', 'The string is missing the terminator: ".', "TerminatorExpectedAtEndOfString", 1, True),
    ("'abc", "The string is missing the terminator: '.", "TerminatorExpectedAtEndOfString", 1, True),
    ('@"\nabc', 'The string is missing the terminator: "@.', "TerminatorExpectedAtEndOfString", 1, True),
    ("@'\nabc\n '@", "The string is missing the terminator: '@.", "TerminatorExpectedAtEndOfString", 1, True),
    ('@" x\n"@', "No characters are allowed after a here-string header but before the end of the line.",
     "UnexpectedCharactersAfterHereStringHeader", 1, False),
    ("-not", "Missing expression after unary operator '-not'.", "MissingExpressionAfterOperator", 5, True),
    ("!", "Missing expression after unary operator '!'.", "MissingExpressionAfterOperator", 2, True),
    ("1 -EQ", "You must provide a value expression following the '-EQ' operator.",
     "ExpectedValueExpression", 6, True),
    ("$x = ", "You must provide a value expression following the '=' operator.",
     "ExpectedValueExpression", 5, True),
    ("Get-X |", "An empty pipe element is not allowed.", "EmptyPipeElement", 8, True),
    ("Get-X |\n\n", "An empty pipe element is not allowed.", "EmptyPipeElement", 8, True),
    ("if ($x)", "Missing statement block after if ( condition ).", "MissingStatementBlock", 7, True),
    ("if ($x) {} elseif ($y)", "Missing statement block after elseif ( condition ).",
     "MissingStatementBlock", 22, True),
    ("if ($x) {} else", "Missing statement block after 'else' keyword.", "MissingStatementBlockAfterElse",
     16, True),
    ("if", "Missing '(' after 'if' in if statement.", "MissingOpenParenthesisInIfStatement", 3, True),
    ("if (", "Missing condition in if statement after 'if ('.", "IfStatementMissingCondition", 5, True),
    ("if ($x", "Missing closing ')' after expression in 'if' statement.",
     "MissingEndParenthesisAfterStatement", 7, True),
    ("while ($x) ", "Missing statement body in while loop.", "MissingLoopStatement", 11, True),
    ("try { } ", "The Try statement is missing its Catch or Finally block.", "MissingCatchOrFinally", 8, True),
    ("@{a", "Missing '=' operator after key in hash literal.", "MissingEqualsInHashLiteral", 4, False),
    ("@{a=1", "The hash literal was incomplete.", "IncompleteHashLiteral", 6, True),
    ("@{a=", "Missing statement after '=' in hash literal.", "MissingStatementInHashLiteral", 5, True),
    ("function f", "Missing function body in function declaration.", "MissingFunctionBody", 11, True),
    ("Get-X -Name:", "Parameter -Name: requires an argument.", "ParameterRequiresArgument", 13, False),
    ("Get-X a &", 'The ampersand (&) character is not allowed. The & operator is reserved for future use; '
     'wrap an ampersand in double quotation marks ("&") to pass it as part of a string.',
     "AmpersandNotAllowed", 9, False),
    ("Get-X < in.txt", "The '<' operator is reserved for future use.", "RedirectionNotSupported", 7, False),
    ("a && b", "The token '&&' is not a valid statement separator in this version.", "InvalidEndOfLine", 3,
     False),
    ("a || b", "The token '||' is not a valid statement separator in this version.", "InvalidEndOfLine", 3,
     False),
    ("$x.", "Missing property name after reference operator.", "MissingPropertyName", 4, True),
    ("$x.M(1", "Missing ')' in method call.", "MissingEndParenthesisInMethodCall", 7, True),
    ("[int", "Missing ] at end of attribute or type literal.", "EndSquareBracketExpectedAtEndOfAttribute",
     5, True),
    ("<# open", "The terminator '#>' is missing from the multiline comment.",
     "MissingTerminatorMultiLineComment", 1, True),
    ('"$HOME: x"', "Variable reference is not valid. ':' was not followed by a valid variable name "
     "character. Consider using ${} to delimit the name.", "InvalidVariableReferenceWithDrive", 2, False),
    ("Get-X > ", "Missing file specification after redirection operator.", "MissingFileSpecification",
     8, False),
    ("Get-X 2>&2", "The '2>&2' operator is reserved for future use.", "RedirectionNotSupported", 7, False),
    ("Get-X | $x", "Expressions are only allowed as the first element of a pipeline.",
     "ExpressionsMustBeFirstInPipeline", 9, False),
    ("1 = 2", "The assignment expression is not valid. The input to an assignment operator must be an "
     "object that is able to accept assignments, such as a variable or a property.",
     "InvalidLeftHandSide", 1, False),
    ("Write-Output a, @b", "Splatted variables like '@b' cannot be part of a comma-separated list of "
     "arguments.", "SplattingNotPermittedInArgumentList", 17, False),
    ("function f($a) { param($b) }", "The param statement cannot be used if arguments were specified "
     "in the function declaration.", "OnlyOneParameterListAllowed", 18, False),
    ("switch -foo ($x) {}", "The parameter foo is not valid for the switch statement.",
     "InvalidSwitchFlag", 8, False),
])
def test_messages_positions_and_incompleteness(text, message, error_id, column, incomplete):
    got_message, got_id, extent, got_incomplete = error_of(text)
    assert (got_message, got_id, extent.start_column, got_incomplete) == \
        (message, error_id, column, incomplete)


def test_error_extent_gives_line_and_marker_data():
    _, _, extent, _ = error_of("Get-Mailbox\nSet-X -Identity a |\n  | Out-Null")
    assert (extent.start_line, extent.start_column) == (2, 20)
    assert extent.line_text == "Set-X -Identity a |"
    _, _, extent, _ = error_of("$a = 1\n$b = (1 2)")
    assert (extent.start_line, extent.start_column, extent.text) == (2, 9, "2")
    _, _, extent, _ = error_of("x\r\n'abc")
    assert (extent.start_line, extent.start_column, extent.text) == (2, 1, "'abc")


def test_file_name_is_kept_on_error_extents():
    with pytest.raises(ParseException) as info:
        parse("Get-X (", file="C:\\Scripts\\a.ps1")
    assert info.value.errors[0][2].file == "C:\\Scripts\\a.ps1"
    assert info.value.error_id == "MissingEndParenthesisInExpression"
    assert info.value.category == "ParserError"


@pytest.mark.parametrize("text", [
    "Get-Mailbox (", "if ($x) {", "foreach ($a in $b) {\n  $a", '"open', "'open", '@"\nbody',
    "Get-X |", "Get-X `", "1 +", "$x = ", "$h = @{\n a = 1", "function f {", "try {\n}",
    "Get-X -Identity a,", "do { }", "<# comment", "$x.Method(", "[int", "switch ($x) {",
    "if ($x) { } else", "$(", "@(1,", "Get-X |\n", '$x = @"', "$x = @'  ",
])
def test_incomplete_input(text):
    assert not is_complete(text)


@pytest.mark.parametrize("text", [
    "Get-Mailbox", "", "  \n  ", "# comment only", "Get-X )", "(1 2)", "@{a", "Get-X -Name:",
    "if ($x) { 1 }", "1 +\n 2", "Get-X |\n Out-Null", "Get-X `\n -Name a", "a && b",
])
def test_complete_input(text):
    assert is_complete(text)


def test_deep_nesting_is_a_parse_error_not_a_crash():
    for text in ("(" * 10000, "(" * 10000 + "1" + ")" * 10000, "{" * 10000, "$(" * 5000,
                 "-not " * 10000 + "1", "@{a=" * 5000, '"$(' * 3000, "if (1) {" * 3000):
        with pytest.raises(ParseException) as info:
            parse(text)
        assert info.value.errors[0][1] in ("ScriptTooComplicated", "MissingEndCurlyBrace",
                                           "MissingEndParenthesisInExpression",
                                           "TerminatorExpectedAtEndOfString")


def test_moderate_nesting_still_parses():
    assert parse("(" * 200 + "1" + ")" * 200).end.statements
    assert parse("if (1) {" * 100 + "}" * 100).end.statements


# -- error recovery: every mistake of a script is reported, as 5.1 lists them ------------------

def errors_of(text: str) -> list[tuple[str, int, int]]:
    with pytest.raises(ParseException) as info:
        parse(text)
    return [(error_id, extent.start_line, extent.start_column)
            for _message, error_id, extent in info.value.errors]


def test_mistakes_on_separate_lines_are_all_reported():
    text = "Get-Date\nGet-X -Y ,a\n'fine'\nGet-Z &\n"
    assert errors_of(text) == [("MissingArgument", 2, 10), ("AmpersandNotAllowed", 4, 7)]


def test_mistakes_inside_a_block_are_all_reported_and_the_block_still_closes():
    text = "foreach ($s in $x) {\n  Get-X -Y ,a\n  Get-Z &\n}\n'after' 'x'"
    assert errors_of(text) == [("MissingArgument", 2, 12), ("AmpersandNotAllowed", 3, 9),
                               ("UnexpectedToken", 5, 9)]


def test_an_unexpected_token_is_not_eaten_it_starts_the_next_statement():
    # Parser.cs PipelineRule: "don't eat the token, assume it belongs to something else".
    assert errors_of("1 2 3") == [("UnexpectedToken", 1, 3), ("UnexpectedToken", 1, 5)]


def test_stray_closing_tokens_in_a_script_are_each_reported():
    assert errors_of("}}") == [("UnexpectedToken", 1, 1), ("UnexpectedToken", 1, 2)]
    assert errors_of("(1 2)") == [("UnexpectedToken", 1, 4), ("UnexpectedToken", 1, 5)]


def test_recovery_stops_after_eleven_errors():
    # The error view prints 10 and "Not all parse errors were reported." for the rest.
    assert len(errors_of("1 " * 40)) == 11


def test_first_error_and_incomplete_flag_are_those_of_the_first_mistake():
    with pytest.raises(ParseException) as info:
        parse("Get-X -Y ,a\nif ($x) {")
    assert info.value.error_id == "MissingArgument"
    assert not info.value.incomplete
    assert [e[1] for e in info.value.errors] == ["MissingArgument", "MissingEndCurlyBrace"]
    assert not is_complete("Get-X |\n")


def test_errors_inside_string_subexpressions_are_recovered_in_the_string():
    assert errors_of('"a $(1 2) b"; 3 4') == [("UnexpectedToken", 1, 8), ("UnexpectedToken", 1, 17)]


def test_an_error_inside_a_hash_literal_skips_to_its_closing_brace():
    text = "$h = @{\n  a = 1\n  b\n  c = 2\n}\nGet-Date -Foo ("
    assert errors_of(text) == [("MissingEqualsInHashLiteral", 3, 4), ("MissingEndParenthesisInExpression", 6, 16)]
