"""Write-Host/Output/Warning/Verbose/Debug/Error, Read-Host, Get-Host, Clear-Host, iex."""
import io

from ems import Shell


def test_write_host_joins_and_separates(run):
    r = run('Write-Host a b 1; Write-Host (1,2) 3 -Separator ","; Write-Host x -NoNewline; Write-Host y')
    assert r.text == "a b 1\n1,2,3\nxy\n"
    assert r.output == []


def test_write_host_colors_are_accepted(run):
    r = run("Write-Host 'done' -ForegroundColor Green -BackgroundColor Black")
    assert r.text == "done\n" and not r.errors
    r = run("Write-Host 'x' -ForegroundColor Pink")
    assert "does not belong to the set" in r.errors[0].message


def test_write_output_unrolls_unless_no_enumerate(ps):
    assert ps("Write-Output 1 2 3") == [1, 2, 3]
    assert ps("Write-Output 1,2") == [1, 2]
    assert ps("(Write-Output @(1,2) -NoEnumerate).Count") == [2]
    assert ps("echo a b") == ["a", "b"]


def test_write_warning_verbose_debug(run):
    r = run("Write-Warning 'low disk'; Write-Verbose 'hidden'; Write-Verbose 'shown' -Verbose; "
            "Write-Debug 'dbg' -Debug")
    assert r.text == "WARNING: low disk\nVERBOSE: shown\nDEBUG: dbg\n"


def test_write_error_at_prompt_layout(run):
    r = run('Write-Error "DB1 is dismounted"')
    assert r.error_text == (
        'Write-Error "DB1 is dismounted" : DB1 is dismounted\n'
        "    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n"
        "    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException\n \n")


def test_write_error_at_prompt_inside_a_statement_names_what_was_typed(run):
    # The prefix is $MyInvocation's script block: what was typed, not just the Write-Error call.
    r = run("Get-Date | ForEach-Object { Write-Error 'late' }")
    assert r.error_text.startswith("Get-Date | ForEach-Object { Write-Error 'late' } : late\n    + CategoryInfo")
    r = run("if ($true) {\n  Write-Error 'y'\n}")
    assert r.error_text.startswith("if ($true) {\n  Write-Error 'y'\n} : y\n")


def test_write_error_in_function_layout(run):
    r = run("function Test-WriteError { Write-Error 'Bad' }\nTest-WriteError")
    assert r.error_text == (
        "Test-WriteError : Bad\n"
        "At line:2 char:1\n"
        "+ Test-WriteError\n"
        "+ ~~~~~~~~~~~~~~~\n"
        "    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n"
        "    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,Test-WriteError\n \n")


def test_write_error_category_id_target_and_stop(run):
    r = run("Write-Error -Message 'bad name' -Category InvalidArgument -ErrorId BadName -TargetObject DB9")
    e = r.errors[0]
    assert (e.message, e.category, e.error_id, e.target, e.exception_type) == \
        ("bad name", "InvalidArgument", "BadName", "DB9", "WriteErrorException")
    r = run("try { Write-Error 'stop here' -ErrorAction Stop } catch { \"caught: $_\" }")
    assert r.output == ["caught: stop here"]


def test_write_error_is_non_terminating_and_sets_status(ps, run):
    r = run("Write-Error 'one'; 'next'; $?")
    assert r.output == ["next", True] and len(r.errors) == 1
    r = run("Write-Error 'one' -ErrorAction SilentlyContinue; $Error.Count")
    assert r.output == [1] and r.errors == []


def test_read_host_without_console_is_an_error(run):
    r = run('Read-Host "Continue"')
    assert r.errors[0].message == ("Windows PowerShell is in NonInteractive mode. "
                                   "Read and Prompt functionality is not available.")
    assert r.errors[0].fully_qualified_error_id == (
        "System.Management.Automation.PSInvalidOperationException,Microsoft.PowerShell.Commands.ReadHostCommand")


def test_read_host_reads_from_the_host():
    from ems.runtime.host import ConsoleHost
    out = io.StringIO()
    host = ConsoleHost(stdin=io.StringIO("yes\nsecret\n"), stdout=out, stderr=io.StringIO(), interactive=True)
    r = Shell(scenario="empty", host=host).run(
        '$a = Read-Host "Continue (y/n)"; $p = Read-Host "Password" -AsSecureString; $a; "$p"; $p.Length')
    assert "Continue (y/n): " in out.getvalue() and "Password: " in out.getvalue()
    assert r.output == ["yes", "System.Security.SecureString", 6]


def test_convertto_securestring(ps, run):
    assert ps('"$(ConvertTo-SecureString "P@ss" -AsPlainText -Force)"') == ["System.Security.SecureString"]
    r = run('ConvertTo-SecureString "P@ss" -AsPlainText')
    assert "The system cannot protect plain text input." in r.errors[0].message


def test_get_host(ps):
    out = ps("(Get-Host).Name; $h = Get-Host; $h.Version.Major")
    assert out == ["ConsoleHost", 5]


def test_clear_host_is_harmless_without_console(ps):
    assert ps("cls; Clear-Host; 'after'") == ["after"]


def test_invoke_expression(ps):
    assert ps('Invoke-Expression "1 + 2"') == [3]
    assert ps('$cmd = "`$z = 5"; iex $cmd; $z') == [5]
    assert ps("'Get-Date -Format yyyy' | iex") == ["2026"]


def test_write_error_in_script_file(tmp_path):
    script = tmp_path / "check.ps1"
    script.write_text('Write-Error "from script"\n"after"\n', encoding="utf-8")
    r = Shell(scenario="empty").run(f"& '{script}'")
    assert r.output == ["after"]
    assert r.error_text.startswith(f"{script} : from script\nAt line:1 char:1\n")
    assert r.errors[0].fully_qualified_error_id == "Microsoft.PowerShell.Commands.WriteErrorException,check.ps1"


def test_write_host_colours_only_on_a_colour_console():
    r = Shell(scenario="empty", color=True).run(
        "Write-Host ok -ForegroundColor Green; Write-Host plain; Write-Host x -ForegroundColor White -BackgroundColor DarkRed")
    assert r.text == "\x1b[92mok\x1b[0m\nplain\n\x1b[97;41mx\x1b[0m\n"
    assert Shell(scenario="empty").run("Write-Host ok -ForegroundColor Green").text == "ok\n"
