# benet-lab: the classic two-node DAG lab, before the DAG exists.
# Domain benet.com, one AD site. DC is the domain controller (and the future witness); the
# Exchange Trusted Subsystem is not yet in its local Administrators group.
Set-SimOrganization -Domain benet.com
New-SimSite -Name Default-First-Site-Name -Subnets 192.168.10.0/24,10.0.0.0/24
New-SimServer -Name DC -Site Default-First-Site-Name -IPAddress 192.168.10.10 -Role DomainController
New-SimServer -Name MAILSERVER01 -Site Default-First-Site-Name -IPAddress 192.168.10.20,10.0.0.20 -Role Mailbox,ClientAccess,HubTransport -Version 14.3 -Edition Enterprise -PublicFolderDatabase
New-SimServer -Name MAILSERVER02 -Site Default-First-Site-Name -IPAddress 192.168.10.30,10.0.0.30 -Role Mailbox,ClientAccess,HubTransport -Version 14.3 -Edition Enterprise
New-SimMailbox -Name Administrator -Server MAILSERVER01
