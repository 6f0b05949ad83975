"""Colours of the input line: what each piece of a line is highlighted as."""
from prompt_toolkit.document import Document

from ems.repl_lexer import PowerShellLexer


def classes(text, line=0):
    """(style class, text) pairs of one line, whitespace left out."""
    get_line = PowerShellLexer().lex_document(Document(text))
    return [(style.removeprefix("class:ps."), part.strip()) for style, part in get_line(line) if part.strip()]


def test_cmdlets_parameters_and_arguments():
    assert classes("Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX2") == [
        ("command", "Move-ActiveMailboxDatabase"), ("", "DB1"), ("parameter", "-ActivateOnServer"), ("", "EX2")]


def test_strings_variables_operators_and_comments():
    got = classes('$dbs | ? { $_.Name -like "DB*" } # mounted only')
    assert ("variable", "$dbs") in got
    assert ("operator", "|") in got
    assert ("command", "?") in got
    assert ("variable", "$_") in got
    assert ("member", "Name") in got
    assert ("operator", "-like") in got
    assert ("string", '"DB*"') in got
    assert ("comment", "# mounted only") in got


def test_keywords_numbers_and_types():
    got = classes("foreach ($i in 1..3) { [int]$i }")
    assert ("keyword", "foreach") in got and ("keyword", "in") in got
    assert ("number", "1") in got and ("type", "[int]") in got


def test_a_here_string_is_coloured_on_every_line():
    text = "$t = @'\nline one\n'@"
    assert classes(text, 1) == [("string", "line one")]
    assert classes(text, 2) == [("string", "'@")]
