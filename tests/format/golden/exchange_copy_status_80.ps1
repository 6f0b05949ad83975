# scenario: two-datacenter
# width: 80
# On an 80-column console the columns that do not fit are dropped, the last one shrinks.
Get-MailboxDatabaseCopyStatus DB1
