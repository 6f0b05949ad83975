# Header labels longer than a declared width wrap onto more lines; dashes are min(width, label).
[pscustomobject]@{q=0;r=12} | Format-Table @{l='CopyQueueLength';e='q';w=9},@{l='ReplayQueueLength';e='r';w=11},@{l='Server';e={'EX1'}}
