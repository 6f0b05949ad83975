"""Golden console text: each ``golden/NAME.ps1`` runs in a fresh shell and must print exactly
``golden/NAME.txt`` (trailing spaces included) and, when ``golden/NAME.err.txt`` exists,
exactly that on the error stream (otherwise no error at all).

Leading comments ``# width: N`` and ``# scenario: NAME`` set the console width (default
120) and the lab (default ``empty``). The expected
texts were checked line by line against the 5.1 rules of powershell-semantics.md A.13; the
comment at the top of each script says which rule it pins.
"""
from __future__ import annotations

import os
import re

import pytest

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
CASES = sorted(f[:-4] for f in os.listdir(GOLDEN) if f.endswith(".ps1"))


def _read(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    from ems import Shell
    script = _read(os.path.join(GOLDEN, f"{name}.ps1"))
    width = re.search(r"^#\s*width:\s*(\d+)", script, re.M)
    scenario = re.search(r"^#\s*scenario:\s*(\S+)", script, re.M)
    result = Shell(scenario=scenario.group(1) if scenario else "empty",
                   width=int(width.group(1)) if width else 120).run(script)
    assert result.text == _read(os.path.join(GOLDEN, f"{name}.txt"))
    err_path = os.path.join(GOLDEN, f"{name}.err.txt")
    expected_err = _read(err_path) if os.path.exists(err_path) else ""
    assert result.error_text == expected_err


# Every formatting rule of powershell-semantics.md A.13 and the golden cases that would fail if
# it broke (the rule is visible in their expected text).
A13_RULES = {
    "shape 1: a registered view is used": ["get_date", "timespan_list", "get_variable", "hashtable",
                                           "exchange_mailbox_database", "group_measure"],
    "shape 3: 4 properties or fewer -> table, 5 or more -> list": ["dates_timespans", "table_basic",
                                                                   "list_basic"],
    "shape 4: scalars out of band, even inside a table": ["scalars", "scalar_inside_table"],
    "shape 5: the first object fixes the view; later objects of other shapes": [
        "mixed_objects_table", "first_object_list", "first_view_oob", "exchange_script_mixed_types"],
    "widths: console width - 1; Out-String -Width": ["ft_truncate", "narrow_list_labels", "out_string",
                                                     "exchange_copy_status_80"],
    "list: blank-line structure": ["list_basic", "list_out_string_exact"],
    "list: label padding per object, capped at width - 4": ["first_object_list", "narrow_list_labels"],
    "list: word wrap, continuation indent, embedded newlines, empty value": ["fl_wrap", "get_pssnapin"],
    "list: -Property wildcards in the given order": ["fl_wildcards", "exchange_dag_fl_ip",
                                                     "exchange_lag_fl"],
    "list: RunspaceId first for Exchange objects": ["exchange_mailbox", "exchange_script_mixed_types"],
    "table: blank-line structure": ["table_basic", "ft_then_fl"],
    "table: columns from the view, -Property (missing name -> blank column), first 10": [
        "exchange_server", "ft_properties", "ft_ten_columns"],
    "table: declared widths kept, unset widths share the rest": ["ft_declared_width", "exchange_dag",
                                                                 "exchange_copy_status_wide"],
    "table: auto-size when the first column has no width, and -AutoSize": [
        "table_basic", "exchange_copy_status_autosize"],
    "table: once auto-sized, later groups of the same Out-Default are auto-sized": [
        "autosize_sticks", "ft_calculated"],
    "table: width manager shrinks or drops the last column": ["ft_truncate", "exchange_copy_status_80"],
    "table: header labels wrap in narrow columns; dash row min(width, label)": [
        "header_wrap", "exchange_copy_status", "exchange_move_result"],
    "table: header and dashes follow the column alignment": ["ft_alignment", "ft_truncate_narrow"],
    "table: truncation with ... (head, or tail when right-aligned; cut at 3 cells)": [
        "ft_truncate", "ft_truncate_right", "ft_truncate_narrow", "group_noelement"],
    "table: cells cut at the first newline unless -Wrap": ["ft_wrap"],
    "table: trailing spaces up to the column width, last column too": ["table_basic", "ft_alignment"],
    "table: alignment from the first object (numbers, booleans, enums right)": [
        "ft_alignment", "cell_values"],
    "table: -Wrap": ["ft_wrap"],
    "table: -HideTableHeaders": ["ft_hide_headers"],
    "table: -GroupBy (also on lists), each group sized alone": ["ft_groupby"],
    "table: -View with -Property is an error": ["ft_view_and_property"],
    "table: calculated properties (Name/Label/Expression/Width/Alignment/FormatString)": [
        "ft_calculated", "ft_declared_width", "ft_calculated_errors"],
    "values: $null, strings, numbers, booleans, enums, dates, TimeSpans": [
        "cell_values", "dates_timespans", "scalars", "guid_ip"],
    "values: collections {a, b}, $FormatEnumerationLimit, {}, $null items, nested": ["collections"],
    "Format-Wide (-Column, -AutoSize) and Format-Custom": ["format_wide", "format_custom"],
    "format data out of sequence is refused": ["format_sequence_error"],
    "warnings through the same writer": ["warnings"],
}


def test_every_a13_rule_has_golden_cases() -> None:
    missing = {rule: [n for n in names if n not in CASES] for rule, names in A13_RULES.items()}
    assert not any(missing.values()), missing


def test_every_case_has_expected_text() -> None:
    missing = [n for n in CASES if not os.path.exists(os.path.join(GOLDEN, f"{n}.txt"))]
    assert not missing
