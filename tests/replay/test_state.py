"""The DAG state snapshot, its diff, quorum per partition, logs lost and the verdict.

Failures are injected straight into the model here (the HA engine's Sim cmdlets will do the
same through the shell); the replay only reads the model.
"""
import datetime as dt

from ems.exchange.model import Event
from ems.replay_state import Change, diff, grouped, snapshot, step_losses
from ems.replay_verdict import judge


def test_snapshot_of_the_two_datacenter_lab(lab):
    s = snapshot(lab.org)
    dag = s.dag("DAG1")
    assert dag.members == ("EX1", "EX2", "EX3", "EX4")
    assert dag.cluster_nodes == dag.started == ("EX1", "EX2", "EX3", "EX4")
    assert dag.stopped == ()
    assert dag.pam == "EX1"
    assert dag.witness_text == "FS1 (primary)"
    assert dag.quorum_text == "EX1 EX2 EX3 EX4 +witness = 5/5 votes: quorum"
    db1 = s.database("DB1")
    assert db1.text == "EX1 (Mounted)"
    assert [(c.server, c.status) for c in db1.copies] == [("EX1", "Mounted"), ("EX2", "Healthy"),
                                                           ("EX3", "Healthy"), ("EX4", "Healthy")]
    assert s.server("EX3").dacp == 1 and s.server("FS1").kind == "file" and s.server("DC2").kind == "dc"


def test_snapshot_of_a_lab_without_a_dag():
    from ems import Shell
    s = snapshot(Shell(scenario="benet-lab").org)
    assert s.dags == ()
    assert {x.kind for x in s.servers} == {"dc", "mailbox"}
    assert all(d.mounted for d in s.databases)


def test_a_lost_site_takes_quorum_away(lab):
    org = lab.org
    before = snapshot(org)
    org.sites["portland"].up = False
    after = snapshot(org)
    dag = after.dag("DAG1")
    assert dag.quorum_text == "EX3 EX4 = 2/5 votes: no quorum (needs 3)"
    assert dag.quorate is None and dag.pam is None
    changes = diff(before, after)
    assert changes[0] == Change("Portland", "site", "up", "down")
    assert Change("EX1", "state", "running", "down") in changes
    assert Change("FS1", "state", "running", "down") in changes
    assert Change("DAG1", "quorum", "EX1 EX2 EX3 EX4 +witness = 5/5 votes: quorum",
                  "EX3 EX4 = 2/5 votes: no quorum (needs 3)") in changes
    assert Change("DAG1", "PAM", "EX1", "(none)") in changes
    assert Change("DB1", "active", "EX1 (Mounted)", "EX1 (ServiceDown)") in changes
    assert Change("DB1\\EX2", "copy", "Healthy", "ServiceDown") in changes
    assert not [c for c in changes if c.subject == "DB1\\EX1"]     # the active copy: the DB1 row
    # nothing about Redmond's machines: they didn't change
    assert not [c for c in changes if c.subject in ("EX3", "EX4", "DC2", "FS2")]
    # for display, the copies of one server with the same change share a row
    rows = grouped(changes)
    copy_rows = [c for c in rows if c.what == "copy"]
    assert Change("DB1,DB3\\EX2", "copy", "Healthy", "ServiceDown") in copy_rows
    assert Change("DB2,DB4\\EX1", "copy", "Healthy", "ServiceDown") in copy_rows
    assert len(copy_rows) == 4
    assert rows[-len(copy_rows):] == copy_rows


def test_a_wan_split_gives_the_witness_side_quorum(lab):
    org = lab.org
    org.site_link("Portland", "Redmond").connected = False
    org.site_link("Portland", "Olympia").connected = False
    dag = snapshot(org).dag("DAG1")
    assert [p.text for p in dag.partitions] == ["EX1 EX2 +witness = 3/5 votes: quorum",
                                                "EX3 EX4 = 2/5 votes: no quorum (needs 3)"]
    before = snapshot(org)
    org.site_link("Portland", "Redmond").connected = True
    assert Change("Portland-Redmond", "WAN link", "connected", "disconnected") not in diff(before, snapshot(org))
    assert Change("Portland-Redmond", "WAN link", "disconnected", "connected") in diff(before, snapshot(org))


def test_server_settings_and_copy_flags_in_the_diff(lab):
    org = lab.org
    before = snapshot(org)
    org.servers["ex3"].database_copy_auto_activation_policy = "Blocked"
    org.servers["ex3"].dacp = 0
    db = org.databases["db2"]
    db.copy_on("EX3").activation_suspended = True
    db.copy_on("EX4").status = "Suspended"
    changes = diff(before, snapshot(org))
    assert changes == [
        Change("EX3", "DACP", "1", "0"),
        Change("EX3", "activation policy", "Unrestricted", "Blocked"),
        Change("DB2\\EX4", "copy", "Healthy", "Suspended"),
        Change("DB2\\EX3", "copy", "Healthy", "Healthy, activation suspended"),
    ]


def test_logs_lost_and_messages_recovered_come_from_the_engines_event_data(lab):
    """A lossy failover through the shell: the engine's LogsLost and Redelivered entries carry
    their counts as data, and the replay adds them up per database."""
    seen = len(lab.org.events)
    r = lab.run(r"Block-SimReplication DB1\EX2; Block-SimReplication DB1\EX3; Block-SimReplication DB1\EX4; "
                "Send-SimMail DB1 -Count 4; Stop-SimServer EX1 -Crash")
    assert not r.errors, r.error_text
    events = lab.org.events[seen:]
    lost_entry = next(e for e in events if e.event == "LogsLost")
    assert lost_entry.database == "DB1"
    assert {k: lost_entry.data[k] for k in ("logs_lost", "messages", "in_dumpster")} == \
        {"logs_lost": 4, "messages": 4, "in_dumpster": 4}
    assert next(e for e in events if e.event == "Redelivered").data["messages"] == 4
    failover = next(e for e in events if e.event == "Failover")
    assert (failover.data["from_server"], failover.data["logs_lost"]) == ("EX1", 4)
    assert step_losses(events) == ({"DB1": 4}, 4)   # the Failover entry repeats the count: not added twice


def test_step_losses_read_the_data_not_the_text():
    t = dt.datetime(2026, 11, 21, 9, 0)
    events = [Event(t, "ActiveManager", "Database 'DB1': generations 7-10 (99 log(s)) lost with 99 message(s).",
                    "EX3", "DB1", "Warning", "LogsLost", {"logs_lost": 4, "messages": 4}),
              Event(t, "Transport", "redelivered 99 message(s)", "EX3", "DB1", event="Redelivered",
                    data={"messages": 3}),
              Event(t, "ActiveManager", "lost", "EX4", "DB2", "Warning", "LogsLost", {"logs_lost": 1}),
              Event(t, "Lab", "(5 log(s)) lost, redelivered 5 messages", "EX4", "DB2")]
    assert step_losses(events) == ({"DB1": 4, "DB2": 1}, 3)


def test_the_verdict_of_a_sound_lab(lab):
    v = judge(snapshot(lab.org))
    assert v.holds
    assert [c.name for c in v.checks] == ["every database mounted exactly once", "on a member with quorum",
                                         "no split-brain", "copies healthy or resynchronizing",
                                         "data loss within the stated limit"]
    assert v.checks[0].detail == "DB1 on EX1; DB2 on EX2; DB3 on EX1; DB4 on EX2"
    assert v.notes == ()


def test_the_verdict_after_losing_a_site(lab):
    org = lab.org
    org.sites["portland"].up = False
    v = judge(snapshot(org))
    assert not v.holds
    mounted, quorum, split, copies, loss = v.checks
    assert not mounted.ok and mounted.detail.startswith("DB1 is ServiceDown on EX1")
    assert not copies.ok
    assert "DB1\\EX2 is ServiceDown" in copies.detail and "DB1\\EX3 is DisconnectedAndHealthy" in copies.detail
    assert loss.ok


def test_copies_on_stopped_servers_are_not_counted(lab):
    org = lab.org
    dag = org.dags["dag1"]
    for name in ("EX1", "EX2"):
        org.servers[name.lower()].up = False
    dag.stopped_servers = ["EX1", "EX2"]
    dag.started_servers = ["EX3", "EX4"]
    v = judge(snapshot(org))
    # the 4 passive copies on EX1/EX2 are not judged; Redmond's can't reach their active copies
    assert v.checks[3].detail.endswith("(4 on stopped servers not counted)")
    assert "EX1 is" not in v.checks[3].detail and "EX2 is" not in v.checks[3].detail


def test_a_stopped_member_still_in_the_quorate_cluster_is_a_split_brain_risk(lab):
    org = lab.org
    org.dags["dag1"].stopped_servers = ["EX2"]
    v = judge(snapshot(org))
    split = v.checks[2]
    assert not split.ok
    assert split.detail == ("EX2 is on the StoppedMailboxServers list of DAG1 but still a running node of the "
                            "cluster that has quorum")
    assert not v.checks[1].ok and "DB2 is mounted on EX2, which is on the StoppedMailboxServers list" in \
        v.checks[1].detail


def test_loss_beyond_the_stated_limit_fails_the_verdict(lab):
    state = snapshot(lab.org)
    assert not judge(state, logs_lost=3).holds
    assert judge(state, logs_lost=3, allowed_loss=3).holds
    assert judge(state, logs_lost=3, allowed_loss=3, recovered=2).checks[4].detail == \
        "3 logs lost (allowed 3); 2 messages recovered by the transport dumpster"


def test_notes_for_what_maintenance_left_behind(lab):
    org = lab.org
    org.servers["ex1"].database_copy_auto_activation_policy = "Blocked"
    org.databases["db2"].copy_on("EX1").activation_suspended = True
    v = judge(snapshot(org))
    assert v.holds
    assert v.notes == ("EX1 still blocks automatic activation (DatabaseCopyAutoActivationPolicy Blocked)",
                       "activation of DB2\\EX1 is still suspended")
