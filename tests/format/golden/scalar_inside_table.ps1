# A scalar in the middle of a table prints on its own line, in order.
[pscustomobject]@{a=1;b='one'}
'between'
[pscustomobject]@{a=22;b='two'}
