# scenario: two-datacenter
Get-MailboxServer
