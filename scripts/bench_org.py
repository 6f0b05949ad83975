"""The largest DAG ems supports, as an ems script: 16 members, 100 databases, a copy of every
database on every member (1,600 copies). ``build_large_org_script()`` returns the text (run it
on the ``empty`` scenario, which brings the domain controller DC1); the
lead's benchmark runs it through the cmdlets (target: < 3 s, < 300 MB) and then times
``Get-MailboxDatabaseCopyStatus *`` formatted as the default table (target: < 1 s).

    python scripts/bench_org.py        # builds the organisation once and prints the timings
"""
from __future__ import annotations

MEMBERS = 16
DATABASES = 100


def build_large_org_script(members: int = MEMBERS, databases: int = DATABASES, two_sites: bool = False) -> str:
    """``two_sites``: the members split evenly over the datacenters Portland and Redmond (each
    with a domain controller and a file server), DAG1 in DAC mode with witness FS1 in Portland
    and alternate witness FS2 in Redmond, every database active in Portland (for the
    datacenter switchover benchmark, scripts/bench_ha.py)."""
    servers = [f"MBX{i:02d}" for i in range(1, members + 1)]
    if two_sites:
        half = members // 2
        lines = [
            "Set-SimOrganization -Domain contoso.com",
            "New-SimSite -Name Portland -Subnets 192.168.3.0/24,10.0.3.0/24",
            "New-SimSite -Name Redmond -Subnets 192.168.4.0/24,10.0.4.0/24",
            "New-SimSiteLink -Site Portland,Redmond",
            "New-SimServer -Name DCP -Site Portland -IPAddress 192.168.3.250 -Role DomainController",
            "New-SimServer -Name DCR -Site Redmond -IPAddress 192.168.4.250 -Role DomainController",
            "New-SimServer -Name FS1 -Site Portland -IPAddress 192.168.3.200 -Role FileServer",
            "New-SimServer -Name FS2 -Site Redmond -IPAddress 192.168.4.200 -Role FileServer",
            'Add-SimLocalAdministrator -Server FS1 -Member "Exchange Trusted Subsystem"',
            'Add-SimLocalAdministrator -Server FS2 -Member "Exchange Trusted Subsystem"',
        ]
        for i, name in enumerate(servers, 1):
            net = 3 if i <= half else 4
            lines.append(f"New-SimServer -Name {name} -Site {'Portland' if net == 3 else 'Redmond'} "
                         f"-IPAddress 192.168.{net}.{i},10.0.{net}.{i} -Role Mailbox,ClientAccess,HubTransport "
                         "-NoDefaultDatabase")
        lines.append(r"New-DatabaseAvailabilityGroup -Name DAG1 -WitnessServer FS1 -WitnessDirectory C:\DAG1 "
                     "-DatabaseAvailabilityGroupIpAddresses 192.168.3.50,192.168.4.50 | Out-Null")
        lines.append(r"Set-DatabaseAvailabilityGroup -Identity DAG1 -AlternateWitnessServer FS2 "
                     r"-AlternateWitnessDirectory C:\DAG1")
        homes = servers[:half]
    else:
        lines = [
            "Set-SimOrganization -Domain contoso.com",
            "New-SimSite -Name Datacenter -Subnets 192.168.2.0/24,10.0.2.0/24",
            "New-SimServer -Name FS1 -Site Datacenter -IPAddress 192.168.2.200 -Role FileServer",
            'Add-SimLocalAdministrator -Server FS1 -Member "Exchange Trusted Subsystem"',
        ]
        for i, name in enumerate(servers, 1):
            lines.append(f"New-SimServer -Name {name} -Site Datacenter -IPAddress 192.168.2.{i},10.0.2.{i} "
                         "-Role Mailbox,ClientAccess,HubTransport -NoDefaultDatabase")
        lines.append(r"New-DatabaseAvailabilityGroup -Name DAG1 -WitnessServer FS1 -WitnessDirectory C:\DAG1 "
                     "-DatabaseAvailabilityGroupIpAddresses 192.168.2.50 | Out-Null")
        homes = servers
    lines += [f"Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer {s}" for s in servers]
    if two_sites:
        lines.append("Set-DatabaseAvailabilityGroup -Identity DAG1 -DatacenterActivationMode DagOnly")
    for d in range(1, databases + 1):
        db = f"DB{d:03d}"
        home = homes[(d - 1) % len(homes)]
        lines.append(f"New-MailboxDatabase -Name {db} -Server {home} | Out-Null")
        lines.append(f"Mount-Database {db}")
        for s in servers:
            if s != home:
                lines.append(f"Add-MailboxDatabaseCopy -Identity {db} -MailboxServer {s}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import resource
    import time

    from ems import Shell

    shell = Shell(scenario="empty")
    t0 = time.perf_counter()
    r = shell.run(build_large_org_script())
    t1 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # process peak RSS (Linux: KiB)
    assert not r.errors, r.error_text[:2000]
    copies = sum(len(db.copies) for db in shell.org.databases.values())
    t2 = time.perf_counter()
    out = shell.run("Get-MailboxDatabaseCopyStatus *")
    t3 = time.perf_counter()
    print(f"build: {t1 - t0:.2f} s, peak RSS {peak / 2**20:.0f} MB, {copies} copies; "
          f"Get-MailboxDatabaseCopyStatus *: {t3 - t2:.2f} s, {len(out.text.splitlines())} lines")
