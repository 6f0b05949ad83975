# A.13 worked example: two objects with <= 4 properties print as an auto-sized table.
[pscustomobject]@{Name='DB1';Status='Mounted'},[pscustomobject]@{Name='DB2';Status='Healthy'}
