# empty: domain contoso.com, one AD site, one domain controller, no Exchange servers yet.
Set-SimOrganization -Domain contoso.com
New-SimSite -Name Default-First-Site-Name -Subnets 192.168.1.0/24
New-SimServer -Name DC1 -Site Default-First-Site-Name -IPAddress 192.168.1.10 -Role DomainController
