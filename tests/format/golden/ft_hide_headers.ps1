[pscustomobject]@{a=1;b='x'},[pscustomobject]@{a=2;b='y'} | Format-Table -HideTableHeaders
