# Five properties or more: a list; labels padded to the longest label of the object.
[pscustomobject]@{Name='DB1';Server='EX1';Recovery=$false;ReplicationType='Remote';CircularLoggingEnabled=$true}
