"""Expression mode: precedence (5.1 grammar, A.6), unary/postfix operators, casts, member
access chains, indexing, assignments."""
import pytest

from ems.lang import ast as A
from ems.lang.parser import parse


def d(text: str) -> str:
    return A.dump(parse(text).end)


@pytest.mark.parametrize("text, tree", [
    ("1 + 2 * 3", "{(+ 1 (* 2 3))}"),
    ("(1 + 2) * 3", "{(* (paren (+ 1 2)) 3)}"),
    ("10 - 2 - 3", "{(- (- 10 2) 3)}"),
    ("8 / 4 % 3", "{(% (/ 8 4) 3)}"),
    # -and / -or / -xor share one level, left-associative
    ("$a -or $b -and $c", "{(-and (-or $a $b) $c)}"),
    ("$a -and $b -or $c", "{(-or (-and $a $b) $c)}"),
    ("$a -band 3 -eq 1", "{(-band $a (-eq 3 1))}"),
    ("$a -eq 1 -and $b -ne 2", "{(-and (-eq $a 1) (-ne $b 2))}"),
    ("1 + 2 -eq 3", "{(-eq (+ 1 2) 3)}"),
    # binary comma binds tighter than any binary operator
    ("1,2,3 -eq 2", "{(-eq (, 1 2 3) 2)}"),
    ("'a' -eq 'a','b'", "{(-eq 'a' (, 'a' 'b'))}"),
    ("1,2 + 3,4", "{(+ (, 1 2) (, 3 4))}"),
    # -f binds tighter than * and ..  tighter than -f
    ("'{0}' -f 1 + 1", "{(+ (-f '{0}' 1) 1)}"),
    ("'{0}{1}' -f 1,2", "{(-f '{0}{1}' (, 1 2))}"),
    ("1..3 + 4", "{(+ (.. 1 3) 4)}"),
    ("$a..$b", "{(.. $a $b)}"),
    ("-1..5", "{(.. -1 5)}"),
    # comparison variants keep their prefix, lower-cased
    ("$a -CEQ $b", "{(-ceq $a $b)}"),
    ("$a -ieq $b", "{(-ieq $a $b)}"),
    ("$a -NotLike 'x*'", "{(-notlike $a 'x*')}"),
    ("$a -cmatch '^x'", "{(-cmatch $a '^x')}"),
    ("$a -replace 'a','b'", "{(-replace $a (, 'a' 'b'))}"),
    ("$a -split ','", "{(-split $a ',')}"),
    ("$a -join ','", "{(-join $a ',')}"),
    ("$a -shl 2 -bor 1", "{(-bor (-shl $a 2) 1)}"),
    ("$x -in 1,2", "{(-in $x (, 1 2))}"),
    ("$list -notcontains 'x'", "{(-notcontains $list 'x')}"),
    ("$x -is [int]", "{(-is $x [int])}"),
    ("$x -isnot [string]", "{(-isnot $x [string])}"),
    ("$x -as [datetime]", "{(-as $x [datetime])}"),
    # typographic dashes are dashes
    ("$a \u2013eq 1", "{(-eq $a 1)}"),
    ("$a \u2014and $b", "{(-and $a $b)}"),
])
def test_precedence(text, tree):
    assert d(text) == tree


@pytest.mark.parametrize("text, tree", [
    ("-not $a", "{(-not $a)}"),
    ("!$a", "{(-not $a)}"),
    ("-not $a -eq $b", "{(-eq (-not $a) $b)}"),
    ("-bnot 5", "{(-bnot 5)}"),
    ("-split 'a b'", "{(-split 'a b')}"),
    ("-join $parts", "{(-join $parts)}"),
    ("-$x", "{(- $x)}"),
    ("+$x", "{(+ $x)}"),
    (",1", "{(, 1)}"),
    (",1,2", "{(, (, 1) 2)}"),
    ("++$i", "{(++ $i)}"),
    ("--$i", "{(-- $i)}"),
    ("$i++", "{(post++ $i)}"),
    ("$i--", "{(post-- $i)}"),
    ("$a.Count++", "{(post++ (. $a Count))}"),
    ("-not\n$a", "{(-not $a)}"),
])
def test_unary(text, tree):
    assert d(text) == tree


@pytest.mark.parametrize("text, tree", [
    ("[int]'7'", "{([int] '7')}"),
    ("[int] '7'", "{([int] '7')}"),
    ("[int]$a + 1", "{(+ ([int] $a) 1)}"),
    ("[int]-1", "{([int] -1)}"),
    ("[string[]]$x", "{([string[]] $x)}"),
    ("[int[,]]$x", "{([int[,]] $x)}"),
    ("[System.Net.IPAddress]'1.2.3.4'", "{([System.Net.IPAddress] '1.2.3.4')}"),
    ("[Collections.Generic.Dictionary[string,int]]$d",
     "{([Collections.Generic.Dictionary[string,int]] $d)}"),
    ("[System.Collections.Generic.List[string]]::new()",
     "{(call:: [System.Collections.Generic.List[string]] new)}"),
    ("[List[[string]]]$x", "{([List[string]] $x)}"),
    ("[int][string]$x", "{([int] ([string] $x))}"),
    ("[ordered]@{a=1}", "{([ordered] (@{} (a 1)))}"),
    ("[pscustomobject]@{Name='x'}", "{([pscustomobject] (@{} (Name 'x')))}"),
    ("[void]$list.Add(1)", "{([void] (call $list Add 1))}"),
    ("[Math]", "{[Math]}"),
    ("[Math]::Max(1,2)", "{(call:: [Math] Max 1 2)}"),
    ("[int]::MaxValue", "{(:: [int] MaxValue)}"),
    ("[string]::Join(', ', $a)", "{(call:: [string] Join ', ' $a)}"),
    ("[type]::GetType('x').Name", "{(. (call:: [type] GetType 'x') Name)}"),
    ("[int], [string]", "{(, [int] [string])}"),
])
def test_types_and_casts(text, tree):
    assert d(text) == tree


def test_type_name_structure():
    node = parse("[System.Collections.Generic.Dictionary[string, int[]]]$d").end.statements[0] \
        .elements[0].expression
    assert isinstance(node, A.ConvertExpression)
    tn = node.type_name
    assert tn.name == "System.Collections.Generic.Dictionary"
    assert [str(a) for a in tn.generic_arguments] == ["string", "int[]"]
    assert tn.generic_arguments[1].array_rank == 1
    assert str(tn.generic_arguments[1].element_type) == "int"


@pytest.mark.parametrize("text, tree", [
    ("$a.Name", "{(. $a Name)}"),
    ("$a.Name.Length", "{(. (. $a Name) Length)}"),
    ("$a.'Full Name'", "{(. $a 'Full Name')}"),
    ("$a.\"$p\"", "{(. $a (Expand $p))}"),
    ("$a.$p", "{(. $a $p)}"),
    ("$a.($p + 'x')", "{(. $a (paren (+ $p 'x')))}"),
    ("$s.ToUpper()", "{(call $s ToUpper)}"),
    ("$s.Substring(1, 2).Trim()", "{(call (call $s Substring 1 2) Trim)}"),
    ("$h.ContainsKey('a')", "{(call $h ContainsKey 'a')}"),
    ("$a.M(\n  1,\n  2\n)", "{(call $a M 1 2)}"),
    ("$a.M((1,2), 3)", "{(call $a M (paren (, 1 2)) 3)}"),
    ("$a[0]", "{(index $a 0)}"),
    ("$a[-1]", "{(index $a -1)}"),
    ("$a[0,2]", "{(index $a (, 0 2))}"),
    ("$a[1..3]", "{(index $a (.. 1 3))}"),
    ("$h['k'].Name[0]", "{(index (. (index $h 'k') Name) 0)}"),
    ("(Get-Date).Year", "{(. (paren (Command Get-Date)) Year)}"),
    ("@(1,2).Count", "{(. (@ {(, 1 2)}) Count)}"),
    ("$(1).GetType()", "{(call (sub {1}) GetType)}"),
    ("'abc'.Length", "{(. 'abc' Length)}"),
    ("1.5.ToString()", "{(call 1.5 ToString)}"),
    ("@{a=1}.a", "{(. (@{} (a 1)) a)}"),
    ("{ 1 }.Invoke()", "{(call {1} Invoke)}"),
])
def test_member_access_and_indexing(text, tree):
    assert d(text) == tree


@pytest.mark.parametrize("text, tree", [
    ("$x = 1", "{(= $x 1)}"),
    ("$x += 1", "{(+= $x 1)}"),
    ("$x -= 1", "{(-= $x 1)}"),
    ("$x *= 2", "{(*= $x 2)}"),
    ("$x /= 2", "{(/= $x 2)}"),
    ("$x %= 2", "{(%= $x 2)}"),
    ("$x = $y = 0", "{(= $x (= $y 0))}"),
    ("$a, $b = 1, 2", "{(= (, $a $b) (, 1 2))}"),
    ("$a.b = 1", "{(= (. $a b) 1)}"),
    ("$a[0] = 1", "{(= (index $a 0) 1)}"),
    ("$h['k'] += 'v'", "{(+= (index $h 'k') 'v')}"),
    ("[int]$n = '5'", "{(= ([int] $n) '5')}"),
    ("$null = Get-Date", "{(= $null (Command Get-Date))}"),
    ("$x = Get-Mailbox | Select Name", "{(= $x (Pipeline (Command Get-Mailbox) (Command Select Name)))}"),
    ("$x =\n  5", "{(= $x 5)}"),
    ("$script:count = 0", "{(= $script:count 0)}"),
    ("$x = [ordered]@{}", "{(= $x ([ordered] (@{})))}"),
])
def test_assignment(text, tree):
    assert d(text) == tree


@pytest.mark.parametrize("text, tree", [
    ("@()", "{(@ {})}"),
    ("@(1)", "{(@ {1})}"),
    ("@(Get-Mailbox)", "{(@ {(Command Get-Mailbox)})}"),
    ("@(\n1\n2\n)", "{(@ {1; 2})}"),
    ("$(1; 2)", "{(sub {1; 2})}"),
    ("@{}", "{(@{})}"),
    ("@{ a = 1; 'b c' = 2; 3 = 'x'; $k = 4; (1+1) = 5 }",
     "{(@{} (a 1) ('b c' 2) (3 'x') ($k 4) ((paren (+ 1 1)) 5))}"),
    ("@{\n  Name = 'x'\n\n  Value = Get-Date\n}", "{(@{} (Name 'x') (Value (Command Get-Date)))}"),
    ("@{ e = { $_.Name } }", "{(@{} (e {(. $_ Name)}))}"),
    ("@{ a = if ($x) { 1 } else { 2 } }", "{(@{} (a (If clauses=[($x {1})] else_body={2})))}"),
    ("{ param($a, $b) $a + $b }",
     "{(ScriptBlock (ParamBlock parameters=[(Parameter name='a') (Parameter name='b')]) {(+ $a $b)})}"),
    ("{}", "{{}}"),
])
def test_collections_and_blocks(text, tree):
    assert d(text) == tree


def test_script_block_text_is_the_body():
    sb = parse("{ Get-Date }").end.statements[0].elements[0].expression.script_block
    assert sb.braced and sb.text == " Get-Date "
