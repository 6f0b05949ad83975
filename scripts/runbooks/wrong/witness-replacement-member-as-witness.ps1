<#
    WRONG on purpose: witness-replacement.ps1 with a DAG member as the new witness.

    "EX3 is in Redmond and always up, let's use it": a member can't be the witness of its own
    DAG - the witness is the tie-breaker between members. Set-DatabaseAvailabilityGroup refuses,
    and the check after it stops the runbook.
#>

$DAG           = "DAG1"
$NewWitness    = "EX3"
$WitnessFolder = "C:\DAG1"

Set-DatabaseAvailabilityGroup -Identity $DAG -WitnessServer $NewWitness -WitnessDirectory $WitnessFolder

Set-DatabaseAvailabilityGroup -Identity $DAG

$status = Get-DatabaseAvailabilityGroup -Identity $DAG -Status
if ($status.WitnessServer -notlike "$NewWitness.*") { throw "The witness is still $($status.WitnessServer)." }
