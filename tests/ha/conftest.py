"""Labs for the HA engine tests, built through the shell the way a user builds them."""
from __future__ import annotations

import pytest

from ems import Shell

TWO_SITES = r"""
New-SimSite -Name Portland -Subnets 192.168.1.0/24,10.0.1.0/24
New-SimSite -Name Redmond -Subnets 192.168.2.0/24,10.0.2.0/24
New-SimSiteLink -Site Portland,Redmond
New-SimServer -Name DC2 -Site Portland -IPAddress 192.168.1.9 -Role DomainController
New-SimServer -Name DC3 -Site Redmond -IPAddress 192.168.2.9 -Role DomainController
"""

WITNESS_PORTLAND = r"""
New-SimServer -Name FS1 -Site Portland -IPAddress 192.168.1.20 -Role FileServer
Add-SimLocalAdministrator -Server FS1 -Member "Exchange Trusted Subsystem"
"""

WITNESS_OLYMPIA = r"""
New-SimSite -Name Olympia -Subnets 192.168.3.0/24
New-SimSiteLink -Site Portland,Olympia
New-SimSiteLink -Site Redmond,Olympia
New-SimServer -Name FS3 -Site Olympia -IPAddress 192.168.3.20 -Role FileServer
Add-SimLocalAdministrator -Server FS3 -Member "Exchange Trusted Subsystem"
"""


def member(name: str, site: str, n: int) -> str:
    net = {"Portland": 1, "Redmond": 2}[site]
    return (f"New-SimServer -Name {name} -Site {site} -IPAddress 192.168.{net}.{n},10.0.{net}.{n} "
            "-Role Mailbox,ClientAccess,HubTransport -NoDefaultDatabase\n")


def database(name: str, servers: list[str], users: tuple[str, ...] = ()) -> str:
    text = f"New-MailboxDatabase -Name {name} -Server {servers[0]} | Out-Null\nMount-Database {name}\n"
    for s in servers[1:]:
        text += f"Add-MailboxDatabaseCopy -Identity {name} -MailboxServer {s}\n"
    for u in users:
        text += f"New-SimMailbox -Name {u} -Database {name} -ItemCount 10\n"
    return text


def build(text: str) -> Shell:
    sh = Shell(scenario="empty")
    r = sh.run(text)
    assert not r.errors, r.error_text
    return sh


def two_site_dag(witness: str = "FS1") -> Shell:
    """EX1 in Portland, EX2 in Redmond; DB1 active on EX1, DB2 on EX2, each copied to the other."""
    text = TWO_SITES + WITNESS_PORTLAND + (WITNESS_OLYMPIA if witness == "FS3" else "")
    text += member("EX1", "Portland", 11) + member("EX2", "Redmond", 12)
    text += (f"New-DatabaseAvailabilityGroup -Name DAG1 -WitnessServer {witness} -WitnessDirectory C:\\DAG1 | Out-Null\n"
             "Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer EX1\n"
             "Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer EX2\n")
    text += database("DB1", ["EX1", "EX2"], ("user1", "user2")) + database("DB2", ["EX2", "EX1"], ("user3",))
    return build(text)


def one_site_dag(members: int = 2, copies: int | None = None) -> Shell:
    """EX1..EXn in Portland with witness FS1; DB1 active on EX1 with copies on the others (AP in order)."""
    names = [f"EX{i}" for i in range(1, members + 1)]
    text = TWO_SITES + WITNESS_PORTLAND + "".join(member(n, "Portland", 10 + i) for i, n in enumerate(names, 1))
    text += "New-DatabaseAvailabilityGroup -Name DAG1 -WitnessServer FS1 -WitnessDirectory C:\\DAG1 | Out-Null\n"
    text += "".join(f"Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer {n}\n" for n in names)
    text += database("DB1", names[: (copies or members)], ("user1", "user2"))
    return build(text)


def value(sh: Shell, text: str):
    r = sh.run(text)
    assert not r.errors, r.error_text
    return r.output[0] if len(r.output) == 1 else r.output


def status(sh: Shell, copy: str):
    return value(sh, f"Get-MailboxDatabaseCopyStatus {copy}")


def events(sh: Shell, *args: str) -> list:
    return sh.run("Get-SimEvent " + " ".join(args)).output


def details(sh: Shell, *args: str) -> str:
    return "\n".join(e.Detail for e in events(sh, *args))


@pytest.fixture
def dc():
    return Shell(scenario="two-datacenter")
