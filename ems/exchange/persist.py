"""Saved state: ``Organization.to_dict()`` / ``from_dict()`` as a readable, versioned dict.

Shape: ``{"format": "ems-state", "version": 1, "organization": {...}, "sites": [...], ...}``.
Values are JSON types: datetimes as ISO text, TimeSpans as ``d.hh:mm:ss``, sizes as bytes or
``"unlimited"``, addresses and subnets as text. Loading goes through the model classes'
converters, so the file is read by the same code that validates live values.
"""
from __future__ import annotations

import datetime as _dt
import enum
import ipaddress
import random
import uuid
from typing import Any

import attrs

from ems.exchange import model as M
from ems.exchange.errors import StateFormatError
from ems.exchange.values import ByteQuantifiedSize, format_timespan

FORMAT = "ems-state"
VERSION = 1

_TABLES = (
    ("sites", "sites", M.Site),
    ("servers", "servers", M.Server),
    ("dags", "dags", M.Dag),
    ("databases", "databases", M.MailboxDatabase),
    ("public_folder_databases", "public_folder_databases", M.PublicFolderDatabase),
    ("mailboxes", "mailboxes", M.Mailbox),
    ("groups", "groups", M.ADGroup),
    ("users", "users", M.ADUser),
    ("cas_arrays", "cas_arrays", M.ClientAccessArray),
)


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return format_timespan(value)
    if isinstance(value, ByteQuantifiedSize):
        return value.to_json()
    if isinstance(value, (uuid.UUID, ipaddress.IPv4Address, ipaddress.IPv6Address,
                          ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if attrs.has(type(value)):
        return {f.name: _encode(getattr(value, f.name)) for f in attrs.fields(type(value))}
    raise TypeError(f"can't save a {type(value).__name__}")


def dump(org: Any) -> dict:
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "organization": {
            "name": org.name,
            "domain": org.domain,
            "seed": org.seed,
            "clock": org.now().isoformat(),
            "runspace_id": str(org.runspace_id),
            "domain_sid": org.domain_sid,
            "next_rid": org._next_rid,
            "rng_state": _encode_rng(org.rng),
        },
        "site_links": _encode(org.site_links),
        "transport_config": _encode(org.transport_config),
        "events": _encode(org.events),
        "directory": _encode(org.directory),
    }
    for key, attr, _cls in _TABLES:
        out[key] = [_encode(v) for v in getattr(org, attr).values()]
    return out


def _encode_rng(rng: random.Random) -> list:
    version, state, gauss = rng.getstate()
    return [version, list(state), gauss]


def _decode_rng(data: Any) -> random.Random:
    rng = random.Random()
    version, state, gauss = data
    rng.setstate((version, tuple(state), gauss))
    return rng


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise StateFormatError(f"{where}: expected an object, got {type(data).__name__}")
    names = {f.name for f in attrs.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise StateFormatError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    try:
        return cls(**data)
    except (TypeError, ValueError) as exc:
        raise StateFormatError(f"{where}: {exc}") from None


def load(cls: type, data: Any, clock: Any = None) -> Any:
    """Rebuild an Organization; a foreign or corrupt dict raises StateFormatError."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StateFormatError("This is not an ems state file (missing \"format\": \"ems-state\").")
    if data.get("version") != VERSION:
        raise StateFormatError(f"Unsupported ems state version {data.get('version')!r} (expected {VERSION}).")
    try:
        meta = data["organization"]
        from ems.exchange.clock import Clock
        if clock is None:
            clock = Clock(_dt.datetime.fromisoformat(meta["clock"]))
        org = cls(clock=clock, seed=meta["seed"], domain=meta["domain"], name=meta["name"])
        org.runspace_id = uuid.UUID(meta["runspace_id"])
        org.domain_sid = meta["domain_sid"]
        org._next_rid = meta["next_rid"]
        org.rng = _decode_rng(meta["rng_state"])
        for key, attr, model_cls in _TABLES:
            table: dict = {}
            for i, item in enumerate(data[key]):
                obj = _build(model_cls, item, f"{key}[{i}]")
                table[obj.name.lower()] = obj
            setattr(org, attr, table)
        org.site_links = [_build(M.SiteLink, x, f"site_links[{i}]") for i, x in enumerate(data["site_links"])]
        org.transport_config = _build(M.TransportConfig, data["transport_config"], "transport_config")
        org.events = [_build(M.Event, x, f"events[{i}]") for i, x in enumerate(data["events"])]
        if "directory" in data:
            from ems.exchange.directory import Directory
            org.directory = _build(Directory, data["directory"], "directory")
    except StateFormatError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise StateFormatError(f"The ems state is corrupt: {exc!r}") from None
    return org
