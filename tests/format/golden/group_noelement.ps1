# GroupInfoNoElement view: Count (5, right), Name (25) and no Group column; a name longer than
# 25 cells is cut to 22 + "...". GroupInfo (with elements) keeps its three columns.
'Mounted','Healthy','Mounted','ServiceDown - a status name that is too long' | Group-Object -NoElement
