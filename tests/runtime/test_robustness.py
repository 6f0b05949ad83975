"""Nothing a user types may surface as a Python traceback or an ems internal error."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ems import Shell

VALUES = ["1", "0", "-1", "2.5", "'x'", "'10'", "''", "$null", "$true", "@()", "@(1,2)", "@{a=1}",
          "(Get-Date)", "[timespan]'01:00:00'", "[pscustomobject]@{n=1}", "'a','b'", "{1}",
          "[guid]::Empty", "1kb", "[decimal]1.5", "[char]'c'", "[int]::MaxValue", "[Math]"]
OPERATORS = ["+", "-", "*", "/", "%", "-eq", "-ne", "-gt", "-lt", "-le", "-ge", "-like", "-match",
             "-contains", "-in", "-replace", "-split", "-join", "-f", "..", "-band", "-shl", "-is", "-as",
             "-and", "-xor", ","]
MEMBERS = [".Count", ".Length", ".Name", ".ToString()", ".GetType()", "[0]", "[-1]", ".Foo()", ".Keys",
           "[1..2]", ".Trim()", ".Split(',')", ".AddDays(1)", ".Substring(1)", ".Add(1)", ".Clone()"]
TYPES = ["int", "string", "datetime", "timespan", "bool", "array", "hashtable", "char", "double", "long",
         "guid", "ipaddress", "version", "pscustomobject", "regex", "switch"]

_SHELL = Shell(scenario="empty")

expressions = st.one_of(
    st.tuples(st.sampled_from(VALUES), st.sampled_from(OPERATORS), st.sampled_from(VALUES)).map(
        lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
    st.tuples(st.sampled_from(VALUES), st.sampled_from(MEMBERS)).map(lambda t: f"({t[0]}){t[1]}"),
    st.tuples(st.sampled_from(TYPES), st.sampled_from(VALUES)).map(lambda t: f"[{t[0]}]({t[1]})"),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_expressions_never_fail_internally(text):
    r = _SHELL.run(text)
    assert "internal error" not in r.error_text, (text, r.error_text)
    assert "Traceback" not in r.error_text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("$@(){}[]'\"`|;,.-+*/%=!&#:0123456789aAxX \n")), max_size=30))
def test_arbitrary_text_never_fails_internally(text):
    r = _SHELL.run(text)
    assert "internal error" not in r.error_text, (text, r.error_text)


# -- mutated real scripts -----------------------------------------------------------------------
# The lab script, the runbooks and the parser benchmark's runbook, with tokens and characters
# deleted, duplicated and swapped: whatever comes out is run on a fresh lab (from a saved state,
# which is fast) in a scratch working directory, so files a mutant writes never land in the
# repository. A mutant may loop forever (a deleted `$n++`): such examples are stopped by a timer
# and discarded.
import datetime  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from hypothesis import reject  # noqa: E402

_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(_ROOT / "scripts"))
from bench_parse_input import runbook_text  # noqa: E402

_SOURCES = [("benet-lab", (_ROOT / "scripts/labs/benet-dag-lab.ps1").read_text(encoding="utf-8"))]
_SOURCES += [("two-datacenter", p.read_text(encoding="utf-8"))
             for p in sorted((_ROOT / "scripts/runbooks").glob("*.ps1"))]
_SOURCES += [("two-datacenter", runbook_text(200))]
_TOKEN = re.compile(r"\s+|[\w-]+|\$\w+|.", re.S)
_SCRATCH = tempfile.mkdtemp(prefix="ems-mutants-")
_STATES: dict[str, str] = {}


def _fresh_shell(scenario: str) -> Shell:
    path = _STATES.get(scenario)
    if path is None:
        path = os.path.join(_SCRATCH, f"{scenario}.state.json")
        shell = Shell(scenario=scenario)
        shell.run("Get-ExchangeServer | Out-Null")  # build the organisation
        shell.save_state(path)
        _STATES[scenario] = path
    return Shell(scenario=scenario, state=path)


def _mutate(data, text: str) -> str:
    tokens = _TOKEN.findall(text)
    for _ in range(data.draw(st.integers(1, 6), label="mutations")):
        op = data.draw(st.sampled_from(["delete", "duplicate", "swap", "char-delete", "char-duplicate",
                                        "char-swap"]), label="op")
        i = data.draw(st.integers(0, len(tokens) - 1), label="at")
        if op == "delete":
            del tokens[i]
        elif op == "duplicate":
            tokens.insert(i, tokens[i])
        elif op == "swap":
            j = data.draw(st.integers(0, len(tokens) - 1), label="with")
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:
            tok = tokens[i]
            k = data.draw(st.integers(0, max(len(tok) - 1, 0)), label="char")
            if op == "char-delete":
                tokens[i] = tok[:k] + tok[k + 1:]
            elif op == "char-duplicate":
                tokens[i] = tok[:k + 1] + tok[k:]
            elif len(tok) > 1:
                k = min(k, len(tok) - 2)
                tokens[i] = tok[:k] + tok[k + 1] + tok[k] + tok[k + 2:]
        if not tokens:
            tokens = [""]
    return "".join(tokens)


class _TooLong(KeyboardInterrupt):
    """Raised by the timer; a KeyboardInterrupt goes through every handler in ems."""


def _alarm(signum, frame):
    raise _TooLong


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_real_scripts_end_in_error_records_and_a_usable_shell(data):
    scenario, source = data.draw(st.sampled_from(_SOURCES), label="script")
    text = _mutate(data, source)
    shell = _fresh_shell(scenario)
    cwd = os.getcwd()
    os.chdir(_SCRATCH)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, 5)
    try:
        r = shell.run(text)
    except _TooLong:
        reject()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(cwd)
    assert "Traceback" not in r.error_text, r.error_text
    assert "internal error" not in r.error_text, r.error_text
    after = shell.run("Get-Date")
    assert not after.errors and isinstance(after.output[0], datetime.datetime)


DEEP = [
    "(" * 3000 + "1" + ")" * 3000,
    "$(" * 2000 + "1" + ")" * 2000,
    "@(" * 400 + "1" + ")" * 400,
    "{" * 3000,
    "if ($true) {" * 450 + "'deep'" + "}" * 450,
    "& {" * 300 + "'deep'" + "}" * 300,
    "function f($n) { if ($n) { f ($n - 1) } }; f 5000",
    "[int]" * 2000 + "1",
    "-not " * 3000 + "$true",
    "1" + " + 1" * 5000,
    "@{a=" * 450 + "1" + "}" * 450,
    '"$("' * 400,
    "'x' | % { " * 200 + "$_" + " }" * 200,
]


def test_deep_nesting_ends_in_an_error_record_or_a_result_never_a_traceback():
    shell = Shell(scenario="empty")
    for text in DEEP:
        r = shell.run(text)
        assert "Traceback" not in r.error_text, (text[:40], r.error_text[:500])
        assert "internal error" not in r.error_text, (text[:40], r.error_text[:500])
        after = shell.run("Get-Date")
        assert not after.errors and isinstance(after.output[0], datetime.datetime), text[:40]


# -- random calls of the utility cmdlets --------------------------------------------------------
# Wrong types, missing values and odd combinations of parameters must end in binding or cmdlet
# errors. Run in the scratch directory: some calls write or remove files named by their values.
UTILITY = ["Where-Object", "ForEach-Object", "Select-Object", "Sort-Object", "Group-Object", "Measure-Object",
           "Write-Output", "Write-Warning", "Write-Error", "Out-String", "Export-Csv", "Import-Csv",
           "Get-Content", "Set-Content", "Test-Path", "New-Object", "Add-Member", "Get-Date", "Start-Sleep",
           "Get-Variable", "Set-Variable", "Get-Alias", "Get-Command", "Get-Member", "Format-Table",
           "Format-List", "Format-Wide", "Compare-Object", "Tee-Object", "New-TimeSpan", "Measure-Command",
           "Get-Random", "Join-Path", "Split-Path", "ConvertTo-Csv", "ConvertFrom-Csv", "Get-Item",
           "Invoke-Expression", "Out-File", "New-Item", "Remove-Item"]
PARAMETERS = ["-Property", "-First", "-Last", "-Skip", "-Unique", "-ExpandProperty", "-Descending",
              "-AsHashTable", "-NoElement", "-Sum", "-Path", "-Value", "-Name", "-InputObject", "-Format",
              "-Seconds", "-MemberType", "-Force", "-Delimiter", "-TypeName", "-NotePropertyName",
              "-NotePropertyMembers", "-PassThru", "-Scope", "-GroupBy", "-Column", "-Width",
              "-ReferenceObject", "-DifferenceObject", "-Variable", "-Count", "-Days", "-Leaf",
              "-ChildPath", "-Append", "-Begin", "-Process", "-FilterScript", "-EQ", "-Match",
              "-Index", "-Command", "-ItemType", "-Expression", "-ErrorAction"]
ARGUMENTS = ["1", "0", "-1", "x", "'*'", "$null", "@()", "@(1,2)", "{ $_ }", "{ throw 'e' }",
             "@{n='a';e={1}}", "@{}", "(Get-Date)", "'a','b'", "3.5", "Name", "[pscustomobject]@{a=1}",
             "'nosuch'", "Stop", "$true", "99999999999", "[timespan]'01:00:00'"]
PIPED = ["", "1..3 | ", "'a','b' | ", "[pscustomobject]@{Name='x';Length=2} | ", "$null | ", "@{a=1} | "]
_UTILITY_SCRATCH = tempfile.mkdtemp(prefix="ems-utility-calls-")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PIPED), st.sampled_from(UTILITY),
       st.lists(st.tuples(st.sampled_from(PARAMETERS + [""]), st.sampled_from(ARGUMENTS + [""])), max_size=4))
def test_utility_cmdlets_with_random_arguments_never_fail_internally(piped, command, pairs):
    text = piped + command + "".join(f" {p} {a}" for p, a in pairs)
    cwd = os.getcwd()
    os.chdir(_UTILITY_SCRATCH)
    try:
        r = Shell(scenario="empty").run(text)
    finally:
        os.chdir(cwd)
    assert "internal error" not in r.error_text, (text, r.error_text)
