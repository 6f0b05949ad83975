# Scalars print out of band with ToString(): doubles as .NET Framework G15.
'text'
42
2.5
0.1 + 0.2
1e15
1/3
$true
[decimal]1.50
$null
-7
