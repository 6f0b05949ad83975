"""Database copies and switchovers: Add/Remove/Set/Suspend/Resume/Update-MailboxDatabaseCopy,
Get-MailboxDatabaseCopyStatus, Move-ActiveMailboxDatabase, Test-ReplicationHealth."""
from __future__ import annotations

import datetime as _dt
from typing import Any

from cmdlets.exchange_common import (SYSCONFIG, ExchangeCmdlet, dc_param, identity_param, sentence, switch)
from ems.exchange.enums import DatabaseMountDialOverride, UseDagDefaultOnOff
from ems.exchange.typenames import T_COPY_STATUS, T_MOVE_RESULT, T_REPLICATION_CHECK
from ems.runtime.cmdlet import IDENTITY, Example, Parameter, register

COPY_ID = "DatabaseCopyIdParameter"
LAG = dict(type_name="EnhancedTimeSpan")


class _OneCopyCmdlet(ExchangeCmdlet):
    """The cmdlets that act on exactly one copy (``DB\\Server``)."""

    supports_should_process = True
    action = ""

    def run(self, org: Any) -> None:
        from ems.exchange.identity import resolve_copy
        db, copy = resolve_copy(org, self.param("Identity"))
        ident = f"{db.name}\\{copy.server}"
        if self.should_process(ident, message=sentence(self.action, "mailbox database copy", ident)):
            self.apply(org, db, copy)

    def apply(self, org: Any, db: Any, copy: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


@register
class AddMailboxDatabaseCopy(ExchangeCmdlet):
    name = "Add-MailboxDatabaseCopy"
    dotnet_class = SYSCONFIG + "AddMailboxDatabaseCopy"
    synopsis = "Use the Add-MailboxDatabaseCopy cmdlet to create a passive copy of an existing active mailbox database."
    supports_should_process = True
    parameters = (
        identity_param("DatabaseIdParameter"),
        Parameter("MailboxServer", IDENTITY, mandatory=True, position=1, pipeline=True,
                  type_name="MailboxServerIdParameter"),
        Parameter("ActivationPreference", int, type_name="UInt32"),
        Parameter("ReplayLagTime", _dt.timedelta, **LAG),
        switch("SeedingPostponed", help="Add the copy without seeding it; it stays Suspended until seeded."),
        Parameter("TruncationLagTime", _dt.timedelta, **LAG),
        dc_param(),
    )
    examples = (Example("Add-MailboxDatabaseCopy -Identity DB1 -MailboxServer MBX3 -ActivationPreference 2",
                        "Adds a copy of DB1 on MBX3 with activation preference 2."),
                Example("Add-MailboxDatabaseCopy -Identity DB3 -MailboxServer MBX4 -ActivationPreference 5 "
                        "-SeedingPostponed", "Adds a copy of DB3 on MBX4 without seeding it."))

    def run(self, org: Any) -> None:
        db = self.resolve("database")
        server = self.resolve("mailbox server", "MailboxServer")
        ident = f"{db.name}\\{server.name}"
        if self.should_process(ident, message=sentence("Adding", "mailbox database copy", ident)):
            org.add_database_copy(db, server, self.param("ActivationPreference"), self.param("ReplayLagTime"),
                                  self.param("TruncationLagTime"), bool(self.param("SeedingPostponed")))


@register
class RemoveMailboxDatabaseCopy(_OneCopyCmdlet):
    name = "Remove-MailboxDatabaseCopy"
    dotnet_class = SYSCONFIG + "RemoveMailboxDatabaseCopy"
    synopsis = "Use the Remove-MailboxDatabaseCopy cmdlet to remove a passive copy of a mailbox database."
    confirm_impact = "High"
    action = "Removing"
    parameters = (identity_param(COPY_ID), dc_param())
    examples = (Example(r"Remove-MailboxDatabaseCopy -Identity DB1\MBX3 -Confirm:$false",
                        "Removes the copy of DB1 on MBX3."),)

    def apply(self, org: Any, db: Any, copy: Any) -> None:
        org.remove_database_copy(db, copy)


@register
class SetMailboxDatabaseCopy(_OneCopyCmdlet):
    name = "Set-MailboxDatabaseCopy"
    dotnet_class = SYSCONFIG + "SetMailboxDatabaseCopy"
    synopsis = "Use the Set-MailboxDatabaseCopy cmdlet to configure the properties of a database copy."
    action = "Setting"
    parameters = (
        identity_param(COPY_ID),
        Parameter("ActivationPreference", int, type_name="UInt32"),
        Parameter("ReplayLagTime", _dt.timedelta, **LAG),
        Parameter("TruncationLagTime", _dt.timedelta, **LAG),
        dc_param(),
    )
    examples = (Example(r"Set-MailboxDatabaseCopy -Identity DB2\MBX1 -ReplayLagTime 3.0:0:0",
                        "Makes the copy of DB2 on MBX1 a lagged copy (3 days)."),)

    def apply(self, org: Any, db: Any, copy: Any) -> None:
        org.set_database_copy(db, copy, self.param("ActivationPreference"), self.param("ReplayLagTime"),
                              self.param("TruncationLagTime"))


@register
class SuspendMailboxDatabaseCopy(_OneCopyCmdlet):
    name = "Suspend-MailboxDatabaseCopy"
    dotnet_class = SYSCONFIG + "SuspendDatabaseCopy"
    synopsis = ("Use the Suspend-MailboxDatabaseCopy cmdlet to block replication and replay activities (log copying "
                "and replay) or activation for a database configured with two or more database copies.")
    confirm_impact = "High"
    action = "Suspending"
    parameters = (
        identity_param(COPY_ID),
        switch("ActivationOnly", sets=("Identity",)),
        Parameter("SuspendComment", str, sets=("Identity",), help="Up to 512 characters."),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example(r'Suspend-MailboxDatabaseCopy -Identity DB1\MBX3 -SuspendComment "Maintenance on MBX3"',
                        "Suspends replication and replay for the copy of DB1 on MBX3."),)

    def apply(self, org: Any, db: Any, copy: Any) -> None:
        org.suspend_database_copy(db, copy, bool(self.param("ActivationOnly")), self.param("SuspendComment"))


@register
class ResumeMailboxDatabaseCopy(_OneCopyCmdlet):
    name = "Resume-MailboxDatabaseCopy"
    dotnet_class = SYSCONFIG + "ResumeDatabaseCopy"
    synopsis = ("Use the Resume-MailboxDatabaseCopy cmdlet to unblock activation or resume log copying and replay "
                "for a passive mailbox database copy.")
    action = "Resuming"
    parameters = (
        identity_param(COPY_ID),
        switch("ReplicationOnly", sets=("Identity",)),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example(r"Resume-MailboxDatabaseCopy -Identity DB1\MBX3", "Resumes the copy of DB1 on MBX3."),)

    def apply(self, org: Any, db: Any, copy: Any) -> None:
        org.resume_database_copy(db, copy, bool(self.param("ReplicationOnly")))


@register
class UpdateMailboxDatabaseCopy(_OneCopyCmdlet):
    name = "Update-MailboxDatabaseCopy"
    dotnet_class = SYSCONFIG + "UpdateDatabaseCopy"
    synopsis = "Use the Update-MailboxDatabaseCopy cmdlet to seed or reseed a mailbox database copy."
    action = "Seeding"
    parameters = (
        identity_param(COPY_ID, sets=("Identity",)),
        switch("CatalogOnly", sets=("Identity",)),
        switch("DatabaseOnly", sets=("Identity",)),
        switch("DeleteExistingFiles", sets=("Identity",)),
        switch("Force", sets=("Identity",)),
        switch("ManualResume", sets=("Identity",)),
        Parameter("Network", IDENTITY, sets=("Identity",), type_name="DatabaseAvailabilityGroupNetworkIdParameter"),
        Parameter("NetworkCompressionOverride", UseDagDefaultOnOff, sets=("Identity",)),
        Parameter("NetworkEncryptionOverride", UseDagDefaultOnOff, sets=("Identity",)),
        Parameter("SourceServer", IDENTITY, sets=("Identity",), type_name="ServerIdParameter"),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example(r"Update-MailboxDatabaseCopy -Identity DB1\MBX1", "Seeds the copy of DB1 on MBX1."),
                Example(r"Update-MailboxDatabaseCopy -Identity DB1\MBX1 -SourceServer MBX2",
                        "Seeds the copy of DB1 on MBX1 from MBX2."))

    def apply(self, org: Any, db: Any, copy: Any) -> None:
        from ems.exchange.identity import resolve_network
        source = self.resolve_optional("mailbox server", "SourceServer")
        if self.has("Network"):
            resolve_network(org, self.param("Network"))
        org.update_database_copy(db, copy, source, bool(self.param("DeleteExistingFiles")),
                                 bool(self.param("CatalogOnly")), bool(self.param("DatabaseOnly")),
                                 bool(self.param("ManualResume")))


@register
class GetMailboxDatabaseCopyStatus(ExchangeCmdlet):
    name = "Get-MailboxDatabaseCopyStatus"
    dotnet_class = SYSCONFIG + "GetDatabaseCopyStatus"
    output_type = T_COPY_STATUS
    synopsis = ("Use the Get-MailboxDatabaseCopyStatus cmdlet to view health and status information about one or "
                "more mailbox database copies.")
    settle = True
    parameters = (
        identity_param(COPY_ID, mandatory=False, sets=("Identity",)),
        Parameter("Server", IDENTITY, mandatory=("Server",), pipeline=True, sets=("Server",),
                  type_name="MailboxServerIdParameter"),
        switch("Active", help="Only the active copy."),
        switch("ConnectionStatus"),
        switch("ExtendedErrorInfo"),
        switch("Local", sets=("Identity",), help="Only copies on the server this shell is connected to."),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example(r"Get-MailboxDatabaseCopyStatus -Identity DB1\MBX2 | Format-List",
                        "Shows the status of the copy of DB1 on MBX2."),
                Example("Get-MailboxDatabaseCopyStatus -Server MBX1", "Shows every copy hosted on MBX1."))

    def run(self, org: Any) -> None:
        from ems.exchange import errors as E
        from ems.exchange import snapshots as S
        from ems.exchange.identity import identity_text, is_wildcard, resolve_copies
        server = self.resolve("mailbox server", "Server") if self.parameter_set == "Server" else None
        if self.param("Local"):
            server = self.local_server()
        value = self.param("Identity")
        pairs = resolve_copies(org, value, server)
        if value is not None and not pairs and not is_wildcard(identity_text(value)) and server is None:
            raise E.not_found(identity_text(value), org.domain_controller)
        if self.param("Active"):
            pairs = [(d, c) for d, c in pairs if c.server.lower() == d.active_server.lower()]
        for db, copy in pairs:
            self.write(S.copy_status(org, db, copy))


@register
class MoveActiveMailboxDatabase(ExchangeCmdlet):
    name = "Move-ActiveMailboxDatabase"
    dotnet_class = SYSCONFIG + "MoveActiveMailboxDatabase"
    output_type = T_MOVE_RESULT
    synopsis = "Use the Move-ActiveMailboxDatabase cmdlet to perform a database or server switchover."
    supports_should_process = True
    confirm_impact = "High"
    parameters = (
        identity_param("DatabaseIdParameter", sets=("Identity",), mandatory=("Identity",)),
        Parameter("Server", IDENTITY, mandatory=("Server",), position=0, pipeline=True, sets=("Server",),
                  type_name="MailboxServerIdParameter"),
        Parameter("ActivateOnServer", IDENTITY, position=1, pipeline=True, sets=("Identity", "Server"),
                  type_name="MailboxServerIdParameter"),
        Parameter("MountDialOverride", DatabaseMountDialOverride),
        Parameter("MoveComment", str),
        switch("SkipActiveCopyChecks"),
        switch("SkipClientExperienceChecks"),
        switch("SkipHealthChecks"),
        switch("SkipLagChecks"),
        switch("TerminateOnWarning"),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example("Move-ActiveMailboxDatabase DB2 -ActivateOnServer MBX1 -MountDialOverride:None",
                        "Switches DB2 over to MBX1."),
                Example("Move-ActiveMailboxDatabase -Server MBX1",
                        "Moves every active database off MBX1 (server switchover)."))

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        from ems.exchange.enums import text
        target = self.resolve_optional("mailbox server", "ActivateOnServer")
        options = dict(mount_dial_override=text(self.param("MountDialOverride")),
                       skip_health_checks=bool(self.param("SkipHealthChecks")),
                       skip_lag_checks=bool(self.param("SkipLagChecks")),
                       skip_client_experience_checks=bool(self.param("SkipClientExperienceChecks")),
                       skip_active_copy_checks=bool(self.param("SkipActiveCopyChecks")),
                       move_comment=self.param("MoveComment"),
                       terminate_on_warning=bool(self.param("TerminateOnWarning")))
        if self.parameter_set == "Server":
            server = self.resolve("mailbox server", "Server")
            to = f' to server "{org.fqdn(target.name)}"' if target else ""
            message = f'Moving all active mailbox databases from server "{org.fqdn(server.name)}"{to}.'
            if not self.should_process(server.name, message=message):
                return
            for outcome in org.move_active_from_server(server, target, **options):
                if isinstance(outcome, Exception):
                    self.write_error(outcome)
                else:
                    self.write(S.move_result(org, outcome))
            return
        db = self.resolve("database")
        where = f' to server "{org.fqdn(target.name)}"' if target else ""
        message = f'Moving mailbox database "{db.name}" from server "{org.fqdn(db.active_server)}"{where}.'
        if self.should_process(db.name, message=message):
            self.write(S.move_result(org, org.move_active(db, target, **options)))


@register
class TestReplicationHealth(ExchangeCmdlet):
    name = "Test-ReplicationHealth"
    dotnet_class = SYSCONFIG + "TestReplicationHealth"
    output_type = T_REPLICATION_CHECK
    synopsis = ("Use the Test-ReplicationHealth cmdlet to check all aspects of replication and replay, or to "
                "provide status for a specific Mailbox server in a database availability group (DAG).")
    settle = True
    supports_should_process = True
    parameters = (
        identity_param("ServerIdParameter", mandatory=False),
        Parameter("ActiveDirectoryTimeout", int),
        Parameter("MonitoringContext", bool),
        switch("OutputObjects"),
        Parameter("TransientEventSuppressionWindow", int, type_name="UInt32"),
        dc_param(),
    )
    examples = (Example("Test-ReplicationHealth -Identity MBX1", "Tests replication health on MBX1."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        from ems.exchange.health import replication_health
        server = self.resolve("mailbox server") if self.has("Identity") else self.local_server()
        for check, description, result, error in replication_health(org, server):
            self.write(S.replication_check(org, server.name, check, description, result, error))
