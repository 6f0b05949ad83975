# scenario: two-datacenter
Get-MailboxDatabase
