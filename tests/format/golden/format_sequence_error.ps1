# Format data is for output commands only: sorted (or cut with select -Last) it reaches
# Out-Default out of sequence. 5.1's out-lineoutput stops the whole pipeline with
# ConsoleLineOutputOutOfSequencePacket (text in ErrorDetails, so no blank line after it);
# nothing of the script runs after it. Out-of-band entries (Format-Wide of numbers) are
# accepted in any order: sorted by ToString they keep their order.
'before'
1..3 | Format-Wide | Sort-Object -Descending
[pscustomobject]@{Name='DB1';Status='Mounted'} | Format-Table | Sort-Object
'never printed'
