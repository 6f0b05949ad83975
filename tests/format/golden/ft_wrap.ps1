# width: 50
# -Wrap: cells wrap inside their column; the row is as tall as its tallest cell.
[pscustomobject]@{Id=1;Text='alpha beta gamma delta epsilon zeta eta theta iota kappa lambda'} | Format-Table @{e='Id';w=4},@{e='Text';w=20} -Wrap
[pscustomobject]@{Id=2;Text="line one`nline two"} | Format-Table -Wrap
[pscustomobject]@{Id=3;Text="line one`nline two"} | Format-Table
