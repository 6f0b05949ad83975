# width: 60
# A declared first-column width turns auto-sizing off: declared widths are kept, columns
# without a width share the rest of the line. Alignment keys: right, center.
$o = [pscustomobject]@{Name='DB1';Size=1536.5;Count=7}
$o | Format-Table @{e='Name';w=10;a='right'}, @{expression='Count';width=8;alignment='center'}, Size, @{e='Name';l='Again'}
