# Guid has one property (a table). IPAddress has nine (a list); in a cell it is its text.
[guid]'0f8fad5b-d9cb-469f-a165-70867728950e'
[ipaddress]'192.168.10.20' | Format-List
[pscustomobject]@{Server='EX1';Address=[ipaddress]'10.0.0.20'} | Format-Table
