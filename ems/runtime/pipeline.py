"""Running commands: frames, streams, the streaming pipeline, cmdlet processors, errors.

A pipeline is a chain of processors, each with ``begin()``, ``process(obj)`` and ``end()``;
objects are pushed downstream one at a time, so ``Write-Host`` lines interleave with output
exactly as in PowerShell. A ``Frame`` is what running code sees: the session, the variable
scope, where output goes (``emit``) and the other streams (error, warning, verbose, host).

Error flow (A.10): a cmdlet's ``write_error`` is non-terminating (recorded in ``$Error``,
shown per ``-ErrorAction``/``$ErrorActionPreference``; ``Stop`` turns it into a
script-terminating ``ActionPreferenceStopException``). Exceptions escaping a command are
terminating for that statement (``TerminatingError``); the evaluator decides at each
statement boundary whether the script goes on (A.10). Exchange domain errors raised by a
cmdlet are delivered as *non-terminating* errors in the remote-EMS layout, because in real
EMS every Exchange error reaches the client through the remoting error stream.
"""
from __future__ import annotations

import traceback
import zlib
from typing import Any, Callable

from ems.lang.conversion import SwitchValue, to_bool, to_string
from ems.runtime.errors import ActionPreferenceStopException, ErrorRecord, InvocationInfo, PSError, io_error
from ems.runtime.preferences import ActionPreference, ConfirmImpact, action_preference, confirm_impact
from ems.runtime.values import is_enumerable


# ============================================================================ control flow

class FlowControl(Exception):
    """Base of break/continue/return/exit: never shown as errors."""


class BreakException(FlowControl):
    def __init__(self, label: str | None = None):
        super().__init__(label)
        self.label = label


class ContinueException(FlowControl):
    def __init__(self, label: str | None = None):
        super().__init__(label)
        self.label = label


class ReturnException(FlowControl):
    pass


class OutputStopped(FlowControl):
    """The console's output command stopped with a terminating error (format data out of
    sequence, ``ft | sort``): the whole pipeline into it ends, including the script feeding
    it. It travels like flow control, so the script's own try/catch does not see it (its
    handlers could only write to the stopped output); the shell shows ``record``."""

    def __init__(self, record: ErrorRecord):
        super().__init__(record.message)
        self.record = record


class ExitException(FlowControl):
    def __init__(self, code: int = 0):
        super().__init__(code)
        self.code = code


class StopUpstream(FlowControl):
    """Raised by a cmdlet that needs no more input (Select-Object -First)."""

    def __init__(self, processor: Any = None):
        super().__init__()
        self.processor = processor


class TerminatingError(Exception):
    """A terminating error travelling up the stack with its ErrorRecord.

    ``script_terminating``: ``throw``, ``-ErrorAction Stop`` and errors under
    ``$ErrorActionPreference = 'Stop'`` end the whole script when nothing catches them;
    other terminating errors end only their statement.
    """

    def __init__(self, record: ErrorRecord, script_terminating: bool = False, exception: Any = None):
        super().__init__(record.message)
        self.record = record
        self.script_terminating = script_terminating
        self.exception = exception


# ============================================================================ error records

def invocation_from_extent(extent: Any, command_name: str = "", invocation_name: str = "",
                           dotnet_class: str = "") -> InvocationInfo:
    if extent is None:
        return InvocationInfo(command_name=command_name, invocation_name=invocation_name,
                              dotnet_class=dotnet_class)
    return InvocationInfo(command_name=command_name, invocation_name=invocation_name,
                          script_name=extent.file or "", line_number=extent.start_line,
                          column=extent.start_column, line_text=extent.line_text,
                          extent_text=extent.text, dotnet_class=dotnet_class)


def is_domain_error(exc: BaseException) -> bool:
    return (not isinstance(exc, PSError) and hasattr(exc, "exception_type")
            and hasattr(exc, "category"))


def hex_error_id(exc: BaseException) -> str:
    """A deterministic hex code for domain errors that bring none (Exchange style, A.14)."""
    return format(zlib.crc32(getattr(exc, "exception_type", type(exc).__name__).encode()), "X")


def record_from_exception(exc: BaseException, invocation: InvocationInfo | None = None,
                          session: Any = None, script_level: bool = False) -> ErrorRecord:
    """Any exception as the ErrorRecord PowerShell would show for it."""
    if isinstance(exc, TerminatingError):
        return exc.record
    if isinstance(exc, ActionPreferenceStopException):
        return exc.record
    if isinstance(exc, ErrorRecord):
        return exc
    if isinstance(exc, PSError):
        inv = invocation
        extent = getattr(exc, "extent", None)
        if extent is not None:
            inv = invocation_from_extent(extent, inv.command_name if inv else "",
                                         inv.invocation_name if inv else "",
                                         inv.dotnet_class if inv else "")
        rec = ErrorRecord(message=exc.message, exception_type=exc.exception_type,
                          category=exc.category, error_id=exc.error_id, target=exc.target,
                          invocation=inv, script_level=script_level or bool(getattr(exc, "script_level", False)),
                          exception=exc)
        if getattr(exc, "record_prefix", None) is not None:
            rec.prefix = exc.record_prefix
        if getattr(exc, "record_details", None):
            rec.details = exc.record_details  # ErrorDetails.Message: shown instead of the message
        return rec
    if is_domain_error(exc):
        message = getattr(exc, "message", None) or str(exc)
        error_id = getattr(exc, "error_id", "") or hex_error_id(exc)
        computer = ""
        if session is not None:
            computer = getattr(session, "computer_fqdn", "") or ""
        return ErrorRecord(message=message, exception_type=exc.exception_type,
                           category=exc.category, error_id=error_id,
                           target=getattr(exc, "target", None), invocation=invocation,
                           remote=True, computer_name=computer,
                           activity=invocation.command_name if invocation else None, exception=exc)
    if isinstance(exc, RecursionError):
        return ErrorRecord(message="The script failed due to call depth overflow.",
                           exception_type="ScriptCallDepthException", category="InvalidOperation",
                           error_id="CallDepthOverflow", invocation=invocation, script_level=True,
                           exception=exc)
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return ErrorRecord(message=f"An internal error occurred in ems: {type(exc).__name__}: {exc}",
                       exception_type="RuntimeException", category="NotSpecified",
                       error_id="InternalError", invocation=invocation, python_traceback=tb,
                       exception=exc)


# ============================================================================ streams & frames

class Streams:
    """Where non-output streams go. Each is a callable; redirections swap them."""

    __slots__ = ("error", "warning", "verbose", "debug", "host")

    def __init__(self, error: Callable[[ErrorRecord], None], warning: Callable[[str], None],
                 verbose: Callable[[str], None], debug: Callable[[str], None],
                 host: Callable[[str], None]):
        self.error = error
        self.warning = warning
        self.verbose = verbose
        self.debug = debug
        self.host = host

    def copy(self, **changes: Any) -> "Streams":
        s = Streams(self.error, self.warning, self.verbose, self.debug, self.host)
        for k, v in changes.items():
            setattr(s, k, v)
        return s


class Frame:
    """The state running code sees. Cheap to copy when one thing (emit, scope) changes."""

    __slots__ = ("session", "scope", "emit", "streams", "invocation", "script_file", "function",
                 "collectors")

    def __init__(self, session: Any, scope: Any, emit: Callable[[Any], None], streams: Streams,
                 invocation: InvocationInfo | None = None, script_file: str = "",
                 function: Any = None, collectors: tuple = ()):
        self.session = session
        self.scope = scope
        self.emit = emit
        self.streams = streams
        self.invocation = invocation
        self.script_file = script_file
        self.function = function
        self.collectors = collectors   # -ErrorVariable lists of the advanced functions running

    def with_emit(self, emit: Callable[[Any], None]) -> "Frame":
        return Frame(self.session, self.scope, emit, self.streams, self.invocation, self.script_file,
                     self.function, self.collectors)

    def with_scope(self, scope: Any) -> "Frame":
        return Frame(self.session, scope, self.emit, self.streams, self.invocation, self.script_file,
                     self.function, self.collectors)

    def copy(self) -> "Frame":
        return Frame(self.session, self.scope, self.emit, self.streams, self.invocation,
                     self.script_file, self.function, self.collectors)

    # -- variables --------------------------------------------------------------------
    def get_var(self, name: str, default: Any = None) -> Any:
        s = self.scope.find(name.lower())
        return s.vars[name.lower()] if s is not None else default

    def preference(self, name: str) -> Any:
        return self.session.get_preference(self.scope, name)

    # -- errors -----------------------------------------------------------------------
    def write_error_record(self, record: ErrorRecord, action: ActionPreference | None = None,
                           error_variables: list | None = None) -> None:
        """A non-terminating error: $Error, -ErrorVariable, display per the action."""
        if action is None:
            action = action_preference(self.preference("ErrorActionPreference"))
        self.session.error_count += 1
        if action is ActionPreference.Ignore:
            return
        self.session.add_error(record)
        for lst in self.collectors:
            lst.append(record)
        if error_variables:
            for lst in error_variables:
                lst.append(record)
        if action is ActionPreference.Stop:
            raise TerminatingError(record, script_terminating=True,
                                   exception=ActionPreferenceStopException(record))
        if action is ActionPreference.SilentlyContinue:
            return
        self.streams.error(record)

    def write_warning(self, message: str, action: ActionPreference | None = None) -> None:
        if action is None:
            action = action_preference(self.preference("WarningPreference"))
        if action in (ActionPreference.SilentlyContinue, ActionPreference.Ignore):
            return
        self.streams.warning(message)
        if action is ActionPreference.Stop:
            rec = ErrorRecord(
                message='The running command stopped because the preference variable "WarningPreference" '
                        f"or common parameter is set to Stop: {message}",
                exception_type="ActionPreferenceStopException", category="OperationStopped",
                error_id="ActionPreferenceStop", script_level=True)
            raise TerminatingError(rec, script_terminating=True)

    def write_verbose(self, message: str, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = action_preference(self.preference("VerbosePreference"),
                                        ActionPreference.SilentlyContinue) in (
                ActionPreference.Continue, ActionPreference.Inquire, ActionPreference.Stop)
        if enabled:
            self.streams.verbose(message)

    def write_debug(self, message: str, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = action_preference(self.preference("DebugPreference"),
                                        ActionPreference.SilentlyContinue) in (
                ActionPreference.Continue, ActionPreference.Inquire, ActionPreference.Stop)
        if enabled:
            self.streams.debug(message)


def emit_enumerated(emit: Callable[[Any], None], value: Any) -> None:
    """Write a value to the pipeline, unrolling arrays/lists (A.11)."""
    if isinstance(value, list):
        for v in value:
            emit(v)
    elif value is not None and is_enumerable(value) and not isinstance(value, (str, dict)):
        for v in value:
            emit(v)
    else:
        emit(value)


# ============================================================================ processors

class Processor:
    """One pipeline element. ``downstream`` receives each output object."""

    downstream: Callable[[Any], None]
    first = False

    def begin(self) -> None:
        pass

    def process(self, obj: Any) -> None:
        pass

    def run_without_input(self) -> None:
        """The first element of a pipeline is processed once without input."""

    def end(self) -> None:
        pass


def run_pipeline(processors: list[Processor], sink: Callable[[Any], None]) -> None:
    """Begin every element, drive the first, then end every element in order."""
    n = len(processors)
    for i, p in enumerate(processors):
        p.downstream = processors[i + 1].process if i + 1 < n else sink
        p.first = i == 0
    start = 0
    try:
        for p in processors:
            p.begin()
        processors[0].run_without_input()
    except StopUpstream as stop:
        start = _index_after_stop(processors, stop)
    for i in range(start, n):
        try:
            processors[i].end()
        except StopUpstream as stop:
            idx = _index_after_stop(processors, stop)
            for j in range(max(idx, i + 1), n):
                processors[j].end()
            return


def _index_after_stop(processors: list[Processor], stop: StopUpstream) -> int:
    for i, p in enumerate(processors):
        if p is stop.processor:
            return i
    return 0


class CommandContext:
    """What a cmdlet sees as ``self.context`` (see ems.runtime.cmdlet's docstring)."""

    def __init__(self, processor: "CmdletProcessor"):
        self._p = processor
        self.frame = processor.frame
        self.session = processor.frame.session
        self.yes_to_all = False
        self.no_to_all = False

    # -- output ---------------------------------------------------------------------
    def write(self, obj: Any, enumerate: bool = False) -> None:
        p = self._p
        if enumerate and (isinstance(obj, list) or (obj is not None and is_enumerable(obj))):
            for item in obj:
                p.output(item)
        else:
            p.output(obj)

    def write_error(self, error: Any, target: Any = None) -> None:
        p = self._p
        if isinstance(error, ErrorRecord):
            record = error
            if record.invocation is None:
                record.invocation = p.invocation
        elif isinstance(error, BaseException) and not isinstance(error, PSError) and not is_domain_error(error):
            # a cmdlet reporting a plain exception: its text is the message (not an ems bug)
            name = type(error).__name__
            record = ErrorRecord(message=str(error), exception_type=_DOTNET_EXCEPTIONS.get(name, name),
                                 category="NotSpecified", error_id=_DOTNET_EXCEPTIONS.get(name, name),
                                 target=target, invocation=p.invocation, exception=error)
        else:
            record = record_from_exception(error, p.invocation, self.session)
            if target is not None and record.target is None:
                record.target = target
        p.frame.write_error_record(record, p.error_action(), p.error_variables)

    def write_warning(self, message: str) -> None:
        p = self._p
        p.frame.write_warning(message, p.warning_action())
        for lst in p.warning_variables:
            lst.append(message)

    def write_verbose(self, message: str) -> None:
        self._p.frame.write_verbose(message, self._p.verbose_enabled())

    def write_debug(self, message: str) -> None:
        self._p.frame.write_debug(message, self._p.debug_enabled())

    def host_write(self, text: str, newline: bool = True) -> None:
        self._p.frame.streams.host(text + ("\n" if newline else ""))

    @property
    def common(self) -> dict:
        """The common parameters given to this command (-WhatIf, -Verbose, -ErrorAction...)."""
        return self._p.common

    # -- caller information ---------------------------------------------------------------
    @property
    def caller_invocation(self) -> InvocationInfo | None:
        """The running function/script's own invocation (Write-Error's record uses it)."""
        return self.frame.invocation

    @property
    def invocation(self) -> InvocationInfo:
        return self._p.invocation

    @property
    def org(self) -> Any:
        return self.session.org

    def get_variable(self, name: str, default: Any = None) -> Any:
        return self.frame.get_var(name, default)

    def set_variable(self, name: str, value: Any, scope: str | None = None) -> None:
        from ems.lang.evaluator import set_variable
        set_variable(self.frame, name, value, scope)

    def stop_upstream(self) -> None:
        """No more input is needed: end the pipeline's upstream commands (Select -First)."""
        raise StopUpstream(self._p)

    # -- script blocks ----------------------------------------------------------------
    def invoke(self, scriptblock: Any, dollar_under: Any = None, args: tuple | list = (),
               input: Any = None) -> list:
        return scriptblock.invoke_in(self.frame, dollar_under=dollar_under, args=args, input=input)

    # -- ShouldProcess ------------------------------------------------------------------
    def should_process(self, cmdlet: Any, target: Any, action: str, message: str | None = None) -> bool:
        return should_process(self._p, cmdlet, target, action, message, self)


_DOTNET_EXCEPTIONS = {"ValueError": "ArgumentException", "KeyError": "KeyNotFoundException",
                      "LookupError": "ItemNotFoundException", "OSError": "IOException",
                      "FileNotFoundError": "FileNotFoundException", "TypeError": "InvalidCastException"}


# ============================================================================ ShouldProcess

CONFIRM_CHOICES = ("[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help "
                   '(default is "Y"): ')
CONFIRM_HELP = (
    "Y - Continue with only the next step of the operation.\n"
    "A - Continue with all the steps of the operation.\n"
    "N - Skip this operation and proceed with the next operation.\n"
    "L - Skip this operation and all subsequent operations.\n"
    'S - Pause the current pipeline and return to the command prompt. Type "exit" to resume the pipeline.\n')
NON_INTERACTIVE = "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available."


def non_interactive_error() -> PSError:
    return PSError(NON_INTERACTIVE, "PromptNotSupported", "InvalidOperation",
                   exception_type="PSInvalidOperationException")


def should_process(p: "CmdletProcessor", cmdlet: Any, target: Any, action: str,
                   message: str | None, ctx: CommandContext) -> bool:
    frame = p.frame
    text = message or f'Performing the operation "{action}" on target "{to_string(target)}".'
    whatif = p.common.get("WhatIf")
    if whatif is None:
        whatif = to_bool(frame.preference("WhatIfPreference"))
    if whatif:
        frame.streams.host(f"What if: {text}\n")
        return False
    if ctx.yes_to_all:
        return True
    if ctx.no_to_all:
        return False
    confirm = p.common.get("Confirm")
    if confirm is None:
        impact = confirm_impact(getattr(cmdlet, "confirm_impact", "Medium"), ConfirmImpact.Medium)
        pref = confirm_impact(frame.preference("ConfirmPreference"))
        prompt = pref.value != 0 and impact.value >= pref.value
    else:
        prompt = bool(confirm)
    if not prompt:
        return True
    return confirm_prompt(frame, text, ctx)


def confirm_prompt(frame: Frame, text: str, ctx: Any = None) -> bool:
    """The 5.1 console confirmation prompt; NonInteractive error without a console."""
    host = frame.session.host
    if host is None or not getattr(host, "interactive", False):
        raise non_interactive_error()
    frame.streams.host(f"\nConfirm\nAre you sure you want to perform this action?\n{text}\n")
    while True:
        answer = host.read_line(CONFIRM_CHOICES)
        if answer is None:
            raise non_interactive_error()
        a = answer.strip().lower()
        if a in ("", "y"):
            return True
        if a == "a":
            if ctx is not None:
                ctx.yes_to_all = True
            return True
        if a == "n":
            return False
        if a == "l":
            if ctx is not None:
                ctx.no_to_all = True
            return False
        if a == "s":
            # Nested prompts don't exist in ems; suspending is answered like "No".
            return False
        if a == "?":
            frame.streams.host(CONFIRM_HELP)


# ============================================================================ cmdlet processor

class CmdletProcessor(Processor):
    """Runs one declared cmdlet: bound parameters, begin/process/end, common parameters."""

    def __init__(self, frame: Frame, cls: Any, state: Any, invocation: InvocationInfo,
                 command_extent: Any, expect_input: bool):
        self.frame = frame
        self.cls = cls
        self.state = state
        self.invocation = invocation
        self.command_extent = command_extent
        self.expect_input = expect_input
        self.common = state.common
        self.error_variables: list[list] = []
        self.warning_variables: list[list] = []
        self.out_list: list | None = None
        self._setup_common()
        self.context = CommandContext(self)
        self.cmdlet = cls(self.context, state.bound, state.set_name or "", invocation)
        self.had_input = False

    # -- common parameters ------------------------------------------------------------
    def _setup_common(self) -> None:
        c = self.common
        for key, target in (("ErrorVariable", self.error_variables),
                            ("WarningVariable", self.warning_variables)):
            if key in c:
                target.append(_variable_list(self.frame, c[key]))
        if "OutVariable" in c:
            self.out_list = _variable_list(self.frame, c["OutVariable"])

    def error_action(self) -> ActionPreference:
        if "ErrorAction" in self.common:
            return self.common["ErrorAction"]
        return action_preference(self.frame.preference("ErrorActionPreference"))

    def warning_action(self) -> ActionPreference:
        if "WarningAction" in self.common:
            return self.common["WarningAction"]
        return action_preference(self.frame.preference("WarningPreference"))

    def verbose_enabled(self) -> bool | None:
        v = self.common.get("Verbose")
        return None if v is None else bool(v)

    def debug_enabled(self) -> bool | None:
        v = self.common.get("Debug")
        return None if v is None else bool(v)

    def output(self, obj: Any) -> None:
        if self.out_list is not None:
            self.out_list.append(obj)
        self.downstream(obj)

    # -- lifecycle ----------------------------------------------------------------------
    def _call(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except (FlowControl, TerminatingError):
            raise
        except BaseException as e:
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            if is_domain_error(e):
                self.context.write_error(e)
                return
            if isinstance(e, RecursionError):
                raise
            if isinstance(e, OSError):  # a file the cmdlet could not read or write
                e = io_error(e)
            record = record_from_exception(e, self.invocation, self.frame.session)
            record.show_traceback = bool(self.common.get("Verbose"))
            raise TerminatingError(record, exception=e) from None

    def begin(self) -> None:
        if self.expect_input:
            from ems.runtime.binder import missing_mandatory
            self._check_mandatory(missing_mandatory(self.state, include_pipeline=False))
        self._call(self.cmdlet.begin)

    def run_without_input(self) -> None:
        from ems.runtime.binder import missing_mandatory
        self._check_mandatory(missing_mandatory(self.state, include_pipeline=True))
        self._call(self.cmdlet.process)

    def process(self, obj: Any) -> None:
        from ems.runtime.binder import bind_pipeline_object, input_not_bound_error, missing_mandatory
        self.had_input = True
        if not bind_pipeline_object(self.state, obj, self.command_extent):
            err = input_not_bound_error(self.command_extent)
            rec = record_from_exception(err, self.invocation, self.frame.session)
            rec.target = obj
            self.frame.write_error_record(rec, self.error_action(), self.error_variables)
            return
        missing = missing_mandatory(self.state, include_pipeline=True)
        if missing:
            err = input_not_bound_error(self.command_extent)
            rec = record_from_exception(err, self.invocation, self.frame.session)
            rec.target = obj
            self.frame.write_error_record(rec, self.error_action(), self.error_variables)
            return
        self.cmdlet.parameter_set = self.state.set_name or self.cmdlet.parameter_set
        self._call(self.cmdlet.process)

    def end(self) -> None:
        self._call(self.cmdlet.end)

    def _check_mandatory(self, missing: list) -> None:
        if missing:
            supply_mandatory(self.frame, self.state, missing, f"cmdlet {self.cls.name}",
                             self.command_extent, self.invocation)
            self.cmdlet.bound = self.state.bound


def supply_mandatory(frame: Frame, state: Any, missing: list, label: str, extent: Any,
                     invocation: InvocationInfo) -> None:
    """Unbound mandatory parameters: the console asks for them (``Supply values for the
    following parameters:``); without a console it is the MissingMandatoryParameter error."""
    from ems.runtime.binder import bind_mandatory_value, missing_mandatory_error
    host = frame.session.host
    if host is None or not getattr(host, "interactive", False):
        err = missing_mandatory_error(missing, extent)
        raise TerminatingError(record_from_exception(err, invocation, frame.session))
    frame.streams.host(f"\n{label} at command pipeline position 1\n"
                       "Supply values for the following parameters:\n")
    for p in missing:
        values: Any = []
        while True:
            prompt = f"{p.name}[{len(values)}]: " if p.array else f"{p.name}: "
            line = host.read_line(prompt)
            if line is None:
                raise TerminatingError(record_from_exception(
                    missing_mandatory_error([p], extent), invocation, frame.session))
            if not p.array:
                values = line
                break
            if line == "":
                break
            values.append(line)
        try:
            bind_mandatory_value(state, p, values, extent)
        except PSError as e:
            raise TerminatingError(record_from_exception(e, invocation, frame.session)) from None


def _variable_list(frame: Frame, spec: Any) -> list:
    """-ErrorVariable/-OutVariable target: ``name`` (new list) or ``+name`` (append)."""
    from ems.lang.evaluator import set_variable
    name = to_string(spec)
    if name.startswith("+"):
        name = name[1:]
        existing = frame.get_var(name)
        if isinstance(existing, list):
            return existing
        lst = [] if existing is None else [existing]
        set_variable(frame, name, lst)
        return lst
    lst: list = []
    set_variable(frame, name, lst)
    return lst


__all__ = ["Frame", "Streams", "Processor", "CmdletProcessor", "CommandContext", "run_pipeline",
           "TerminatingError", "record_from_exception", "invocation_from_extent", "FlowControl",
           "BreakException", "ContinueException", "ReturnException", "ExitException", "StopUpstream",
           "emit_enumerated", "should_process", "confirm_prompt", "SwitchValue"]
