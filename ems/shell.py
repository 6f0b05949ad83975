"""The Python API: ``Shell(scenario=...)`` and ``shell.run(text) -> Result``.

A Shell owns one Session (variables, functions, clock, $Error) and, built lazily on first
use, the Exchange organisation of its scenario (or of a saved state). ``run`` executes text
the way the console does: parse errors and uncaught terminating errors are rendered in the
5.1 error layout; all output of one ``run`` goes through one Out-Default (a script's first
object fixes the view; the REPL calls ``run`` once per input line).
"""
from __future__ import annotations

import os
import sys
from typing import Any

SCENARIO_DIR = os.path.join(os.path.dirname(__file__), "scenarios")
DEFAULT_SCENARIO = "benet-lab"


def list_scenarios() -> list[str]:
    try:
        names = [f[:-4] for f in os.listdir(SCENARIO_DIR) if f.endswith(".ps1")]
    except OSError:
        names = []
    return sorted(names)


class Result:
    """What one ``Shell.run`` produced."""

    def __init__(self) -> None:
        self.output: list[Any] = []
        self.errors: list[Any] = []
        self.warnings: list[str] = []
        self._text: list[str] = []
        self._error_text: list[str] = []
        self.exit_code: int | None = None
        self.terminated = False       # an uncaught terminating/parse error ended the run
        self.script_terminated = False  # ... one that would end a whole script (throw, -ErrorAction Stop)
        self.exited = False           # `exit` ran: the interactive shell closes

    @property
    def text(self) -> str:
        """Exactly what the console shows on stdout."""
        return "".join(self._text)

    @property
    def error_text(self) -> str:
        """Exactly what the console shows on stderr."""
        return "".join(self._error_text)

    def __repr__(self) -> str:
        return f"Result(output={self.output!r}, errors={len(self.errors)}, exit_code={self.exit_code})"


class StateError(Exception):
    """A --state file that can't be used (corrupt, foreign, unreadable)."""


class Shell:
    """An ems shell: ``Shell(scenario="two-datacenter").run("Get-DatabaseAvailabilityGroup")``."""

    def __init__(self, scenario: str = DEFAULT_SCENARIO, state: str | None = None, width: int = 120,
                 host: Any = None, color: bool = False):
        from ems.runtime.session import Session
        self.scenario = scenario
        self.state_path = state
        self.width = width
        self.host = host
        self.color = color
        self.session = Session(org_factory=self._build_org, host=host, width=width,
                               computer_name=_connected_server)
        self.session.shell = self
        self._loaded = False
        self._state_data = None
        if state is not None and os.path.exists(state):
            self._state_data = _read_state(state)

    # ------------------------------------------------------------------ organisation
    @property
    def org(self) -> Any:
        return self.session.org

    def _build_org(self, session: Any) -> Any:
        from ems.exchange import Organization
        if self._state_data is not None:
            from ems.exchange.persist import StateFormatError
            try:
                org = Organization.from_dict(self._state_data)
            except StateFormatError as e:
                raise StateError(str(e)) from None
            session.clock = org.clock
            return org
        org = Organization(clock=session.clock)
        self._run_scenario(org)
        return org

    def _run_scenario(self, org: Any) -> None:
        """Build the lab by running its .ps1 in a private session (the Sim cmdlets' hands)."""
        path = os.path.join(SCENARIO_DIR, f"{self.scenario}.ps1")
        if not os.path.exists(path):
            if self.scenario not in list_scenarios() and list_scenarios():
                raise ValueError(f"Unknown scenario '{self.scenario}'. Available: {', '.join(list_scenarios())}")
            return
        from ems.runtime.session import Session
        private = Session(width=self.width)
        private.clock = self.session.clock
        private.org = org
        private.shell = self
        result = Shell._execute(private, open(path, encoding="utf-8-sig").read(), file=path,
                                width=self.width, host=None, color=False)
        if result.errors:
            raise RuntimeError(f"scenario {self.scenario} failed: " + result.error_text)

    def save_state(self, path: str | None = None) -> None:
        """Write the organisation to ``path`` atomically (write to a temporary file, then
        rename). An unbuilt organisation loaded from an existing file is left as it is."""
        import json
        path = path or self.state_path
        if path is None:
            return
        if not self.session.org_built and os.path.exists(path) and self._state_data is not None:
            return
        data = self.org.to_dict()
        tmp = f"{path}.tmp{os.getpid()}"
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1)
                fh.write("\n")
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    # ------------------------------------------------------------------ running
    def run(self, text: str, file: str | None = None, args: list | None = None) -> Result:
        """Run script text (or a file's text with ``file`` set, binding ``args``)."""
        return Shell._execute(self.session, text, file=file, args=args, width=self.width,
                              host=self.host, color=self.color)

    def run_file(self, path: str, args: list | None = None) -> Result:
        path = os.path.abspath(path)
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
        return self.run(text, file=path, args=args)

    @staticmethod
    def _execute(session: Any, text: str, file: str | None = None, args: list | None = None,
                 width: int = 120, host: Any = None, color: bool = False) -> Result:
        _ensure_cmdlets()
        if sys.getrecursionlimit() < 6000:
            sys.setrecursionlimit(6000)  # deep pipelines/functions end in CallDepthOverflow, not here
        from ems.format.errorview import render
        from ems.lang.commands import _as_limit, make_out_default
        from ems.lang.evaluator import run_script_block
        from ems.lang.parser import parse
        from ems.runtime.errors import ErrorRecord, ParseException, PSError
        from ems.runtime.pipeline import (
            BreakException, ContinueException, ExitException, Frame, OutputStopped, Streams,
            TerminatingError, record_from_exception,
        )
        result = Result()
        # The console's Out-Default runs in the global scope: it reads the global
        # $FormatEnumerationLimit for every object (a script-scoped one only affects the
        # script's own Format-* commands, as in 5.1).
        out_default = make_out_default(
            width, lambda: _as_limit(session.global_scope.vars.get("formatenumerationlimit", 4)))

        def write_out(t: str) -> None:
            if t:
                result._text.append(t)
                if host is not None:
                    host.write(t)
                _transcribe(session, t)

        def sink(obj: Any) -> None:
            result.output.append(obj)
            try:
                text = out_default.feed(obj)
            except PSError as e:
                # Format data out of sequence (`ft | sort`): the console's out-lineoutput stops
                # with a terminating error, which ends the whole pipeline (the script).
                from ems.runtime.errors import InvocationInfo
                raise OutputStopped(record_from_exception(e, InvocationInfo(
                    command_name="out-lineoutput", invocation_name="out-lineoutput",
                    dotnet_class="Microsoft.PowerShell.Commands.OutLineOutputCommand"), session)) from None
            except Exception as e:  # a formatter bug is Out-Default's error, not the command's
                from ems.runtime.errors import InvocationInfo
                show_error(record_from_exception(e, InvocationInfo(command_name="Out-Default",
                                                                   invocation_name="Out-Default"), session))
                return
            write_out(text)

        def show_error(record: ErrorRecord) -> None:
            result.errors.append(record)
            show_tb = session.debug or _verbose_on(session)
            t = render(record, width, show_traceback=show_tb) + "\n"
            if color:
                from ems.format import RED, colorize
                t = colorize(t.rstrip("\n"), RED) + "\n"
            result._error_text.append(t)
            if host is not None:
                host.write_error(t)
            _transcribe(session, t)

        def warning(msg: str) -> None:
            result.warnings.append(msg)
            write_out(_stream_text("WARNING", msg, color))

        streams = Streams(error=show_error, warning=warning,
                          verbose=lambda m: write_out(_stream_text("VERBOSE", m, color)),
                          debug=lambda m: write_out(_stream_text("DEBUG", m, color)),
                          host=write_out)
        frame = Frame(session, session.global_scope, sink, streams, script_file=file or "")
        previous = getattr(session, "top_frame", None)
        session.top_frame = frame
        session.current_scope = session.global_scope
        session.uncaught = False
        with session:
            try:
                try:
                    ast = parse(text, file=file)
                except ParseException as e:
                    record = _parse_record(e, interactive=file is None)
                    session.add_error(record)
                    show_error(record)
                    result.terminated = True
                    result.exit_code = 1
                    return result
                if file is None:
                    _set_first_last_token(session, text)
                session.interactive_ast = ast if file is None else None
                try:
                    run_script_block(ast, frame, script_path=file, args=args)
                except TerminatingError as e:
                    session.last_success = False
                    result.script_terminated = e.script_terminating
                    session.add_error(e.record) if e.record not in session.errors[:1] else None
                    if action_is_silent(frame, e):
                        pass
                    else:
                        show_error(e.record)
                    result.terminated = True
                except ExitException as e:
                    result.exit_code = e.code
                    result.exited = True
                    session.global_scope.set_local("LASTEXITCODE", e.code)
                except (BreakException, ContinueException):
                    pass
                except OutputStopped as e:
                    session.last_success = False
                    session.add_error(e.record)
                    show_error(e.record)
                    result.terminated = result.script_terminated = True
                except RecursionError:
                    from ems.lang.evaluator import _call_depth_error
                    show_error(_call_depth_error(None).record)
                    result.terminated = True
                except PSError as e:
                    record = record_from_exception(e, None, session, script_level=True)
                    session.add_error(record)
                    show_error(record)
                    result.terminated = True
                except Exception as e:  # an ems bug: still an error record, never a traceback
                    record = record_from_exception(e, None, session)
                    session.add_error(record)
                    show_error(record)
                    result.terminated = True
                if session.uncaught:
                    result.terminated = True
            finally:
                try:
                    write_out(out_default.close())
                except Exception as e:  # formatter bug: report, don't crash the shell
                    show_error(record_from_exception(e, None, session))
                session.top_frame = previous
        if result.exit_code is None:
            result.exit_code = 1 if result.terminated else 0
        return result


def _set_first_last_token(session: Any, text: str) -> None:
    """``$^``/``$$``: the first/last token of the previous input (5.1 sets them per command
    line; a token that is itself ``$^`` or ``$$`` does not replace the remembered one)."""
    from ems.lang.parser import first_and_last_token
    g = session.global_scope
    previous = getattr(session, "first_last_token", (None, None))
    g.set_local("^", previous[0])
    g.set_local("$", previous[1])
    first, last = first_and_last_token(text)
    session.first_last_token = (previous[0] if first in ("$^", "$$") else first,
                                previous[1] if last in ("$^", "$$") else last)


def action_is_silent(frame: Any, e: Any) -> bool:
    from ems.runtime.preferences import ActionPreference, action_preference
    if e.script_terminating and getattr(e, "exception", None) is not None:
        return False
    action = action_preference(frame.preference("ErrorActionPreference"))
    return action in (ActionPreference.SilentlyContinue, ActionPreference.Ignore) and not e.script_terminating


def _verbose_on(session: Any) -> bool:
    from ems.runtime.preferences import ActionPreference, action_preference
    v = session.global_scope.vars.get("verbosepreference")
    return action_preference(v, ActionPreference.SilentlyContinue) is ActionPreference.Continue


def _stream_text(kind: str, message: str, color: bool) -> str:
    from ems.format import debug_text, verbose_text, warning_text
    fn = {"WARNING": warning_text, "VERBOSE": verbose_text, "DEBUG": debug_text}[kind]
    return fn(message, color)


def _parse_record(e: Any, interactive: bool) -> Any:
    from ems.runtime.errors import ErrorRecord
    return ErrorRecord(message=e.message, exception_type="ParentContainsErrorRecordException" if interactive
                       else "ParseException", category="ParserError", error_id=e.error_id,
                       script_level=True, parse_errors=list(e.errors), exception=e)


def _connected_server(session: Any) -> str:
    """The Exchange server the shell is 'connected' to: the first mailbox server."""
    org = session.org
    if org is None:
        return "localhost"
    try:
        servers = org.mailbox_servers() or org.exchange_servers()
    except Exception:
        servers = []
    return servers[0].name if servers else "localhost"


_CMDLETS_LOADED = [False]


def _transcribe(session: Any, text: str) -> None:
    """Start-Transcript: what the console shows also goes to the transcript file."""
    transcript = getattr(session, "transcript", None)
    if transcript is not None:
        transcript.write(text)


def _ensure_cmdlets() -> None:
    """Make the cmdlets known; their modules are imported when first used (startup time)."""
    if not _CMDLETS_LOADED[0]:
        from ems.runtime import discovery
        discovery.install()
        _CMDLETS_LOADED[0] = True


def _read_state(path: str) -> Any:
    import json
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, UnicodeDecodeError) as e:
        raise StateError(f"Cannot read state file '{path}': {e}") from None
    except json.JSONDecodeError as e:
        raise StateError(f"The state file '{path}' is not valid JSON ({e.msg} at line {e.lineno}).") from None


__all__ = ["Shell", "Result", "StateError", "list_scenarios"]
