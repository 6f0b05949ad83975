# Format-List enumerates a hashtable: each entry shows Name, Key and Value.
@{Server='EX1'} | Format-List
