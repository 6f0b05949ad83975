# width: 60
# List values wrap at word boundaries (the space stays on the first line), continuation
# lines are indented under the value; embedded newlines start new lines; empty values
# keep "Label : ".
[pscustomobject]@{Comment='The quick brown fox jumps over the lazy dog and keeps running far away';Empty='';Lines="one`ntwo";Word='x' * 70} | Format-List
