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
