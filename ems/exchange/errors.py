"""Exchange domain errors (moto-style): each mirrors a real Exchange exception.

The runtime turns any exception carrying ``exception_type`` and ``category`` into an error
record in the remote-EMS layout (Exchange cmdlets run on the server in real EMS), so these
classes only carry facts: the .NET exception name, the error category, the message text and
optionally the target object. Messages are Exchange's own where the reference documents them;
otherwise they are written in Exchange's style and marked "plausible" where they are built.
"""
from __future__ import annotations

from typing import Any


class ExchangeError(Exception):
    """Base of every domain error. ``exception_type``: .NET short name; ``category``: the
    PowerShell ErrorCategory shown in CategoryInfo; ``error_id``: FullyQualifiedErrorId's code."""

    exception_type = "LocalizedException"
    category = "NotSpecified"
    error_id = ""

    def __init__(self, message: str, target: Any = None, error_id: str | None = None):
        super().__init__(message)
        self.message = message
        self.target = target
        if error_id:
            self.error_id = error_id

    def __str__(self) -> str:
        return self.message


class ManagementObjectNotFoundException(ExchangeError):
    exception_type = "ManagementObjectNotFoundException"
    category = "NotSpecified"
    error_id = "4B953CE"


class ManagementObjectAmbiguousException(ExchangeError):
    exception_type = "ManagementObjectAmbiguousException"
    category = "NotSpecified"
    error_id = "5E6A4B5D"


class InvalidOperationException(ExchangeError):
    exception_type = "InvalidOperationException"
    category = "InvalidOperation"
    error_id = "C5A1F0B2"


class ArgumentException(ExchangeError):
    exception_type = "ArgumentException"
    category = "InvalidArgument"
    error_id = "A1B2C3D4"


class DataValidationException(ExchangeError):
    exception_type = "DataValidationException"
    category = "NotSpecified"
    error_id = "D1F7E1A9"


class ADObjectAlreadyExistsException(ExchangeError):
    exception_type = "ADObjectAlreadyExistsException"
    category = "NotSpecified"
    error_id = "F3C4A12B"


class DagTaskServerException(ExchangeError):
    """DAG membership / witness errors raised by the DAG tasks."""

    exception_type = "DagTaskServerException"
    category = "InvalidArgument"
    error_id = "B4D2A5C8"


class DagTaskOperationFailedException(ExchangeError):
    """A cluster operation the DAG task asked Windows for failed (e.g. access denied)."""

    exception_type = "DagTaskOperationFailedException"
    category = "InvalidOperation"
    error_id = "A7E1BD0F"


class DagTaskQuorumNotAchievedException(ExchangeError):
    exception_type = "DagTaskQuorumNotAchievedException"
    category = "InvalidOperation"
    error_id = "8F4E7A21"


class DatabaseCopyException(ExchangeError):
    """Add/Remove/Set-MailboxDatabaseCopy rule violations."""

    exception_type = "InvalidOperationException"
    category = "InvalidOperation"
    error_id = "2D9C1E6A"


class ReplayServiceException(ExchangeError):
    """Suspend/Resume/Update-MailboxDatabaseCopy refused by the Replication service."""

    exception_type = "InvalidOperationException"
    category = "InvalidOperation"
    error_id = "6C1B7D3E"


class AmDbActionException(ExchangeError):
    """Active Manager refused or failed a mount/dismount/move."""

    exception_type = "InvalidOperationException"
    category = "InvalidOperation"
    error_id = "E6C4B1F2"


class RecipientTaskException(ExchangeError):
    exception_type = "RecipientTaskException"
    category = "NotSpecified"
    error_id = "9A8B7C6D"


class ADIdentityNotFoundException(ExchangeError):
    """The ActiveDirectory module's not-found error. ``kind`` is the .NET type the identity was
    bound as (ADGroup, ADPrincipal): the AD cmdlets show it in CategoryInfo."""

    exception_type = "ADIdentityNotFoundException"
    category = "ObjectNotFound"
    error_id = "ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException"
    kind = "ADPrincipal"


class MapiExceptionMdbOffline(ExchangeError):
    """The store can't read a dismounted database (Get-MailboxStatistics)."""

    exception_type = "MapiExceptionMdbOffline"


class StateFormatError(ValueError):
    """A saved-state dict that is not ems state, or is corrupt (raised by from_dict)."""


# --- message builders (one place for the wording) -------------------------------------

def not_found(identity: Any, dc: str) -> ManagementObjectNotFoundException:
    """``Get-X nope``: the identity parameter matched nothing (text observed in real EMS)."""
    return ManagementObjectNotFoundException(
        f"The operation couldn't be performed because object '{identity}' couldn't be found on '{dc}'.",
        target=0)


def ambiguous(identity: Any) -> ManagementObjectAmbiguousException:
    return ManagementObjectAmbiguousException(
        f"The operation couldn't be performed because '{identity}' matches multiple entries.")


def referenced_not_found(kind: str, identity: Any) -> ManagementObjectNotFoundException:
    """A non-Identity parameter (``-Server``, ``-Database`` ...) names a missing object."""
    return ManagementObjectNotFoundException(
        f"Couldn't find {kind} \"{identity}\". Make sure you have typed it correctly.")


def ad_identity_not_found(identity: Any, domain_dn: str, kind: str) -> ADIdentityNotFoundException:
    exc = ADIdentityNotFoundException(f"Cannot find an object with identity: '{identity}' under: '{domain_dn}'.",
                                      target=str(identity))
    exc.kind = kind
    return exc


def mdb_offline(database: str) -> MapiExceptionMdbOffline:
    return MapiExceptionMdbOffline(
        f"Failed to commit the change on object \"{database}\" because the database is dismounted. "
        "MapiExceptionMdbOffline: Unable to get mailbox information (hr=0x80004005, ec=1142)")


def check_quota_order(values: dict[str, Any],
                      pairs: tuple[tuple[str, str], ...] = (("ProhibitSendReceiveQuota", "IssueWarningQuota"),
                                                            ("ProhibitSendReceiveQuota", "ProhibitSendQuota"))) -> None:
    """Quota properties (databases, mailboxes) must stay ordered: each (high, low) pair needs
    high >= low. The wording is Exchange's own (seen in a real Set-Mailbox transcript)."""
    for high, low in pairs:
        if values[high] < values[low]:
            raise DataValidationException(
                f"The value of property '{high}' must be greater than or equal to that of property '{low}'. "
                f"{high}: '{values[high]}', {low}: '{values[low]}'.")
