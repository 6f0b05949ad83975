# scenario: two-datacenter
# Narrow declared columns make CopyQueueLength, ReplayQueueLength and ContentIndexState wrap.
Get-MailboxDatabaseCopyStatus DB1
