# Hashtables print as the DictionaryEntry view: Name (width 30) / Value (rest of the line).
@{Server='EX1'}
$h = [ordered]@{First=1; ThisKeyIsLongerThanThirtyCharacters='long'; List=1,2,3,4,5}
$h
