"""Robustness: whatever the input, ``parse`` returns an AST or raises ParseException —
never another exception (no IndexError, RecursionError, ...)."""
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ems.lang import ast as A
from ems.lang.parser import is_complete, parse
from ems.runtime.errors import ParseException

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from bench_parse_input import runbook_text  # noqa: E402

SEED_SCRIPT = runbook_text(60)

# Characters and fragments that drive PowerShell's tokenizer into its special cases.
FRAGMENTS = [
    "$", "$x", "${a b}", "$(", "@(", "@{", "@'", '@"', "'", '"', "`", "`n", "(", ")", "{", "}", "[",
    "]", ",", ";", "|", "&", "&&", ".", "..", "::", "=", "+=", "++", "--", "-", "\u2013", "!", ">",
    "2>&1", "<", "#", "<#", "#>", "\n", "\r\n", " ", "\t", "-eq", "-not", "-f", "-Name:", "--",
    "--%", "if", "else", "elseif", "foreach", "in", "while", "do", "until", "for", "switch",
    "default", "function", "filter", "param", "begin", "process", "end", "try", "catch", "finally",
    "trap", "throw", "return", "exit", "break", "continue", ":lbl", "[int]", "[string[]]",
    "[Parameter(Mandatory)]", "Get-Mailbox", "-Identity", "a", "0x1F", "1kb", "1.5e3", "10l", "\u201c",
    "\u2019", "%", "?", "*", "/", "\\", "\u00a0",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_fragment_soup_never_crashes(fragments):
    _parse_or_parse_error("".join(fragments))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_arbitrary_text_never_crashes(text):
    _parse_or_parse_error(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_scripts_never_crash(data):
    text = SEED_SCRIPT
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 20)))
        insert = data.draw(st.sampled_from(FRAGMENTS + [""]))
        text = text[:i] + insert + text[j:]
    _parse_or_parse_error(text)


def _parse_or_parse_error(text: str) -> None:
    try:
        result = parse(text)
    except ParseException as e:
        message, error_id, extent = e.errors[0]
        assert message and error_id
        assert 0 <= extent.start <= extent.end <= len(text)
        extent.start_line, extent.start_column, extent.line_text  # noqa: B018 (must not raise)
        return
    assert isinstance(result, A.ScriptBlockAst)
    A.dump(result)
    assert is_complete(text)
