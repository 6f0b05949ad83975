# Get-Member: "   TypeName: X" group header, auto-sized Name/MemberType/Definition table,
# sorted by member type then name.
[pscustomobject]@{Name='DB1';Count=3;Missing=$null} | Get-Member
'abc' | gm -MemberType Property
