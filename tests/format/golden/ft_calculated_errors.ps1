# Invalid hashtable keys are terminating errors of Format-Table.
[pscustomobject]@{a=1} | Format-Table @{e='a';bogus=1}
