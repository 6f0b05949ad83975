"""Cmdlet modules load on demand; listings still see every cmdlet."""
import subprocess
import sys

import cmdlets
from ems.runtime.discovery import CommandIndex


def test_index_reads_names_and_aliases_from_source():
    index = CommandIndex(cmdlets)
    assert index.modules["get-date"] == "cmdlets.utility"
    assert index.modules["get-mailboxdatabase"].startswith("cmdlets.exchange")
    assert index.aliases["gcm"] == "Get-Command"


def _fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout


def test_get_date_imports_only_its_module():
    out = _fresh("import sys\nfrom ems import Shell\nShell(scenario='empty').run('Get-Date')\n"
                 "print(sorted(m for m in sys.modules if m.startswith('cmdlets.') and not m.startswith('cmdlets._')))")
    assert out.strip() == "['cmdlets.utility']"


def test_aliases_listings_and_get_prefix_work_lazily():
    out = _fresh("from ems import Shell\nsh = Shell(scenario='empty')\n"
                 "print(sh.run('(gcm Get-MailboxDatabase).Name').output)\n"
                 "print(sh.run('(Get-Command).Count -gt 100').output)\n"
                 "print(sh.run('Date -Format yyyy').output)\n")
    assert out.splitlines() == ["['Get-MailboxDatabase']", "[True]", "['2026']"]
