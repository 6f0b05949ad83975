# -Property names resolve one by one, in the given order; wildcards in member order;
# duplicates removed only within one name's expansion; unknown plain names are dropped.
$o = [pscustomobject]@{Name='DAG1';WitnessServer='FS1';DatabaseAvailabilityGroupIpAddresses=@('192.168.1.50','192.168.2.50');ReplicationPort=64327}
$o | fl name,*ip*
$o | Format-List *
$o | Format-List Name,*
$o | Format-List NoSuchProperty,*port
