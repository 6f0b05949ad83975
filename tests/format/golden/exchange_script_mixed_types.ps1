# scenario: two-datacenter
# In a script the first object fixes the view: the databases that follow the mailboxes are
# printed out of band, each as a list of all its properties (real 5.1 behaviour).
Get-Mailbox user1
Get-MailboxDatabase DB1 | Select-Object Name,Server,Recovery,ReplicationType,Mounted
