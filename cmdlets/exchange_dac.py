"""Site resilience: Stop-, Restore- and Start-DatabaseAvailabilityGroup (datacenter switchover
and switchback in DAC mode, §3a/§3c). The work is in ems.exchange.dac; these only bind.

Stop and Restore prompt for confirmation by default (V-10: ConfirmImpact High); Start is
treated the same way [plausible]. They write nothing to the pipeline.
"""
from __future__ import annotations

from typing import Any

from cmdlets.exchange_common import SYSCONFIG, ExchangeCmdlet, dc_param, identity_param, switch
from ems.runtime.cmdlet import IDENTITY, Example, Parameter, register

DAG_ID = "DatabaseAvailabilityGroupIdParameter"


def _site_param() -> Parameter:
    return Parameter("ActiveDirectorySite", IDENTITY, mandatory=("Identity",), sets=("Identity",), pipeline=True,
                     type_name="AdSiteIdParameter", help="Every DAG member in this Active Directory site.")


def _server_param() -> Parameter:
    return Parameter("MailboxServer", IDENTITY, mandatory=("MailboxSet",), sets=("MailboxSet",), pipeline=True,
                     type_name="MailboxServerIdParameter", help="One DAG member.")


class _SiteResilienceCmdlet(ExchangeCmdlet):
    """Stop-/Start-DatabaseAvailabilityGroup share their shape: a DAG and either the members
    of an AD site or one member; -ConfigurationOnly changes Active Directory only."""

    supports_should_process = True
    confirm_impact = "High"
    default_set = "Identity"
    verb = ""
    parameters = (
        identity_param(DAG_ID),
        _site_param(),
        _server_param(),
        switch("ConfigurationOnly", help="Update Active Directory only; don't act on the servers."),
        dc_param(),
    )

    def run(self, org: Any) -> None:
        dag = self.resolve("dag")
        site = self.resolve("site", "ActiveDirectorySite") if self.has("ActiveDirectorySite") else None
        server = self.resolve("mailbox server", "MailboxServer") if self.has("MailboxServer") else None
        what = f'Active Directory site "{site.name}"' if site is not None else f'Mailbox server "{server.name}"'
        message = f'{self.verb} {what} in database availability group "{dag.name}".'
        if not self.should_process(dag.name, message=message):
            return
        targets = org.dac_targets(dag, site, server)
        self.apply(org, dag, targets, bool(self.param("ConfigurationOnly")))

    def apply(self, org: Any, dag: Any, targets: list, configuration_only: bool) -> None:  # pragma: no cover
        raise NotImplementedError


@register
class StopDatabaseAvailabilityGroup(_SiteResilienceCmdlet):
    name = "Stop-DatabaseAvailabilityGroup"
    dotnet_class = SYSCONFIG + "StopDatabaseAvailabilityGroup"
    synopsis = ("Use the Stop-DatabaseAvailabilityGroup cmdlet to mark a member of a database availability group "
                "(DAG) as failed, or to mark all DAG members in a specific Active Directory site as failed.")
    verb = "Stopping"
    examples = (
        Example("Stop-DatabaseAvailabilityGroup -Identity DAG1 -MailboxServer MBX2",
                "This example stops the Mailbox server MBX2 in the DAG DAG1."),
        Example("Stop-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Redmond",
                "This example stops all members in the DAG DAG1 in the Active Directory site Redmond."),
        Example("Stop-DatabaseAvailabilityGroup -Identity DAG2 -MailboxServer MBX3 -ConfigurationOnly",
                "This example stops the Mailbox server MBX3, which is currently offline, in the DAG DAG2."),
    )

    def apply(self, org: Any, dag: Any, targets: list, configuration_only: bool) -> None:
        org.stop_dag(dag, targets, configuration_only)


@register
class StartDatabaseAvailabilityGroup(_SiteResilienceCmdlet):
    name = "Start-DatabaseAvailabilityGroup"
    dotnet_class = SYSCONFIG + "StartDatabaseAvailabilityGroup"
    synopsis = ("Use the Start-DatabaseAvailabilityGroup cmdlet to reincorporate one or more previously failed "
                "members of a database availability group (DAG).")
    verb = "Starting"
    examples = (
        Example("Start-DatabaseAvailabilityGroup -Identity DAG1 -MailboxServer MBX2",
                "This example starts the Mailbox server MBX2 in the DAG DAG1."),
        Example("Start-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Redmond",
                "This example starts the members of the DAG DAG1 in the Active Directory site Redmond."),
    )

    def apply(self, org: Any, dag: Any, targets: list, configuration_only: bool) -> None:
        org.start_dag(dag, targets, configuration_only)


@register
class RestoreDatabaseAvailabilityGroup(ExchangeCmdlet):
    name = "Restore-DatabaseAvailabilityGroup"
    dotnet_class = SYSCONFIG + "RestoreDatabaseAvailabilityGroup"
    synopsis = ("Use the Restore-DatabaseAvailabilityGroup cmdlet as part of a datacenter switchover of a database "
                "availability group (DAG).")
    supports_should_process = True
    confirm_impact = "High"
    parameters = (
        identity_param(DAG_ID),
        Parameter("ActiveDirectorySite", IDENTITY, type_name="AdSiteIdParameter",
                  help="The surviving Active Directory site whose members the DAG is restored on."),
        Parameter("AlternateWitnessDirectory", str, type_name="NonRootLocalLongFullPath"),
        Parameter("AlternateWitnessServer", IDENTITY, type_name="FileShareWitnessServerName"),
        dc_param(),
    )
    examples = (
        Example("Restore-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Portland",
                "This example activates member servers in the DAG DAG1 for the Active Directory site Portland. In "
                "this example, the values for the AlternateWitnessServer parameter and the AlternateWitnessDirectory "
                "parameter had been previously set by using the Set-DatabaseAvailabilityGroup cmdlet."),
        Example(r"Restore-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Redmond "
                r"-AlternateWitnessServer CAS4 -AlternateWitnessDirectory D:\DAG1",
                "This example activates member servers in the DAG DAG1 for the Active Directory site Redmond. In "
                "this example, the values for the AlternateWitnessServer parameter and the AlternateWitnessDirectory "
                "parameter are being set as part of the activation process."),
    )

    def run(self, org: Any) -> None:
        dag = self.resolve("dag")
        site = self.resolve("site", "ActiveDirectorySite") if self.has("ActiveDirectorySite") else None
        where = f' for Active Directory site "{site.name}"' if site is not None else ""
        message = f'Restoring database availability group "{dag.name}"{where}.'
        if not self.should_process(dag.name, message=message):
            return
        witness = self.param("AlternateWitnessServer")
        org.restore_dag(dag, site, str(witness) if witness is not None else None,
                        self.param("AlternateWitnessDirectory"))
