"""Write-Progress, New-TimeSpan, Measure-Command, Tee-Object, Get-Unique."""
import datetime as dt


def test_write_progress_is_silent(run):
    r = run("Write-Progress -Activity 'Seeding DB1' -Status 'Copying' -PercentComplete 40; 'done'")
    assert r.output == ["done"] and r.text == "done\n"


def test_new_timespan(ps):
    assert ps("New-TimeSpan -Days 1 -Hours 2") == [dt.timedelta(days=1, hours=2)]
    assert ps("$a = Get-Date; Start-Sleep 90; New-TimeSpan -Start $a") == [dt.timedelta(seconds=90)]
    assert ps("New-TimeSpan -Start '1/1/2026' -End '1/3/2026' | % Days") == [2]


def test_measure_command_measures_simulated_time(ps):
    assert ps("Measure-Command { Start-Sleep 5; 'discarded' } | % TotalSeconds") == [5.0]
    assert ps("$x = 0; Measure-Command { $x = 7 } | Out-Null; $x") == [7]


def test_tee_object(ps, tmp_path):
    assert ps("1,2 | Tee-Object -Variable kept | % { $_ * 10 }; $kept.Count") == [10, 20, 2]
    path = tmp_path / "tee.txt"
    assert ps(f"'a','b' | Tee-Object -FilePath '{path}'") == ["a", "b"]
    assert path.read_text(encoding="utf-8").splitlines() == ["a", "b"]


def test_get_unique(ps):
    assert ps("'a','a','B','b','b' | Get-Unique") == ["a", "B", "b"]
    assert ps("1,1,2,1 | Get-Unique") == [1, 2, 1]


def test_transcript_records_what_the_console_shows(tmp_path):
    from ems import Shell
    path = tmp_path / "switchover.txt"
    shell = Shell(scenario="empty")
    r = shell.run(f"Start-Transcript -Path '{path}'; Write-Host 'step 1'; 'out'; Write-Warning 'careful'; "
                  "Write-Error 'failed'; Stop-Transcript")
    assert r.output[0] == f"Transcript started, output file is {path}"
    assert r.output[-1] == f"Transcript stopped, output file is {path}"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("**********************\nWindows PowerShell transcript start\nStart time: 20261121090000\n")
    body = text.split("Transcript started, output file is", 1)[1]
    assert "step 1\nout\nWARNING: careful\nWrite-Error 'failed' : failed\n" in body
    assert text.endswith("**********************\nWindows PowerShell transcript end\nEnd time: 20261121090000\n"
                         "**********************\n")
    assert "transcript" not in shell.run("'after'").text
    r = shell.run("Stop-Transcript")
    assert r.errors[0].message == "An error occurred stopping transcription: The host is not currently transcribing."
