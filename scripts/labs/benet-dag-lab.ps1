# The classic two-node DAG lab (benet.com), end to end, as on real Exchange 2010 SP3 servers.
# Run it against the benet-lab scenario:  ems --scenario benet-lab scripts/labs/benet-dag-lab.ps1

# 1. Prepare the witness: DC isn't an Exchange server, so the Exchange Trusted Subsystem must be
#    in its local Administrators group (on a DC: the domain's Builtin\Administrators).
#    (In real EMS run "Import-Module ActiveDirectory" first; ems always has the AD cmdlets.)
Add-ADGroupMember -Identity Administrators -Members "Exchange Trusted Subsystem"
Get-ADGroupMember -Identity Administrators | Format-Table name, objectClass -AutoSize

# 2. Two mailbox databases on MAILSERVER01
New-MailboxDatabase -Name mailbox01 -Server MAILSERVER01 | Format-Table
New-MailboxDatabase -Name mailbox02 -Server MAILSERVER01 | Format-Table
Mount-Database mailbox01
Mount-Database mailbox02
Get-MailboxDatabase -Server MAILSERVER01 | Format-Table

# 3. The DAG: witness DC, witness directory C:\DAG, IP address 192.168.10.100
New-DatabaseAvailabilityGroup -Name DAG -WitnessServer DC -WitnessDirectory C:\DAG | Format-Table
Set-DatabaseAvailabilityGroup -Identity DAG -DatabaseAvailabilityGroupIpAddresses 192.168.10.100
Add-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER01
Add-DatabaseAvailabilityGroupServer -Identity DAG -MailboxServer MAILSERVER02
Get-DatabaseAvailabilityGroup | Format-Table
Get-DatabaseAvailabilityGroup | Format-List Name, *IP*

# 4. Keep replication off the MAPI (client) network
Get-DatabaseAvailabilityGroupNetwork | Format-Table
Set-DatabaseAvailabilityGroupNetwork -Identity DAG\DAGNetwork01 -ReplicationEnabled:$false
Get-DatabaseAvailabilityGroupNetwork | Format-Table

# 5. A mailbox for user1 in mailbox01
$password = ConvertTo-SecureString "Pa55w.rd" -AsPlainText -Force
New-Mailbox -Name user1 -UserPrincipalName user1@benet.com -Database mailbox01 -Password $password | Format-Table

# 6. Copies of both databases on MAILSERVER02, then check them
Add-MailboxDatabaseCopy -Identity mailbox01 -MailboxServer MAILSERVER02
Add-MailboxDatabaseCopy -Identity mailbox02 -MailboxServer MAILSERVER02
Get-MailboxDatabaseCopyStatus -Identity mailbox01 | Format-Table
Get-MailboxDatabaseCopyStatus -Server MAILSERVER02 | Format-Table

# 7. Disaster: dismount mailbox01 and lose its files on MAILSERVER01; mounting fails
Dismount-Database mailbox01 -Confirm:$false
Remove-SimDatabaseFiles -Identity mailbox01 -Server MAILSERVER01
Mount-Database mailbox01

# 8. Activate the copy on MAILSERVER02 and mount it there
Move-ActiveMailboxDatabase mailbox01 -ActivateOnServer MAILSERVER02 -Confirm:$false | Format-Table
Mount-Database mailbox01
Get-MailboxDatabaseCopyStatus -Identity mailbox01 | Format-Table

# 9. user1's database is mounted on MAILSERVER02
Get-Mailbox user1 | Format-List Name, Database, ServerName
Get-MailboxDatabase mailbox01 -Status | Format-List Name, Server, Mounted
