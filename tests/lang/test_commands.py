"""Argument mode (A.2, A.3): command names, parameters, barewords, glued arguments,
splatting, invocation operators, redirections, pipelines."""
import pytest

from ems.lang import ast as A
from ems.lang.parser import parse


def d(text: str) -> str:
    return A.dump(parse(text).end)


def command(text: str) -> A.CommandAst:
    element = parse(text).end.statements[0].elements[0]
    assert isinstance(element, A.CommandAst)
    return element


@pytest.mark.parametrize("text, tree", [
    ("Get-Mailbox", "{(Command Get-Mailbox)}"),
    ("Get-Mailbox -Identity user1", "{(Command Get-Mailbox -Identity user1)}"),
    ("Get-Mailbox user1 -ResultSize Unlimited", "{(Command Get-Mailbox user1 -ResultSize Unlimited)}"),
    ("Set-X -Confirm:$false", "{(Command Set-X -Confirm $false)}"),
    ("Set-X -Confirm: $false", "{(Command Set-X -Confirm $false)}"),
    ("Set-X -Policy:Blocked", "{(Command Set-X -Policy Blocked)}"),
    ("Select -ExpandProperty:Servers", "{(Command Select -ExpandProperty Servers)}"),
    ("Get-X -Identity a,b,c", "{(Command Get-X -Identity (, a b c))}"),
    ("Get-X -Identity a, b ,c", "{(Command Get-X -Identity (, a b c))}"),
    ("Get-X -Identity a,\n  b", "{(Command Get-X -Identity (, a b))}"),
    ("Get-X -Servers:EX1,EX2", "{(Command Get-X -Servers (, EX1 EX2))}"),
    ("Test-ReplicationHealth \u2013Identity EX1", "{(Command Test-ReplicationHealth -Identity EX1)}"),
    ("Get-X \u2014Force", "{(Command Get-X -Force)}"),
    ("Get-X -Path C:\\Temp\\a.txt", "{(Command Get-X -Path C:\\Temp\\a.txt)}"),
    ("Get-X *.txt", "{(Command Get-X *.txt)}"),
    ("Get-X 'single' \"double\"", "{(Command Get-X 'single' 'double')}"),
    ("Get-X a=b", "{(Command Get-X a=b)}"),
    ("Get-X -Name:-dash", "{(Command Get-X -Name -dash)}"),
])
def test_parameters_and_barewords(text, tree):
    assert d(text) == tree


@pytest.mark.parametrize("text, tree", [
    # numbers are numbers, other barewords are strings (A.2)
    ("Write-Output 2", "{(Command Write-Output 2)}"),
    ("Write-Output -1", "{(Command Write-Output -1)}"),
    ("Write-Output 0x10 1kb 1.5", "{(Command Write-Output 16 1024 1.5)}"),
    ("Write-Output 2+2", "{(Command Write-Output 2+2)}"),
    ("Write-Output (2+2)", "{(Command Write-Output (paren (+ 2 2)))}"),
    ("Write-Output !1", "{(Command Write-Output !1)}"),
    ("Write-Output (!1)", "{(Command Write-Output (paren (-not 1)))}"),
    ("Write-Output 1.2.3.4", "{(Command Write-Output 1.2.3.4)}"),
    ("Write-Output 10GB", "{(Command Write-Output 10737418240:long)}"),
    ("Write-Output 7z", "{(Command Write-Output 7z)}"),
    # glued arguments
    ("Write-Output $a+2", "{(Command Write-Output (Expand $a '+2'))}"),
    ("Write-Output a$a", "{(Command Write-Output (Expand 'a' $a))}"),
    ("Write-Output a'$a'", "{(Command Write-Output a$a)}"),
    ("Write-Output a\"$x\"", "{(Command Write-Output (Expand 'a' $x))}"),
    ("Get-Item $db\\*", "{(Command Get-Item (Expand $db '\\\\*'))}"),
    ("Write-Output ${HOME}x", "{(Command Write-Output (Expand $HOME 'x'))}"),
    ("Write-Output a$(1+1)b", "{(Command Write-Output (Expand 'a' (sub {(+ 1 1)}) 'b'))}"),
    ("Write-Output \"a\"b", "{(Command Write-Output ab)}"),
    ("Write-Output a#b", "{(Command Write-Output a#b)}"),
    ("Write-Output a `#b", "{(Command Write-Output a #b)}"),
    ("Write-Output a`tb", "{(Command Write-Output 'a\\tb')}"),
    ("Write-Output a` b", "{(Command Write-Output 'a b')}"),
    ("Write-Output $", "{(Command Write-Output $)}"),
    # member access ends the argument
    ("Write-Output $x.Length", "{(Command Write-Output (. $x Length))}"),
    ("Write-Output $x.Length-more", "{(Command Write-Output (. $x Length) -more)}"),
    ("Write-Output $a[0] $h.k", "{(Command Write-Output (index $a 0) (. $h k))}"),
    ("Write-Output (Get-Date).Year", "{(Command Write-Output (. (paren (Command Get-Date)) Year))}"),
    ("Write-Output 'abc'.Length", "{(Command Write-Output (. 'abc' Length))}"),
    ("Write-Output $x::y", "{(Command Write-Output (:: $x y))}"),
    # types in argument mode are text
    ("Write-Output [int]", "{(Command Write-Output [int])}"),
    # end of parameters
    ("Write-Output -- -x", "{(Command Write-Output -x)}"),
])
def test_argument_mode(text, tree):
    assert d(text) == tree


def test_parameter_details():
    cmd = command("Set-X -Confirm:$false -Force -Name: 'a'")
    confirm, force, name = cmd.elements
    assert (confirm.name, confirm.colon, confirm.text) == ("Confirm", True, "-Confirm:")
    assert isinstance(confirm.argument, A.VariableExpression) and confirm.argument.name == "false"
    assert confirm.extent.text == "-Confirm:$false"
    assert (force.name, force.argument, force.colon, force.extent.text) == ("Force", None, False, "-Force")
    assert name.argument.value == "a" and name.extent.text == "-Name: 'a'"
    assert cmd.name_text == "Set-X"


def test_splatting():
    cmd = command("Move-ActiveMailboxDatabase @params -Confirm:$false")
    splat = cmd.elements[0]
    assert isinstance(splat, A.VariableExpression) and splat.splatted and splat.name == "params"
    assert d("Get-X @args") == "{(Command Get-X @args)}"


@pytest.mark.parametrize("text, tree", [
    ("& { 1 }", "{(Command & {1})}"),
    ("& $sb 1 2", "{(Command & $sb 1 2)}"),
    ("&$sb", "{(Command & $sb)}"),
    ("& 'C:\\Program Files\\x.exe' /q", "{(Command & 'C:\\\\Program Files\\\\x.exe' /q)}"),
    ("& (Get-Command Get-Date)", "{(Command & (paren (Command Get-Command Get-Date)))}"),
    ("& $cmd.Path -x", "{(Command & (. $cmd Path) -x)}"),
    (". .\\DagCommonLibrary.ps1", "{(Command . .\\DagCommonLibrary.ps1)}"),
    (". $PSScriptRoot\\lib.ps1", "{(Command . (Expand $PSScriptRoot '\\\\lib.ps1'))}"),
    (". { $x = 1 }", "{(Command . {(= $x 1)})}"),
    (".\\script.ps1 -Force", "{(Command .\\script.ps1 -Force)}"),
    ("..\\up.ps1", "{(Command ..\\up.ps1)}"),
    ("C:\\Scripts\\run.ps1 a", "{(Command C:\\Scripts\\run.ps1 a)}"),
    ("% { $_ }", "{(Command % {$_})}"),
    ("? Name -eq x", "{(Command ? Name -eq x)}"),
    ("7z.exe x", "{(Command 7z.exe x)}"),
])
def test_invocation(text, tree):
    assert d(text) == tree


def test_invocation_operator_is_recorded():
    assert command("& $sb").invocation_operator == "&"
    assert command(". $sb").invocation_operator == "."
    assert command("Get-Date").invocation_operator is None
    assert command("& $sb").name_text is None


@pytest.mark.parametrize("text, tree", [
    ("Get-X > out.txt", "{(Command Get-X 1>out.txt)}"),
    ("Get-X >> out.txt", "{(Command Get-X 1>>out.txt)}"),
    ("Get-X 2> err.txt", "{(Command Get-X 2>err.txt)}"),
    ("Get-X 2>$null", "{(Command Get-X 2>$null)}"),
    ("Get-X 2>&1", "{(Command Get-X 2>&1)}"),
    ("Get-X *> all.txt", "{(Command Get-X *>all.txt)}"),
    ("Get-X > $null", "{(Command Get-X 1>$null)}"),
    ("Get-X 3>&1 2>&1 a", "{(Command Get-X a 3>&1 2>&1)}"),
    ("$x > out.txt", "{(Expr $x 1>out.txt)}"),
    ("'text' 2>&1 >> log.txt", "{(Expr 'text' 2>&1 1>>log.txt)}"),
])
def test_redirections(text, tree):
    assert d(text) == tree


def test_redirection_fields():
    cmd = command("Get-X 2>> err.log 2>&1")
    first, merge = cmd.redirections
    assert (first.stream, first.append, first.target.value, first.merge_to) == ("2", True, "err.log", None)
    assert (merge.stream, merge.target, merge.merge_to) == ("2", None, "1")


@pytest.mark.parametrize("text, tree", [
    ("Get-Mailbox | Format-List", "{(Pipeline (Command Get-Mailbox) (Command Format-List))}"),
    ("Get-Mailbox | fl Name, Database", "{(Pipeline (Command Get-Mailbox) (Command fl (, Name Database)))}"),
    ("1..3 | foreach { $_ }", "{(Pipeline (.. 1 3) (Command foreach {$_}))}"),
    ("Get-X |\n  Where-Object { $_.A } |\n\n  Select-Object B",
     "{(Pipeline (Command Get-X) (Command Where-Object {(. $_ A)}) (Command Select-Object B))}"),
    ("Get-X | % { $_ } | Out-Null; Get-Y", "{(Pipeline (Command Get-X) (Command % {$_}) (Command Out-Null)); (Command Get-Y)}"),
    ("Get-X `\n  -Name a `\n  -Force", "{(Command Get-X -Name a -Force)}"),
    ("Get-X -Name a # trailing comment\nGet-Y", "{(Command Get-X -Name a); (Command Get-Y)}"),
    ("Get-X <# inline #> -Name a", "{(Command Get-X -Name a)}"),
    ("Get-X; Get-Y;; Get-Z", "{(Command Get-X); (Command Get-Y); (Command Get-Z)}"),
    ("(Get-X | Select -First 1).Name", "{(. (paren (Pipeline (Command Get-X) (Command Select -First 1))) Name)}"),
])
def test_pipelines(text, tree):
    assert d(text) == tree


def test_statement_keywords_are_commands_inside_pipelines_and_elsewhere():
    assert d("Get-X | foreach Name") == "{(Pipeline (Command Get-X) (Command foreach Name))}"
    assert d("else") == "{(Command else)}"
    assert d("ForEach-Object { 1 }") == "{(Command ForEach-Object {1})}"
    assert d("Process-Data") == "{(Command Process-Data)}"
    assert d("iff 1") == "{(Command iff 1)}"


def test_stop_parsing_token_passes_the_rest_of_the_line_verbatim():
    assert d("icacls.exe C:\\x --% /grant Users:(OI)(CI)F | x\nGet-Y") == \
        "{(Command icacls.exe C:\\x --% '/grant Users:(OI)(CI)F | x'); (Command Get-Y)}"
