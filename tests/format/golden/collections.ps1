# Collections in cells: {a, b}; $FormatEnumerationLimit items then "..."; empty {};
# nested arrays as System.Object[]; $null items as $null; hashtables show their keys.
[pscustomobject]@{Two=@('a','b');Many=1..6;Empty=@();Nested=(1,(2,3));Nulls=@($null,'x');Hash=@{k=1}} | Format-List
$FormatEnumerationLimit = 2
[pscustomobject]@{Many=1..6} | Format-List
