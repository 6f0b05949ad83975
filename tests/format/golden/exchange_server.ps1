# scenario: two-datacenter
# Get-ExchangeServer: Name, Site, ServerRole, Edition, AdminDisplayVersion (all widths declared).
Get-ExchangeServer
