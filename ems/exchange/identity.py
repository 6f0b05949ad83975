"""Identity parameters: how ``-Identity`` / ``-Server`` / ``-Database`` values find objects.

One module for every XxxIdParameter: a value may be a name, an FQDN, a GUID, a
distinguished name, ``DB\\Server`` / ``Server\\DB`` forms, a wildcard (where the cmdlet
allows it), or an object piped from another cmdlet (a snapshot with ``Guid`` / ``Identity``,
a deserialised object with the same properties, or a model object).

``resolve(org, kind, value)`` returns exactly one object or raises the Exchange error;
``resolve_many(..., wildcards=True)`` returns every match (empty for an unmatched wildcard).
"""
from __future__ import annotations

import fnmatch
import re
import uuid
from typing import Any, Callable, Iterable

import attrs

from ems.exchange import errors as E

_GUID_RE = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")


def _prop(value: Any, name: str) -> Any:
    """A property of a piped object, whatever its kind (snapshot, PSObject, hashtable)."""
    if attrs.has(type(value)):
        return getattr(value, name, None)
    getter = getattr(value, "get", None)
    if callable(getter):
        try:
            return getter(name)
        except Exception:  # noqa: BLE001 - foreign mapping types
            return None
    return None


def identity_text(value: Any) -> str:
    """What an identity value says, for messages and string matching."""
    if isinstance(value, str):
        return value.strip()
    ident = _prop(value, "Identity")
    if ident is not None:
        return str(ident)
    name = _prop(value, "Name")
    if name is not None:
        return str(name)
    return str(value)


def is_wildcard(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _match(pattern: str, candidates: Iterable[str], wildcards: bool = True) -> bool:
    low = pattern.lower()
    if wildcards and is_wildcard(pattern):
        return any(fnmatch.fnmatchcase(c.lower(), low) for c in candidates if c)
    return any(c and c.lower() == low for c in candidates)


@attrs.frozen
class Kind:
    noun: str                                  # for messages: "server", "database" ...
    items: Callable[[Any], Iterable[Any]]      # every object of this kind
    names: Callable[[Any, Any], list[str]]     # the strings an object answers to
    index: Callable[[Any], dict] | None = None  # name (lower case) -> object: the fast path
    accept: Callable[[Any], bool] = lambda o: True


def _server_names(org: Any, s: Any) -> list[str]:
    return [s.name, org.fqdn(s.name), f"CN={s.name},CN=Servers,{org.admin_group_dn}",
            org.legacy_dn("cn=Configuration", "cn=Servers", f"cn={s.name}")]


def _db_names(org: Any, db: Any) -> list[str]:
    server = db.active_server
    return [db.name, f"CN={db.name},CN=Databases,{org.admin_group_dn}",
            f"{server}\\{db.name}", f"{org.fqdn(server)}\\{db.name}"]


def _mailbox_names(org: Any, m: Any) -> list[str]:
    return [m.name, m.alias, m.display_name, m.sam_account_name, m.user_principal_name,
            m.primary_smtp_address, f"{org.domain}/{m.organizational_unit}/{m.name}",
            f"CN={m.name},CN={m.organizational_unit},{org.domain_dn}",
            f"{org.domain.split('.')[0].upper()}\\{m.sam_account_name}"] + [
        a.split(":", 1)[1] for a in m.email_addresses]


KINDS: dict[str, Kind] = {
    "server": Kind("server", lambda org: org.exchange_servers(), _server_names,
                   lambda org: org.servers, lambda s: s.is_exchange),
    "mailbox server": Kind("Mailbox server", lambda org: org.mailbox_servers(), _server_names,
                           lambda org: org.servers, lambda s: s.has_role("Mailbox")),
    "client access server": Kind("Client Access server",
                                 lambda org: [s for s in org.servers.values() if s.has_role("ClientAccess")],
                                 _server_names, lambda org: org.servers, lambda s: s.has_role("ClientAccess")),
    "machine": Kind("server", lambda org: list(org.servers.values()), _server_names, lambda org: org.servers),
    "dag": Kind("database availability group", lambda org: list(org.dags.values()),
                lambda org, d: [d.name, f"CN={d.name},CN=Database Availability Groups,{org.admin_group_dn}"]),
    "database": Kind("database", lambda org: list(org.databases.values()), _db_names,
                     lambda org: org.databases),
    "public folder database": Kind("public folder database",
                                   lambda org: list(org.public_folder_databases.values()),
                                   lambda org, p: [p.name, f"{p.server}\\{p.name}"]),
    "mailbox": Kind("mailbox", lambda org: list(org.mailboxes.values()), _mailbox_names),
    "site": Kind("Active Directory site", lambda org: list(org.sites.values()),
                 lambda org, s: [s.name, f"{org.domain}/Configuration/Sites/{s.name}",
                                 f"CN={s.name},CN=Sites,{org.config_dn}"]),
    "cas array": Kind("Client Access array", lambda org: list(org.cas_arrays.values()),
                      lambda org, a: [a.name, a.fqdn]),
}


def _by_guid(org: Any, kind: Kind, guid: uuid.UUID) -> list:
    """Objects by their GUID; a mailbox also answers to its ExchangeGuid (the Identity of
    its Get-MailboxStatistics entry)."""
    return [o for o in kind.items(org) if guid in (getattr(o, "guid", None), getattr(o, "exchange_guid", None))]


def _piped_guid(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        return uuid.UUID(value.strip("{}")) if _GUID_RE.match(value.strip()) else None
    g = _prop(value, "Guid")
    if isinstance(g, uuid.UUID):
        return g
    if isinstance(g, str) and _GUID_RE.match(g):
        return uuid.UUID(g.strip("{}"))
    return None


def resolve_many(org: Any, kind_name: str, value: Any, wildcards: bool = True) -> list:
    """Every object of a kind the value names. Model objects pass straight through."""
    kind = KINDS[kind_name]
    if value is None:
        return list(kind.items(org))
    if not isinstance(value, (str, uuid.UUID)) and attrs.has(type(value)) and hasattr(value, "guid"):
        return [value]  # a live model object (Python callers)
    text = identity_text(value)
    guid = _piped_guid(value) or _piped_guid(text)
    if guid is not None:
        found = _by_guid(org, kind, guid)
        if found:
            return found
    if not text:
        return list(kind.items(org))
    if kind.index is not None and not is_wildcard(text):
        hit = kind.index(org).get(text.lower())
        if hit is not None and kind.accept(hit):
            return [hit]
    return [o for o in kind.items(org) if _match(text, kind.names(org, o), wildcards)]


def resolve(org: Any, kind_name: str, value: Any, param: str = "Identity") -> Any:
    """Exactly one object, or ManagementObjectNotFound/Ambiguous. ``param`` says which
    parameter the value came from: ``Identity`` errors use the not-found text of Get-/Set-;
    other parameters use "Couldn't find <kind> ...". Wildcards must match exactly one."""
    found = resolve_many(org, kind_name, value)
    text = identity_text(value)
    if not found:
        if param == "Identity":
            raise E.not_found(text, org.domain_controller)
        raise E.referenced_not_found(KINDS[kind_name].noun, text)
    if len(found) > 1:
        raise E.ambiguous(text)
    return found[0]


# --- pipeline binding: which piped objects an IdParameter takes ------------------------------

_ACCEPTS: dict[str, frozenset[str]] | None = None


def _accepted_types() -> dict[str, frozenset[str]]:
    """IdParameter type -> the Exchange object types it constructs from (built once)."""
    global _ACCEPTS
    if _ACCEPTS is None:
        from ems.exchange import typenames as S
        servers = (S.T_EXCHANGE_SERVER, S.T_MAILBOX_SERVER, S.T_CLIENT_ACCESS)
        table = {
            "ServerIdParameter": servers, "MailboxServerIdParameter": servers,
            "ClientAccessServerIdParameter": servers,
            "DatabaseIdParameter": (S.T_DATABASE,),
            "DatabaseCopyIdParameter": (S.T_COPY_STATUS, S.T_DATABASE),
            "DatabaseAvailabilityGroupIdParameter": (S.T_DAG,),
            "DatabaseAvailabilityGroupNetworkIdParameter": (S.T_DAG_NETWORK, S.T_DAG),
            "MailboxIdParameter": (S.T_MAILBOX,), "GeneralMailboxOrMailUserIdParameter": (S.T_MAILBOX,),
            "ClientAccessArrayIdParameter": (S.T_CLIENT_ACCESS_ARRAY,),
            "OrganizationIdParameter": (S.T_TRANSPORT_CONFIG,),
            "AdSiteIdParameter": (),  # no Exchange object is built into a site id
        }
        _ACCEPTS = {k: frozenset(v) for k, v in table.items()}
    return _ACCEPTS


def accepts_piped(id_type: str, value: Any) -> bool:
    """Whether an ``XxxIdParameter`` takes this piped object by value: an Exchange object binds
    only to the IdParameter of its own kind (``Get-MailboxDatabase | Get-MailboxStatistics``
    binds -Database, ``Get-MailboxServer EX1 | Get-MailboxDatabase`` binds -Server), as the
    real IdParameter constructors do. Strings, GUIDs and other objects are left to resolution."""
    names = getattr(type(value), "PS_TYPE_NAMES", None)
    if not names or not names[0].startswith("Microsoft.Exchange."):
        return True
    accepted = _accepted_types().get(id_type)
    return accepted is None or any(n in accepted for n in names)


# --- database copies (DB\Server) ------------------------------------------------------------

def resolve_copies(org: Any, value: Any, server_filter: Any = None) -> list[tuple[Any, Any]]:
    """(database, copy) pairs for a DatabaseCopyIdParameter: ``DB`` (all its copies),
    ``DB\\Server``, wildcards on either side (``DB1\\*``, ``*\\EX2``, ``*``), a piped copy
    status entry or a piped database (a piped server binds -Server: see accepts_piped)."""
    pairs: list[tuple[Any, Any]] = []
    guid = _piped_guid(value) if value is not None else None
    if guid is not None:
        for db in org.databases.values():
            if db.guid == guid:
                return [(db, c) for c in db.copies if server_filter is None
                        or c.server.lower() == server_filter.name.lower()]
    text = "*" if value is None else identity_text(value)
    if "\\" in text:
        db_part, server_part = text.rsplit("\\", 1)
    else:
        db_part, server_part = text, "*"
    server_part = server_part.split(".")[0] if not is_wildcard(server_part) else server_part
    for db in sorted(org.databases.values(), key=lambda d: d.name.lower()):
        if not _match(db_part, [db.name]):
            continue
        for c in db.copies:
            if _match(server_part, [c.server]):
                pairs.append((db, c))
    if server_filter is not None:
        pairs = [(d, c) for d, c in pairs if c.server.lower() == server_filter.name.lower()]
    return pairs


def resolve_copy(org: Any, value: Any) -> tuple[Any, Any]:
    """Exactly one copy (Suspend/Resume/Update/Set/Remove-MailboxDatabaseCopy)."""
    text = identity_text(value)
    pairs = resolve_copies(org, value)
    if "\\" not in text and not _piped_guid(value):
        pairs = []
    if not pairs:
        raise E.not_found(text, org.domain_controller)
    if len(pairs) > 1:
        raise E.ambiguous(text)
    return pairs[0]


# --- DAG networks (DAG\Network) -----------------------------------------------------------

def resolve_networks(org: Any, value: Any) -> list[tuple[Any, Any]]:
    """``DAG`` (all its networks), ``DAG\\Network``, wildcards, or a piped network."""
    text = "*" if value is None else identity_text(value)
    if "\\" in text:
        dag_part, net_part = text.split("\\", 1)
    else:
        dag_part, net_part = text, "*"
    out = []
    for dag in org.dags.values():
        if not _match(dag_part, [dag.name]):
            continue
        for net in dag.networks:
            if _match(net_part, [net.name]):
                out.append((dag, net))
    return out


def resolve_network(org: Any, value: Any) -> tuple[Any, Any]:
    text = identity_text(value)
    found = resolve_networks(org, value) if "\\" in text else []
    if not found:
        raise E.not_found(text, org.domain_controller)
    if len(found) > 1:
        raise E.ambiguous(text)
    return found[0]
