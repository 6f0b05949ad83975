# DateTime cells use the en-US ToString(); TimeSpans the "c" format.
[pscustomobject]@{When=[datetime]'2026-11-21 09:14:02';Lag=[timespan]'7.00:00:00';Short=[timespan]'00:00:00.5';Zero=[timespan]::Zero}
