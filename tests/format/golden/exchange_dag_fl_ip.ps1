# scenario: two-datacenter
# The ems-output.md transcript: fl name,*ip*.
Get-DatabaseAvailabilityGroup | fl name,*ip*
