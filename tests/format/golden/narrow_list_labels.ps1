# width: 16
# Labels are capped at width - 4 cells; values wrap into what is left.
[pscustomobject]@{AVeryLongPropertyName='value one';B='v'} | Format-List
