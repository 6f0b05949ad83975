# Alignment comes from the first object: numbers and booleans right, strings and $null left.
[pscustomobject]@{Text='abc';Int=5;Dbl=2.25;Bool=$true},[pscustomobject]@{Text='defghij';Int=12345;Dbl=10.5;Bool=$false} | Format-Table
[pscustomobject]@{Null=$null;Num=1},[pscustomobject]@{Null=100;Num=22} | Format-Table
