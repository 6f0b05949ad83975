# scenario: two-datacenter
# Move-ActiveMailboxDatabase result: narrow columns wrap ActiveServerAtS/tart, RecoveryPoint/Objective.
Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX2 -Confirm:$false
