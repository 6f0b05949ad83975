# scenario: two-datacenter
Get-Mailbox
