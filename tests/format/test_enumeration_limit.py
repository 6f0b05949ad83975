"""``$FormatEnumerationLimit`` through the shell: read for every object, in the scope of the
command that formats (the console's Out-Default: the global scope; `> file`, Tee-Object and
Format-* commands: where they run)."""
from ems import Shell


def run(text: str):
    r = Shell(scenario="empty").run(text)
    assert not r.errors, r.error_text
    return r.text


def test_a_limit_set_in_the_same_script_applies_to_later_objects():
    text = run("[pscustomobject]@{Servers=1..8}; $FormatEnumerationLimit = 1; [pscustomobject]@{Servers=1..8}")
    assert text == ("\nServers        \n-------        \n{1, 2, 3, 4...}\n{1...}         \n\n\n")


def test_minus_one_is_unlimited_and_zero_shows_only_the_ellipsis():
    assert "{1, 2, 3, 4, 5, 6, 7, 8}" in run("$FormatEnumerationLimit = -1; [pscustomobject]@{a=1..8}")
    assert "{...}" in run("$FormatEnumerationLimit = 0; [pscustomobject]@{a=1..8}")


def test_a_function_local_limit_does_not_reach_the_console_but_reaches_its_format_list():
    text = run("function f { $FormatEnumerationLimit = 1; [pscustomobject]@{a=1..8} | Format-List }; f; "
               "[pscustomobject]@{a=1..8}")
    assert "a : {1...}" in text and "{1, 2, 3, 4...}" in text


def test_redirection_and_tee_object_use_the_limit(tmp_path):
    out, tee = tmp_path / "out.txt", tmp_path / "tee.txt"
    run(f"$FormatEnumerationLimit = 2; [pscustomobject]@{{a=1..8}} > '{out}'; "
        f"[pscustomobject]@{{a=1..8}} | Tee-Object -FilePath '{tee}' | Out-Null")
    assert "{1, 2...}" in out.read_text()
    assert "{1, 2...}" in tee.read_text()
