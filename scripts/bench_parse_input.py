"""A realistic runbook-style PowerShell script of a given length, for the parser benchmark.

``runbook_text(lines)`` repeats a ~60-line block that looks like a datacenter-switchover
runbook: comments, functions with param blocks, hashtables and splatting, if/foreach/try,
Exchange cmdlets with parameters, pipelines with script blocks and expandable strings.
``scripts/bench.py`` imports it; run this file directly to measure parse speed alone.
"""
from __future__ import annotations

_BLOCK = r'''
# --- Step {i}: verify database copies before switchover ------------------------------
function Test-CopyHealth{i} {{
    [CmdletBinding()]
    param(
        [Parameter(Mandatory=$true, Position=0)]
        [string]$Server,
        [int]$MaxQueue = 10,
        [switch]$Force
    )
    $copies = Get-MailboxDatabaseCopyStatus -Server $Server -ErrorAction SilentlyContinue
    foreach ($copy in $copies) {{
        if ($copy.CopyQueueLength -gt $MaxQueue -or $copy.ReplayQueueLength -gt 100) {{
            Write-Warning "Copy $($copy.Name) on $Server is behind: $($copy.CopyQueueLength) logs"
            $script:problems += 1
        }} elseif ($copy.Status -ne 'Healthy' -and $copy.Status -ne 'Mounted') {{
            Write-Host "  $($copy.Name): $($copy.Status)" -ForegroundColor Yellow
        }}
    }}
    return ($copies | Where-Object {{ $_.Status -eq "Healthy" }}).Count
}}

$dag = Get-DatabaseAvailabilityGroup -Identity DAG1 -Status
$servers = @($dag.Servers | Sort-Object Name)
Write-Host ("DAG {{0}} has {{1}} members" -f $dag.Name, $servers.Count)
$params = @{{
    Identity = "DB{i}"
    ActivateOnServer = 'EX3'
    MountDialOverride = 'None'
    Confirm = $false
}}
try {{
    Move-ActiveMailboxDatabase @params -SkipClientExperienceChecks -ErrorAction Stop
    Set-MailboxDatabaseCopy -Identity "DB{i}\EX3" -ActivationPreference 1
}} catch [System.Exception] {{
    Write-Error "Move of DB{i} failed: $_"
}} finally {{
    $elapsed = (Get-Date) - $start
}}
Get-MailboxDatabase -Status | Where-Object {{ $_.Mounted -eq $true }} | Select-Object Name, Server, @{{n='Size';e={{$_.DatabaseSize.ToGB()}}}} | Format-Table -AutoSize
Stop-DatabaseAvailabilityGroup -Identity DAG1 -MailboxServer EX1 -ConfigurationOnly:$true
Restore-DatabaseAvailabilityGroup -Identity DAG1 -ActiveDirectorySite Redmond -AlternateWitnessServer FS2 -AlternateWitnessDirectory C:\DAG1
for ($n = 0; $n -lt $servers.Count; $n++) {{
    $s = $servers[$n]
    Test-ReplicationHealth -Identity $s | Where-Object {{ $_.Result -ne 'Passed' }} | ForEach-Object {{ Write-Host "$s $($_.Check) $($_.Error)" }}
}}
$summary = [pscustomobject]@{{ Step = {i}; Problems = $script:problems; Servers = $servers -join ', ' }}
Set-DatabaseAvailabilityGroup DAG1 -DatacenterActivationMode DagOnly -WitnessServer FS1 -WitnessDirectory 'C:\DAG1'
Get-MailboxServer | Set-MailboxServer -DatabaseCopyAutoActivationPolicy Unrestricted -WhatIf
if (-not (Test-CopyHealth{i} -Server EX3 -MaxQueue 5)) {{ throw "Step {i} failed" }}
switch -Wildcard ($dag.Name) {{
    'DAG*' {{ $kind = 'dag' }}
    default {{ $kind = 'other' }}
}}
'''


def runbook_text(lines: int = 5000) -> str:
    """A runbook of about ``lines`` lines (never fewer)."""
    chunks = []
    total = 0
    i = 0
    while total < lines:
        i += 1
        chunk = _BLOCK.format(i=i)
        chunks.append(chunk)
        total += chunk.count("\n")
    return "".join(chunks)


def _best_time(text: str, repeat: int = 5) -> float:
    import time

    from ems.lang.parser import parse
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        parse(text)
        best = min(best, time.perf_counter() - t0)
    return best


if __name__ == "__main__":
    text = runbook_text(5000)
    count = text.count("\n")
    seconds = _best_time(text)
    print(f"{count} lines in {seconds * 1000:.0f} ms: {count / seconds:,.0f} lines/s")
