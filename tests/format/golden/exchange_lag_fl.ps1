# scenario: two-datacenter
Get-MailboxDatabase DB1 | Format-List *lag*,ActivationPreference
