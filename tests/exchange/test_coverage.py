"""COVERAGE.md stays generated from the declarations and complete for the cmdlets of the
Exchange organisation issue (parameters of later versions and Exchange Online excepted)."""
import os
import sys

import attrs
import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
HA_ENGINE = {"Start-DatabaseAvailabilityGroup", "Stop-DatabaseAvailabilityGroup",
             "Restore-DatabaseAvailabilityGroup"}
ISSUE_CMDLETS = {
    "Get-ExchangeServer", "Get-MailboxServer", "Set-MailboxServer",
    "New-DatabaseAvailabilityGroup", "Get-DatabaseAvailabilityGroup", "Set-DatabaseAvailabilityGroup",
    "Remove-DatabaseAvailabilityGroup", "Add-DatabaseAvailabilityGroupServer",
    "Remove-DatabaseAvailabilityGroupServer", "New-DatabaseAvailabilityGroupNetwork",
    "Get-DatabaseAvailabilityGroupNetwork", "Set-DatabaseAvailabilityGroupNetwork",
    "Remove-DatabaseAvailabilityGroupNetwork", "New-MailboxDatabase", "Get-MailboxDatabase",
    "Set-MailboxDatabase", "Remove-MailboxDatabase", "Mount-Database", "Dismount-Database",
    "Add-MailboxDatabaseCopy", "Remove-MailboxDatabaseCopy", "Set-MailboxDatabaseCopy",
    "Get-MailboxDatabaseCopyStatus", "Suspend-MailboxDatabaseCopy", "Resume-MailboxDatabaseCopy",
    "Update-MailboxDatabaseCopy", "Move-ActiveMailboxDatabase", "New-Mailbox", "Get-Mailbox", "Set-Mailbox",
    "Remove-Mailbox", "Get-MailboxStatistics", "Get-TransportConfig", "Set-TransportConfig",
    "Get-ClientAccessServer", "Set-ClientAccessServer", "New-ClientAccessArray", "Get-ClientAccessArray",
    "Set-ClientAccessArray", "Remove-ClientAccessArray", "Test-ReplicationHealth",
}


@pytest.fixture(scope="module")
def coverage():
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import cmdlet_coverage
    if not os.path.exists(cmdlet_coverage.DEFAULT_REFERENCE):
        pytest.skip("reference/exchange-cmdlets.md is not beside the checkout")
    with open(cmdlet_coverage.DEFAULT_REFERENCE, encoding="utf-8") as fh:
        reference = cmdlet_coverage.parse_reference(fh.read())
    return cmdlet_coverage, reference


def sections(text):
    return {s.split("\n", 1)[0]: s for s in text.split("\n## ")[1:]}


def test_coverage_file_is_current(coverage):
    cov, reference = coverage
    text, _ = cov.report(reference, cov.declared())
    with open(os.path.join(ROOT, "COVERAGE.md"), encoding="utf-8") as fh:
        assert fh.read() == text, "COVERAGE.md is out of date: run python scripts/cmdlet_coverage.py"


def test_every_issue_cmdlet_is_in_the_reference_and_declared(coverage):
    cov, reference = coverage
    have = cov.declared()
    assert ISSUE_CMDLETS <= set(reference) and ISSUE_CMDLETS <= set(have)
    assert {"Get-PublicFolderDatabase", "Add-ADGroupMember", "Get-ADGroupMember"} <= set(have)


def test_issue_cmdlets_are_complete_and_declared_as_documented(coverage):
    cov, reference = coverage
    text, missing = cov.report(reference, cov.declared())
    assert missing == 0
    bad = {name: [line for line in body.splitlines() if "| **no** |" in line or "| differs:" in line]
           for name, body in sections(text).items() if name in ISSUE_CMDLETS}
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_checker_notices_a_drifted_declaration(coverage):
    cov, reference = coverage
    have = {k: dict(v) for k, v in cov.declared().items()}
    moved = have["Add-MailboxDatabaseCopy"]
    moved["MailboxServer"] = attrs.evolve(moved["MailboxServer"], position=4, pipeline=False)
    del have["Set-MailboxServer"]["AutoDatabaseMountDial"]
    text, missing = cov.report(reference, have)
    assert missing == 1
    body = sections(text)
    assert "| MailboxServer | MailboxServerIdParameter | all | differs: position 5; no pipeline input |" in body[
        "Add-MailboxDatabaseCopy"]
    assert "| AutoDatabaseMountDial | AutoDatabaseMountDial | all | **no** |" in body["Set-MailboxServer"]
