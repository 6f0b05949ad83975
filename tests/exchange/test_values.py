"""Value types print as EMS's ToString() and parse what administrators type."""
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from ems.exchange.values import (ByteQuantifiedSize, DagNetworkInterface, DagSubnet, KeyValue, KilobyteSize,
                                 ObjectId, ServerVersion, format_timespan, parse_timespan)


@pytest.mark.parametrize("n, text", [
    (2147483648, "2 GB (2,147,483,648 bytes)"),
    (2469396480, "2.3 GB (2,469,396,480 bytes)"),
    (2039480320, "1.899 GB (2,039,480,320 bytes)"),
    (2040109465, "1.9 GB (2,040,109,465 bytes)"),
    (18874368, "18 MB (18,874,368 bytes)"),
    (65536, "64 KB (65,536 bytes)"),
    (806, "806 B (806 bytes)"),
    (0, "0 B (0 bytes)"),
    (None, "unlimited"),
])
def test_size_to_string(n, text):
    assert str(ByteQuantifiedSize(n)) == text


@pytest.mark.parametrize("text, n", [
    ("2GB", 2147483648), ("250MB", 262144000), ("unlimited", None), ("Unlimited", None),
    ("1024", 1024), ("1.5KB", 1536), ("2 GB (2,147,483,648 bytes)", 2147483648),
])
def test_size_parse(text, n):
    assert ByteQuantifiedSize.parse(text).bytes == n


def test_size_parse_rejects_garbage():
    with pytest.raises(ValueError):
        ByteQuantifiedSize.parse("lots")


def test_kilobyte_size_defaults_to_kb():
    assert KilobyteSize.parse("18432").bytes == 18 * 1024 * 1024
    assert KilobyteSize.parse("18MB").bytes == 18 * 1024 * 1024


def test_size_ordering_treats_unlimited_as_largest():
    assert ByteQuantifiedSize(1) < ByteQuantifiedSize(None)
    assert not ByteQuantifiedSize(None) <= ByteQuantifiedSize(10 ** 15)
    assert ByteQuantifiedSize.parse("2GB") == "2GB"


@given(st.integers(min_value=0, max_value=2 ** 50))
def test_size_round_trips_through_its_text(n):
    assert ByteQuantifiedSize.parse(str(ByteQuantifiedSize(n))).bytes == n


@pytest.mark.parametrize("text, out", [
    ("00:00:00", "00:00:00"), ("7.00:00:00", "7.00:00:00"), ("3.0:0:0", "3.00:00:00"),
    ("00:15:00", "00:15:00"), ("1.02:03:04.5", "1.02:03:04.5000000"), ("14", "14.00:00:00"),
])
def test_timespan(text, out):
    assert format_timespan(parse_timespan(text)) == out


def test_timespan_rejects_garbage():
    with pytest.raises(ValueError):
        parse_timespan("soon")


def test_object_id_prints_display_and_compares_by_name():
    site = ObjectId("benet.com/Configuration/Sites/Default-First-Site-Name", "Default-First-Site-Name")
    assert str(site) == "benet.com/Configuration/Sites/Default-First-Site-Name"
    assert site == "default-first-site-name"
    assert ObjectId("EX1") == "ex1" and ObjectId("EX1") != "EX2"


def test_collection_entries_print_like_ems():
    assert str(KeyValue(ObjectId("EX1"), 1)) == "[EX1, 1]"
    assert str(KeyValue(ObjectId("EX1"), dt.timedelta(0))) == "[EX1, 00:00:00]"
    assert str(DagSubnet("192.168.10.0/24", "Up")) == "{192.168.10.0/24,Up}"
    assert str(DagNetworkInterface("MAILSERVER01", "Up", "192.168.10.20")) == "{MAILSERVER01,Up,192.168.10.20}"
    assert str(ServerVersion(14, 3, 123, 4)) == "Version 14.3 (Build 123.4)"
