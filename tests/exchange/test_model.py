"""The organisation model in Python: rules (V-1..V-11), state transitions, atomicity."""
import datetime as dt
import json

import pytest

from ems.exchange import errors as E
from ems.exchange import identity as I
from ems.exchange import snapshots as S
from ems.exchange.organization import Organization

from .conftest import ROLES, SITE, build_benet, build_dag, state


def fails(org, exc_type, fn, *args, match=None, **kwargs):
    """Call fn expecting exc_type; the organisation must be unchanged."""
    before = state(org)
    with pytest.raises(exc_type) as info:
        fn(*args, **kwargs)
    assert state(org) == before
    if match:
        assert match in str(info.value)
    return info.value


# --- topology and the lab ---------------------------------------------------------------------

def test_benet_lab_has_default_databases_and_public_folders(benet):
    dbs = sorted(benet.databases.values(), key=lambda d: d.server)
    assert [d.server for d in dbs] == ["MAILSERVER01", "MAILSERVER02"]
    assert all(d.name.startswith("Mailbox Database ") and len(d.name) == len("Mailbox Database 0123456789")
               for d in dbs)
    assert all(d.mounted for d in dbs)
    assert len(benet.public_folder_databases) == 1
    assert next(iter(benet.public_folder_databases.values())).server == "MAILSERVER01"


def test_same_seed_same_organisation():
    assert state(build_benet()) == state(build_benet())


def test_new_server_rejects_duplicates_and_bad_addresses(benet):
    fails(benet, E.ADObjectAlreadyExistsException, benet.new_server, "DC", SITE, ["192.168.10.99"], [])
    fails(benet, E.InvalidOperationException, benet.new_server, "EX9", SITE, ["192.168.10.20"], ROLES)
    fails(benet, E.ArgumentException, benet.new_server, "EX9", SITE, ["300.1.1.1"], ROLES)
    fails(benet, E.ArgumentException, benet.new_server, "EX9", SITE, ["192.168.10.99"], ["Wizard"])
    fails(benet, E.ManagementObjectNotFoundException, benet.new_server, "EX9", "Mars", ["192.168.10.99"], ROLES)


def test_witness_permissions_follow_the_builtin_administrators_group(benet):
    dc = benet.servers["dc"]
    assert not benet.is_local_administrator(dc, "Exchange Trusted Subsystem")
    benet.add_group_members("Administrators", ["Exchange Trusted Subsystem"])
    assert benet.is_local_administrator(dc, "Exchange Trusted Subsystem")
    assert benet.is_local_administrator(benet.servers["mailserver01"], "Exchange Trusted Subsystem")


def test_add_group_member_unknown_principal(benet):
    fails(benet, E.ADIdentityNotFoundException, benet.add_group_members, "Administrators", ["Nobody"])


# --- DAG ---------------------------------------------------------------------------------------

def test_new_dag_defaults(benet):
    dag = benet.new_dag("DAG", "DC", r"C:\DAG")
    assert dag.witness_server == "DC.benet.com"
    assert (dag.network_compression, dag.network_encryption) == ("InterSubnetOnly", "InterSubnetOnly")
    assert dag.datacenter_activation_mode == "Off" and dag.replication_port == 64327
    dag2 = benet.new_dag("DAG2", "DC")
    assert dag2.witness_directory == r"C:\DAGFileShareWitnesses\DAG2.benet.com"


@pytest.mark.parametrize("name, exc, text", [
    ("ABCDEFGHIJKLMNOP", E.DataValidationException, "The maximum length is 15 and the length of the value provided is 16"),
    ("bad name", E.DataValidationException, "isn't a valid computer name"),
    ("DC", E.ADObjectAlreadyExistsException, "computer account"),
])
def test_new_dag_name_rules(benet, name, exc, text):
    fails(benet, exc, benet.new_dag, name, "DC", match=text)


def test_new_dag_duplicate_and_shared_witness_directory(benet):
    benet.new_dag("DAG", "DC", r"C:\DAG")
    fails(benet, E.ADObjectAlreadyExistsException, benet.new_dag, "dag", "DC")
    fails(benet, E.DagTaskServerException, benet.new_dag, "DAG2", "DC", r"C:\DAG", match="already used")


def test_new_dag_unknown_witness_and_auto_witness(benet):
    fails(benet, E.ManagementObjectNotFoundException, benet.new_dag, "DAG", "NOPE")
    fails(benet, E.DagTaskServerException, benet.new_dag, "DAG", match="Hub Transport")


def test_add_member_needs_exchange_trusted_subsystem_on_witness(benet):
    dag = benet.new_dag("DAG", "DC", r"C:\DAG")
    err = fails(benet, E.DagTaskOperationFailedException, benet.add_dag_server, dag, benet.servers["mailserver01"])
    assert "AddClusterNode() (MaxPercentage=12) failed with 0x80070005. Error: Access is denied." in err.message


def test_membership_rules():
    org = build_benet(ets_admin=True)
    m1, m2, dc = (org.servers[n] for n in ("mailserver01", "mailserver02", "dc"))
    dag = org.new_dag("DAG", "DC", r"C:\DAG")
    org.add_dag_server(dag, m1)
    fails(org, E.DagTaskServerException, org.add_dag_server, dag, m1, match="already a member")
    fails(org, E.DagTaskServerException, org.add_dag_server, dag, dc, match="Mailbox server role")
    other = org.new_dag("DAG2", "DC", r"C:\DAG2")
    fails(org, E.DagTaskServerException, org.add_dag_server, other, m1, match="only one database availability group")
    org.add_dag_server(dag, m2)
    assert dag.servers == ["MAILSERVER01", "MAILSERVER02"] and dag.witness_in_use == "Primary"
    assert [n.name for n in dag.networks] == ["DAGNetwork01", "DAGNetwork02"]
    fails(org, E.DagTaskServerException, org.set_dag, dag, {"witness_server": "MAILSERVER01"}, match="member")


def test_member_version_and_count_limits():
    org = build_benet(ets_admin=True)
    org.new_server("EX15", SITE, ["192.168.10.40"], ROLES, version="15.0", default_database=False)
    dag = org.new_dag("DAG", "DC", r"C:\DAG")
    org.add_dag_server(dag, org.servers["mailserver01"])
    fails(org, E.DagTaskServerException, org.add_dag_server, dag, org.servers["ex15"], match="same version")
    dag.servers = [f"X{i}" for i in range(16)]
    fails(org, E.DagTaskServerException, org.add_dag_server, dag, org.servers["mailserver02"], match="16")


def test_remove_dag_and_members(dagorg):
    dag = dagorg.dags["dag"]
    m2 = dagorg.servers["mailserver02"]
    fails(dagorg, E.InvalidOperationException, dagorg.remove_dag, dag, match="still has member servers")
    fails(dagorg, E.DagTaskServerException, dagorg.remove_dag_server, dag, m2, match="mailbox01")
    db = dagorg.databases["mailbox01"]
    dagorg.remove_database_copy(db, db.copy_on("MAILSERVER02"))
    dagorg.remove_dag_server(dag, m2)
    assert dag.servers == ["MAILSERVER01"] and m2.dag is None and dag.witness_in_use is None


def test_dag_networks(dagorg):
    dag = dagorg.dags["dag"]
    net = dagorg.new_dag_network(dag, "Repl2", "second", ["10.0.0.0/24"], True)
    assert [str(s) for s in net.subnets] == ["10.0.0.0/24"]
    assert dag.networks[1].subnets == []  # the subnet moved
    fails(dagorg, E.ADObjectAlreadyExistsException, dagorg.new_dag_network, dag, "repl2")
    fails(dagorg, E.DataValidationException, dagorg.new_dag_network, dag, "X", subnets=["nonsense"])
    fails(dagorg, E.DataValidationException, dagorg.new_dag_network, dag, "X", "d" * 257)


def test_dag_status(dagorg):
    st = dagorg.dag_status(dagorg.dags["dag"])
    assert st.operational_servers == ["MAILSERVER01", "MAILSERVER02"]
    assert st.primary_active_manager == "MAILSERVER01" and st.witness_share_in_use == "Primary"


def test_quorum_lost_when_member_and_witness_are_down(dagorg):
    dag = dagorg.dags["dag"]
    dagorg.servers["mailserver02"].up = False
    assert dagorg.has_quorum(dag)  # MAILSERVER01 + witness = 2 of 3
    dagorg.servers["dc"].up = False
    assert not dagorg.has_quorum(dag)


# --- databases and copies -------------------------------------------------------------------------

def test_new_mailbox_database_defaults(benet):
    m1 = benet.servers["mailserver01"]
    db = benet.new_mailbox_database("DB1", m1)
    assert db.edb_file_path == r"C:\Program Files\Microsoft\Exchange Server\V14\Mailbox\DB1\DB1.edb"
    assert db.log_folder_path == r"C:\Program Files\Microsoft\Exchange Server\V14\Mailbox\DB1"
    assert not db.mounted and db.rpc_client_access_server == "MAILSERVER01.benet.com"
    assert db.log_file_prefix == "E02"  # E00 = default database, E01 = public folders


def test_new_mailbox_database_rules(benet):
    m1, dc = benet.servers["mailserver01"], benet.servers["dc"]
    benet.new_mailbox_database("DB1", m1)
    fails(benet, E.ADObjectAlreadyExistsException, benet.new_mailbox_database, "db1", m1)
    fails(benet, E.DataValidationException, benet.new_mailbox_database, "x" * 65, m1)
    fails(benet, E.InvalidOperationException, benet.new_mailbox_database, "DB2", dc, match="Mailbox server role")
    fails(benet, E.InvalidOperationException, benet.new_mailbox_database, "DB2", m1,
          r"C:\Program Files\Microsoft\Exchange Server\V14\Mailbox\DB1\DB1.edb", match="already used")
    fails(benet, E.DataValidationException, benet.new_mailbox_database, "DB2", m1, "D:relative.edb")


def test_standard_edition_database_limit():
    org = build_benet()
    org.new_server("EXSTD", SITE, ["192.168.10.50"], ROLES, edition="Standard")
    std = org.servers["exstd"]
    for i in range(4):
        org.new_mailbox_database(f"S{i}", std)
    fails(org, E.InvalidOperationException, org.new_mailbox_database, "S5", std, match="up to 5 databases")


def test_copy_rules(dagorg):
    db = dagorg.databases["mailbox01"]
    m1, m2 = dagorg.servers["mailserver01"], dagorg.servers["mailserver02"]
    fails(dagorg, E.DatabaseCopyException, dagorg.add_database_copy, db, m2, match="already exists")
    other = dagorg.new_mailbox_database("mailbox02", m1)
    fails(dagorg, E.DatabaseCopyException, dagorg.add_database_copy, other, m2, match="isn't mounted")
    dagorg.mount_database(other)
    fails(dagorg, E.DataValidationException, dagorg.add_database_copy, other, m2, 3)
    fails(dagorg, E.DataValidationException, dagorg.add_database_copy, other, m2, None, dt.timedelta(days=15))
    dagorg.set_mailbox_database(other, {"circular_logging_enabled": True})
    fails(dagorg, E.DatabaseCopyException, dagorg.add_database_copy, other, m2, match="circular logging")
    fails(dagorg, E.DatabaseCopyException, dagorg.remove_database_copy, db, db.copy_on("MAILSERVER01"),
          match="active copy")


def test_copy_needs_same_dag(benet):
    m1, m2 = benet.servers["mailserver01"], benet.servers["mailserver02"]
    db = benet.new_mailbox_database("DB1", m1)
    benet.mount_database(db)
    fails(benet, E.DatabaseCopyException, benet.add_database_copy, db, m2, match="isn't a member of a database")


def test_activation_preference_insert_shifts_others():
    org = build_dag()
    org.new_server("MAILSERVER03", SITE, ["192.168.10.40", "10.0.0.40"], ROLES, default_database=False)
    dag = org.dags["dag"]
    org.add_dag_server(dag, org.servers["mailserver03"])
    db = org.databases["mailbox01"]
    org.add_database_copy(db, org.servers["mailserver03"], activation_preference=1)
    assert {c.server: c.activation_preference for c in db.copies} == {
        "MAILSERVER03": 1, "MAILSERVER01": 2, "MAILSERVER02": 3}
    org.set_database_copy(db, db.copy_on("MAILSERVER02"), activation_preference=1)
    assert sorted(c.activation_preference for c in db.copies) == [1, 2, 3]
    fails(org, E.DataValidationException, org.set_database_copy, db, db.copy_on("MAILSERVER02"), 4)


def test_replication_and_queues(dagorg):
    db = dagorg.databases["mailbox01"]
    passive = db.copy_on("MAILSERVER02")
    dagorg.send_mail(db, 5)
    assert passive.last_replayed == db.last_generated
    passive.blocked = True
    dagorg.send_mail(db, 3)
    assert dagorg.copy_queue_length(db, passive) == 3 and dagorg.copy_status(db, passive) == "Healthy"


def test_replay_lag_waits_for_the_clock(dagorg):
    db = dagorg.databases["mailbox01"]
    passive = db.copy_on("MAILSERVER02")
    dagorg.set_database_copy(db, passive, replay_lag_time=dt.timedelta(hours=1))
    dagorg.send_mail(db, 4)
    assert dagorg.replay_queue_length(db, passive) == 4
    dagorg.clock.advance(dt.timedelta(hours=2))
    dagorg.settle()
    assert dagorg.replay_queue_length(db, passive) == 0


def test_suspend_resume_update(dagorg):
    db = dagorg.databases["mailbox01"]
    passive, active = db.copy_on("MAILSERVER02"), db.copy_on("MAILSERVER01")
    fails(dagorg, E.ReplayServiceException, dagorg.suspend_database_copy, db, active, match="active copy")
    fails(dagorg, E.ReplayServiceException, dagorg.update_database_copy, db, passive, match="must be suspended")
    dagorg.suspend_database_copy(db, passive, comment="maintenance")
    assert passive.status == "Suspended" and passive.activation_suspended and passive.suspend_comment == "maintenance"
    fails(dagorg, E.ReplayServiceException, dagorg.update_database_copy, db, passive, match="DeleteExistingFiles")
    dagorg.send_mail(db, 2)
    assert dagorg.copy_queue_length(db, passive) == 2
    dagorg.resume_database_copy(db, passive, replication_only=True)
    assert passive.status == "Healthy" and passive.activation_suspended
    dagorg.resume_database_copy(db, passive)
    assert not passive.activation_suspended
    dagorg.suspend_database_copy(db, passive, activation_only=True)
    assert passive.status == "Healthy" and passive.activation_suspended
    dagorg.suspend_database_copy(db, passive)
    dagorg.update_database_copy(db, passive, delete_existing_files=True)
    assert passive.status == "Healthy" and not passive.activation_suspended


def test_seeding_postponed_needs_update():
    org = build_dag()
    db = org.databases["mailbox01"]
    org.remove_database_copy(db, db.copy_on("MAILSERVER02"))
    org.add_database_copy(db, org.servers["mailserver02"], seeding_postponed=True)
    copy = db.copy_on("MAILSERVER02")
    assert copy.status == "Suspended"
    assert copy.suspend_message == ("Replication is suspended for database copy 'mailbox01\\MAILSERVER02' because "
                                    "database needs to be seeded.")
    with pytest.raises(E.ReplayServiceException):
        org.resume_database_copy(db, copy)
    assert copy.status == "FailedAndSuspended"
    org.update_database_copy(db, copy)
    assert copy.status == "Healthy"


# --- mount, dismount, switchover --------------------------------------------------------------------

def test_mount_fails_without_files_and_force_creates_empty_database(dagorg):
    db = dagorg.databases["mailbox01"]
    m1 = dagorg.servers["mailserver01"]
    box = dagorg.mailboxes["user1"]
    dagorg.send_mail(db, 3)
    assert box.item_count == 3
    # (deleting the files of the *mounted* active copy is a storage failure: tests/ha fail it over)
    dagorg.dismount_database(db)
    dagorg.remove_database_files(db, m1)
    err = fails(dagorg, E.AmDbActionException, dagorg.mount_database, db, match="MapiExceptionNotFound")
    assert err.category == "InvalidOperation"
    dagorg.mount_database(db, force=True)
    assert db.mounted and box.item_count == 0
    assert db.copy_on("MAILSERVER02").status == "FailedAndSuspended"


def test_lab_switchover_keeps_mount_state(dagorg):
    db = dagorg.databases["mailbox01"]
    m1, m2 = dagorg.servers["mailserver01"], dagorg.servers["mailserver02"]
    dagorg.dismount_database(db)
    dagorg.remove_database_files(db, m1)
    out = dagorg.move_active(db, m2)
    assert (out.status, out.logs_lost, out.mount_status_at_start, out.mount_status_at_end) == (
        "Succeeded", 0, "Dismounted", "Dismounted")
    assert db.active_server == "MAILSERVER02" and db.copy_on("MAILSERVER01").status == "Failed"
    dagorg.mount_database(db)
    assert S.mailbox(dagorg, dagorg.mailboxes["user1"]).ServerName == "mailserver02"


def test_switchover_of_a_mounted_database(dagorg):
    db = dagorg.databases["mailbox01"]
    out = dagorg.move_active(db, dagorg.servers["mailserver02"])
    assert out.mount_status_at_end == "Mounted" and db.mounted
    assert db.copy_on("MAILSERVER01").status == "Healthy"
    back = dagorg.move_active(db)  # targetless: best copy selection
    assert back.active_server_at_end == "MAILSERVER01"


def test_switchover_checks(dagorg):
    db = dagorg.databases["mailbox01"]
    m1, m2 = dagorg.servers["mailserver01"], dagorg.servers["mailserver02"]
    fails(dagorg, E.AmDbActionException, dagorg.move_active, db, m1, match="already the active copy")
    dagorg.suspend_database_copy(db, db.copy_on("MAILSERVER02"))
    fails(dagorg, E.AmDbActionException, dagorg.move_active, db, m2, match="Suspended")
    dagorg.resume_database_copy(db, db.copy_on("MAILSERVER02"))
    db.copy_on("MAILSERVER02").content_index_state = "Failed"
    fails(dagorg, E.AmDbActionException, dagorg.move_active, db, m2, match="SkipClientExperienceChecks")
    out = dagorg.move_active(db, m2, skip_client_experience_checks=True)
    assert out.active_server_at_end == "MAILSERVER02"


def test_lossy_move_respects_the_mount_dial(dagorg):
    db = dagorg.databases["mailbox01"]
    m1, m2 = dagorg.servers["mailserver01"], dagorg.servers["mailserver02"]
    db.copy_on("MAILSERVER02").blocked = True
    dagorg.send_mail(db, 4)
    m1.up = False  # ACLL can't reach the old active
    fails(dagorg, E.AmDbActionException, dagorg.move_active, db, m2, match="mount dial")
    out = dagorg.move_active(db, m2, mount_dial_override="GoodAvailability")
    assert out.logs_lost == 4 and db.last_generated == db.copy_on("MAILSERVER02").last_inspected


def test_server_switchover_returns_one_result_per_database():
    org = build_dag()
    m1 = org.servers["mailserver01"]
    results = org.move_active_from_server(m1)
    by_db = {getattr(r, "database", None): r for r in results}
    assert by_db["mailbox01"].active_server_at_end == "MAILSERVER02"
    assert any(isinstance(r, E.ExchangeError) for r in results)  # the unreplicated default database


def test_maximum_active_databases(dagorg):
    db = dagorg.databases["mailbox01"]
    m2 = dagorg.servers["mailserver02"]
    dagorg.set_server_settings(m2, {"maximum_active_databases": 1})
    fails(dagorg, E.AmDbActionException, dagorg.move_active, db, m2, match="maximum number of active")


# --- identities ------------------------------------------------------------------------------------

def test_identity_forms(dagorg):
    db = dagorg.databases["mailbox01"]
    assert I.resolve(dagorg, "database", "MAILBOX01") is db
    assert I.resolve(dagorg, "database", r"MAILSERVER01\mailbox01") is db
    assert I.resolve(dagorg, "database", str(db.guid)) is db
    assert I.resolve(dagorg, "database", S.mailbox_database(dagorg, db)) is db
    assert I.resolve(dagorg, "server", "mailserver01.benet.com").name == "MAILSERVER01"
    assert len(I.resolve_many(dagorg, "database", "Mailbox Database*")) == 2
    with pytest.raises(E.ManagementObjectAmbiguousException):
        I.resolve(dagorg, "database", "Mailbox Database*")
    err = pytest.raises(E.ManagementObjectNotFoundException, I.resolve, dagorg, "database", "nope").value
    assert err.message == "The operation couldn't be performed because object 'nope' couldn't be found on 'DC.benet.com'."


def test_copy_identities(dagorg):
    names = lambda v, s=None: [f"{d.name}\\{c.server}" for d, c in I.resolve_copies(dagorg, v, s)]  # noqa: E731
    assert names("mailbox01") == ["mailbox01\\MAILSERVER01", "mailbox01\\MAILSERVER02"]
    assert names("mailbox01\\*") == names("mailbox01")
    assert names("*\\MAILSERVER02")[-1] == "mailbox01\\MAILSERVER02"
    assert names("*", dagorg.servers["mailserver02"]) == names("*\\MAILSERVER02")
    with pytest.raises(E.ManagementObjectNotFoundException):
        I.resolve_copy(dagorg, "mailbox01")


# --- saved state --------------------------------------------------------------------------------------

def test_state_round_trip(dagorg):
    data = dagorg.to_dict()
    assert data["format"] == "ems-state" and data["version"] == 1
    again = Organization.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data
    assert again.new_guid() == dagorg.new_guid()  # the random stream continues identically


@pytest.mark.parametrize("bad", [
    {}, {"format": "other"}, {"format": "ems-state", "version": 99},
    {"format": "ems-state", "version": 1}, [],
])
def test_foreign_or_corrupt_state(bad):
    with pytest.raises(E.StateFormatError):
        Organization.from_dict(bad)


def test_corrupt_table_entry(dagorg):
    data = dagorg.to_dict()
    data["servers"][0]["colour"] = "blue"
    with pytest.raises(E.StateFormatError, match="unknown field"):
        Organization.from_dict(data)


# --- connectivity (the HA engine's seam) ------------------------------------------------------------

def test_sites_connect_through_links_and_partitions_follow():
    org = Organization(domain="contoso.com")
    for name, net in (("A", "192.168.1.0/24"), ("B", "192.168.2.0/24"), ("C", "192.168.3.0/24")):
        org.new_site(name, [net])
    org.new_site_link(["A", "C"])
    org.new_site_link(["C", "B"])
    assert org.sites_connected("A", "B")
    fails(org, E.ADObjectAlreadyExistsException, org.new_site_link, ["C", "A"])
    org.new_server("FS1", "C", ["192.168.3.20"], ["FileServer"])
    org.add_local_administrator(org.servers["fs1"], "Exchange Trusted Subsystem")
    for i, site in ((1, "A"), (2, "B")):
        org.new_server(f"EX{i}", site, [f"192.168.{i}.11"], ROLES, default_database=False)
    dag = org.new_dag("DAG1", "FS1", r"C:\DAG1")
    org.add_dag_server(dag, org.servers["ex1"])
    org.add_dag_server(dag, org.servers["ex2"])
    assert org.partitions(dag) == [["EX1", "EX2"]] and org.has_quorum(dag)
    org.site_links[1].connected = False  # C-B down: B is cut off from A and from the witness
    assert org.partitions(dag) == [["EX1"], ["EX2"]]
    assert org.quorate_partition(dag) == ["EX1"]  # EX1 + the witness in C
    assert not org.server_has_quorum(org.servers["ex2"])


def test_operations_leave_a_timeline(dagorg):
    kinds = {e.source for e in dagorg.events}
    assert {"Lab", "Store", "DAG", "Cluster", "Replication", "Recipient"} <= kinds
    dagorg.move_active(dagorg.databases["mailbox01"], dagorg.servers["mailserver02"])
    assert dagorg.events[-1].source in ("ActiveManager", "Store", "Replication")
