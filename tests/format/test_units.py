"""The formatting layer's building blocks, tested directly (values, wrapping, widths, views).

The console behaviour as a whole is pinned by the golden files (test_golden.py); these tests
cover what a script can't easily reach: exact value rendering, the width manager's corner
cases, the Exchange views (with stand-in attrs objects carrying the registered type names)
and speed.
"""
from __future__ import annotations

import datetime as dt
import decimal
import enum
import time
from typing import ClassVar

import attrs
import pytest

from ems.format import OutDefault, render_text, warning_text
from ems.format import exchange_views as X
from ems.format.engine import Formatter, FormatOptions
from ems.format.members import member_table
from ems.format.table import calculate_widths, row_field
from ems.format.text import display_value, to_string
from ems.format.wrap import generate_lines
from ems.runtime.values import Hashtable, PSObject


def console(objs, width=120, shape=None, **opts):
    """What the console prints for ``objs`` (optionally through a Format-* command)."""
    od = OutDefault(width)
    out = []
    if shape:
        f = Formatter(shape, FormatOptions(**opts))
        for o in objs:
            for p in f.process(o):
                out.append(od.feed(p))
        for p in f.end():
            out.append(od.feed(p))
    else:
        out = [od.feed(o) for o in objs]
    return "".join(out) + od.close()


# --------------------------------------------------------------------------- values

class Color(enum.Enum):
    Red = 1


class Roles(enum.Flag):
    Mailbox = 2
    ClientAccess = 4
    HubTransport = 32


@pytest.mark.parametrize("value, text", [
    (0.1 + 0.2, "0.3"), (1e15, "1E+15"), (1e14, "100000000000000"), (100.0, "100"),
    (2.5, "2.5"), (1 / 3, "0.333333333333333"), (1e-5, "1E-05"), (-0.0, "0"),
    (float("nan"), "NaN"), (decimal.Decimal("1.50"), "1.50"), (True, "True"), (None, ""),
    (Color.Red, "Red"), (Roles.Mailbox | Roles.HubTransport, "Mailbox, HubTransport"),
    (dt.datetime(2026, 11, 21, 9, 14, 2), "11/21/2026 9:14:02 AM"),
    (dt.datetime(2026, 1, 2, 13, 5, 0), "1/2/2026 1:05:00 PM"),
    (dt.datetime(2026, 1, 2, 0, 0, 0), "1/2/2026 12:00:00 AM"),
    (dt.timedelta(0), "00:00:00"), (dt.timedelta(days=7), "7.00:00:00"),
    (dt.timedelta(seconds=0.5), "00:00:00.5000000"), (dt.timedelta(minutes=-90), "-01:30:00"),
    ([1, 2], "System.Object[]"), (Hashtable({"a": 1}), "System.Collections.Hashtable"),
    (PSObject({"a": 1, "b": None, "c": [1]}), "@{a=1; b=; c=System.Object[]}"),
])
def test_to_string(value, text):
    assert to_string(value) == text


@attrs.define
class Plain:
    """An object without a ToString of its own: shows its display-name property in lists."""
    Name: str
    Other: int = 0


@attrs.define
class Named:
    Server: str

    def __str__(self):
        return self.Server


def test_collection_text():
    assert display_value([1, 2, 3, 4, 5]) == "{1, 2, 3, 4...}"
    assert display_value([1, 2, 3, 4]) == "{1, 2, 3, 4}"
    assert display_value([1, 2, 3], limit=0) == "{...}"
    assert display_value(list(range(7)), limit=-1) == "{0, 1, 2, 3, 4, 5, 6}"
    assert display_value([]) == "{}"
    assert display_value([None, "x", [1, 2], 2.5, True]) == "{$null, x, System.Object[], 2.5...}"
    assert display_value(Hashtable({"k1": 1, "k2": 2})) == "{k1, k2}"
    assert display_value([Plain("DB1"), Named("EX1")]) == "{DB1, EX1}"
    assert display_value([PSObject({"a": 1})]) == "{@{a=1}}"
    assert to_string(Plain("x")).endswith("Plain")  # Object.ToString(): the type name


# --------------------------------------------------------------------------- wrapping

def test_word_wrap_keeps_delimiter_and_cuts_long_words():
    assert generate_lines("aaa bbb ccc", 8) == ["aaa bbb ", "ccc"]
    # a word longer than a line starts on the current line and is cut by character
    assert generate_lines("ab cdefghijklmnop", 10) == ["ab cdefghi", "jklmnop"]
    assert generate_lines("one\ntwo", 10) == ["one", "two"]
    assert generate_lines("", 5) == [""]
    assert generate_lines("CopyQueueLength", 9) == ["CopyQueue", "Length"]
    # a word that fits exactly but whose trailing space does not is cut too (5.1 quirk)
    assert generate_lines("abcde fgh", 5) == ["abcde", " fgh"]


# --------------------------------------------------------------------------- widths

def test_width_manager():
    assert calculate_widths([10, 10], 30) == [10, 10]
    # unset columns share the rest, one cell at a time from the left
    assert calculate_widths([10, 0, 0], 30) == [10, 9, 9]
    assert calculate_widths([0, 0], 10) == [5, 4]
    # too wide: the last column shrinks ...
    assert calculate_widths([10, 30], 30) == [10, 19]
    # ... or disappears when it would drop below one cell
    assert calculate_widths([20, 10, 5], 25) == [20, 4, -1]
    assert calculate_widths([40, 5], 20) == [20, -1]


def test_cell_truncation_and_padding():
    assert row_field("abcdefgh", 6, 1) == "abc..."
    assert row_field("12345678", 6, 3) == "...678"
    assert row_field("abcdef", 3, 1) == "abc"
    assert row_field("abcdef", 2, 3) == "ef"
    assert row_field("ab", 6, 2) == "  ab  "
    assert row_field("ab", 5, 3) == "   ab"
    assert row_field("line1\nline2", 20, 1) == "line1...            "


# --------------------------------------------------------------------------- Exchange views

def exchange(type_name, **fields):
    cls = attrs.make_class(type_name.rsplit(".", 1)[1], {k: attrs.field() for k in fields})
    cls.PS_TYPE_NAMES = (type_name,)
    return cls(**fields)


def lines(text):
    return text.split("\n")


def test_every_exchange_type_has_a_view_except_transport_config():
    from ems.format.views import find_view
    for name in X.TYPE_NAMES:
        view, _ = find_view([name])
        assert (view is None) == (name == X.TRANSPORT_CONFIG), name


def test_mailbox_view_matches_the_exchange_docs_sample():
    mbx = exchange(X.MAILBOX, RunspaceId="x", Name="TestUser1", Alias="TestUser1",
                   ServerName="mbx", ProhibitSendQuota="unlimited")
    out = lines(console([mbx]))
    assert out[1] == "Name                      Alias                ServerName       ProhibitSendQuota" + " " * 38
    assert out[2] == "----                      -----                ----------       -----------------" + " " * 38
    assert out[3] == "TestUser1                 TestUser1            mbx              unlimited" + " " * 46
    assert all(len(x) == 119 for x in out[1:4])


def copy_entry(name, status, inspected=None, ci="Healthy"):
    return exchange(X.COPY_STATUS, RunspaceId="r", Name=name, Status=status, CopyQueueLength=0,
                    ReplayQueueLength=0, LastInspectedLogTime=inspected, ContentIndexState=ci)


def test_copy_status_view_wraps_long_headers():
    t = dt.datetime(2026, 11, 21, 9, 14, 2)
    out = lines(console([copy_entry("DB1\\EX1", "Mounted"), copy_entry("DB1\\EX2", "Healthy", t)]))
    assert [x.rstrip() for x in out[1:6]] == [
        "Name                                          Status          CopyQueue ReplayQueue LastInspectedLogTime   ContentIndex",
        "                                                              Length    Length                             State",
        "----                                          ------          --------- ----------- --------------------   ------------",
        "DB1\\EX1                                       Mounted         0         0                                  Healthy",
        "DB1\\EX2                                       Healthy         0         0           11/21/2026 9:14:02 AM  Healthy",
    ]
    assert out[2].endswith("State       ") and len(out[2]) == 119


def test_copy_status_view_on_a_narrow_console_drops_columns():
    out = lines(console([copy_entry("DB1\\EX1", "Mounted")], width=80))
    # 45 + 15 + 9 fixed; ReplayQueueLength shrinks to 7 and wraps, the rest is dropped
    assert out[1] == "Name                                          Status          CopyQueue ReplayQ"
    assert out[2] == "                                                              Length    ueueLen"
    assert out[3] == "                                                                        gth    "
    assert out[4] == "----                                          ------          --------- -------"


def test_dag_view_labels():
    dag = exchange(X.DAG, RunspaceId="r", Name="DAG", Servers=["MAILSERVER02", "MAILSERVER01"],
                   OperationalServers=None)
    out = lines(console([dag]))
    assert out[1].rstrip() == "Name             Member Servers                                      Operational Servers"
    assert out[3].rstrip() == "DAG              {MAILSERVER02, MAILSERVER01}"


def test_move_result_headers_wrap_like_real_ems():
    res = exchange(X.MOVE_RESULT, RunspaceId="r", Identity="DB1", ActiveServerAtStart="ex1",
                   ActiveServerAtEnd="ex2", Status="Succeeded", NumberOfLogsLost=0,
                   RecoveryPointObjective=dt.datetime(2026, 11, 21, 9, 14, 2),
                   MountStatusAtMoveStart="Mounted", MountStatusAtMoveEnd="Mounted")
    out = [x.rstrip() for x in lines(console([res]))]
    assert out[1] == ("Identity        ActiveServerAtS ActiveServerAtE Status     NumberOfLogsLost "
                      "RecoveryPoint MountStatus MountStatus")
    assert out[2] == ("                tart            nd                                          "
                      "Objective     AtMoveStart AtMoveEnd")
    assert out[4].endswith("11/21/2026... Mounted     Mounted")


@pytest.mark.parametrize("type_name, labels", [
    (X.EXCHANGE_SERVER, ["Name", "Site", "ServerRole", "Edition", "AdminDisplayVersion"]),
    (X.MAILBOX_SERVER, ["Name", "DatabaseAvailabilityGroup"]),
    (X.DAG_NETWORK, ["Identity", "ReplicationEnabled", "Subnets"]),
    (X.MAILBOX_DATABASE, ["Name", "Server", "Recovery", "ReplicationType"]),
    (X.REPLICATION_CHECK, ["Server", "Check", "CheckDescription", "Result", "Error"]),
    (X.MAILBOX_STATISTICS, ["DisplayName", "ItemCount", "StorageLimitStatus", "LastLogonTime"]),
    (X.PUBLIC_FOLDER_DB, ["Name", "Server"]),
    (X.CLIENT_ACCESS, ["Name", "OutlookAnywhereEnabled"]),
    (X.CLIENT_ACCESS_ARRAY, ["Name", "Site", "Fqdn", "Members"]),
])
def test_view_columns_in_documented_order(type_name, labels):
    obj = exchange(type_name, RunspaceId="r", **{k: "v" for k in labels}, Extra="not shown")
    header = lines(console([obj]))[1]
    assert header.split() == labels


def test_exchange_object_list_shows_fields_in_order():
    db = exchange(X.MAILBOX_DATABASE, RunspaceId="8a3c", Name="DB1", Server="EX1", Recovery=False,
                  ReplicationType="Remote", ReplayLagTimes=["[EX1, 00:00:00]", "[EX2, 7.00:00:00]"],
                  IsValid=True)
    out = lines(console([db], shape="list"))
    assert out[2:9] == ["RunspaceId      : 8a3c", "Name            : DB1", "Server          : EX1",
                        "Recovery        : False", "ReplicationType : Remote",
                        "ReplayLagTimes  : {[EX1, 00:00:00], [EX2, 7.00:00:00]}",
                        "IsValid         : True"]


def test_object_the_view_does_not_apply_to_prints_as_a_list():
    mbx = exchange(X.MAILBOX, Name="u1", Alias="u1", ServerName="EX1", ProhibitSendQuota="unlimited")
    other = PSObject({"Name": "x", "Kind": "y"})
    out = lines(console([mbx, other, "text"]))
    assert out[4:8] == ["", "Name : x", "Kind : y", ""]
    assert out[8] == "text"


def test_fixed_width_views_stream_and_property_tables_buffer():
    od = OutDefault(120)
    assert od.feed(copy_entry("DB1\\EX1", "Mounted")) != ""
    od2 = OutDefault(120)
    assert od2.feed(PSObject({"a": 1})) == "\n"          # format start; the rows wait
    assert od2.feed(PSObject({"a": 22})) == ""
    assert od2.close() == " a\n -\n 1\n22\n\n\n"


def test_get_member_of_an_exchange_object():
    db = exchange(X.MAILBOX_DATABASE, Name="DB1", Recovery=False, Lag=dt.timedelta(0), Other=None)
    tname, members = member_table(db)
    assert tname == X.MAILBOX_DATABASE
    defs = {m.Name: m.Definition for m in members}
    assert defs["Name"] == "System.String Name {get;set;}"
    assert defs["Recovery"] == "System.Boolean Recovery {get;set;}"
    assert defs["Lag"] == "System.TimeSpan Lag {get;set;}"
    assert [m.MemberType for m in members][:4] == ["Method"] * 4
    text = render_text(members, 119)
    assert text.startswith(f"\n\n   TypeName: {X.MAILBOX_DATABASE}\n\nName        MemberType Definition")


def test_error_record_in_the_output_uses_the_error_layout():
    from ems.runtime.errors import ErrorRecord
    rec = ErrorRecord("boom", "RuntimeException", "OperationStopped", "boom", script_level=True)
    text = console([rec])
    assert text.startswith("boom\n")
    assert "    + CategoryInfo          : OperationStopped: (:) [], RuntimeException" in text


def test_stream_lines():
    assert warning_text("careful") == "WARNING: careful\n"
    assert warning_text("careful", color=True) == "\x1b[93mWARNING: careful\x1b[0m\n"


# --------------------------------------------------------------------------- speed

def _copy_status_entries(n):
    names = ["RunspaceId", "Identity", "Name", "DatabaseName", "Status", "MailboxServer",
             "ActiveDatabaseCopy", "ActivationSuspended", "ErrorMessage", "SuspendComment",
             "ContentIndexState", "CopyQueueLength", "ReplayQueueLength", "LatestAvailableLogTime",
             "LastCopiedLogTime", "LastInspectedLogTime", "LastReplayedLogTime", "LastLogGenerated",
             "LastLogCopied", "LastLogInspected", "LastLogReplayed", "LatestFullBackupTime",
             "ActivationPreference", "OutgoingConnections", "IncomingLogCopyingNetwork",
             "SeedingNetwork", "DiskFreeSpacePercent", "DiskFreeSpace", "DiskTotalSpace",
             "ReplayLagStatus", "DatabaseSeedStatus", "IsValid", "ObjectState"]
    cls = attrs.make_class("DatabaseCopyStatusEntry", {k: attrs.field() for k in names})
    cls.PS_TYPE_NAMES = (X.COPY_STATUS,)
    t = dt.datetime(2026, 11, 21, 9, 14, 2)
    values = {k: (t if k.endswith("Time") else 0 if "Log" in k or "Length" in k else "Healthy")
              for k in names}
    values["MailboxServer"] = Named("EX1")
    values["OutgoingConnections"] = None
    values["ActivationSuspended"] = False
    return [cls(**{**values, "Name": f"DB{i}\\EX{i % 4}"}) for i in range(n)]


@pytest.mark.parametrize("shape", [None, "list"])
def test_three_thousand_copy_status_objects_format_fast(shape):
    objs = _copy_status_entries(3000)
    start = time.perf_counter()
    text = console(objs, shape=shape)
    elapsed = time.perf_counter() - start
    assert text.count("DB2999\\EX3") == 1
    assert elapsed < 0.5, f"{shape or 'table'}: {elapsed:.3f}s"


# --------------------------------------------------------------------------- via the shell

def test_out_file_writes_what_the_console_shows(tmp_path):
    from ems import Shell
    path = tmp_path / "out.txt"
    shell = Shell(scenario="empty", width=80)
    script = "[pscustomobject]@{Name='DB1';Status='Mounted'}"
    shown = shell.run(script).text
    result = shell.run(f"{script} | Out-File '{path}'")
    assert result.text == "" and not result.errors
    assert path.read_text(encoding="utf-8") == shown
    shell.run(f"'more' | Out-File '{path}' -Append")
    assert path.read_text(encoding="utf-8") == shown + "more\n"
    shell.run(f"'x' | Out-File '{path}' -Encoding Unicode")
    assert path.read_bytes() == b"\xff\xfex\x00\n\x00"
    shell.run(f"[pscustomobject]@{{a='y' * 30}} | Out-File '{path}' -Width 12")
    assert path.read_text(encoding="utf-8").split("\n")[3] == "yyyyyyyyy..."
    result = shell.run(f"'z' | Out-File '{path}' -NoClobber")
    assert result.errors[0].error_id == "NoClobber"


def test_get_member_without_input_is_an_error():
    from ems import Shell
    result = Shell(scenario="empty").run("$null | Get-Member")
    assert result.errors[0].message == "You must specify an object for the Get-Member cmdlet."


def test_format_enumeration_limit_is_read_by_format_commands():
    from ems import Shell
    out = Shell(scenario="empty").run("$FormatEnumerationLimit = 1; [pscustomobject]@{a=1,2,3} | ft")
    assert "{1...}" in out.text


# --------------------------------------------------------------------------- more A.13 rules

def test_remoting_properties_are_hidden_unless_asked_for():
    remote = PSObject({"Name": "EX1", "PSComputerName": "ex1.contoso.com",
                       "PSShowComputerName": False, "RunspaceId": "r"})
    assert console([remote]) == "\nName RunspaceId\n---- ----------\nEX1  r         \n\n\n"
    shown = PSObject({"Name": "EX1", "PSComputerName": "ex1", "PSShowComputerName": True})
    assert console([shown]).split("\n")[1] == "Name PSComputerName"
    # an explicit -Property still shows them
    out = console([remote], shape="list", properties=_specs(["PS*"]))
    assert "PSShowComputerName : False" in out


def _specs(values, keys=None):
    from ems.runtime import properties as P
    return P.parse_specs(values, keys or P.FORMAT_TABLE_KEYS)


def test_table_of_all_properties_shows_at_most_ten_columns():
    wide = PSObject({f"P{i}": i for i in range(12)})
    header = console([wide], shape="table").split("\n")[1]
    assert header.split() == [f"P{i}" for i in range(10)]


def test_enum_and_bool_columns_are_right_aligned_strings_left():
    out = console([PSObject({"S": "a", "E": Color.Red, "B": False, "D": dt.datetime(2026, 1, 1)})],
                  shape="table")
    assert out.split("\n")[1:4] == ["S   E     B D                   ",
                                    "-   -     - -                   ",
                                    "a Red False 1/1/2026 12:00:00 AM"]


def test_autosize_applies_to_view_tables():
    mbx = exchange(X.MAILBOX, Name="u1", Alias="u1", ServerName="EX1", ProhibitSendQuota="unlimited")
    out = console([mbx], shape="table", autosize=True)
    assert out.split("\n")[1:4] == ["Name Alias ServerName ProhibitSendQuota",
                                    "---- ----- ---------- -----------------",
                                    "u1   u1    EX1        unlimited        "]


def test_wide_console_gives_the_rest_to_the_open_column():
    out = console([copy_entry("DB1\\EX1", "Mounted")], width=200)
    header = out.split("\n")[1]
    assert header.endswith("ContentIndexState" + " " * (199 - 107 - 17))
    assert "State" not in out.split("\n")[2]       # only the narrow declared columns wrap
    assert out.split("\n")[3].startswith("----")


def test_view_and_property_are_mutually_exclusive():
    from ems import Shell
    result = Shell(scenario="empty").run("1 | Format-Table -Property a -View x")
    assert result.errors[0].message == "Cmdlet parameters View and Property are mutually exclusive."


def test_out_string_width_and_stream():
    from ems import Shell
    shell = Shell(scenario="empty")
    result = shell.run("[pscustomobject]@{a='x' * 50} | Out-String -Width 20 -Stream")
    assert result.output == ["", "a".ljust(20), "-".ljust(20), "x" * 17 + "...", "", ""]


def test_deserialized_prefix_is_ignored_when_finding_a_view():
    remote = PSObject({"Name": "u1", "Alias": "u1", "ServerName": "ex1", "ProhibitSendQuota": "unlimited",
                       "Extra": 1}, type_names=["Deserialized." + X.MAILBOX])
    assert console([remote]).split("\n")[1].split() == ["Name", "Alias", "ServerName", "ProhibitSendQuota"]


def test_format_data_passes_through_a_second_formatter():
    # `ft | fl`: the list command passes the table's format data on unchanged (5.1).
    table = Formatter("table").process(PSObject({"a": 1}))
    assert Formatter("list").process(table[0]) == [table[0]]


def test_format_data_in_any_order_is_rendered_or_refused_never_a_crash():
    """Shuffled and truncated format data (what `ft | sort`, `fw | select` deliver) either
    renders or raises 5.1's out-of-sequence error; no Python error escapes the renderer."""
    import random

    from ems import Shell
    from ems.format.render import FormatSequenceError, Renderer
    sh = Shell(scenario="empty")
    r = sh.run("$a = [pscustomobject]@{a=1;b='x'},[pscustomobject]@{a=22;b='yy'} | Format-Wide; "
               "$b = Get-Date | Format-List; $c = 1..3 | Format-Table; "
               "$d = [pscustomobject]@{a=1} | Format-Table -GroupBy a -AutoSize")
    assert not r.errors
    packets = [p for name in "abcd" for p in sh.session.global_scope.vars[name]]
    rng = random.Random(7)
    refused = 0
    for _ in range(2000):
        renderer = Renderer(119)
        try:
            for p in rng.sample(packets, rng.randint(1, len(packets))):
                renderer.feed(p)
            renderer.close()
        except FormatSequenceError as e:
            refused += 1
            assert e.error_id == "ConsoleLineOutputOutOfSequencePacket"
            assert renderer.close() is None and renderer.take() is not None
    assert 0 < refused < 2000


def test_warnings_yellow_and_errors_red_on_a_colour_console():
    from ems import Shell
    r = Shell(scenario="empty", color=True).run("Write-Warning 'careful'; Write-Error 'bad'")
    assert r.text == "\x1b[93mWARNING: careful\x1b[0m\n"
    assert r.error_text.split("\n")[0] == "\x1b[91mWrite-Error 'bad' : bad\x1b[0m"
    plain = Shell(scenario="empty").run("Write-Warning 'careful'; Write-Error 'bad'")
    assert plain.text == "WARNING: careful\n" and "\x1b" not in plain.error_text
