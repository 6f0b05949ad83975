# scenario: two-datacenter
# width: 200
# A wide console: declared view widths stay, the open last column takes the rest of the line.
Get-MailboxDatabaseCopyStatus DB1
