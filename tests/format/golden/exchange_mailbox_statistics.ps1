# scenario: two-datacenter
Get-MailboxStatistics user1
