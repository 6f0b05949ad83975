# scenario: two-datacenter
Get-ClientAccessServer
