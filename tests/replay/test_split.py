"""Splitting a runbook into steps: numbers, source lines, comments, parameters, parse errors."""
import pytest

from ems.replay import RunbookError, split_runbook

RUNBOOK = """\
<# header block comment #>
# Variables
$DAG = "DAG1"; $Server = "EX1"

# --- Step 1: block activation ---
# (run on EX2)
Set-MailboxServer -Identity $Server `
    -DatabaseCopyAutoActivationPolicy Blocked
#requires -Version 2
Get-MailboxDatabaseCopyStatus -Server $Server |
    Format-Table Name, Status

# a comment separated by a blank line belongs to nothing

function Test-Mounted($db) { $true }
"""


def test_statements_are_numbered_with_their_lines_and_text():
    steps = split_runbook(RUNBOOK, "runbook.ps1")
    assert [s.id for s in steps] == ["1", "2", "3", "4", "5"]
    assert [(s.line, s.end_line) for s in steps] == [(3, 3), (3, 3), (7, 8), (10, 11), (15, 15)]
    assert steps[0].source == '$DAG = "DAG1"'
    assert steps[1].source == '$Server = "EX1"'
    assert steps[2].source == ("Set-MailboxServer -Identity $Server `\n"
                               "    -DatabaseCopyAutoActivationPolicy Blocked")
    assert steps[4].source == "function Test-Mounted($db) { $true }"
    assert {s.kind for s in steps} == {"step"}


def test_comment_lines_just_above_a_statement_are_its_description():
    steps = split_runbook(RUNBOOK)
    assert steps[0].comment == "Variables"
    assert steps[1].comment == ""              # second statement on the line: no comment
    assert steps[2].comment == "Step 1: block activation\n(run on EX2)"   # rulers stripped
    assert steps[3].comment == ""              # #requires is not a description
    assert steps[4].comment == ""              # a blank line separates the comment


def test_the_text_that_runs_keeps_the_runbook_position():
    steps = split_runbook(RUNBOOK)
    second = steps[1]
    assert second.text == "\n\n" + " " * 15 + '$Server = "EX1"'
    assert steps[3].text.count("\n") == 10


def test_a_param_block_becomes_step_0_with_the_default_values():
    steps = split_runbook('param([string]$DAG = "DAG1", [int]$Count, [switch]$WhatIf)\n"go"\n')
    assert steps[0].id == "0" and steps[0].kind == "param"
    assert steps[0].text == '[string]$DAG = "DAG1"'
    assert steps[0].source.startswith("param(")
    assert [s.id for s in steps[1:]] == ["1"]


def test_a_runbook_that_does_not_parse_is_refused_with_the_parse_error():
    with pytest.raises(RunbookError) as e:
        split_runbook('$a = 1\nif ($a {\n  "x"\n}\n', "runbook.ps1")
    text = e.value.text
    assert "At runbook.ps1:2 char:" in text
    assert "ParseException" in text


def test_a_top_level_trap_is_refused():
    with pytest.raises(RunbookError) as e:
        split_runbook('trap { "oops"; continue }\nGet-Date\n')
    assert "trap" in e.value.text and "line 1" in e.value.text


def test_empty_runbook_has_no_steps():
    assert split_runbook("# nothing but a comment\n") == []
