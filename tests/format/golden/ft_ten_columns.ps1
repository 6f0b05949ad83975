# A table of all properties shows the first 10 columns only (Format-Table without -Property);
# the same object alone has 5+ properties and prints as a list of all of them.
$o = [pscustomobject][ordered]@{A=1;B=2;C=3;D=4;E=5;F=6;G=7;H=8;I=9;J=10;K=11;L=12}
$o | Format-Table
