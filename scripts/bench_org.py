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


def build_large_org_script(members: int = MEMBERS, databases: int = DATABASES) -> str:
    servers = [f"MBX{i:02d}" for i in range(1, members + 1)]
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
    lines += [f"Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer {s}" for s in servers]
    for d in range(1, databases + 1):
        db = f"DB{d:03d}"
        home = servers[(d - 1) % members]
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
