# scenario: two-datacenter
Test-ReplicationHealth EX1
