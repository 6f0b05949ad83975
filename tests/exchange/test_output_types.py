"""Every Exchange cmdlet that emits objects declares ``output_type``: the .NET type name of what
it writes (Get-Help's OUTPUTS; the REPL can complete column names after a pipe from it)."""
import pytest

from ems.runtime.cmdlet import REGISTRY

BUILD = "\n".join([
    'Add-ADGroupMember -Identity Administrators -Members "Exchange Trusted Subsystem"',
    r"New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG | Out-Null",
    "Add-DatabaseAvailabilityGroupServer DAG MAILSERVER01", "Add-DatabaseAvailabilityGroupServer DAG MAILSERVER02",
    "New-MailboxDatabase -Name mailbox01 -Server MAILSERVER01 | Out-Null", "Mount-Database mailbox01",
    "Add-MailboxDatabaseCopy mailbox01 MAILSERVER02",
])

EMITTERS = [
    "Get-ExchangeServer", "Get-MailboxServer", "Get-DatabaseAvailabilityGroup",
    "New-DatabaseAvailabilityGroup -Name DAG2 -WitnessServer DC", "Get-DatabaseAvailabilityGroupNetwork",
    "New-DatabaseAvailabilityGroupNetwork -DatabaseAvailabilityGroup DAG -Name N3",
    "Get-MailboxDatabase", "New-MailboxDatabase -Name DB3 -Server MAILSERVER02", "Get-PublicFolderDatabase",
    "Get-MailboxDatabaseCopyStatus *", "Move-ActiveMailboxDatabase mailbox01 MAILSERVER02 -Confirm:$false",
    "Test-ReplicationHealth MAILSERVER01", "Get-Mailbox",
    'New-Mailbox -Name Kim -UserPrincipalName kim@benet.com -Password "x" -Database mailbox01',
    "Get-MailboxStatistics Administrator", "Get-TransportConfig", "Get-ClientAccessServer",
    'New-ClientAccessArray -Fqdn outlook.benet.com -Site "Default-First-Site-Name"', "Get-ClientAccessArray",
    "Get-ADGroupMember Administrators",
]


@pytest.fixture(scope="module")
def built():
    from ems import Shell
    shell = Shell(scenario="benet-lab")
    assert not shell.run(BUILD).errors
    return shell


@pytest.mark.parametrize("command", EMITTERS)
def test_output_type_is_what_the_cmdlet_writes(built, command):
    r = built.run(command)
    assert not r.errors and r.output, r.error_text
    cls = REGISTRY[command.split()[0].lower()]
    assert cls.output_type and {type(o).PS_TYPE_NAMES[0] for o in r.output} == {cls.output_type}
    assert f"OUTPUTS\n    {cls.output_type}\n" in built.run(f"Get-Help {cls.name} -Full").text


def test_every_exchange_reader_and_creator_declares_it():
    import cmdlets
    cmdlets.load_all()
    exchange = [c for c in REGISTRY.values() if c.module == "Microsoft.Exchange.Management.PowerShell.E2010"
                and c.name.split("-")[0] in ("Get", "New") and "Sim" not in c.name]
    assert len(exchange) >= 17
    assert [c.name for c in exchange if not c.output_type] == []
