# width: 40
# Declared widths: a right-aligned cell that is too long keeps its tail ("...123").
[pscustomobject]@{Num=1234567890123;Name='short'} | Format-Table @{e='Num';w=6},Name
