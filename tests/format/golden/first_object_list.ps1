# The first object fixes the shape: a list; later objects are lists of their own properties.
[pscustomobject]@{A=1;B=2;C=3;D=4;E=5}
[pscustomobject]@{LongerName='x';Y=$null}
