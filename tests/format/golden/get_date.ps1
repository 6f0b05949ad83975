# DateTime has a custom view: its long date and time between the blank lines of a document.
Get-Date
