# width: 60
# Too-long cells: left and center alignment keep the head ("a..."), right keeps the tail
# ("...ef"); a column of 3 cells or fewer has no room for "...", the text is just cut (head, or
# tail when right-aligned). A centered header is padded on both sides.
[pscustomobject]@{Abc='abcdef'} | Format-Table @{e='Abc';w=3}, @{e='Abc';w=2;a='right'}, @{e='Abc';w=5;a='center'}, @{e='Abc';w=5;a='right'}, @{e='Abc';w=4;a='left'}
