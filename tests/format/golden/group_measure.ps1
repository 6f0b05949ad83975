# GroupInfo view: Count (5, right), Name (25), Group (rest). Measure-Object: a list.
'a','b','a' | Group-Object
1,2,3 | Measure-Object -Sum
