# width: 80
# PSSnapInInfo view (5.1 PowerShellCore.format.ps1xml): a list of Name, PSVersion, Description;
# at 80 columns the core snap-in's description wraps under the value column.
Add-PSSnapin Microsoft.Exchange.Management.PowerShell.E2010
Get-PSSnapin
