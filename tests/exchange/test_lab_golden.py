"""The classic benet DAG lab, end to end: its console output is a golden file.

Regenerate after an intended change with ``EMS_UPDATE_GOLDEN=1 python -m pytest tests/exchange -k golden``.
"""
import os

from ems import Shell

HERE = os.path.dirname(__file__)
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "labs", "benet-dag-lab.ps1")
GOLDEN = os.path.join(HERE, "golden", "benet-dag-lab.txt")


def run_lab() -> str:
    r = Shell(scenario="benet-lab").run_file(SCRIPT)
    return r.text + "--- stderr ---\n" + r.error_text.replace(os.path.abspath(SCRIPT), "benet-dag-lab.ps1")


def test_benet_dag_lab_golden():
    text = run_lab()
    if os.environ.get("EMS_UPDATE_GOLDEN"):
        with open(GOLDEN, "w", encoding="utf-8") as fh:
            fh.write(text)
    with open(GOLDEN, encoding="utf-8") as fh:
        assert text == fh.read()


def test_benet_dag_lab_outcome():
    shell = Shell(scenario="benet-lab")
    r = shell.run_file(SCRIPT)
    assert len(r.errors) == 1 and "MapiExceptionNotFound" in r.errors[0].message  # the failed mount
    org = shell.org
    db = org.databases["mailbox01"]
    assert db.active_server == "MAILSERVER02" and db.mounted
    assert org.mailboxes["user1"].database == "mailbox01"
    assert not org.dags["dag"].networks[0].replication_enabled
    assert [str(a) for a in org.dags["dag"].ip_addresses] == ["192.168.10.100"]
