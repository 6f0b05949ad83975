# scenario: two-datacenter
Get-DatabaseAvailabilityGroupNetwork
