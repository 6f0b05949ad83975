# Cell text (SmartToString): $null empty, enums by name, booleans True/False, decimals in
# invariant form, IP addresses as text; numbers, booleans and enums right-aligned, $null and
# other objects left (alignment from the first object's values).
[pscustomobject]@{Null=$null;Day=([datetime]'2026-11-21').DayOfWeek;Ok=$true;Dec=[decimal]'1.50';Ip=[ipaddress]'10.0.0.1'} | Format-Table
