# scenario: two-datacenter
# Exchange properties read "<.NET type> Name {get;set;}"; -Name filters with wildcards.
Get-MailboxServer EX1 | Get-Member -Name Name,*Dial*,Identity,To*
