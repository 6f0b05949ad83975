# scenario: two-datacenter
# -AutoSize sizes the view columns to their content; the headers no longer wrap.
Get-MailboxDatabaseCopyStatus DB1 | Format-Table -AutoSize
