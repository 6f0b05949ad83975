"""Operators with exact 5.1 semantics, driven through the shell."""
import datetime as dt

import pytest

from .rt_helpers import err, one, out


@pytest.mark.parametrize("expr,expected", [
    ("2147483647 + 1", 2147483648.0),
    ("5/2", 2.5),
    ("4/2", 2),
    ("7 % 3", 1),
    ("-7 % 3", -1),
    ("'5' + 1", "51"),
    ("1 + '5'", 6),
    ("'ab' * 3", "ababab"),
    ("(1,2) * 2", [1, 2, 1, 2]),
    ("$null + 1", 1),
    ("0x10 + 1", 17),
    ("20MB", 20971520),
    ("1kb * 2", 2048),
    ("[int]2.5", 2),
    ("[int]3.5", 4),
    ("[int]'7'", 7),
    ("[bool]'False'", True),
    ("[bool]''", False),
    ("[string]1.5", "1.5"),
    ("0.1 + 0.2", 0.30000000000000004),
    ("-bnot 0", -1),
    ("6 -band 3", 2),
    ("6 -bor 1", 7),
    ("5..1", [5, 4, 3, 2, 1]),
])
def test_arithmetic_and_casts(expr, expected):
    assert one(f"({expr})") == expected if not isinstance(expected, list) else out(expr) == expected


def test_double_prints_with_15_digits():
    assert one('"$(0.1 + 0.2)"') == "0.3"
    assert one('"$(1/3)"') == "0.333333333333333"
    assert one('[string]1e20') == "1E+20"


@pytest.mark.parametrize("expr,expected", [
    ("1 -eq '1.0'", True),
    ("'1.0' -eq 1", False),
    ("'abc' -eq 'ABC'", True),
    ("'abc' -ceq 'ABC'", False),
    ("'macOS' -clt 'MacOS'", True),
    ("$null -lt 0", True),
    ("$null -ge -1.0", True),
    ("'a' -like 'A*'", True),
    ("'a' -clike 'A*'", False),
    ("'file.txt' -like '*.t?t'", True),
    ("'b' -like '[a-c]'", True),
    ("'a*b' -like 'a`*b'", True),
    ("1,2,3 -contains 2", True),
    ("2 -in 1,2,3", True),
    ("4 -notin 1,2,3", True),
    ("'abc' -is [string]", True),
    ("5 -is [int]", True),
    ("5 -isnot [string]", True),
    ("'5' -as [int]", 5),
    ("'x' -as [int]", None),
    ("$true -and $false -or $true", True),
    ("-not 0", True),
    ("!1", False),
])
def test_comparison(expr, expected):
    assert one(f"({expr})") == expected


def test_collection_lhs_filters():
    assert out("1,2,3,2 -eq 2") == [2, 2]
    assert out("(1,2) -eq 3") == []
    assert out("'ab','cd','ax' -like 'a*'") == ["ab", "ax"]
    assert out("@(1,$null,2) -ne $null") == [1, 2]


def test_match_sets_matches_only_for_scalar():
    assert out("'abc123' -match '(?<num>\\d+)'; $Matches.num; $Matches[0]") == [True, "123", "123"]
    assert out("$Matches = $null; 'a1','b' -match '\\d'; $Matches -eq $null") == ["a1", True]


def test_replace_split_join_format():
    assert one("'hello world' -replace '(\\w+) (\\w+)', '$2 $1'") == "world hello"
    assert one("'aXbx' -replace 'x', '-'") == "a-b-"
    assert one("'aXbx' -creplace 'x', '-'") == "aXb-"
    assert out("'a,b,,c' -split ','") == ["a", "b", "", "c"]
    assert out("'a,b,c' -split ',', 2") == ["a", "b,c"]
    assert out("-split ' a  b '") == ["a", "b"]
    assert one("1,2,3 -join '-'") == "1-2-3"
    assert one("-join ('a','b')") == "ab"
    assert one("'{0,-6}|{1,5}|{2:N2}' -f 'ab', 'cd', 1234.5") == "ab    |   cd|1,234.50"
    assert one("'{0:P1} {1:D4} {2:X} {3:F3}' -f 0.256, 42, 255, 2.5") == "25.6 % 0042 FF 2.500"
    assert one("'{{literal}} {0}' -f 1") == "{literal} 1"
    assert one("'{0:yyyy-MM-dd HH:mm}' -f [datetime]'2026-03-04 05:06:07'") == "2026-03-04 05:06"
    assert one("'{0:#,##0.0}' -f 12345.678") == "12,345.7"


def test_addition_of_collections():
    assert out("$a = 1,2; $a += 3; $a") == [1, 2, 3]
    h = one("$h = @{a=1} + @{b=2}; $h.Count")
    assert h == 2
    assert "Item has already been added" in err("@{a=1} + @{a=2}")


def test_divide_by_zero_error_layout():
    assert err("1/0") == (
        "Attempted to divide by zero.\n"
        "At line:1 char:1\n"
        "+ 1/0\n"
        "+ ~~~\n"
        "    + CategoryInfo          : NotSpecified: (:) [], RuntimeException\n"
        "    + FullyQualifiedErrorId : RuntimeException\n"
        " \n")


def test_date_and_timespan_arithmetic():
    assert one("([datetime]'2026-01-31').AddMonths(1)") == dt.datetime(2026, 2, 28)
    assert one("([datetime]'2026-01-02') - ([datetime]'2026-01-01')") == dt.timedelta(days=1)
    assert one("([timespan]'7.00:00:00').TotalHours") == 168.0
    assert one("[string][timespan]'1.02:03:04'") == "1.02:03:04"


def test_cast_errors():
    e = err("[int]'abc'")
    assert e.startswith('Cannot convert value "abc" to type "System.Int32". Error: "Input string was not in a correct format."\n')
    assert "InvalidCastFromStringToInteger" in e
    assert err("[Foo.Bar]'x'") == (
        "Unable to find type [Foo.Bar].\n"
        "At line:1 char:1\n"
        "+ [Foo.Bar]'x'\n"
        "+ ~~~~~~~~~\n"
        "    + CategoryInfo          : InvalidOperation: (Foo.Bar:TypeName) [], RuntimeException\n"
        "    + FullyQualifiedErrorId : TypeNotFound\n"
        " \n")


def test_the_casts_scripts_use():
    assert out("([array]5).Count; ([array]$null).Count") == [1, 0]
    assert out("([hashtable]@{a=1}).GetType().Name; ([pscustomobject]@{n='x'}).n") == ["Hashtable", "x"]
    assert one("[datetime]'2026-11-21 09:30'") == dt.datetime(2026, 11, 21, 9, 30)
    assert one("[timespan]'7.00:00:00'") == dt.timedelta(days=7)
    assert one("[string](1,2,3)") == "1 2 3"
    assert "InvalidCastFromStringToInteger" in err("[int]'x'")


def test_parse_exact_culture_info_and_array_statics():
    assert one("[datetime]::ParseExact('05/03/2024 14:07', 'dd/MM/yyyy HH:mm', "
               "[System.Globalization.CultureInfo]::InvariantCulture)") == dt.datetime(2024, 3, 5, 14, 7)
    assert one("[datetime]::ParseExact('Mar 5 2024 2:07 PM', 'MMM d yyyy h:mm tt', $null)") == dt.datetime(
        2024, 3, 5, 14, 7)
    assert "String was not recognized as a valid DateTime." in err("[datetime]::ParseExact('x', 'yyyy', $null)")
    assert out("$a = 3,1,2; [array]::Sort($a); $a -join ','; [array]::Reverse($a); $a -join ','") == [
        "1,2,3", "3,2,1"]
