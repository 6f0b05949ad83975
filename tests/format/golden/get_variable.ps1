# PSVariable view (PowerShellCore.format.ps1xml "Variable"): table Name (width 30), Value (rest,
# left-aligned even for numbers: a view column without an alignment is not auto-aligned).
$servers = 'EX1','EX2','EX3','EX4','EX5'
$threshold = 10
$aVariableNameLongerThanThirtyCharacters = 'cut'
Get-Variable servers, threshold, aVariableName*
