"""The interactive shell driven by keystrokes through prompt_toolkit's pipe input."""
import io
import threading
import time

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

import ems.repl
from ems import Shell
from ems.repl import PROMPT, Repl, history_path

ENTER, TAB, SHIFT_TAB, CTRL_C, CTRL_D, CTRL_SPACE, UP, CTRL_R = (
    "\r", "\t", "\x1b[Z", "\x03", "\x04", "\x00", "\x1b[A", "\x12")


class RecordingShell(Shell):
    """A real shell that also records each input the REPL hands it."""

    def __init__(self, scenario="empty"):
        super().__init__(scenario=scenario)
        self.ran = []

    def run(self, text, *args, **kwargs):
        self.ran.append(text)
        return super().run(text, *args, **kwargs)


def _prompt_waiting(repl):
    """The run of the prompt now waiting for keys, as a person would see it (None while a
    command runs): a question the running command asks (Read-Host, confirmation, mandatory
    parameter), or the main prompt once its history is loaded (prompt_toolkit loads it in
    the background; the only private attribute these tests read)."""
    reader = repl.host.reader
    if reader is not None and reader.app.is_running:
        return reader.app.future
    app, buffer = repl.session.app, repl.session.default_buffer
    task = buffer._load_history_task
    if app.is_running and not buffer.text and task is not None and task.done():
        return app.future
    return None


def _type(pipe, chunks, repl, finished):
    """Type each chunk at the next prompt (a new one after every chunk), then end the input."""
    previous = None
    for chunk in chunks:
        deadline = time.monotonic() + 10
        while not finished.is_set() and time.monotonic() < deadline:
            current = _prompt_waiting(repl)
            if current is not None and current is not previous:
                previous = current
                break
            time.sleep(0.01)
        pipe.send_text(chunk)
    pipe.close()                            # end of input: the REPL sees Ctrl+D and leaves


def drive(keys, shell=None, history=None, options=None, complete=None, monkeypatch=None,
          file_history=False):
    """Type ``keys`` (a string, or a list of chunks each typed at the next prompt) into a
    fresh REPL; return (exit status, repl, shell)."""
    shell = shell or RecordingShell()
    if complete is not None:
        monkeypatch.setattr(ems.repl, "is_complete", complete)
    chunks = [keys] if isinstance(keys, str) else keys
    with create_pipe_input() as pipe:
        output = DummyOutput()
        with create_app_session(input=pipe, output=output):
            repl = Repl(shell, options or {}, input=pipe, output=output, stream=io.StringIO(),
                        history=None if file_history else history or InMemoryHistory())
            finished = threading.Event()
            feeder = threading.Thread(target=_type, args=(pipe, chunks, repl, finished), daemon=True)
            feeder.start()
            try:
                status = repl.run()
            finally:
                finished.set()
                feeder.join(10)             # never leave a typist writing to a closed pipe
    return status, repl, shell


def test_banner_names_the_lab_and_the_hints():
    _, repl, _ = drive("", options={"scenario": "two-datacenter"})
    banner = repl.host.stream.getvalue()
    assert "Welcome to the Exchange Management Shell!" in banner
    assert "two-datacenter" in banner
    for hint in ("Get-Help", "Get-ExCommand", "--list-scenarios", "Get-Command *-Sim*"):
        assert hint.lower() in banner.lower()


def test_prompt_is_the_ems_prompt_until_set_location(tmp_path):
    assert PROMPT == "[PS] C:\\Windows\\system32>"
    _, repl, _ = drive("")
    assert repl.prompt() == PROMPT
    _, repl, _ = drive(f"Set-Location '{tmp_path}'" + ENTER)
    assert repl.prompt() == f"[PS] {tmp_path}>"


def test_a_typed_line_runs_on_enter_and_prints_its_output():
    status, repl, shell = drive("Get-MailboxDatabase" + ENTER, shell=RecordingShell("two-datacenter"))
    assert shell.ran == ["Get-MailboxDatabase"]
    assert status == 0                      # end of input = Ctrl+D
    screen = repl.host.stream.getvalue()
    assert "ReplicationType" in screen and "DB1" in screen


def test_errors_are_shown_and_the_shell_goes_on():
    _, repl, shell = drive("Get-Nothing" + ENTER + "Get-Date" + ENTER)
    assert shell.ran == ["Get-Nothing", "Get-Date"]
    assert "is not recognized as the name of a cmdlet" in repl.host.stream.getvalue()


def test_blank_lines_are_not_run():
    _, _, shell = drive(ENTER + "   " + ENTER + "Get-Date" + ENTER)
    assert shell.ran == ["Get-Date"]


def test_exit_ends_the_session_with_its_status():
    status, _, shell = drive("exit 3" + ENTER + "Get-Date" + ENTER)
    assert status == 3
    assert shell.ran == ["exit 3"]


def test_ctrl_d_leaves():
    status, _, shell = drive(CTRL_D + "Get-Date" + ENTER)
    assert status == 0 and shell.ran == []


def test_ctrl_c_cancels_the_line_and_keeps_the_shell():
    _, _, shell = drive("Remove-Everything" + CTRL_C + "Get-Date" + ENTER)
    assert shell.ran == ["Get-Date"]


def test_ctrl_c_during_a_command_keeps_the_shell():
    class Interrupted(RecordingShell):
        def run(self, text):
            if text == "Start-Sleep 100":
                self.ran.append(text)
                raise KeyboardInterrupt
            return super().run(text)
    _, _, shell = drive("Start-Sleep 100" + ENTER + "Get-Date" + ENTER, shell=Interrupted())
    assert shell.ran == ["Start-Sleep 100", "Get-Date"]


def test_incomplete_input_continues_on_the_next_line(monkeypatch):
    def complete(text):
        return text.count("{") == text.count("}")
    _, repl, shell = drive("foreach ($d in 1,2) {" + ENTER + "  $d" + ENTER + "}" + ENTER,
                           complete=complete, monkeypatch=monkeypatch)
    assert shell.ran == ["foreach ($d in 1,2) {\n  $d\n}"]
    assert repl.host.stream.getvalue().endswith("1\n2\n")


def test_a_blank_continuation_line_runs_what_was_typed(monkeypatch):
    _, _, shell = drive("Get-Date |" + ENTER + ENTER, complete=lambda text: False,
                        monkeypatch=monkeypatch)
    assert shell.ran == ["Get-Date |\n"]


def test_continuation_prompt_is_double_angle():
    assert ems.repl.CONTINUATION == ">> "


def test_history_recalls_previous_lines():
    history = InMemoryHistory()
    _, _, shell = drive(["Get-Date" + ENTER, "Get-Mailbox" + ENTER, UP + UP + ENTER], history=history)
    assert shell.ran == ["Get-Date", "Get-Mailbox", "Get-Date"]


def test_ctrl_r_searches_history():
    history = InMemoryHistory()
    keys = ["Get-MailboxDatabase" + ENTER, "Get-Date" + ENTER, CTRL_R + "Mailbox" + ENTER + ENTER]
    _, _, shell = drive(keys, history=history)
    assert shell.ran[-1] == "Get-MailboxDatabase"


def test_history_is_saved_across_sessions(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert history_path() == tmp_path / "ems" / "history"
    drive("Get-DatabaseAvailabilityGroup" + ENTER, file_history=True)
    assert "Get-DatabaseAvailabilityGroup" in (tmp_path / "ems" / "history").read_text()
    _, _, shell = drive(UP + ENTER, file_history=True)
    assert shell.ran == ["Get-DatabaseAvailabilityGroup"]


def test_default_history_location(monkeypatch):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", "/home/admin")
    assert str(history_path()) == "/home/admin/.local/share/ems/history"


def test_tab_completes_a_cmdlet_name(test_cmdlets):
    _, _, shell = drive("Move-ReplT" + TAB + " DB1" + ENTER)
    assert shell.ran == ["Move-ReplTestDatabase DB1"]


def test_tab_cycles_and_shift_tab_goes_back(test_cmdlets):
    _, _, shell = drive("Move-ReplTestDatabase -Mo" + TAB + ENTER)
    assert shell.ran == ["Move-ReplTestDatabase -MountDialOverride"]
    _, _, shell = drive("Move-ReplTestDatabase -Mo" + TAB + TAB + ENTER)
    assert shell.ran == ["Move-ReplTestDatabase -MoveComment"]
    _, _, shell = drive("Move-ReplTestDatabase -Mo" + TAB + TAB + TAB + ENTER)
    assert shell.ran == ["Move-ReplTestDatabase -MountDialOverride"]        # wraps around
    _, _, shell = drive("Move-ReplTestDatabase -Mo" + TAB + TAB + SHIFT_TAB + ENTER)
    assert shell.ran == ["Move-ReplTestDatabase -MountDialOverride"]


def test_tab_completes_enum_values(test_cmdlets):
    _, _, shell = drive("Set-ReplTestDag -DatacenterActivationMode " + TAB + TAB + ENTER)
    assert shell.ran == ["Set-ReplTestDag -DatacenterActivationMode DagOnly"]


def test_tab_completes_identities():
    shell = RecordingShell("two-datacenter")
    _, _, shell = drive("Move-ActiveMailboxDatabase DB2 -ActivateOnServer " + TAB + TAB + ENTER, shell=shell)
    assert shell.ran[0] == "Move-ActiveMailboxDatabase DB2 -ActivateOnServer EX2"


def test_typing_after_a_tab_starts_a_new_completion():
    keys = "Move-ActiveM" + TAB + " DB1 -Act" + TAB + " " + TAB + TAB + " -WhatIf" + ENTER
    _, repl, shell = drive(keys, shell=RecordingShell("two-datacenter"))
    assert shell.ran == ["Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX2 -WhatIf"]
    assert "What if:" in repl.host.stream.getvalue()


def test_tab_in_the_middle_of_a_line_keeps_the_rest(test_cmdlets):
    keys = "Move-ReplT -WhatIf" + "\x1b[D" * len(" -WhatIf") + TAB + ENTER
    _, _, shell = drive(keys)
    assert shell.ran == ["Move-ReplTestDatabase -WhatIf"]


def test_tab_without_candidates_changes_nothing(test_cmdlets):
    _, _, shell = drive("Zzz-Nothing" + TAB + ENTER)
    assert shell.ran == ["Zzz-Nothing"]


def test_ctrl_space_opens_a_menu(test_cmdlets):
    # Menu: the first Tab selects the first entry, the second the next one; Enter accepts.
    _, _, shell = drive("Move-ReplTestDatabase -Mo" + CTRL_SPACE + TAB + TAB + ENTER + ENTER)
    assert shell.ran == ["Move-ReplTestDatabase -MoveComment"]


def toolbar_text(repl):
    return "".join(t for _, t in repl._bottom_toolbar())


def test_toolbar_shows_the_lab_and_dag_health():
    _, repl, _ = drive("", shell=RecordingShell("two-datacenter"), options={"scenario": "two-datacenter"})
    assert toolbar_text(repl) == " two-datacenter  |  DAG1: 4/4 members up, quorum OK  |  DBs 4/4 mounted"


def test_toolbar_is_refreshed_after_each_command():
    shell = RecordingShell("two-datacenter")
    _, repl, _ = drive("Stop-SimServer EX1 -Crash" + ENTER, shell=shell, options={"scenario": "two-datacenter"})
    assert "DAG1: 3/4 members up, quorum OK" in toolbar_text(repl)
    _, repl, _ = drive("Stop-SimSite Portland" + ENTER, shell=shell, options={"scenario": "two-datacenter"})
    assert toolbar_text(repl).endswith("DAG1: 2/4 members up, NO QUORUM  |  DBs 0/4 mounted")


def test_toolbar_without_a_dag():
    _, repl, _ = drive("", shell=RecordingShell("benet-lab"), options={"scenario": "benet-lab"})
    assert toolbar_text(repl) == " benet-lab  |  no DAG  |  DBs 2/2 mounted"


def test_no_toolbar_option():
    _, repl, _ = drive("", options={"no_toolbar": True})
    assert repl.session.bottom_toolbar is None


def test_no_color_option_and_environment(monkeypatch):
    _, repl, _ = drive("", options={"no_color": True})
    assert not repl.color and repl.session.lexer is None
    monkeypatch.setenv("NO_COLOR", "1")
    _, repl, _ = drive("")
    assert not repl.color
    monkeypatch.delenv("NO_COLOR")
    _, repl, _ = drive("")
    assert repl.color


def test_real_parser_decides_completeness():
    parser = pytest.importorskip("ems.lang.parser")
    if not hasattr(parser, "is_complete"):
        pytest.skip("ems.lang.parser.is_complete is not there yet")
    for text in ("Get-Date", "$x = 1", "Get-Date | fl"):
        assert ems.repl.is_complete(text)
    for text in ("foreach ($d in 1,2) {", "Get-Date |", "Get-Date `", "$h = @{", "(1 +", "@'\nabc"):
        assert not ems.repl.is_complete(text), text


def test_banner_names_a_state_file(tmp_path):
    state = tmp_path / "mylab.json"
    Shell(scenario="empty").save_state(str(state))
    _, repl, _ = drive("", options={"scenario": "benet-lab", "state": str(state)})
    assert "Lab loaded: mylab.json" in repl.host.stream.getvalue()


def test_read_host_reads_from_the_keyboard():
    _, repl, shell = drive(["$n = Read-Host 'Your name'" + ENTER, "Bob" + ENTER, '"Hello $n"' + ENTER])
    assert shell.ran == ["$n = Read-Host 'Your name'", '"Hello $n"']
    assert repl.host.stream.getvalue().endswith("Hello Bob\n")


def test_confirmation_prompt_is_answered_at_the_keyboard():
    shell = RecordingShell("two-datacenter")
    _, repl, _ = drive(["Remove-Mailbox user8" + ENTER, "n" + ENTER], shell=shell)
    screen = repl.host.stream.getvalue()
    assert "Are you sure you want to perform this action?" in screen
    assert "user8" in shell.org.mailboxes               # answered No: nothing removed
    _, repl, _ = drive(["Remove-Mailbox user8" + ENTER, "y" + ENTER], shell=shell)
    assert "user8" not in shell.org.mailboxes


def test_mandatory_parameters_are_asked_for():
    shell = RecordingShell("two-datacenter")
    _, repl, _ = drive(["Mount-Database" + ENTER, "DB1" + ENTER], shell=shell)
    screen = repl.host.stream.getvalue()
    assert "Supply values for the following parameters:" in screen
    assert shell.ran == ["Mount-Database"]      # the answer went to the prompt, not the shell


def test_ctrl_c_at_a_prompt_stops_the_command_and_keeps_the_shell():
    shell = RecordingShell("two-datacenter")
    _, repl, _ = drive(["Remove-Mailbox user7" + ENTER, CTRL_C, "Get-Date" + ENTER], shell=shell)
    assert shell.ran == ["Remove-Mailbox user7", "Get-Date"]
    assert "user7" in shell.org.mailboxes


def test_cls_clears_the_screen(monkeypatch):
    cleared = []
    monkeypatch.setattr(ems.repl.ReplHost, "clear", lambda self: cleared.append(True))
    drive("cls" + ENTER + "Clear-Host" + ENTER)
    assert cleared == [True, True]


def test_table_width_follows_the_terminal(monkeypatch):
    monkeypatch.delenv("EMS_WIDTH", raising=False)
    _, repl, shell = drive("Get-Date" + ENTER)
    assert shell.width == shell.session.width == 80          # DummyOutput is 80 columns wide
    monkeypatch.setenv("EMS_WIDTH", "150")
    _, repl, shell = drive("Get-Date" + ENTER)
    assert shell.width == 150


def test_a_line_run_twice_in_a_row_is_kept_once(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    drive(["Get-Date" + ENTER, UP + ENTER, "Get-Host" + ENTER], file_history=True)
    entries = [line for line in (tmp_path / "ems" / "history").read_text().splitlines() if line.startswith("+")]
    assert entries == ["+Get-Date", "+Get-Host"]


def test_blank_lines_inside_a_here_string_are_text():
    keys = "$t = @'" + ENTER + "first" + ENTER + ENTER + "third" + ENTER + "'@" + ENTER + "$t" + ENTER
    _, repl, shell = drive(keys)
    assert shell.ran == ["$t = @'\nfirst\n\nthird\n'@", "$t"]
    assert repl.host.stream.getvalue().endswith("first\n\nthird\n")
