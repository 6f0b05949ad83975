"""``--state FILE``: load, save on exit atomically, start from the scenario when the file is
missing, refuse a corrupt or foreign file without ever overwriting it, versioned readable JSON,
and survive a kill in the middle of a save."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from ems import Shell

from .conftest import state


def ems(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "ems", *args], capture_output=True, text=True, timeout=120,
                          input=stdin)


# --- load, change, save on exit ---------------------------------------------------------------

def test_missing_file_starts_from_the_scenario_and_is_written_on_exit(tmp_path):
    path = tmp_path / "lab.json"
    r = ems("--scenario", "two-datacenter", "--state", str(path), "-c",
            "Dismount-Database DB3 -Confirm:$false; Suspend-MailboxDatabaseCopy DB1\\EX4 -Confirm:$false; "
            "New-Mailbox -Name Kim -UserPrincipalName kim@contoso.com -Password (ConvertTo-SecureString x "
            "-AsPlainText -Force) -Database DB2 | Out-Null")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert path.exists() and not [p for p in os.listdir(tmp_path) if p != "lab.json"]  # no temporary left
    r = ems("--state", str(path), "-c",
            "(Get-MailboxDatabase DB3 -Status).Mounted; (Get-MailboxDatabaseCopyStatus DB1\\EX4).Status; "
            "(Get-Mailbox Kim).Database.Name; (Get-DatabaseAvailabilityGroup).Name")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "Suspended", "DB2", "DAG1"]


def test_the_state_file_wins_over_the_scenario(tmp_path):
    path = tmp_path / "lab.json"
    assert ems("--scenario", "empty", "--state", str(path), "-c", "'x'").returncode == 0
    r = ems("--scenario", "two-datacenter", "--state", str(path), "-c", "(Get-ExchangeServer).Count")
    assert r.stdout.split() == ["0"]


def test_a_saved_state_is_the_same_organisation(tmp_path, dc_lab):
    path = tmp_path / "lab.json"
    dc_lab.run("Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX3 -Confirm:$false | Out-Null\n"
               "Send-SimMail -Database DB2 -Count 7\nStart-Sleep -Seconds 90")
    dc_lab.save_state(str(path))
    again = Shell(state=str(path))
    assert state(again.org) == state(dc_lab.org)
    for command in ("Get-MailboxDatabaseCopyStatus * | Format-List", "Get-DatabaseAvailabilityGroup -Status | fl",
                    "Get-Mailbox | Format-Table", "Get-Date"):
        assert again.run(command).text == dc_lab.run(command).text, command


def test_the_file_is_versioned_readable_json(tmp_path, lab):
    path = tmp_path / "lab.json"
    lab.save_state(str(path))
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert (data["format"], data["version"]) == ("ems-state", 1)
    assert text.count("\n") > 100  # indented, one value per line: a person can read and diff it
    assert data["organization"]["domain"] == "benet.com"
    assert [s["name"] for s in data["servers"]] == ["DC", "MAILSERVER01", "MAILSERVER02"]
    server = data["servers"][1]
    assert server["ip_addresses"] == ["192.168.10.20", "10.0.0.20"] and server["version"] == "14.3"
    db = next(d for d in data["databases"] if d["server"] == "MAILSERVER01")
    assert db["name"].startswith("Mailbox Database ") and db["mounted"] is True


# --- corrupt, foreign or unreadable files: a clear error, never overwritten -------------------

BAD = {
    "not JSON": ("{not json", "is not valid JSON"),
    "empty": ("", "is not valid JSON"),
    "truncated": ('{"format": "ems-state", "version": 1, "organization": {"na', "is not valid JSON"),
    "foreign": ('{"hello": 1}', 'This is not an ems state file (missing "format": "ems-state").'),
    "a list": ("[1, 2, 3]", "This is not an ems state file"),
    "newer version": ('{"format": "ems-state", "version": 99}', "Unsupported ems state version 99 (expected 1)."),
    "missing tables": ('{"format": "ems-state", "version": 1, "organization": {}}', "The ems state is corrupt"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_file_is_reported_and_kept(tmp_path, kind):
    content, text = BAD[kind]
    path = tmp_path / "lab.json"
    path.write_text(content, encoding="utf-8")
    stamp = os.stat(path).st_mtime_ns
    r = ems("--state", str(path), "-c", "Get-MailboxDatabase; 'ran'")
    assert r.returncode == 2 and "ran" not in r.stdout
    assert r.stderr.startswith("ems: ") and text in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert path.read_text(encoding="utf-8") == content and os.stat(path).st_mtime_ns == stamp
    assert sorted(os.listdir(tmp_path)) == ["lab.json"]


def test_corrupt_entry_names_where_it_is(tmp_path, lab):
    path = tmp_path / "lab.json"
    lab.save_state(str(path))
    data = json.loads(path.read_text())
    data["servers"][1]["colour"] = "blue"
    bad = json.dumps(data)
    path.write_text(bad)
    r = ems("--state", str(path), "-c", "'ran'")
    assert r.returncode == 2 and "servers[1]: unknown field(s) colour" in r.stderr
    assert path.read_text() == bad


def test_binary_and_directory_paths(tmp_path):
    blob = tmp_path / "blob.json"
    blob.write_bytes(bytes(range(128, 256)))
    r = ems("--state", str(blob), "-c", "'ran'")
    assert r.returncode == 2 and "Cannot read state file" in r.stderr and blob.read_bytes() == bytes(range(128, 256))
    folder = tmp_path / "folder"
    folder.mkdir()
    r = ems("--state", str(folder), "-c", "'ran'")
    assert r.returncode == 2 and "Cannot read state file" in r.stderr and "Traceback" not in r.stderr


def test_the_api_never_overwrites_a_foreign_file(tmp_path):
    path = tmp_path / "lab.json"
    path.write_text('{"hello": 1}')
    shell = Shell(state=str(path))
    r = shell.run("Get-MailboxDatabase")
    assert r.errors and "This is not an ems state file" in r.errors[0].message
    shell.save_state()
    assert path.read_text() == '{"hello": 1}'


# --- a kill in the middle of a save ---------------------------------------------------------

SAVER = textwrap.dedent("""
    import sys
    from ems import Shell
    path = sys.argv[1]
    shell = Shell(scenario="two-datacenter", state=path)
    org = shell.org
    db = org.databases["db1"]
    if "bulk00000" not in org.mailboxes:        # a large organisation: the file is several MB
        for i in range(3000):
            org.new_mailbox(f"bulk{i:05d}", db)
    version = int(org.mailboxes["bulk00000"].custom_attribute1 or 0)  # continues a killed run
    while True:
        version += 1
        org.mailboxes["bulk00000"].custom_attribute1 = str(version)
        shell.save_state()
        print(version, flush=True)
""")


def _load_version(path):
    shell = Shell(state=str(path))
    org = shell.org
    assert len(org.mailboxes) == 3008 and len(org.databases) == 4  # complete, not a prefix
    return int(org.mailboxes["bulk00000"].custom_attribute1)


def test_state_survives_sigkill_in_the_middle_of_saves(tmp_path):
    """A process saving a large organisation over and over is killed with SIGKILL while the next
    version is being written (its temporary file is half there). The state file must load and be
    exactly one of the complete versions: the last one reported saved (or the one whose rename
    won the race with the kill)."""
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL on this platform")
    path = tmp_path / "lab.json"
    mid_save_kills = 0
    for attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True)
        first = proc.stdout.readline()
        assert first.strip(), f"the saver died before its first save (attempt {attempt})"
        saved = [int(first)]  # at least one complete version exists
        tmp = f"{path}.tmp{proc.pid}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until the next version is half written
            try:
                if os.path.getsize(tmp) > 2_000_000:
                    break
            except OSError:
                pass
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        mid_save_kills += os.path.exists(tmp)
        saved += [int(line) for line in proc.stdout.read().split()]
        proc.stdout.close()
        assert _load_version(path) in (saved[-1], saved[-1] + 1), (attempt, saved)
        json.loads(path.read_text())  # the whole file parses: never a torn write
        for leftover in tmp_path.glob("lab.json.tmp*"):
            leftover.unlink()
    assert mid_save_kills >= 1  # the kills really landed inside a save


def test_state_survives_death_after_a_partial_write(tmp_path):
    """Deterministic variant: the writer dies (os._exit) after writing part of the new version.
    The previous version stays in place, complete and loadable, and the next run saves normally."""
    path = tmp_path / "lab.json"
    assert ems("--scenario", "two-datacenter", "--state", str(path), "-c", "'v1'").returncode == 0
    before = path.read_bytes()
    dying = textwrap.dedent("""
        import builtins, os, sys
        from ems import Shell
        shell = Shell(state=sys.argv[1])
        shell.run("Dismount-Database DB3 -Confirm:$false")
        real_open = builtins.open
        class Dying:
            def __init__(self, fh): self.fh, self.n = fh, 0
            def write(self, s):
                self.fh.write(s); self.n += len(s)
                if self.n > 50_000:
                    self.fh.flush(); os._exit(9)      # power cut in the middle of the write
            def __enter__(self): return self
            def __exit__(self, *a): return self.fh.__exit__(*a)
            def __getattr__(self, name): return getattr(self.fh, name)
        def open_(file, mode="r", *a, **k):
            fh = real_open(file, mode, *a, **k)
            return Dying(fh) if ".tmp" in str(file) and "w" in mode else fh
        builtins.open = open_
        shell.save_state()
    """)
    r = subprocess.run([sys.executable, "-c", dying, str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 9, r.stderr
    assert path.read_bytes() == before  # the old version, untouched
    leftovers = list(tmp_path.glob("lab.json.tmp*"))
    assert len(leftovers) == 1 and 50_000 < leftovers[0].stat().st_size < len(before)
    r = ems("--state", str(path), "-c", "(Get-MailboxDatabase DB3 -Status).Mounted")
    assert r.returncode == 0 and r.stdout.split() == ["True"]  # the dismount was never saved
