# A property table accepts later objects of any shape under the first object's columns.
[pscustomobject]@{Name='first';Size=1}
[pscustomobject]@{Size=2;Other='x'}
[pscustomobject]@{Name='third'}
