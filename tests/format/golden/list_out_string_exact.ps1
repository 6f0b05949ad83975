# 5.1's test expectation: x | Format-List | Out-String is "\n\ntestName : testValue\n\n\n\n".
$s = [pscustomobject]@{testName='testValue'} | Format-List | Out-String
$s.Length
$s -eq "`n`ntestName : testValue`n`n`n`n"
