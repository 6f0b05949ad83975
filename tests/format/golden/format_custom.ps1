[pscustomobject]@{a=1;b='x'} | Format-Custom
