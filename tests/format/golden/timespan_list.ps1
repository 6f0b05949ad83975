# TimeSpan has a list view (Days ... TotalMilliseconds).
[timespan]'1.02:00:00'
