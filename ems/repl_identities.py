"""Which objects of the live organisation a parameter takes: the one map completion reads.

A parameter names its .NET identity type (``DatabaseIdParameter``...) in its declaration;
that type decides the collection offered on Tab (``DatabaseCopyIdParameter``: ``DB1\\EX2``).
Parameters declared as plain strings fall back to their name (``-Server``, ``-Site``), and
the Sim cmdlets reach every machine, not only Exchange servers (``Stop-SimServer FS1``).
Keep every such rule here.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

# --- collection name -> names of the objects in the organisation -----------------------------
# The organisation (ems/exchange/organization.py) keeps its objects in dicts keyed by lower-cased
# name; these read the names back in their own spelling.


def _databases(org: Any) -> list[str]:
    return [db.name for db in org.databases.values()]


def _servers(org: Any) -> list[str]:
    """Every machine of the lab: Exchange servers, domain controllers, file servers."""
    return [s.name for s in org.servers.values()]


def _exchange_servers(org: Any) -> list[str]:
    return [s.name for s in org.exchange_servers()]


def _mailbox_servers(org: Any) -> list[str]:
    return [s.name for s in org.mailbox_servers()]


def _dags(org: Any) -> list[str]:
    return [dag.name for dag in org.dags.values()]


def _copies(org: Any) -> list[str]:
    """``DB\\Server`` for every copy of every database."""
    return [f"{db.name}\\{copy.server}" for db in org.databases.values() for copy in db.copies]


def _sites(org: Any) -> list[str]:
    return [site.name for site in org.sites.values()]


def _networks(org: Any) -> list[str]:
    return [f"{dag.name}\\{net.name}" for dag in org.dags.values() for net in dag.networks]


def _mailboxes(org: Any) -> list[str]:
    return [box.name for box in org.mailboxes.values()]


def _cas_arrays(org: Any) -> list[str]:
    return [array.name for array in org.cas_arrays.values()]


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
    "cas-array": _cas_arrays,
}

# --- parameter -> collection ------------------------------------------------------------------

BY_TYPE_NAME = {
    "DatabaseIdParameter": "database",
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
    "ClientAccessArrayIdParameter": "cas-array",
    "FileShareWitnessServerName": "server",
}

BY_PARAMETER_NAME = {
    # Exchange cmdlets type their identity parameters; the Sim and AD cmdlets take plain
    # strings, and an untyped -Server there can name any machine (Add-SimLocalAdministrator
    # -Server FS1).
    "database": "database",
    "server": "server",
    "site": "site",
}


def collection_for(command_name: str, parameter: Any) -> str | None:
    """The collection a parameter of ``command_name`` draws its identities from, or None."""
    type_name = (getattr(parameter, "type_name", "") or "").removesuffix("[]")
    if type_name in BY_TYPE_NAME:
        collection = BY_TYPE_NAME[type_name]
        # The lab's hands reach every machine: Stop-SimServer FS1 stops the witness.
        if collection == "exchange-server" and command_name.split("-", 1)[-1].startswith("Sim"):
            return "server"
        return collection
    return BY_PARAMETER_NAME.get(parameter.name.lower())


def identities(org: Any, collection: str) -> Iterable[str]:
    """Names of the objects in ``collection``; empty when the organisation cannot say."""
    if org is None:
        return []
    try:
        return COLLECTIONS[collection](org)
    except Exception:       # a half-built lab must never break a keystroke
        return []
