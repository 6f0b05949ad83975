"""The runbooks in scripts/runbooks replayed against the failure each is written for: their
Markdown reports are golden files, and the deliberately wrong variants fail where they should.

Regenerate after an intended change: ``EMS_UPDATE_GOLDEN=1 python -m pytest tests/replay -k runbook``.
"""
import os

import attrs
import pytest

from ems import Shell
from ems.replay import FAILED, Replay
from ems.replay_report import render_markdown

from .replay_helpers import REPO

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")


@attrs.frozen
class Case:
    name: str
    runbook: str
    before: tuple = ()
    exit_code: int = 0
    prepare: tuple = ()
    """Runbooks (with their --before texts) replayed first on the same organisation."""
    failed_step: str = ""
    """For a wrong variant: the start of the first failing step's command ..."""
    error: str = ""
    """... and a piece of the error it writes."""


CASES = [
    Case("server-maintenance", "server-maintenance.ps1"),
    Case("witness-replacement-planned", "witness-replacement.ps1"),
    Case("wrong-server-maintenance-suspend-first", "wrong/server-maintenance-suspend-first.ps1", exit_code=1,
         failed_step="Get-MailboxDatabaseCopyStatus -Server $Server |",
         error="The suspend operation can't be performed on database copy 'DB1\\EX1' because it is the active "
               "copy of the database."),
    Case("wrong-witness-replacement-member-as-witness", "wrong/witness-replacement-member-as-witness.ps1",
         exit_code=1, failed_step="Set-DatabaseAvailabilityGroup -Identity $DAG -WitnessServer",
         error="The witness server 'EX3' is a member of database availability group 'DAG1'. A member of the "
               "database availability group can't be its witness server."),
    Case("witness-replacement", "witness-replacement.ps1", before=("Stop-SimServer FS1",)),
    Case("datacenter-switchover", "datacenter-switchover.ps1", before=("Stop-SimSite Portland",)),
    Case("wrong-datacenter-switchover-without-configurationonly",
         "wrong/datacenter-switchover-without-configurationonly.ps1",
         before=("Stop-SimSite Portland",), exit_code=1,
         failed_step="Stop-DatabaseAvailabilityGroup -Identity $DAG -ActiveDirectorySite $FailedSite "
                     "-Confirm:$false",
         error="Unable to contact server 'EX1.contoso.com'. Use the ConfigurationOnly parameter to stop a "
               "server that can't be contacted."),
    Case("wrong-datacenter-switchover-restore-before-stop", "wrong/datacenter-switchover-restore-before-stop.ps1",
         before=("Stop-SimSite Portland",), exit_code=1, failed_step="Restore-DatabaseAvailabilityGroup",
         error="no server of database availability group 'DAG1' is on the StoppedMailboxServers list"),
    Case("wrong-datacenter-switchover-clussvc-running", "wrong/datacenter-switchover-clussvc-running.ps1",
         before=("Stop-SimSite Portland",), exit_code=1, failed_step="Restore-DatabaseAvailabilityGroup",
         error="The Cluster service (ClusSvc) is running on server 'EX3'."),
    Case("datacenter-switchback", "datacenter-switchback.ps1", before=("Start-SimSite Portland",),
         prepare=(("datacenter-switchover.ps1", ("Stop-SimSite Portland",)),)),
    Case("wrong-datacenter-switchback-move-before-start", "wrong/datacenter-switchback-move-before-start.ps1",
         before=("Start-SimSite Portland",), prepare=(("datacenter-switchover.ps1", ("Stop-SimSite Portland",)),),
         exit_code=1, failed_step="foreach ($db in $Homes.Keys | Sort-Object)",
         error="Database copy 'DB1' on server 'EX1' can't be activated because server 'EX1'"),
]


def _replay(shell, runbook, before):
    path = os.path.join(REPO, "scripts", "runbooks", runbook)
    return Replay(shell, path, before=list(before), display_path=f"scripts/runbooks/{runbook}").run()


def _ids(case):
    return case.name


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_runbook_replay(case):
    shell = Shell(scenario="two-datacenter")
    for runbook, before in case.prepare:
        assert _replay(shell, runbook, before).exit_code == 0, f"{runbook} must replay cleanly first"
    result = _replay(shell, case.runbook, case.before)
    report = render_markdown(result)
    golden = os.path.join(GOLDEN, f"{case.name}.md")
    if os.environ.get("EMS_UPDATE_GOLDEN"):
        with open(golden, "w", encoding="utf-8") as fh:
            fh.write(report)
    with open(golden, encoding="utf-8") as fh:
        assert report == fh.read()
    assert result.exit_code == case.exit_code
    if case.exit_code == 0:
        assert not result.failed and result.verdict.holds
    if case.failed_step:
        first = result.failed[0]
        assert first.source.startswith(case.failed_step), first.source
        assert case.error in first.errors
        assert first.status == FAILED


def test_every_runbook_has_a_case():
    listed = {c.runbook for c in (p.values[0] if hasattr(p, "values") else p for p in CASES)}
    found = set()
    for folder, _, files in os.walk(os.path.join(REPO, "scripts", "runbooks")):
        for f in files:
            if f.endswith(".ps1"):
                found.add(os.path.relpath(os.path.join(folder, f), os.path.join(REPO, "scripts", "runbooks"))
                          .replace(os.sep, "/"))
    assert found == listed
