# scenario: two-datacenter
# Labels "Member Servers" (Servers) and "Operational Servers" (blank without -Status).
Get-DatabaseAvailabilityGroup
Get-DatabaseAvailabilityGroup -Status | Out-Default
