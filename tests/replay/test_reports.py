"""The console text and Markdown reports."""
import io

from ems.replay_report import TextReport, render_markdown, render_text

from .replay_helpers import replay

RUNBOOK = """\
# --- move DB1 to Redmond ---
Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX3 -Confirm:$false | Out-Null
& { Write-Warning "check the namespace"; "done" }
'``` fenced ```'
Get-Mailbox -Bogus
"""


def test_the_console_report_streamed_during_the_replay_is_the_text_report():
    buf = io.StringIO()
    r = replay(RUNBOOK, listener=TextReport(buf))
    assert buf.getvalue() == render_text(r)
    # also when a --before text fails and the rest doesn't run
    buf = io.StringIO()
    r = replay(RUNBOOK, before=["Get-Mailbox -Bogus", '"second"'], listener=TextReport(buf))
    assert buf.getvalue() == render_text(r)
    assert "the --before text failed, so the runbook was not run" in buf.getvalue()


def test_text_report_layout():
    r = replay(RUNBOOK)
    text = render_text(r)
    assert text.startswith("Replay of runbook.ps1\nOrganisation: scenario two-datacenter, 11/21/2026 9:00:00 AM\n")
    assert "\n--- Step 1 · line 2 " in text
    step1 = text.split("--- Step 1")[1].split("--- Step 2")[0]
    assert step1.endswith(" ok\n# move DB1 to Redmond\n"
                          "PS> Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX3 -Confirm:$false | Out-Null\n"
                          "Changes:\n"
                          "  DB1      active  EX1 (Mounted) -> EX3 (Mounted)\n"
                          "  DB1\\EX1  copy    Mounted -> Healthy\n\n")
    step2 = text.split("--- Step 2")[1].split("--- Step 3")[0]
    assert "PS> & { Write-Warning \"check the namespace\"; \"done\" }\ndone\nWARNING: check the namespace\n" in step2
    assert " FAILED\n" in text.split("--- Step 4")[1]
    assert "Organisation after the runbook\n  Portland\n" in text
    assert "    EX3  DACP 1; active: DB1; passive: DB2 DB3 DB4\n" in text
    assert text.rstrip().endswith("Result: verdict holds; steps: 3 ok, 1 failed; exit status 1")


def test_colour_only_when_asked():
    r = replay('"x"\n')
    plain, colour = io.StringIO(), io.StringIO()
    for out, color in ((plain, False), (colour, True)):
        rep = TextReport(out, color=color)
        rep.start(r)
        rep.step(r.steps[0])
        rep.finish(r)
    assert "\x1b[" not in plain.getvalue()
    assert "\x1b[92mok\x1b[0m" in colour.getvalue()
    assert "\x1b[1mReplay of runbook.ps1\x1b[0m" in colour.getvalue()


def test_a_long_change_breaks_before_the_arrow():
    from ems.replay_report import change_lines
    from ems.replay_state import Change
    lines = change_lines([Change("DAG1", "quorum", "a" * 70, "b" * 70)])
    assert lines == ["  DAG1  quorum  " + "a" * 70,
                     "             -> " + "b" * 70]       # the values stay aligned


def test_markdown_report():
    r = replay(RUNBOOK, before=["Dismount-Database DB4 -Confirm:$false"])
    md = render_markdown(r)
    assert md.startswith("# Replay of `runbook.ps1`\n\n| | |\n|---|---|\n"
                         "| Organisation | scenario two-datacenter, 11/21/2026 9:00:00 AM |\n"
                         "| Disaster | `Dismount-Database DB4 -Confirm:$false` |\n")
    assert "### Before B1 · ok" in md and "### Step 4 · line 5 · failed" in md
    assert "> move DB1 to Redmond\n" in md
    assert "| DB1 | active | EX1 (Mounted) | EX3 (Mounted) |" in md
    assert "Warnings:\n\n```text\nWARNING: check the namespace\n```" in md
    # output containing ``` is fenced with a longer fence
    assert "````text\n``` fenced ```\n````" in md
    assert "## Verdict: does not hold" in md
    assert "- ❌ **every database mounted exactly once**: DB4 is Dismounted on EX2" in md
    assert md.rstrip().endswith("**Result:** verdict does not hold; steps: 3 ok, 1 failed; exit status 1")


def test_markdown_lists_steps_that_did_not_run():
    r = replay('throw "no"\n"later"\n')
    md = render_markdown(r)
    assert "### Step 2 · line 2 · not run\n\n```powershell\n\"later\"\n```\n\nNot run." in md
