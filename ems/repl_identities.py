"""Which objects of the live organisation a parameter takes: the one map completion reads.

A parameter names its .NET identity type (``DatabaseIdParameter``...) in its declaration;
that type decides the collection offered on Tab. Parameters declared without a type name
fall back to their name (``-Server``, ``-Site``), and a bare ``-Identity`` to the cmdlet's
noun (``Stop-SimServer -Identity`` takes any machine, ``Suspend-MailboxDatabaseCopy
-Identity`` a copy). Keep every such rule here.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

# --- collection name -> names of the objects in the organisation -----------------------------


def _name(obj: Any) -> str:
    name = getattr(obj, "Name", None)
    return str(name) if name is not None else str(obj)


def _values(container: Any) -> list[Any]:
    if container is None:
        return []
    if isinstance(container, dict):
        return list(container.values())
    if callable(container):
        container = container()
    return list(container)


def _collection(org: Any, attr: str) -> list[Any]:
    return _values(getattr(org, attr, None))


def _databases(org: Any) -> list[str]:
    return [_name(d) for d in _collection(org, "databases")]


def _servers(org: Any) -> list[str]:
    """Every machine of the lab: Exchange servers, domain controllers, file servers."""
    return [_name(s) for s in _collection(org, "servers")]


def _exchange_servers(org: Any) -> list[str]:
    return [_name(s) for s in _collection(org, "servers") if _is_exchange(s)]


def _mailbox_servers(org: Any) -> list[str]:
    return [_name(s) for s in _collection(org, "servers") if _has_role(s, "Mailbox")]


def _is_exchange(server: Any) -> bool:
    flag = getattr(server, "IsExchangeServer", None)
    if flag is not None:
        return bool(flag)
    return bool(getattr(server, "ServerRole", None) or getattr(server, "AdminDisplayVersion", None))


def _has_role(server: Any, role: str) -> bool:
    flag = getattr(server, f"Is{role}Server", None)
    if flag is not None:
        return bool(flag)
    return role.lower() in str(getattr(server, "ServerRole", "") or "").lower()


def _dags(org: Any) -> list[str]:
    return [_name(d) for d in _collection(org, "dags")]


def _copies(org: Any) -> list[str]:
    """``DB\\Server`` for every copy, database by database, in activation-preference order."""
    out: list[str] = []
    for db in _collection(org, "databases"):
        for server in _copy_servers(db):
            out.append(f"{_name(db)}\\{server}")
    return out


def _copy_servers(db: Any) -> list[str]:
    prefs = getattr(db, "ActivationPreference", None)
    if prefs:
        items = prefs.items() if isinstance(prefs, dict) else prefs
        return [_name(server) for server, _ in sorted(items, key=lambda kv: kv[1])]
    servers = getattr(db, "Servers", None) or [getattr(db, "Server", None)]
    return [_name(s) for s in servers if s is not None]


def _sites(org: Any) -> list[str]:
    return [_name(s) for s in _collection(org, "sites")]


def _networks(org: Any) -> list[str]:
    return [str(getattr(n, "Identity", None) or _name(n)) for n in _collection(org, "dag_networks")]


def _mailboxes(org: Any) -> list[str]:
    return [str(getattr(m, "Alias", None) or _name(m)) for m in _collection(org, "mailboxes")]


COLLECTIONS: dict[str, Callable[[Any], list[str]]] = {
    "database": _databases,
    "server": _servers,
    "exchange-server": _exchange_servers,
    "mailbox-server": _mailbox_servers,
    "dag": _dags,
    "copy": _copies,
    "site": _sites,
    "network": _networks,
    "mailbox": _mailboxes,
}

# --- parameter -> collection ------------------------------------------------------------------

BY_TYPE_NAME = {
    "DatabaseIdParameter": "database",
    "MailboxDatabaseIdParameter": "database",
    "ServerIdParameter": "exchange-server",
    "ClientAccessServerIdParameter": "exchange-server",
    "ClientAccessServerOrArrayIdParameter": "exchange-server",
    "MailboxServerIdParameter": "mailbox-server",
    "DatabaseAvailabilityGroupIdParameter": "dag",
    "DatabaseCopyIdParameter": "copy",
    "AdSiteIdParameter": "site",
    "DatabaseAvailabilityGroupNetworkIdParameter": "network",
    "MailboxIdParameter": "mailbox",
    "RecipientIdParameter": "mailbox",
    "GeneralMailboxOrMailUserIdParameter": "mailbox",
    "StoreMailboxIdParameter": "mailbox",
    "UserIdParameter": "mailbox",
    "FileShareWitnessServerParameter": "server",
}

BY_PARAMETER_NAME = {
    "database": "database",
    "server": "exchange-server",
    "mailboxserver": "mailbox-server",
    "activateonserver": "mailbox-server",
    "activatepreferredonserver": "mailbox-server",
    "databaseavailabilitygroup": "dag",
    "witnessserver": "server",
    "alternatewitnessserver": "server",
    "site": "site",
    "activedirectorysite": "site",
    "mailbox": "mailbox",
}

BY_NOUN = (
    # (noun prefix, collection) for -Identity; first match wins, so longer nouns first.
    ("MailboxDatabaseCopy", "copy"),
    ("SimReplication", "copy"),
    ("MailboxDatabase", "database"),
    ("Database", "database"),
    ("SimDatabase", "database"),
    ("DatabaseAvailabilityGroupNetwork", "network"),
    ("DatabaseAvailabilityGroup", "dag"),
    ("MailboxServer", "mailbox-server"),
    ("ExchangeServer", "exchange-server"),
    ("ClientAccessServer", "exchange-server"),
    ("SimServer", "server"),
    ("SimSite", "site"),
    ("Mailbox", "mailbox"),
)


def collection_for(command_name: str, parameter: Any) -> str | None:
    """The collection a parameter of ``command_name`` draws its identities from, or None."""
    type_name = (getattr(parameter, "type_name", "") or "").removesuffix("[]")
    if type_name in BY_TYPE_NAME:
        return BY_TYPE_NAME[type_name]
    name = parameter.name.lower()
    if name in BY_PARAMETER_NAME:
        return BY_PARAMETER_NAME[name]
    if name == "identity":
        noun = command_name.split("-", 1)[-1]
        for prefix, collection in BY_NOUN:
            if noun.startswith(prefix):
                return collection
    return None


def identities(org: Any, collection: str) -> Iterable[str]:
    """Names of the objects in ``collection``; empty when the organisation cannot say."""
    if org is None:
        return []
    try:
        return COLLECTIONS[collection](org)
    except Exception:       # a half-built lab must never break a keystroke
        return []
