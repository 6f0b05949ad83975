"""Errors as PowerShell sees them: exceptions with a .NET type, a category and an error id,
and the ErrorRecord that the console prints in the Windows PowerShell 5.1 layout (A.14).

Any exception raised inside a cmdlet or the evaluator becomes an ErrorRecord:

- a ``PSError`` (below) carries everything itself;
- a domain error from ``ems.exchange`` carries, by duck typing, ``exception_type``
  (``"ManagementObjectNotFoundException"``), ``category`` (``"ObjectNotFound"``...), optionally
  ``error_id`` and ``target``; it is shown in the remote-EMS layout (no ``Cmdlet :`` prefix, no
  position block) because Exchange 2010's shell runs Exchange cmdlets on the server;
- anything else is an internal bug: it still prints as an error record
  (``NotSpecified``, ``RuntimeException``), with the Python traceback only under
  ``-Verbose`` or ``$env:EMS_DEBUG``.
"""
from __future__ import annotations

from typing import Any

import attrs

CATEGORIES = (
    "NotSpecified", "OpenError", "CloseError", "DeviceError", "DeadlockDetected", "InvalidArgument",
    "InvalidData", "InvalidOperation", "InvalidResult", "InvalidType", "MetadataError",
    "NotImplemented", "NotInstalled", "ObjectNotFound", "OperationStopped", "OperationTimeout",
    "SyntaxError", "ParserError", "PermissionDenied", "ResourceBusy", "ResourceExists",
    "ResourceUnavailable", "ReadError", "WriteError", "FromStdErr", "SecurityError",
    "ProtocolError", "ConnectionError", "AuthenticationError", "LimitsExceeded", "QuotaExceeded",
    "NotEnabled",
)


class PSError(Exception):
    """An error the language or runtime raises, with its PowerShell identity.

    ``exception_type``: the .NET exception short name shown as the CategoryInfo reason.
    ``error_id``: the FullyQualifiedErrorId's first part. ``target``: the target object.
    ``extent``: the source extent the position block points at (set by the evaluator).
    """

    exception_type = "RuntimeException"
    category = "NotSpecified"

    def __init__(self, message: str, error_id: str | None = None, category: str | None = None,
                 target: Any = None, exception_type: str | None = None, extent: Any = None):
        super().__init__(message)
        self.message = message
        self.error_id = error_id or message
        if category:
            self.category = category
        if exception_type:
            self.exception_type = exception_type
        self.target = target
        self.extent = extent


def io_error(e: OSError, path: str | None = None, error_id: str | None = None) -> PSError:
    """An operating-system file error as the .NET exception 5.1 reports for it: access denied
    (also for a folder where a file was expected), a missing folder on the way, or a plain
    IOException. ``error_id`` (e.g. Out-File's ``FileOpenFailure``) makes it an OpenError;
    without one the id is the exception's type name, as for any .NET exception a cmdlet lets
    through."""
    path = path if path is not None else (e.filename if e.filename is not None else "")
    if isinstance(e, (IsADirectoryError, PermissionError)):
        message, exc, category = f"Access to the path '{path}' is denied.", "UnauthorizedAccessException", "PermissionDenied"
    elif isinstance(e, (FileNotFoundError, NotADirectoryError)):
        message, exc, category = (f"Could not find a part of the path '{path}'.", "DirectoryNotFoundException",
                                  "ObjectNotFound")
    else:
        message, exc, category = (e.strerror or str(e) or "I/O error") + ".", "IOException", "WriteError"
    if error_id is not None:
        category = "OpenError"
    return PSError(message, error_id or f"System.{exc}", category, target=path or None, exception_type=exc)


class RuntimeException(PSError):
    exception_type = "RuntimeException"


class ParameterBindingException(PSError):
    exception_type = "ParameterBindingException"
    category = "InvalidArgument"


class CommandNotFoundException(PSError):
    exception_type = "CommandNotFoundException"
    category = "ObjectNotFound"


class ParseException(PSError):
    """One or more parse errors. ``errors`` holds (message, error_id, extent) per error."""

    exception_type = "ParseException"
    category = "ParserError"

    def __init__(self, errors: list[tuple[str, str, Any]], incomplete: bool = False):
        first = errors[0]
        super().__init__(first[0], first[1], extent=first[2])
        self.errors = errors
        self.incomplete = incomplete
        """True when the input merely ended too early (the REPL continues on ``>>``)."""


class ActionPreferenceStopException(PSError):
    """A non-terminating error promoted by -ErrorAction Stop; keeps the original record."""

    exception_type = "ActionPreferenceStopException"

    def __init__(self, record: "ErrorRecord", preference: str = "ErrorActionPreference"):
        super().__init__(record.message, record.error_id, record.category)
        self.record = record
        self.preference = preference


@attrs.define
class InvocationInfo:
    """Where an error happened: the command and the source extent (for ``At line:`` blocks)."""

    command_name: str = ""          # "Get-Mailbox" (prefix and CategoryInfo activity)
    invocation_name: str = ""       # as typed ("gmb", "Get-Mailbox")
    script_name: str = ""           # script path, "" for interactive/-Command input
    line_number: int = 0            # 1-based
    column: int = 0                 # 1-based
    line_text: str = ""             # the full source line
    extent_text: str = ""           # the text the ~~~ marker underlines
    dotnet_class: str = ""          # for FQEID of cmdlet errors


@attrs.define
class ErrorRecord:
    """What ``$Error[0]``, ``$_`` in catch and ``-ErrorVariable`` hold."""

    message: str
    exception_type: str = "RuntimeException"
    category: str = "NotSpecified"
    error_id: str = ""
    target: Any = None
    invocation: InvocationInfo | None = None
    remote: bool = False            # Exchange server-side error: remote layout
    computer_name: str = ""         # PSComputerName line for remote errors
    script_level: bool = False      # throw / script errors: FQEID without ",command"
    details: str = ""               # ErrorDetails.Message, when set
    python_traceback: str = ""      # internal bugs: shown only under -Verbose / EMS_DEBUG
    exception: BaseException | None = None
    # --- added by the interpreter (compatible extension) ---------------------------------
    parse_errors: list | None = None  # ParseException.errors for ParserError records
    prefix: str | None = None       # overrides the "<command> : " prefix (Write-Error at the prompt)
    activity: str | None = None     # overrides CategoryInfo's [activity] (remote cmdlet name)
    show_position: bool = True      # False: no "At line:" block (Write-Error at the prompt)
    show_traceback: bool = False    # internal bug inside a command run with -Verbose

    @property
    def fully_qualified_error_id(self) -> str:
        if self.script_level or not self.invocation or not self.invocation.command_name:
            return self.error_id
        return f"{self.error_id},{self.invocation.dotnet_class or self.invocation.command_name}"

    def __str__(self) -> str:
        return self.details or self.message
