# two-datacenter: a DAC-mode DAG stretched over two datacenters (Portland, Redmond) with a
# third site (Olympia) that holds only a file server.
Set-SimOrganization -Domain contoso.com
New-SimSite -Name Portland -Subnets 192.168.1.0/24,10.0.1.0/24
New-SimSite -Name Redmond -Subnets 192.168.2.0/24,10.0.2.0/24
New-SimSite -Name Olympia -Subnets 192.168.3.0/24
New-SimSiteLink -Site Portland,Redmond
New-SimSiteLink -Site Portland,Olympia
New-SimSiteLink -Site Redmond,Olympia

New-SimServer -Name DC1 -Site Portland -IPAddress 192.168.1.10 -Role DomainController
New-SimServer -Name EX1 -Site Portland -IPAddress 192.168.1.11,10.0.1.11 -Role Mailbox,ClientAccess,HubTransport -NoDefaultDatabase
New-SimServer -Name EX2 -Site Portland -IPAddress 192.168.1.12,10.0.1.12 -Role Mailbox,ClientAccess,HubTransport -NoDefaultDatabase
New-SimServer -Name FS1 -Site Portland -IPAddress 192.168.1.20 -Role FileServer
New-SimServer -Name DC2 -Site Redmond -IPAddress 192.168.2.10 -Role DomainController
New-SimServer -Name EX3 -Site Redmond -IPAddress 192.168.2.13,10.0.2.13 -Role Mailbox,ClientAccess,HubTransport -NoDefaultDatabase
New-SimServer -Name EX4 -Site Redmond -IPAddress 192.168.2.14,10.0.2.14 -Role Mailbox,ClientAccess,HubTransport -NoDefaultDatabase
New-SimServer -Name FS2 -Site Redmond -IPAddress 192.168.2.20 -Role FileServer
New-SimServer -Name FS3 -Site Olympia -IPAddress 192.168.3.20 -Role FileServer
Add-SimLocalAdministrator -Server FS1 -Member "Exchange Trusted Subsystem"
Add-SimLocalAdministrator -Server FS2 -Member "Exchange Trusted Subsystem"
Add-SimLocalAdministrator -Server FS3 -Member "Exchange Trusted Subsystem"

New-DatabaseAvailabilityGroup -Name DAG1 -WitnessServer FS1 -WitnessDirectory C:\DAG1 -DatabaseAvailabilityGroupIpAddresses 192.168.1.50,192.168.2.50 | Out-Null
Set-DatabaseAvailabilityGroup -Identity DAG1 -AlternateWitnessServer FS2 -AlternateWitnessDirectory C:\DAG1
Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer EX1
Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer EX2
Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer EX3
Add-DatabaseAvailabilityGroupServer -Identity DAG1 -MailboxServer EX4
Set-DatabaseAvailabilityGroup -Identity DAG1 -DatacenterActivationMode DagOnly

# DB1 and DB3 active on EX1 (EX1 1, EX2 2, EX3 3, EX4 4); DB2 and DB4 on EX2 (EX2 1, EX1 2, EX4 3, EX3 4)
foreach ($db in "DB1", "DB3") {
    New-MailboxDatabase -Name $db -Server EX1 | Out-Null
    Mount-Database $db
    Add-MailboxDatabaseCopy -Identity $db -MailboxServer EX2 -ActivationPreference 2
    Add-MailboxDatabaseCopy -Identity $db -MailboxServer EX3 -ActivationPreference 3
    Add-MailboxDatabaseCopy -Identity $db -MailboxServer EX4 -ActivationPreference 4
}
foreach ($db in "DB2", "DB4") {
    New-MailboxDatabase -Name $db -Server EX2 | Out-Null
    Mount-Database $db
    Add-MailboxDatabaseCopy -Identity $db -MailboxServer EX1 -ActivationPreference 2
    Add-MailboxDatabaseCopy -Identity $db -MailboxServer EX4 -ActivationPreference 3
    Add-MailboxDatabaseCopy -Identity $db -MailboxServer EX3 -ActivationPreference 4
}
$n = 0
foreach ($db in "DB1", "DB2", "DB3", "DB4") {
    foreach ($i in 1, 2) {
        $n++
        New-SimMailbox -Name "user$n" -Database $db -ItemCount (10 * $n)
    }
}
