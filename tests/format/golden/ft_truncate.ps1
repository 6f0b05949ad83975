# width: 40
# Too wide: the last column shrinks (its header wraps) and long cells end in "..."; a column
# that would go below one cell is dropped.
[pscustomobject]@{Name='a-very-long-database-name-indeed';Description='this description is far too long for the screen'}
[pscustomobject]@{A='x'*30;B='y'*30;C='z'} | Format-Table
