"""Statements, scopes, functions, script blocks, strings, members: the language as users type it."""
import pytest

from .rt_helpers import err, one, out, run
from ems import Shell


def test_if_elseif_else():
    assert out('$x = 3; if ($x -gt 3) { "big" } elseif ($x -eq 3) { "three" } else { "small" }') == ["three"]


def test_loops_and_labels():
    assert out("foreach ($i in 1..3) { $i * 2 }") == [2, 4, 6]
    assert out("for ($i=0; $i -lt 3; $i++) { $i }") == [0, 1, 2]
    assert out("$i = 0; while ($i -lt 5) { $i++; if ($i -eq 2) { continue }; if ($i -eq 4) { break }; $i }") == [1, 3]
    assert out("$j = 0; do { $j++ } while ($j -lt 3); $j") == [3]
    assert out("$j = 0; do { $j++ } until ($j -ge 4); $j") == [4]
    assert out(":outer foreach ($a in 1..3) { foreach ($b in 1..3) { if ($b -eq 2) { continue outer }; \"$a$b\" } }") == ["11", "21", "31"]
    assert out(":o foreach ($a in 1..3) { foreach ($b in 1..3) { if ($a -eq 2) { break o }; \"$a$b\" } }") == ["11", "12", "13"]
    assert out("foreach ($n in $null) { 'never' }") == []


def test_switch():
    assert out('switch (3) { 1 {"one"} 3 {"three"} 3 {"again"} default {"def"} }') == ["three", "again"]
    assert out('switch (9) { 1 {"one"} default {"def"} }') == ["def"]
    assert out('switch ("ABC") { "abc" {"ci"} }') == ["ci"]
    assert out('switch -CaseSensitive ("ABC") { "abc" {"ci"} default {"no"} }') == ["no"]
    assert out('switch -Wildcard ("abc","xyz") { "a*" {"A:$_"} "x*" {"X"; break} }') == ["A:abc", "X"]
    assert out('switch -Regex ("DB12") { "(\\d+)" { $Matches[1] } }') == ["12"]
    assert out('switch (1,2,3) { {$_ -ge 2} { $_; continue } default { "d$_" } }') == ["d1", 2, 3]


def test_functions_params_and_scopes():
    assert out("function Get-Sq { param([int]$n = 2) $n * $n }; Get-Sq; Get-Sq 5; Get-Sq -n 3") == [4, 25, 9]
    assert out("function f($a, $b) { \"$a-$b\" }; f 1 2; f -b 1 -a 2") == ["1-2", "2-1"]
    assert out("function f { $args.Count; $args[1] }; f x y z") == [3, "y"]
    assert out("$x = 1; function g { $x = 2; $script:y = 3; $global:z = 4; $x }; g; $x; $y; $z") == [2, 1, 3, 4]
    assert out("function outer { $v = 'o'; inner }; function inner { $v }; outer") == ["o"]
    assert out("function s([switch]$Force) { $Force.IsPresent; [bool]$Force }; s; s -Force; s -Force:$false") == [
        False, False, True, True, False, False]


def test_advanced_function_binding():
    text = ("function Set-Thing { [CmdletBinding(SupportsShouldProcess=$true)] "
            "param([Parameter(Mandatory=$true, Position=0)][string]$Name, [ValidateSet('A','B')]$Kind = 'A') "
            "\"$Name/$Kind\" }; ")
    assert out(text + "Set-Thing x; Set-Thing -Name y -Kind b") == ["x/A", "y/b"]
    e = err(text + "Set-Thing x -Kind C")
    assert "Cannot validate argument on parameter 'Kind'. The argument \"C\" does not belong to the set \"A,B\"" in e
    assert "ParameterArgumentValidationError,Set-Thing" in e
    e = err(text + "Set-Thing")
    assert "Cannot process command because of one or more missing mandatory parameters: Name." in e
    e = err(text + "Set-Thing -Zzz 1")
    assert "A parameter cannot be found that matches parameter name 'Zzz'." in e


def test_pipeline_functions_begin_process_end_and_input():
    assert out("function d { process { $_ * 2 } }; 1,2,3 | d") == [2, 4, 6]
    assert out("filter d { $_ + 1 }; 1,2 | d") == [2, 3]
    assert out("function c { $input.Count }; 1,2,3 | c") == [3]
    assert out("function b { begin { 'b' } process { \"p$_\" } end { 'e' } }; 1,2 | b") == ["b", "p1", "p2", "e"]
    assert out("function v { param([Parameter(ValueFromPipeline=$true)]$X) process { \"<$X>\" } }; 'a','b' | v") == ["<a>", "<b>"]
    assert out("function n { param([Parameter(ValueFromPipelineByPropertyName=$true)]$Name) process { $Name } }; "
               "[pscustomobject]@{Name='DB1'} | n") == ["DB1"]


def test_return_and_output():
    assert out("function r { 'a'; return 'b'; 'c' }; r") == ["a", "b"]
    assert out("function q { $null = 5; [void]7; 8 | Out-Null }; @(q).Count") == [0]
    assert out("1..3 | ForEach-Object { if ($_ -eq 2) { return }; $_ }") == [1, 3]


def test_script_blocks():
    assert out("& { param($a, $b) $a + $b } 2 3") == [5]
    assert out("$sb = { $args[0] * 2 }; & $sb 21; $sb.Invoke(4)") == [42, 8]
    assert out("$x = 1; . { $x = 5 }; $x; & { $x = 9 }; $x") == [5, 5]
    assert out("$sb = { $_ * 10 }; 1,2 | ForEach-Object $sb") == [10, 20]


def test_strings():
    assert one('$a = 4; "a$a $($a + 1) ${a}b"') == "a4 5 4b"
    assert one('$x = @{N=1}; "$x.N"') == "System.Collections.Hashtable.N"
    assert one("'single $x'") == "single $x"
    assert one('$arr = 1,2,3; "$arr"') == "1 2 3"
    assert one('$OFS = ","; $arr = 1,2,3; "$arr"') == "1,2,3"
    assert one('"tab`there"') == "tab\there"
    assert one("$h = @\"\nline $(1+1)\n\"@\n$h") == "line 2"


def test_hashtables_and_objects():
    assert out("$h = @{b=2; a=1}; $h['A']; $h.b; $h.Count; $h.ContainsKey('a')") == [1, 2, 2, True]
    assert out("$h = [ordered]@{z=1; a=2}; $h.Keys") == ["z", "a"]
    assert out("$h = @{}; $h.x = 1; $h.Add('y', 2); $h.Remove('x'); $h.Keys") == ["y"]
    o = one("[pscustomobject]@{Name='DB1'; Size=5}")
    assert o.get("Name") == "DB1"
    assert out("$o = [pscustomobject]@{Name='a'}; $o.Name = 'b'; $o.Name") == ["b"]


def test_member_access_and_methods():
    assert out("$s = 'Hello World'; $s.ToUpper(); $s.Substring(6); $s.Split(' ')[1]; $s.Length; $s.Contains('lo W')") == [
        "HELLO WORLD", "World", "World", 11, True]
    assert out("'  x '.Trim(); 'xxaxx'.TrimStart('x'); 'a'.PadLeft(3, '.'); 'abc'.IndexOf('c'); 'a,b'.Split(',').Count") == [
        "x", "axx", "..a", 2, 2]
    assert out("(1,2,3).Count; (5).Count; $null.Count; @().Count") == [3, 1, 0, 0]
    assert out("$objs = [pscustomobject]@{N=1},[pscustomobject]@{N=2}; $objs.N") == [1, 2]
    assert out("'abc'.GetType().FullName; (1).GetType().Name; (1,2).GetType().Name") == ["System.String", "Int32", "Object[]"]
    assert out("[Math]::Max(3,7); [Math]::Round(2.5); [Math]::Round(3.14159, 2); [int]::MaxValue") == [7, 2.0, 3.14, 2147483647]
    assert out("[string]::Join('-', @('a','b')); [string]::IsNullOrEmpty(''); [string]::Format('{0}!', 'x')") == [
        "a-b", True, "x!"]
    assert str(one("[System.Net.IPAddress]::None")) == "255.255.255.255"
    assert str(one("[System.Net.IPAddress]::Parse('10.0.0.1')")) == "10.0.0.1"


def test_method_errors():
    e = err("$null.Foo()")
    assert e.startswith("You cannot call a method on a null-valued expression.\n")
    assert "InvokeMethodOnNull" in e
    e = err("'x'.Nope()")
    assert "Method invocation failed because [System.String] does not contain a method named 'Nope'." in e
    e = err("$n = $null; $n[0]")
    assert "Cannot index into a null array." in e and "NullArray" in e


def test_indexing():
    assert out("$a = 1..5; $a[0]; $a[-1]; $a[1..2]; $a[10] -eq $null") == [1, 5, 2, 3, True]
    assert out("$a = 1..5; $a[0,2]") == [1, 3]
    assert one("'hello'[1]") == "e"
    assert out("$a = 1,2,3; $a[1] = 9; $a") == [1, 9, 3]


def test_multiple_assignment_and_compound():
    assert out("$a, $b = 1, 2, 3; $a; $b") == [1, 2, 3]
    assert out("$n = 5; $n += 2; $n -= 1; $n *= 3; $n /= 2; $n; $n++; $n") == [9, 10]
    assert one("[int]$t = '5'; $t = '7'; $t.GetType().Name") == "Int32"


def test_strict_mode():
    assert "The variable '$nosuch' cannot be retrieved because it has not been set." in err(
        "Set-StrictMode -Version 2.0; $nosuch")
    assert "The property 'Nope' cannot be found on this object." in err(
        "Set-StrictMode -Version 2.0; $o = [pscustomobject]@{a=1}; $o.Nope")
    assert "The property 'Count' cannot be found on this object." in err(
        "Set-StrictMode -Version 2.0; $x = 5; $x.Count")
    assert out("Set-StrictMode -Version 2.0; @(5).Count; 'ab'.Length") == [1, 2]
    assert out("Set-StrictMode -Off; $nosuch -eq $null; (5).Count") == [True, 1]


def test_automatic_variables():
    sh = Shell(scenario="empty")
    assert out("$true; $false; $null -eq $null", sh) == [True, False, True]
    assert out("$FormatEnumerationLimit; $WhatIfPreference; $MaximumErrorCount", sh) == [4, False, 256]
    assert out("\"$ErrorActionPreference $ConfirmPreference $VerbosePreference\"", sh) == [
        "Continue High SilentlyContinue"]
    assert out("$PSVersionTable.PSVersion.Major", sh) == [5]
    assert out("$env:EMS_TEST_X = 'v'; $env:EMS_TEST_X", sh) == ["v"]


def test_dollar_underscore_and_psitem_are_the_current_object():
    assert out("1, 2 | ForEach-Object { $_ * 10; $PSItem + 1 }") == [10, 2, 20, 3]
    assert out("'a', 'bb' | Where-Object { $PSItem.Length -gt 1 }") == ["bb"]
    assert out("try { throw 'boom' } catch { $PSItem.Exception.Message }") == ["boom"]


def test_host_is_what_get_host_returns():
    sh = Shell(scenario="empty")
    assert out("$Host.Name; $Host.Version.Major; $Host -eq (Get-Host); $global:Host.Name", sh) == [
        "ConsoleHost", 5, True, "ConsoleHost"]
    # EMS profiles set the window title; the setting is kept (and Get-Host sees it).
    assert out("$Host.UI.RawUI.WindowTitle = 'DAG maintenance'; (Get-Host).UI.RawUI.WindowTitle", sh) == [
        "DAG maintenance"]
    assert out("Set-StrictMode -Version 2; $Host.Name", sh) == ["ConsoleHost"]
    assert "Cannot overwrite variable Host because it is read-only or constant." in err("$Host = 1")


def test_foreach_is_the_loop_enumerator():
    text = ("foreach ($a in '-Server', 'EX1', '-Force', '-Db', 'DB1') {"
            " if ($a -like '-*' -and $foreach.MoveNext()) { \"$a=$($foreach.Current)\" } }")
    assert out(text) == ["-Server=EX1", "-Force=-Db"]
    assert out("foreach ($x in 1..2) { foreach ($y in 'a') { \"$x$y\" }; $foreach.Current }; $foreach") == [
        "1a", 1, "2a", 2, None]  # after the loop $foreach is gone


def test_switch_is_the_switch_enumerator():
    text = ("switch ('-Name', 'x', 'rest') { '-Name' { [void]$switch.MoveNext(); \"name=$($switch.Current)\" }"
            " default { \"other $_\" } }")
    assert out(text) == ["name=x", "other rest"]


def test_first_and_last_token_of_the_previous_line():
    sh = Shell(scenario="empty")
    out("Write-Output 'DB1' *.edb", sh)
    assert out("$^", sh) == ["Write-Output"]
    assert out("$$", sh) == ["*.edb"]  # $^ and $$ lines do not replace what they report
    out("$x = (Get-Date) # a comment", sh)
    assert out("$^; $$", sh) == ["$x", ")"]


def test_call_depth_overflow_is_an_error_not_a_traceback():
    r = run("function f { f }; f")
    assert "The script failed due to call depth overflow." in r.error_text
    assert "CallDepthOverflow" in r.error_text
    assert "Traceback" not in r.error_text


def test_type_constraint_on_preference_variable():
    e = err("$ErrorActionPreference = 'Bogus'")
    assert "Bogus" in e and "Traceback" not in e


def test_advanced_function_common_parameters():
    text = ("function f { [CmdletBinding()] param() Write-Verbose 'v'; Write-Error 'one'; 'out' }; ")
    r = run(text + "f -Verbose -ErrorAction SilentlyContinue -ErrorVariable ev -OutVariable ov; $ev.Count; $ov")
    assert r.output == ["out", 1, "out"]
    assert r.text.startswith("VERBOSE: v\n")
    assert r.error_text == ""
    assert out(text + "try { f -ErrorAction Stop } catch { 'stopped' }") == ["stopped"]


def test_common_parameters_are_in_psboundparameters_of_advanced_functions():
    text = ("function f { [CmdletBinding(SupportsShouldProcess=$true)] param($a) $PSBoundParameters.Keys -join ','; "
            "$PSBoundParameters.ContainsKey('Verbose') }; f -a 1 -Verbose -Confirm:$false -ErrorAction Stop")
    assert out(text)[-2:] == ["a,Verbose,Confirm,ErrorAction", True]
    # ... so splatting them passes -Verbose on to the next advanced function
    text = ("function h { [CmdletBinding()] param() \"$VerbosePreference\" }; "
            "function g { [CmdletBinding()] param() h @PSBoundParameters }; g -Verbose; g")
    assert out(text) == ["Continue", "SilentlyContinue"]
    assert out("function k($a) { $PSBoundParameters.Count }; k 1") == [1]


def test_a_null_hashtable_key_is_an_error():
    assert "Index operation failed; the array index evaluated to null." in err("$h = @{}; $h[$null] = 1")
    assert "NullArrayIndex" in err("$h = @{a=1}; $h[$null]")
    assert 'Exception calling "Add" with "2" argument(s): "Key cannot be null.' in err("@{}.Add($null, 1)")


def test_ref_and_tryparse():
    assert out("$n = 0; [int]::TryParse('42', [ref]$n); $n; [int]::TryParse('x', [ref]$n)") == [True, 42, False]
    assert out("function inc([ref]$v) { $v.Value++ }; $c = 1; inc ([ref]$c); $c") == [2]


def test_cmd_exit_sets_lastexitcode():
    assert out('cmd /c "exit 3"; $?; $LASTEXITCODE; cmd /c "exit 0"; $?; $LASTEXITCODE') == [False, 3, True, 0]


def test_strict_mode_is_scoped():
    sh = Shell(scenario="empty")
    r = run("function f { Set-StrictMode -Version 2; $undefinedInF }; f; $undefinedOutside -eq $null", sh)
    assert r.output == [True]
    assert "VariableIsUndefined" in r.error_text
    run("Set-StrictMode -Version 1", sh)
    assert "VariableIsUndefined" in run("function g { $nope }; g", sh).error_text
