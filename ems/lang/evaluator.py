"""The evaluator: PowerShell AST -> Python closures, run against a Frame.

Every node is compiled once into a closure (``fn(frame) -> value`` for expressions,
``fn(frame) -> None`` for statements, which write their output through ``frame.emit``);
the closures of a script block are cached on its AST, so loops and functions called many
times pay the dispatch cost once. Runtime semantics (scopes, streams, errors, binding) come
from ems.runtime; value semantics from ems.lang.operators and ems.lang.conversion; member
access and method calls from ems.lang.members.
"""
from __future__ import annotations

import os
import weakref
from typing import Any, Callable

from ems.lang import ast as A
from ems.lang import operators as ops
from ems.lang.conversion import (
    PSType, SwitchValue, ValueRef, resolve_type, to_bool, to_number, to_string,
)
from ems.runtime.binder import (
    NO_VALUE, Arg, BindingError, CommandMeta, ParamMeta, bind_arguments, bind_pipeline_object,
    input_not_bound_error, meta_from_cmdlet, missing_mandatory,
    resolve_set, splat,
)
from ems.runtime.errors import ErrorRecord, InvocationInfo, PSError, RuntimeException
from ems.runtime.pipeline import (
    BreakException, CmdletProcessor, ContinueException, ExitException, FlowControl, Frame,
    Processor, ReturnException, TerminatingError, emit_enumerated, invocation_from_extent,
    record_from_exception, run_pipeline,
)
from ems.runtime.preferences import ActionPreference, action_preference
from ems.runtime.session import Scope
from ems.runtime.values import Hashtable, PSObject, is_enumerable

MAX_CALL_DEPTH = 100
"""Script/function nesting limit (PowerShell's CallDepthOverflow); kept low enough that
Python's own stack never overflows first."""

Expr = Callable[[Frame], Any]
Stmt = Callable[[Frame], None]


# ============================================================================ script blocks

class ScriptBlock:
    """A ``{ ... }`` value: ``& $sb``, ``.Invoke()``, and ``invoke()`` for Python callers."""

    __slots__ = ("ast", "is_filter", "session", "__weakref__")

    def __init__(self, ast: A.ScriptBlockAst, is_filter: bool = False, session: Any = None):
        self.ast = ast
        self.is_filter = is_filter
        self.session = session  # where .invoke() from Python runs (the session that made it)

    @property
    def text(self) -> str:
        return self.ast.text

    def __str__(self) -> str:
        return self.ast.text

    def __repr__(self) -> str:
        return "{" + self.ast.text + "}"

    @property
    def compiled(self) -> "CompiledBlock":
        return compiled_block(self.ast, self.is_filter)

    def invoke_in(self, frame: Frame, dollar_under: Any = None, args: tuple | list = (),
                  input: Any = None, dot_source: bool = False) -> list:
        """Run in a child scope of ``frame`` with ``$_`` bound; returns the output objects."""
        out: list = []
        call_scriptblock(self, frame.with_emit(out.append), args=list(args), dollar_under=dollar_under,
                         input_objects=input, dot_source=dot_source, set_dollar_under=True)
        return out

    def invoke(self, dollar_under: Any = None, args: tuple | list = ()) -> list:
        """For Python callers (ems/format calculated properties)."""
        from ems.runtime.session import current_session
        session = self.session or current_session()
        with session:
            return self.invoke_in(top_frame(session), dollar_under=dollar_under, args=args)


class FunctionInfo:
    """A function or filter defined by ``function``/``filter``."""

    __slots__ = ("name", "scriptblock", "is_filter", "_meta")

    def __init__(self, name: str, scriptblock: ScriptBlock, is_filter: bool = False):
        self.name = name
        self.scriptblock = scriptblock
        self.is_filter = is_filter
        self._meta = None

    @property
    def body(self) -> str:
        return self.scriptblock.text

    @property
    def text(self) -> str:
        return self.scriptblock.text

    def __str__(self) -> str:
        return self.name


class CompiledBlock:
    __slots__ = ("begin", "process", "end", "params", "advanced", "cmdlet_binding", "meta_cache")

    def __init__(self):
        self.begin: Stmt | None = None
        self.process: Stmt | None = None
        self.end: Stmt | None = None
        self.params: list[A.ParameterAst] = []
        self.advanced = False
        self.cmdlet_binding: A.AttributeAst | None = None
        self.meta_cache: Any = None


_COMPILED: "weakref.WeakKeyDictionary[A.ScriptBlockAst, CompiledBlock]" = weakref.WeakKeyDictionary()


def compiled_block(ast: A.ScriptBlockAst, is_filter: bool = False) -> CompiledBlock:
    cb = _COMPILED.get(ast)
    if cb is not None:
        return cb
    cb = CompiledBlock()
    if ast.begin is not None:
        cb.begin = compile_block(ast.begin)
    if ast.process is not None:
        cb.process = compile_block(ast.process)
    if ast.end is not None:
        if is_filter and not ast.named_blocks and ast.process is None:
            cb.process = compile_block(ast.end)
        else:
            cb.end = compile_block(ast.end)
    pb = ast.param_block
    if pb is not None:
        cb.params = list(pb.parameters)
        cb.cmdlet_binding = pb.attribute("CmdletBinding")
        cb.advanced = cb.cmdlet_binding is not None or any(
            p.attribute("Parameter") is not None for p in pb.parameters)
    _COMPILED[ast] = cb
    return cb


# ============================================================================ variables

_CONSTANTS = {"true": True, "false": False, "null": None}


def _scope_for_write(frame: Frame, scope_name: str | None) -> Scope:
    if scope_name == "global":
        return frame.session.global_scope
    if scope_name == "script":
        return frame.scope.script_scope
    return frame.scope


def get_variable(frame: Frame, name: str, scope_name: str | None = None, extent: Any = None) -> Any:
    key = name.lower()
    if scope_name in (None, "local", "private", "variable", "script", "global"):
        if scope_name is None or scope_name == "variable":
            if key in _CONSTANTS:
                return _CONSTANTS[key]
            if key == "?":
                return frame.session.last_success
            if key == "psitem":
                key = "_"
            s = frame.scope.find(key)
        elif scope_name in ("local", "private"):
            s = frame.scope if key in frame.scope.vars else None
        elif scope_name == "script":
            s = frame.scope.script_scope.find(key)
        else:
            s = frame.session.global_scope if key in frame.session.global_scope.vars else None
        if s is not None:
            return s.vars[key]
        if frame.session.strict_version >= 1:
            raise RuntimeException(
                f"The variable '${name}' cannot be retrieved because it has not been set.",
                "VariableIsUndefined", "InvalidOperation", target=name, extent=extent)
        return None
    if scope_name == "env":
        return frame.session.env_get(name)
    if scope_name == "function":
        fn = find_function(frame, name)
        return fn.scriptblock if fn else None
    return None


def set_variable(frame: Frame, name: str, value: Any, scope_name: str | None = None) -> None:
    key = name.lower()
    if scope_name == "env":
        frame.session.env_set(name, value)
        return
    if scope_name == "function":
        if isinstance(value, ScriptBlock):
            frame.scope.functions[key] = FunctionInfo(name, value)
        return
    if key == "null" and scope_name is None:
        return  # `$null = expr` discards the value
    if key in _CONSTANTS or key == "?":
        raise RuntimeException(f"Cannot overwrite variable {name} because it is read-only or constant.",
                               "VariableNotWritable", "WriteError", target=name,
                               exception_type="SessionStateUnauthorizedAccessException")
    if key == "psitem":
        key, name = "_", "_"
    scope = _scope_for_write(frame, scope_name)
    if scope_name is None:
        # an existing constraint up the chain still applies to a new local (preferences)
        if key not in scope.constraints:
            owner = scope.find(key)
            if owner is not None and key in owner.constraints:
                scope.constraints[key] = owner.constraints[key]
    try:
        scope.set_local(name, value)
    except PSError as e:
        raise RuntimeException(e.message, e.error_id, "MetadataError",
                               exception_type="ArgumentTransformationMetadataException") from None
    if key == "lastexitcode":
        frame.session.global_scope.set_local("LASTEXITCODE", value) if scope is not frame.session.global_scope else None


def find_function(frame: Frame, name: str) -> FunctionInfo | None:
    key = name.lower()
    s: Scope | None = frame.scope
    while s is not None:
        fn = s.functions.get(key)
        if fn is not None:
            return fn
        s = s.parent
    return None


# ============================================================================ statement blocks

def compile_block(block: A.StatementBlock | None) -> Stmt:
    if block is None:
        return lambda frame: None
    stmts = [(compile_statement(s), s) for s in block.statements]
    traps = [(t, compile_block(t.body)) for t in block.traps]

    def run(frame: Frame) -> None:
        for fn, node in stmts:
            try:
                fn(frame)
            except TerminatingError as e:
                _statement_failed(frame, e)
            except FlowControl:
                raise
            except RecursionError:
                raise _call_depth_error(node) from None
            except PSError as e:
                _statement_failed(frame, _to_terminating(frame, e, node))

    def run_with_traps(frame: Frame) -> None:
        """A block with ``trap``: errors of nested blocks and called functions come up to it
        (like a ``try``); the trap runs and ``continue`` resumes after the failed statement."""
        session = frame.session
        for fn, node in stmts:
            try:
                session.try_depth += 1
                try:
                    fn(frame)
                finally:
                    session.try_depth -= 1
            except TerminatingError as e:
                if _run_trap(frame, traps, e):
                    continue
                _statement_failed(frame, e)
            except FlowControl:
                raise
            except RecursionError:
                raise _call_depth_error(node) from None
            except PSError as e:
                te = _to_terminating(frame, e, node)
                if _run_trap(frame, traps, te):
                    continue
                _statement_failed(frame, te)
    return run_with_traps if traps else run


def _call_depth_error(node: Any) -> TerminatingError:
    rec = ErrorRecord(message="The script failed due to call depth overflow.",
                      exception_type="ScriptCallDepthException", category="InvalidOperation",
                      error_id="CallDepthOverflow", script_level=True,
                      invocation=invocation_from_extent(node.extent) if node is not None else None)
    return TerminatingError(rec, script_terminating=True)


def _to_terminating(frame: Frame, e: PSError, node: Any) -> TerminatingError:
    if getattr(e, "extent", None) is None and node is not None:
        e.extent = node.extent
    rec = record_from_exception(e, None, frame.session, script_level=True)
    return TerminatingError(rec, script_terminating=bool(getattr(e, "script_terminating", False)))


def _statement_failed(frame: Frame, e: TerminatingError) -> None:
    """A terminating error reached a statement boundary with no try around it (A.10)."""
    session = frame.session
    session.last_success = False
    if session.try_depth > 0 or e.script_terminating:
        raise e
    session.uncaught = True
    if False:
        raise e
    action = action_preference(frame.preference("ErrorActionPreference"))
    if action is ActionPreference.Stop:
        e.script_terminating = True
        raise e
    session.error_count += 1
    if action is ActionPreference.Ignore:
        return
    session.add_error(e.record)
    for lst in frame.collectors:
        lst.append(e.record)
    if action is ActionPreference.SilentlyContinue:
        return
    frame.streams.error(e.record)


def _run_trap(frame: Frame, traps: list, e: TerminatingError) -> bool:
    """Run the first matching ``trap``; True when execution continues after the statement."""
    for trap, body in traps:
        if trap.type_name is not None and not _exception_matches(trap.type_name, e.record):
            continue
        frame.session.add_error(e.record)
        saved = frame.scope.vars.get("_", NO_VALUE)
        frame.scope.set_local("_", e.record)
        try:
            body(frame)
        except ContinueException:
            return True
        except BreakException:
            e.script_terminating = True  # `break` in a trap: the error ends the script
            return False
        finally:
            if saved is NO_VALUE:
                frame.scope.vars.pop("_", None)
            else:
                frame.scope.vars["_"] = saved
        frame.streams.error(e.record)
        return True
    return False


# ============================================================================ statements

def compile_statement(node: A.Statement) -> Stmt:
    fn = _STATEMENTS.get(type(node))
    if fn is None:
        raise PSError(f"Statement {type(node).__name__} is not supported.", "NotSupported",
                      "NotImplemented", extent=node.extent)
    return fn(node)


def _pipeline_statement(node: A.PipelineAst) -> Stmt:
    run = compile_pipeline(node)

    def stmt(frame: Frame) -> None:
        session = frame.session
        before = session.error_count
        try:
            run(frame, frame.emit)
        except TerminatingError:
            session.last_success = False
            raise
        session.last_success = session.error_count == before
    return stmt


def compile_pipeline(node: A.PipelineAst) -> Callable[[Frame, Callable[[Any], None]], None]:
    """A pipeline as ``run(frame, sink)``."""
    elements = node.elements
    if len(elements) == 1 and isinstance(elements[0], A.CommandExpressionAst) and not elements[0].redirections:
        expr_node = elements[0].expression
        emit_fn = _compile_emitting_expression(expr_node)
        return lambda frame, sink: emit_fn(frame, sink)
    builders = [_compile_element(e, i, len(elements)) for i, e in enumerate(elements)]

    def run(frame: Frame, sink: Callable[[Any], None]) -> None:
        processors = [b(frame, i > 0) for i, b in enumerate(builders)]
        run_pipeline(processors, sink)
    return run


def _compile_emitting_expression(node: A.Expression) -> Callable[[Frame, Callable], None]:
    """An expression used as a statement: its value goes to the pipeline, unrolled.

    ``(...)``, ``$(...)`` and ``@(...)`` pass their inner output straight through; a
    ``[void]`` cast and a method returning nothing (void) write nothing.
    """
    if isinstance(node, (A.ParenExpression,)) and node.pipeline is not None and not isinstance(
            node.pipeline, A.AssignmentStatement):
        inner = compile_pipeline(node.pipeline) if isinstance(node.pipeline, A.PipelineAst) else None
        if inner is not None:
            return lambda frame, sink: inner(frame, lambda o: emit_enumerated(sink, o))
    if isinstance(node, (A.SubExpression, A.ArrayExpression)):
        body = compile_block(node.body)

        def run_sub(frame: Frame, sink: Callable) -> None:
            body(frame.with_emit(lambda o: emit_enumerated(sink, o)))
        return run_sub
    if isinstance(node, A.ConvertExpression) and node.type_name is not None and \
            node.type_name.name.lower() in ("void", "system.void"):
        operand = compile_expr(node.operand)
        return lambda frame, sink: (operand(frame), None)[1]
    ev = compile_expr(node)
    if isinstance(node, A.InvokeMemberExpression):
        def run_invoke(frame: Frame, sink: Callable) -> None:
            v = ev(frame)
            if v is not None:
                emit_enumerated(sink, v)
        return run_invoke
    if isinstance(node, A.UnaryExpression) and node.op in ("++", "--"):
        def run_incr(frame: Frame, sink: Callable) -> None:
            ev(frame)
        return run_incr
    return lambda frame, sink: emit_enumerated(sink, ev(frame))


def _assignment_statement(node: A.AssignmentStatement) -> Stmt:
    value_fn = compile_value_statement(node.value)
    assign = compile_assign(node.target, node.op)

    def stmt(frame: Frame) -> None:
        assign(frame, value_fn(frame))
        frame.session.last_success = True
    return stmt


def compile_value_statement(node: A.Statement | None) -> Expr:
    """The value of a statement on the right of ``=`` (and in ``( )``): a pure expression
    keeps its value (``$a = 1,2`` stays an array, ``@()`` stays empty); anything else is
    collected (0 -> $null, 1 -> the object, more -> an array)."""
    if node is None:
        return lambda frame: None
    if isinstance(node, A.PipelineAst) and len(node.elements) == 1 and isinstance(
            node.elements[0], A.CommandExpressionAst) and not node.elements[0].redirections:
        return compile_expr(node.elements[0].expression)
    if isinstance(node, A.AssignmentStatement):
        inner = _assignment_statement(node)
        target_value = compile_expr(node.target) if not isinstance(node.target, A.ArrayLiteralExpression) else None

        def assign_value(frame: Frame) -> Any:
            inner(frame)
            return target_value(frame) if target_value else None
        return assign_value
    stmt = compile_statement(node)

    def collect(frame: Frame) -> Any:
        out: list = []
        stmt(frame.with_emit(out.append))
        return unwrap_output(out)
    return collect


def unwrap_output(out: list) -> Any:
    if not out:
        return None
    if len(out) == 1:
        return out[0]
    return out


def _if_statement(node: A.IfStatement) -> Stmt:
    clauses = [(compile_condition(c), compile_block(b)) for c, b in node.clauses]
    else_body = compile_block(node.else_body) if node.else_body is not None else None

    def stmt(frame: Frame) -> None:
        for cond, body in clauses:
            if cond(frame):
                body(frame)
                return
        if else_body is not None:
            else_body(frame)
    return stmt


def compile_condition(node: A.Statement | None) -> Callable[[Frame], bool]:
    value = compile_value_statement(node)
    return lambda frame: to_bool(value(frame))


def _loop_body(node: A.LoopStatement) -> Callable[[Frame], str | None]:
    """The body of a loop: returns None, 'break' or 'continue' for this loop's label."""
    body = compile_block(node.body)
    label = (node.label or "").lower() or None

    def run(frame: Frame) -> str | None:
        try:
            body(frame)
        except BreakException as e:
            if e.label is None or (label and e.label.lower() == label):
                return "break"
            raise
        except ContinueException as e:
            if e.label is None or (label and e.label.lower() == label):
                return "continue"
            raise
        return None
    return run


def _while_statement(node: A.WhileStatement) -> Stmt:
    cond = compile_condition(node.condition)
    body = _loop_body(node)

    def stmt(frame: Frame) -> None:
        while cond(frame):
            if body(frame) == "break":
                break
    return stmt


def _do_while_statement(node: A.DoWhileStatement) -> Stmt:
    cond = compile_condition(node.condition)
    body = _loop_body(node)
    until = isinstance(node, A.DoUntilStatement)

    def stmt(frame: Frame) -> None:
        while True:
            if body(frame) == "break":
                break
            c = cond(frame)
            if c == until:
                break
    return stmt


def _for_statement(node: A.ForStatement) -> Stmt:
    init = compile_statement(node.initializer) if node.initializer is not None else None
    cond = compile_condition(node.condition) if node.condition is not None else (lambda f: True)
    step = compile_statement(node.iterator) if node.iterator is not None else None
    body = _loop_body(node)

    def stmt(frame: Frame) -> None:
        if init is not None:
            _silently(init, frame)
        while cond(frame):
            if body(frame) == "break":
                break
            if step is not None:
                _silently(step, frame)
    return stmt


def _silently(stmt: Stmt, frame: Frame) -> None:
    stmt(frame.with_emit(lambda o: None))


def iterate_value(value: Any) -> list:
    """What ``foreach`` and ``switch`` walk: $null -> nothing, arrays -> items, else one."""
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    if isinstance(value, (str, dict, PSObject)):
        return [value]
    if is_enumerable(value):
        return list(value)
    return [value]


def _foreach_statement(node: A.ForEachStatement) -> Stmt:
    source = compile_value_statement(node.iterable)
    var = node.variable
    body = _loop_body(node)

    def stmt(frame: Frame) -> None:
        items = iterate_value(source(frame))
        for item in items:
            set_variable(frame, var.name, item, var.scope)
            if body(frame) == "break":
                break
    return stmt


def _switch_statement(node: A.SwitchStatement) -> Stmt:
    source = compile_value_statement(node.condition)
    flags = node.flags
    cs = "casesensitive" in flags
    mode = "regex" if "regex" in flags else "wildcard" if "wildcard" in flags else "exact"
    clauses = []
    for cond, body in node.clauses:
        if isinstance(cond, A.ScriptBlockExpression):
            sb = ScriptBlock(cond.script_block)
            clauses.append(("script", sb, compile_block(body)))
        else:
            clauses.append(("value", compile_expr(cond), compile_block(body)))
    default = compile_block(node.default) if node.default is not None else None
    label = (node.label or "").lower() or None

    def matches(frame: Frame, kind: str, test: Any, item: Any) -> bool:
        if kind == "script":
            out = call_scriptblock_collect(test, frame, dollar_under=item)
            return to_bool(unwrap_output(out))
        value = test(frame)
        if mode == "regex":
            res, m = ops.match(item, value, cs)
            if res and m is not None:
                set_variable(frame, "Matches", m)
            return bool(res)
        if mode == "wildcard":
            return bool(ops.like(to_string(item), value, cs))
        if isinstance(item, str) or isinstance(value, str):
            return ops.equals(to_string(item), to_string(value), cs)
        return ops.equals(item, value, cs)

    def stmt(frame: Frame) -> None:
        if "file" in flags:
            raise RuntimeException("switch -File is not supported by ems.", "NotSupported", "NotImplemented")
        items = iterate_value(source(frame))
        saved = frame.scope.vars.get("_", NO_VALUE)
        try:
            for item in items:
                frame.scope.set_local("_", item)
                matched = False
                try:
                    for kind, test, body in clauses:
                        if matches(frame, kind, test, item):
                            matched = True
                            body(frame)
                    if not matched and default is not None:
                        default(frame)
                except ContinueException as e:
                    if e.label is None or (label and e.label.lower() == label):
                        continue
                    raise
        except BreakException as e:
            if not (e.label is None or (label and e.label.lower() == label)):
                raise
        finally:
            if saved is NO_VALUE:
                frame.scope.vars.pop("_", None)
            else:
                frame.scope.vars["_"] = saved
    return stmt


def _function_definition(node: A.FunctionDefinition) -> Stmt:
    name = node.name
    scope_name = None
    if ":" in name:
        prefix, rest = name.split(":", 1)
        if prefix.lower() in ("global", "script", "local", "private"):
            scope_name, name = prefix.lower(), rest
    sb = ScriptBlock(node.body, node.is_filter)

    def stmt(frame: Frame) -> None:
        scope = _scope_for_write(frame, scope_name)
        scope.functions[name.lower()] = FunctionInfo(name, sb, node.is_filter)
    return stmt


def _throw_statement(node: A.ThrowStatement) -> Stmt:
    value_fn = compile_value_statement(node.pipeline) if node.pipeline is not None else None

    def stmt(frame: Frame) -> None:
        if value_fn is None:
            current = frame.scope.vars.get("_")
            if isinstance(current, ErrorRecord) and frame.session.in_catch:
                raise TerminatingError(current, script_terminating=True)  # bare throw rethrows
        value = value_fn(frame) if value_fn is not None else None
        raise TerminatingError(throw_record(value, node, frame), script_terminating=True)
    return stmt


def throw_record(value: Any, node: Any, frame: Frame) -> ErrorRecord:
    """``throw x`` -> RuntimeException record (A.9); an ErrorRecord/exception is kept."""
    if isinstance(value, ErrorRecord):
        return value
    if isinstance(value, BaseException):
        rec = record_from_exception(value, invocation_from_extent(node.extent), frame.session, script_level=True)
        return rec
    if value is None:
        message, target = "ScriptHalted", None
    else:
        message, target = to_string(value), value
    return ErrorRecord(message=message, exception_type="RuntimeException", category="OperationStopped",
                       error_id=message, target=target, invocation=invocation_from_extent(node.extent),
                       script_level=True)


def _return_statement(node: A.ReturnStatement) -> Stmt:
    inner = compile_pipeline(node.pipeline) if isinstance(node.pipeline, A.PipelineAst) else (
        compile_statement(node.pipeline) if node.pipeline is not None else None)

    def stmt(frame: Frame) -> None:
        if inner is not None:
            if isinstance(node.pipeline, A.PipelineAst):
                inner(frame, frame.emit)
            else:
                inner(frame)
        raise ReturnException()
    return stmt


def _exit_statement(node: A.ExitStatement) -> Stmt:
    value_fn = compile_value_statement(node.pipeline) if node.pipeline is not None else None

    def stmt(frame: Frame) -> None:
        code = 0
        if value_fn is not None:
            v = value_fn(frame)
            try:
                code = int(to_number(v)) if v is not None else 0
            except PSError:
                code = 0
        raise ExitException(code)
    return stmt


def _label_of(label: Any, frame: Frame) -> str | None:
    if label is None:
        return None
    if isinstance(label, str):
        return label
    return to_string(compile_expr(label)(frame))


def _break_statement(node: A.BreakStatement) -> Stmt:
    def stmt(frame: Frame) -> None:
        raise BreakException(_label_of(node.label, frame))
    return stmt


def _continue_statement(node: A.ContinueStatement) -> Stmt:
    def stmt(frame: Frame) -> None:
        raise ContinueException(_label_of(node.label, frame))
    return stmt


_CATCH_ALL = {"exception", "system.exception", "systemexception", "system.systemexception"}
_RUNTIME_BASES = {"runtimeexception", "system.management.automation.runtimeexception"}
_ENGINE_EXCEPTIONS = {"RuntimeException", "ParameterBindingException", "CommandNotFoundException",
                      "ActionPreferenceStopException", "ParseException", "PSInvalidCastException",
                      "ScriptCallDepthException", "MethodInvocationException",
                      "PSInvalidOperationException", "ItemNotFoundException", "WriteErrorException",
                      "ParentContainsErrorRecordException", "PSArgumentException",
                      "ArgumentTransformationMetadataException", "SessionStateUnauthorizedAccessException",
                      "ValidationMetadataException", "PSNotSupportedException"}


def _exception_matches(type_name: A.TypeName, record: ErrorRecord) -> bool:
    want = type_name.full_name.lower()
    if want in _CATCH_ALL:
        return True
    have = record.exception_type
    short = want.rsplit(".", 1)[-1]
    if short == have.lower():
        return True
    inner = getattr(record.exception, "inner_type", None)
    if inner and short == inner.lower():
        return True
    if want in _RUNTIME_BASES:
        return have in _ENGINE_EXCEPTIONS or not record.remote
    if short in ("invalidcastexception", "psinvalidcastexception") and "Cast" in record.error_id:
        return True
    return False


def _try_statement(node: A.TryStatement) -> Stmt:
    body = compile_block(node.body)
    catches = [(c.types, compile_block(c.body)) for c in node.catches]
    fin = compile_block(node.finally_body) if node.finally_body is not None else None

    def stmt(frame: Frame) -> None:
        session = frame.session
        try:
            session.try_depth += 1
            try:
                body(frame)
            finally:
                session.try_depth -= 1
        except TerminatingError as e:
            record = e.record
            for types, handler in catches:
                if types and not any(_exception_matches(t, record) for t in types):
                    continue
                if record not in session.errors[:1]:
                    session.add_error(record)
                saved = frame.scope.vars.get("_", NO_VALUE)
                frame.scope.set_local("_", record)
                session.in_catch += 1
                try:
                    handler(frame)
                finally:
                    session.in_catch -= 1
                    if saved is NO_VALUE:
                        frame.scope.vars.pop("_", None)
                    else:
                        frame.scope.vars["_"] = saved
                break
            else:
                raise
        finally:
            if fin is not None:
                fin(frame)
    return stmt


def _trap_statement(node: A.TrapStatement) -> Stmt:
    return lambda frame: None


_STATEMENTS: dict[type, Callable[[Any], Stmt]] = {
    A.PipelineAst: _pipeline_statement,
    A.AssignmentStatement: _assignment_statement,
    A.IfStatement: _if_statement,
    A.WhileStatement: _while_statement,
    A.DoWhileStatement: _do_while_statement,
    A.DoUntilStatement: _do_while_statement,
    A.ForStatement: _for_statement,
    A.ForEachStatement: _foreach_statement,
    A.SwitchStatement: _switch_statement,
    A.FunctionDefinition: _function_definition,
    A.ThrowStatement: _throw_statement,
    A.ReturnStatement: _return_statement,
    A.ExitStatement: _exit_statement,
    A.BreakStatement: _break_statement,
    A.ContinueStatement: _continue_statement,
    A.TryStatement: _try_statement,
    A.TrapStatement: _trap_statement,
}


# ============================================================================ assignment

def compile_assign(target: A.Expression, op: str) -> Callable[[Frame, Any], None]:
    binop = _COMPOUND.get(op)
    if isinstance(target, A.ArrayLiteralExpression):
        setters = [compile_assign(t, "=") for t in target.elements]

        def multi(frame: Frame, value: Any) -> None:
            items = value if isinstance(value, list) else [value]
            n = len(setters)
            for i, setter in enumerate(setters):
                if i < n - 1:
                    setter(frame, items[i] if i < len(items) else None)
                else:
                    rest = items[i:]
                    setter(frame, rest[0] if len(rest) == 1 else (rest if rest else None))
        return multi
    if isinstance(target, A.ConvertExpression):
        tname = target.type_name
        inner = target.operand
        if isinstance(inner, A.VariableExpression):
            def typed(frame: Frame, value: Any) -> None:
                t = _resolve_type_or_error(tname, target.extent)
                if binop is not None:
                    value = binop(get_variable(frame, inner.name, inner.scope), value)
                scope = _scope_for_write(frame, inner.scope)
                scope.constraints[inner.name.lower()] = t
                set_variable(frame, inner.name, t.convert(value), inner.scope)
            return typed
        target = inner
    if isinstance(target, A.VariableExpression):
        name, scope_name = target.name, target.scope
        if binop is None:
            return lambda frame, value: set_variable(frame, name, value, scope_name)

        def compound(frame: Frame, value: Any) -> None:
            set_variable(frame, name, binop(get_variable(frame, name, scope_name), value), scope_name)
        return compound
    if isinstance(target, A.MemberExpression):
        obj_fn = compile_expr(target.target)
        member_fn = _member_name_fn(target)
        from ems.lang.members import get_member, set_member

        def member(frame: Frame, value: Any) -> None:
            obj = obj_fn(frame)
            name = member_fn(frame)
            if binop is not None:
                value = binop(get_member(obj, name, frame), value)
            set_member(obj, name, value, frame, target.extent)
        return member
    if isinstance(target, A.IndexExpression):
        obj_fn = compile_expr(target.target)
        idx_fn = compile_expr(target.index)
        from ems.lang.members import get_index, set_index

        def index(frame: Frame, value: Any) -> None:
            obj = obj_fn(frame)
            idx = idx_fn(frame)
            if binop is not None:
                value = binop(get_index(obj, idx, frame), value)
            set_index(obj, idx, value, target.extent)
        return index
    raise PSError("The assignment expression is not valid. The input to an assignment operator must be an "
                  "object that is able to accept assignments, such as a variable or a property.",
                  "InvalidLeftHandSide", "ParserError", extent=target.extent)


_COMPOUND = {"+=": ops.add, "-=": ops.subtract, "*=": ops.multiply, "/=": ops.divide,
             "%=": ops.modulo}


# ============================================================================ expressions

def compile_expr(node: A.Expression | None) -> Expr:
    if node is None:
        return lambda frame: None
    fn = _EXPRESSIONS.get(type(node))
    if fn is None:
        if isinstance(node, A.Statement):
            return compile_value_statement(node)
        raise PSError(f"Expression {type(node).__name__} is not supported.", "NotSupported",
                      "NotImplemented", extent=node.extent)
    return fn(node)


def _constant(node: A.ConstantExpression) -> Expr:
    v = node.value
    return lambda frame: v


def _string_constant(node: A.StringConstantExpression) -> Expr:
    v = node.value
    return lambda frame: v


def _expandable(node: A.ExpandableStringExpression) -> Expr:
    parts: list[Any] = []
    for p in node.parts:
        if isinstance(p, str):
            parts.append(p)
        else:
            parts.append(compile_expr(p))

    def run(frame: Frame) -> str:
        ofs = None
        out = []
        for p in parts:
            if isinstance(p, str):
                out.append(p)
            else:
                v = p(frame)
                if isinstance(v, list):
                    if ofs is None:
                        o = get_variable(frame, "OFS") if frame.scope.find("ofs") else None
                        ofs = " " if o is None else to_string(o)
                    out.append(to_string(v, ofs))
                else:
                    out.append(to_string(v))
        return "".join(out)
    return run


def _variable(node: A.VariableExpression) -> Expr:
    name, scope_name, extent = node.name, node.scope, node.extent
    key = name.lower()
    if scope_name is None and key in _CONSTANTS:
        v = _CONSTANTS[key]
        return lambda frame: v
    if scope_name is None and key not in ("?", "psitem"):
        def fast(frame: Frame) -> Any:
            s = frame.scope
            while s is not None:
                vars_ = s.vars
                if key in vars_:
                    return vars_[key]
                s = s.parent
            if frame.session.strict_version >= 1:
                raise RuntimeException(
                    f"The variable '${name}' cannot be retrieved because it has not been set.",
                    "VariableIsUndefined", "InvalidOperation", target=name, extent=extent)
            return None
        return fast
    return lambda frame: get_variable(frame, name, scope_name, extent)


def _array_literal(node: A.ArrayLiteralExpression) -> Expr:
    items = [compile_expr(e) for e in node.elements]
    return lambda frame: [f(frame) for f in items]


def _array_expression(node: A.ArrayExpression) -> Expr:
    body = compile_block(node.body)

    def run(frame: Frame) -> list:
        out: list = []
        body(frame.with_emit(lambda o: emit_enumerated(out.append, o)))
        return out
    return run


def _sub_expression(node: A.SubExpression) -> Expr:
    body = compile_block(node.body)

    def run(frame: Frame) -> Any:
        out: list = []
        body(frame.with_emit(lambda o: emit_enumerated(out.append, o)))
        return unwrap_output(out)
    return run


def _paren(node: A.ParenExpression) -> Expr:
    inner = node.pipeline
    if isinstance(inner, A.PipelineAst) and len(inner.elements) == 1 and isinstance(
            inner.elements[0], A.CommandExpressionAst) and not inner.elements[0].redirections:
        return compile_expr(inner.elements[0].expression)
    return compile_value_statement(inner)


def _hashtable(node: A.HashtableExpression) -> Expr:
    pairs = [(compile_expr(k), compile_value_statement(v)) for k, v in node.pairs]

    def run(frame: Frame) -> Hashtable:
        h = Hashtable()
        for k, v in pairs:
            key = k(frame)
            if key in h:
                raise RuntimeException(
                    f"Duplicate keys '{to_string(key)}' are not allowed in hash literals.",
                    "DuplicateKeyInHashLiteral", "InvalidOperation")
            h[key] = v(frame)
        return h
    return run


def _scriptblock_expr(node: A.ScriptBlockExpression) -> Expr:
    sb_ast = node.script_block
    return lambda frame: ScriptBlock(sb_ast, session=frame.session)


_BINARY_SIMPLE = {
    "+": ops.add, "-": ops.subtract, "*": ops.multiply, "/": ops.divide, "%": ops.modulo,
    "..": ops.range_op, "-band": ops.band, "-bor": ops.bor, "-bxor": ops.bxor,
    "-shl": ops.shl, "-shr": ops.shr,
}


def _binary(node: A.BinaryExpression) -> Expr:
    op = node.op
    left = compile_expr(node.left)
    extent = node.extent
    if op == "-and":
        right = compile_expr(node.right)
        return lambda frame: to_bool(left(frame)) and to_bool(right(frame))
    if op == "-or":
        right = compile_expr(node.right)
        return lambda frame: to_bool(left(frame)) or to_bool(right(frame))
    if op == "-xor":
        right = compile_expr(node.right)
        return lambda frame: to_bool(left(frame)) != to_bool(right(frame))
    if op in ("-is", "-isnot", "-as"):
        right = _type_operand(node.right, lenient=op != "-as")
        if op == "-as":
            return lambda frame: ops.as_type(left(frame), right(frame))
        neg = op == "-isnot"
        return lambda frame: ops.is_type(left(frame), right(frame)) != neg
    right = compile_expr(node.right)
    simple = _BINARY_SIMPLE.get(op)
    if simple is not None:
        def run(frame: Frame) -> Any:
            return simple(left(frame), right(frame))
        return _with_extent(run, extent)
    if op == "-f":
        def fmt(frame: Frame) -> str:
            args = right(frame)
            return ops.format_operator(to_string(left(frame)), args if isinstance(args, list) else [args])
        return _with_extent(fmt, extent)
    name, cs = ops.split_operator_name(op)
    if name in ("eq", "ne", "gt", "ge", "lt", "le"):
        return _with_extent(lambda frame: ops.relational(name, left(frame), right(frame), cs), extent)
    if name in ("like", "notlike"):
        neg = name == "notlike"
        return lambda frame: ops.like(left(frame), right(frame), cs, neg)
    if name in ("match", "notmatch"):
        neg = name == "notmatch"

        def match(frame: Frame) -> Any:
            result, m = ops.match(left(frame), right(frame), cs, neg)
            if m is not None:
                set_variable(frame, "Matches", m)
            return result
        return _with_extent(match, extent)
    if name in ("contains", "notcontains"):
        neg = name == "notcontains"
        return lambda frame: ops.contains(left(frame), right(frame), cs) != neg
    if name in ("in", "notin"):
        neg = name == "notin"
        return lambda frame: ops.contains(right(frame), left(frame), cs) != neg
    if name == "replace":
        return _with_extent(lambda frame: ops.replace(left(frame), right(frame), cs), extent)
    if name == "split":
        return _with_extent(lambda frame: ops.split(left(frame), right(frame), cs), extent)
    if name == "join":
        return lambda frame: ops.join(left(frame), right(frame))
    raise PSError(f"Operator {op} is not supported.", "NotSupported", "NotImplemented", extent=node.extent)


def _with_extent(fn: Expr, extent: Any) -> Expr:
    """Runtime errors of an operator point at the whole expression."""
    def run(frame: Frame) -> Any:
        try:
            return fn(frame)
        except PSError as e:
            if getattr(e, "extent", None) is None:
                e.extent = extent
            raise
    return run


def _type_operand(node: A.Expression, lenient: bool = False) -> Callable[[Frame], PSType]:
    """The type on the right of -is/-as and before ``::``. ``lenient`` (-is/-isnot): a
    namespace-qualified name ems has no class for still tests the object's type-name list, so
    ``$db -is [Microsoft.Exchange.Data.Directory.SystemConfiguration.MailboxDatabase]`` works."""
    if isinstance(node, A.TypeExpression):
        tname = node.type_name
        if lenient and "." in tname.full_name:
            def by_name(frame: Frame) -> PSType:
                t = resolve_type(tname.full_name)
                return t if t is not None else _name_only_type(tname.full_name)
            return by_name
        return lambda frame: _resolve_type_or_error(tname, node.extent)
    value = compile_expr(node)

    def run(frame: Frame) -> PSType:
        v = value(frame)
        if isinstance(v, PSType):
            return v
        t = resolve_type(to_string(v))
        if t is None:
            raise RuntimeException(f"Unable to find type [{to_string(v)}].", "TypeNotFound",
                                   "InvalidOperation", target=to_string(v), extent=node.extent)
        return t
    return run


def _name_only_type(full_name: str) -> PSType:
    from ems.runtime.values import type_names
    low = full_name.lower()
    return PSType(full_name, lambda v: v is not None and any(n.lower() == low for n in type_names(v)),
                  lambda v: v)


def _resolve_type_or_error(tname: A.TypeName, extent: Any) -> PSType:
    t = resolve_type(tname.full_name)
    if t is None:
        raise RuntimeException(f"Unable to find type [{tname.full_name}].", "TypeNotFound",
                               "InvalidOperation", target=tname.full_name, extent=extent)
    return t


def _unary(node: A.UnaryExpression) -> Expr:
    op = node.op
    if op in ("++", "--"):
        return _increment(node)
    operand = compile_expr(node.operand)
    if op == "-not":
        return lambda frame: not to_bool(operand(frame))
    if op == "-bnot":
        return lambda frame: ops.bnot(operand(frame))
    if op == "-":
        return _with_extent(lambda frame: ops.negate(operand(frame)), node.extent)
    if op == "+":
        return _with_extent(lambda frame: to_number(operand(frame)), node.extent)
    if op == ",":
        return lambda frame: [operand(frame)]
    if op == "-split":
        return lambda frame: ops.unary_split(operand(frame))
    if op == "-join":
        return lambda frame: ops.join(operand(frame), "")
    raise PSError(f"Operator {op} is not supported.", "NotSupported", "NotImplemented", extent=node.extent)


def _increment(node: A.UnaryExpression) -> Expr:
    delta = 1 if node.op == "++" else -1
    getter = compile_expr(node.operand)
    setter = compile_assign(node.operand, "=")

    def run(frame: Frame) -> Any:
        old = getter(frame)
        new = ops.add(old if old is not None else 0, delta)
        setter(frame, new)
        return old if node.postfix else new
    return run


def _convert(node: A.ConvertExpression) -> Expr:
    tname = node.type_name
    low = tname.full_name.lower()
    operand = compile_expr(node.operand)
    if low in ("ordered", "system.collections.specialized.ordereddictionary") and isinstance(node.operand, A.HashtableExpression):
        def ordered(frame: Frame) -> Hashtable:
            h = operand(frame)
            h.ordered = True
            return h
        return ordered
    if low in ("pscustomobject", "system.management.automation.pscustomobject") and isinstance(
            node.operand, A.HashtableExpression):
        return lambda frame: PSObject(operand(frame).items())
    if low in ("void", "system.void"):
        return lambda frame: (operand(frame), None)[1]
    if low in ("ref", "system.management.automation.psreference"):
        var = node.operand
        if isinstance(var, A.VariableExpression):
            return lambda frame: VariableRef(frame, var.name, var.scope)
        return lambda frame: ValueRef(operand(frame))

    def run(frame: Frame) -> Any:
        t = _resolve_type_or_error(tname, node.extent)
        value = operand(frame)
        if isinstance(value, list) and t.full_name == "System.String":
            ofs = frame.get_var("OFS")
            return to_string(value, " " if ofs is None else to_string(ofs))
        try:
            return t.convert(value)
        except PSError as e:
            if getattr(e, "extent", None) is None:
                e.extent = node.extent
            raise
    return run


class VariableRef(ValueRef):
    """``[ref]$x``: ``.Value`` is the variable itself (``[int]::TryParse($s, [ref]$n)``)."""

    def __init__(self, frame: Frame, name: str, scope_name: str | None):
        self._frame, self._name, self._scope = frame, name, scope_name

    @property
    def value(self) -> Any:
        return get_variable(self._frame, self._name, self._scope)

    @value.setter
    def value(self, v: Any) -> None:
        set_variable(self._frame, self._name, v, self._scope)


def _type_expr(node: A.TypeExpression) -> Expr:
    tname = node.type_name
    return lambda frame: _resolve_type_or_error(tname, node.extent)


def _member_name_fn(node: A.MemberExpression) -> Callable[[Frame], str]:
    name = node.member_name
    if name is not None:
        return lambda frame: name
    m = compile_expr(node.member)
    return lambda frame: to_string(m(frame))


def _member(node: A.MemberExpression) -> Expr:
    from ems.lang.members import get_member, get_static_member
    name_fn = _member_name_fn(node)
    extent = node.extent
    if node.static:
        type_fn = _type_operand(node.target)
        return lambda frame: get_static_member(type_fn(frame), name_fn(frame), extent)
    target = compile_expr(node.target)

    def run(frame: Frame) -> Any:
        return get_member(target(frame), name_fn(frame), frame, extent)
    return run


def _invoke_member(node: A.InvokeMemberExpression) -> Expr:
    from ems.lang.members import call_method, call_static_method
    name_fn = _member_name_fn(node)
    args = [compile_expr(a) for a in node.arguments]
    extent = node.extent
    if node.static:
        type_fn = _type_operand(node.target)

        def static(frame: Frame) -> Any:
            return call_static_method(type_fn(frame), name_fn(frame), [a(frame) for a in args], frame, extent)
        return static
    target = compile_expr(node.target)

    def run(frame: Frame) -> Any:
        return call_method(target(frame), name_fn(frame), [a(frame) for a in args], frame, extent)
    return run


def _index(node: A.IndexExpression) -> Expr:
    from ems.lang.members import get_index
    target = compile_expr(node.target)
    index = compile_expr(node.index)
    extent = node.extent

    def run(frame: Frame) -> Any:
        try:
            return get_index(target(frame), index(frame), frame)
        except PSError as e:
            if getattr(e, "extent", None) is None:
                e.extent = extent
            raise
    return run


_EXPRESSIONS: dict[type, Callable[[Any], Expr]] = {
    A.ConstantExpression: _constant,
    A.StringConstantExpression: _string_constant,
    A.ExpandableStringExpression: _expandable,
    A.VariableExpression: _variable,
    A.ArrayLiteralExpression: _array_literal,
    A.ArrayExpression: _array_expression,
    A.SubExpression: _sub_expression,
    A.ParenExpression: _paren,
    A.HashtableExpression: _hashtable,
    A.ScriptBlockExpression: _scriptblock_expr,
    A.BinaryExpression: _binary,
    A.UnaryExpression: _unary,
    A.ConvertExpression: _convert,
    A.TypeExpression: _type_expr,
    A.MemberExpression: _member,
    A.InvokeMemberExpression: _invoke_member,
    A.IndexExpression: _index,
}


# ============================================================================ commands

def _compile_element(node: A.CommandBase, index: int, count: int) -> Callable[[Frame, bool], Processor]:
    redirect = _compile_redirections(node.redirections)
    if isinstance(node, A.CommandExpressionAst):
        expr = compile_expr(node.expression)

        def make_expr(frame: Frame, expect_input: bool) -> Processor:
            f = redirect(frame) if redirect else frame
            return ExpressionProcessor(f, expr, node)
        return _wrap_redirect_output(make_expr, node.redirections)
    assert isinstance(node, A.CommandAst)
    name_fn = compile_expr(node.name) if node.name is not None else (lambda f: None)
    elements = [_compile_command_element(e) for e in node.elements]

    def make(frame: Frame, expect_input: bool) -> Processor:
        f = redirect(frame) if redirect else frame
        args: list[Arg] = []
        for el in elements:
            el(f, args)
        proc = make_command_processor(f, node, name_fn(f), args, expect_input)
        if merge:
            _merge_into_output(f, proc, merge)
        return proc
    merge = {r.stream for r in node.redirections if r.merge_to == "1"}
    return _wrap_redirect_output(make, node.redirections)


def _merge_into_output(frame: Frame, proc: Processor, streams: set) -> None:
    """``2>&1`` / ``3>&1`` / ``*>&1``: records of those streams become output of the element."""
    if streams & {"2", "*"}:
        frame.streams.error = lambda rec: proc.downstream(rec)
    if streams & {"3", "*"}:
        frame.streams.warning = lambda msg: proc.downstream(msg)


def _compile_command_element(el: Any) -> Callable[[Frame, list], None]:
    if isinstance(el, A.CommandParameterAst):
        arg_fn = compile_expr(el.argument) if el.argument is not None else None
        name, colon, text, extent = el.name, el.colon, el.text, el.extent

        def param(frame: Frame, args: list) -> None:
            value = arg_fn(frame) if arg_fn is not None else NO_VALUE
            args.append(Arg(value, extent, name=name, colon=colon, is_param=True, text=text or f"-{name}"))
        return param
    if isinstance(el, A.VariableExpression) and el.splatted:
        name, scope_name, extent = el.name, el.scope, el.extent

        def splatted(frame: Frame, args: list) -> None:
            args.extend(splat(get_variable(frame, name, scope_name), extent))
        return splatted
    value_fn = compile_expr(el)
    extent = el.extent

    def positional(frame: Frame, args: list) -> None:
        args.append(Arg(value_fn(frame), extent))
    return positional


def _compile_redirections(redirs: list[A.RedirectionAst]) -> Callable[[Frame], Frame] | None:
    """Stream redirections other than output-to-file (``2>&1``, ``2>$null``, ``3>$null``)."""
    changes = []
    for r in redirs:
        if r.stream in ("1",) and r.merge_to is None:
            continue
        changes.append(r)
    if not changes:
        return None
    targets = {id(r): (compile_expr(r.target) if r.target is not None else None) for r in changes}

    def apply(frame: Frame) -> Frame:
        streams = frame.streams.copy()
        emit = frame.emit
        for r in changes:
            stream = r.stream
            if r.merge_to == "1":
                if stream in ("2", "*"):
                    streams.error = lambda rec, f=frame: f.emit(rec)
                if stream in ("3", "*"):
                    streams.warning = lambda msg, f=frame: f.emit(msg)
                continue
            tgt = targets[id(r)]
            is_null = isinstance(r.target, A.VariableExpression) and r.target.name.lower() == "null"
            if is_null:
                sink_fn = lambda *a: None
            else:
                path = to_string(tgt(frame)) if tgt else ""
                sink_fn = _file_writer(frame, path, r.append)
            if stream in ("2", "*"):
                streams.error = (lambda rec: None) if is_null else (
                    lambda rec, w=sink_fn, f=frame: w(_render_error(f, rec) + "\n"))
            if stream in ("3", "*"):
                streams.warning = (lambda m: None) if is_null else (lambda m, w=sink_fn: w(f"WARNING: {m}\n"))
            if stream in ("4", "*"):
                streams.verbose = (lambda m: None) if is_null else (lambda m, w=sink_fn: w(f"VERBOSE: {m}\n"))
            if stream in ("5", "*"):
                streams.debug = (lambda m: None) if is_null else (lambda m, w=sink_fn: w(f"DEBUG: {m}\n"))
            if stream in ("6", "*"):
                streams.host = (lambda m: None) if is_null else (lambda m, w=sink_fn: w(m))
        f2 = frame.copy()
        f2.streams = streams
        f2.emit = emit
        return f2
    return apply


def _render_error(frame: Frame, record: ErrorRecord) -> str:
    from ems.format.errorview import render
    return render(record, frame.session.width)


def _file_writer(frame: Frame, path: str, append: bool) -> Callable[[str], None]:
    state = {"first": True}

    def write(text: str) -> None:
        mode = "a" if (append or not state["first"]) else "w"
        state["first"] = False
        try:
            with open(os.path.expanduser(path), mode, encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as e:
            raise RuntimeException(f"Could not find a part of the path '{path}'.", "FileOpenFailure",
                                   "OpenError", target=path,
                                   exception_type="DirectoryNotFoundException") from e
    return write


def _wrap_redirect_output(make: Callable[[Frame, bool], Processor],
                          redirs: list[A.RedirectionAst]) -> Callable[[Frame, bool], Processor]:
    """``> file`` / ``>> file`` / ``> $null`` on a pipeline element: output -> formatted text."""
    outs = [r for r in redirs if r.stream in ("1", "*") and r.merge_to is None]
    if not outs:
        return make
    r = outs[-1]
    target = compile_expr(r.target) if r.target is not None else None
    is_null = isinstance(r.target, A.VariableExpression) and r.target.name.lower() == "null"

    def wrapped(frame: Frame, expect_input: bool) -> Processor:
        proc = make(frame, expect_input)
        if is_null:
            return _RedirectProcessor(proc, None)
        path = to_string(target(frame)) if target else ""
        return _RedirectProcessor(proc, _file_writer(frame, path, r.append), frame)
    return wrapped


class _RedirectProcessor(Processor):
    """Wraps an element whose output goes to a file (formatted like Out-File) or nowhere."""

    def __init__(self, inner: Processor, writer: Callable[[str], None] | None, frame: Frame | None = None):
        self.inner = inner
        self.writer = writer
        self.frame = frame
        self.objects: list = []

    def begin(self) -> None:
        self.inner.downstream = self.objects.append if self.writer else (lambda o: None)
        self.inner.first = self.first
        self.inner.begin()

    def process(self, obj: Any) -> None:
        self.inner.process(obj)

    def run_without_input(self) -> None:
        self.inner.run_without_input()

    def end(self) -> None:
        self.inner.end()
        if self.writer is not None:
            self.writer(format_objects(self.objects, 80 if self.frame is None else self.frame.session.width))


def format_objects(objects: list, width: int) -> str:
    """Objects as Out-String text (the formatter's Out-Default, fallback str())."""
    od = make_out_default(width)
    text = "".join(od.feed(o) for o in objects)
    return text + od.close()


class _FallbackOutDefault:
    def feed(self, obj: Any) -> str:
        if obj is None:
            return ""
        if isinstance(obj, ErrorRecord):
            from ems.format.errorview import render
            return render(obj) + "\n"
        from ems.lang.conversion import to_display_string
        return to_display_string(obj) + "\n"

    def close(self) -> str:
        return ""


def make_out_default(width: int, enumeration_limit: Any = 4) -> Any:
    try:
        from ems.format import OutDefault  # type: ignore[attr-defined]
    except ImportError:
        return _FallbackOutDefault()
    limit = enumeration_limit if isinstance(enumeration_limit, int) and not isinstance(enumeration_limit, bool) else 4
    return OutDefault(width, limit)


class ExpressionProcessor(Processor):
    """An expression as the first pipeline element: its value, unrolled."""

    def __init__(self, frame: Frame, expr: Expr, node: Any):
        self.frame = frame
        self.expr = expr
        self.node = node

    def run_without_input(self) -> None:
        emit_enumerated(self.downstream, self.expr(self.frame))

    def process(self, obj: Any) -> None:
        raise RuntimeException("Expressions are only allowed as the first element of a pipeline.",
                               "ExpressionsMustBeFirstInPipeline", "ParserError", extent=self.node.extent)


def command_not_found(name: str, extent: Any) -> TerminatingError:
    err = PSError(
        f"The term '{name}' is not recognized as the name of a cmdlet, function, script file, or operable "
        "program. Check the spelling of the name, or if a path was included, verify that the path is "
        "correct and try again.", "CommandNotFoundException", "ObjectNotFound", target=name,
        exception_type="CommandNotFoundException")
    inv = invocation_from_extent(extent, "", name)
    rec = ErrorRecord(message=err.message, exception_type="CommandNotFoundException",
                      category="ObjectNotFound", error_id="CommandNotFoundException", target=name,
                      invocation=inv, script_level=True, prefix=f"{name} : ", exception=err)
    return TerminatingError(rec)


def resolve_command(frame: Frame, name: str) -> tuple[str, Any]:
    """Alias -> function -> cmdlet -> script file -> ``Get-`` + name (A.2)."""
    from ems.runtime.cmdlet import REGISTRY
    seen = set()
    current = name
    while True:
        key = current.lower()
        if key in seen:
            break
        seen.add(key)
        target = frame.session.aliases.get(key) or _cmdlet_alias(key)
        if target is not None and target.lower() != key:
            current = target
            continue
        break
    key = current.lower()
    fn = find_function(frame, key)
    if fn is not None:
        return "function", fn
    cls = REGISTRY.get(key)
    if cls is not None:
        return "cmdlet", cls
    path = _script_path(frame, current)
    if path is not None:
        return "script", path
    if "-" not in key and "\\" not in key and "/" not in key:
        cls = REGISTRY.get("get-" + key)
        if cls is not None:
            return "cmdlet", cls
        fn = find_function(frame, "get-" + key)
        if fn is not None:
            return "function", fn
    return "", None


_ALIAS_INDEX: dict[str, str] = {}
_ALIAS_INDEX_SIZE = [-1]


def _cmdlet_alias(key: str) -> str | None:
    from ems.runtime.cmdlet import REGISTRY
    if _ALIAS_INDEX_SIZE[0] != len(REGISTRY):
        _ALIAS_INDEX.clear()
        for cls in REGISTRY.values():
            for a in cls.aliases:
                _ALIAS_INDEX[a.lower()] = cls.name
        _ALIAS_INDEX_SIZE[0] = len(REGISTRY)
    return _ALIAS_INDEX.get(key)


def _script_path(frame: Frame, name: str) -> str | None:
    if not (name.lower().endswith(".ps1") or "/" in name or "\\" in name):
        return None
    candidates = [name, name.replace("\\", "/")]
    if not name.lower().endswith(".ps1"):
        candidates += [c + ".ps1" for c in candidates]
    base = frame.scope.script_scope.vars.get("psscriptroot") or ""
    for c in list(candidates):
        if c.startswith("./") or c.startswith(".\\"):
            pass
        elif base and not os.path.isabs(c):
            candidates.append(os.path.join(base, c))
    for c in candidates:
        if os.path.isfile(c):
            return os.path.abspath(c)
    return None


def make_command_processor(frame: Frame, node: A.CommandAst, name_value: Any, args: list[Arg],
                           expect_input: bool) -> Processor:
    op = node.invocation_operator
    dot = op == "."
    if isinstance(name_value, ScriptBlock):
        inv = invocation_from_extent(node.extent, "", "")
        return ScriptBlockProcessor(frame, name_value, args, node, inv, dot_source=dot,
                                    expect_input=expect_input, display_name=None)
    if isinstance(name_value, FunctionInfo):
        kind, target = "function", name_value
        name = name_value.name
    else:
        name = to_string(name_value)
        kind, target = resolve_command(frame, name)
    if kind == "" and name.lower() in ("cmd", "cmd.exe"):
        return NativeCmdProcessor(frame, args, node)
    if kind == "":
        raise command_not_found(name, node.name.extent if node.name is not None else node.extent)
    if kind == "cmdlet":
        cls = target
        inv = invocation_from_extent(node.extent, cls.name, name if op is None else cls.name,
                                     cls.dotnet_class)
        meta = meta_from_cmdlet(cls)
        try:
            state = bind_arguments(meta, args, node.extent, expect_input)
            resolve_set(state, expect_input)
        except BindingError as e:
            if e.extent is None:
                e.extent = node.extent
            raise TerminatingError(record_from_exception(e, inv, frame.session)) from None
        return CmdletProcessor(frame, cls, state, inv, node.extent, expect_input)
    if kind == "function":
        inv = invocation_from_extent(node.extent, target.name, name)
        return ScriptBlockProcessor(frame, target.scriptblock, args, node, inv, dot_source=dot,
                                    expect_input=expect_input, display_name=target.name,
                                    function=target)
    # script file
    path = target
    sb = load_script(path)
    # an external script's records read "<full path> : ..." and end their id in ",<file name>"
    inv = invocation_from_extent(node.extent, os.path.basename(path), path)
    return ScriptBlockProcessor(frame, sb, args, node, inv, dot_source=dot, expect_input=expect_input,
                                display_name=os.path.basename(path), script_path=path)


class NativeCmdProcessor(Processor):
    """``cmd /c "exit N"``: the one native command EMS scripts rely on (Microsoft's DAG scripts
    reset ``$LASTEXITCODE`` with it). Anything else is reported as not available."""

    def __init__(self, frame: Frame, args: list[Arg], node: Any):
        self.frame, self.node = frame, node
        self.words = [to_string(a.text if a.is_param else a.value) for a in args]

    def run_without_input(self) -> None:
        words = " ".join(self.words).replace('"', " ").split()
        if len(words) >= 2 and words[0].lower() == "/c" and words[1].lower() == "exit":
            try:
                code = int(words[2]) if len(words) > 2 else 0
            except ValueError:
                code = 0
            set_variable(self.frame, "LASTEXITCODE", code, "global")
            if code != 0:
                self.frame.session.error_count += 1  # a native command's $? is ($LASTEXITCODE -eq 0)
            return
        raise command_not_found("cmd", self.node.name.extent if self.node.name is not None else self.node.extent)


_SCRIPT_CACHE: dict[str, tuple[float, ScriptBlock]] = {}


def load_script(path: str) -> ScriptBlock:
    from ems.lang.parser import parse
    mtime = os.path.getmtime(path)
    hit = _SCRIPT_CACHE.get(path)
    if hit is not None and hit[0] == mtime:
        return hit[1]
    with open(path, encoding="utf-8-sig") as fh:
        text = fh.read()
    sb = ScriptBlock(parse(text, file=path))
    _SCRIPT_CACHE[path] = (mtime, sb)
    return sb


# ============================================================================ script blocks as commands

class PSCmdletShim:
    """``$PSCmdlet`` inside an advanced function: ShouldProcess, WriteError, ..."""

    def __init__(self, processor: "ScriptBlockProcessor"):
        self._p = processor
        self.yes_to_all = False
        self.no_to_all = False

    @property
    def ParameterSetName(self) -> str:
        return self._p.state.set_name or "__AllParameterSets" if self._p.state else "__AllParameterSets"

    @property
    def MyInvocation(self) -> Any:
        return self._p.scope.vars.get("myinvocation")

    def ps_properties(self):
        return [("ParameterSetName", self.ParameterSetName), ("MyInvocation", self.MyInvocation)]

    def ShouldProcess(self, target: Any, action: Any = None, *rest: Any) -> bool:
        from ems.runtime.pipeline import confirm_prompt
        from ems.runtime.preferences import ConfirmImpact, confirm_impact
        frame = self._p.inner_frame
        name = self._p.display_name or ""
        if rest:  # ShouldProcess(verboseDescription, verboseWarning, caption)
            text = to_string(target)
        else:
            text = f'Performing the operation "{to_string(action) if action is not None else name}" ' \
                   f'on target "{to_string(target)}".'
        if to_bool(frame.preference("WhatIfPreference")):
            frame.streams.host(f"What if: {text}\n")
            return False
        if self.yes_to_all:
            return True
        if self.no_to_all:
            return False
        impact = confirm_impact(self._p.confirm_impact, ConfirmImpact.Medium)
        pref = confirm_impact(frame.preference("ConfirmPreference"))
        if pref.value == 0 or impact.value < pref.value:
            return True
        return confirm_prompt(frame, text, self)

    def ShouldContinue(self, query: Any, caption: Any = None, *rest: Any) -> bool:
        from ems.runtime.pipeline import confirm_prompt
        return confirm_prompt(self._p.inner_frame, to_string(query), self)

    def WriteError(self, record: Any) -> None:
        rec = record if isinstance(record, ErrorRecord) else record_from_exception(
            record if isinstance(record, BaseException) else PSError(to_string(record)), self._p.invocation,
            self._p.frame.session)
        self._p.inner_frame.write_error_record(rec)

    def ThrowTerminatingError(self, record: Any) -> None:
        rec = record if isinstance(record, ErrorRecord) else record_from_exception(
            PSError(to_string(record)), self._p.invocation, self._p.frame.session)
        raise TerminatingError(rec)

    def WriteObject(self, obj: Any, enumerate: Any = False) -> None:
        if to_bool(enumerate):
            emit_enumerated(self._p.inner_frame.emit, obj)
        else:
            self._p.inner_frame.emit(obj)

    def WriteVerbose(self, msg: Any) -> None:
        self._p.inner_frame.write_verbose(to_string(msg))

    def WriteWarning(self, msg: Any) -> None:
        self._p.inner_frame.write_warning(to_string(msg))


def function_meta(sb: ScriptBlock, frame: Frame) -> tuple[CommandMeta, list]:
    """The binder's view of a param block (built once per script block)."""
    cb = sb.compiled
    if cb.meta_cache is not None:
        return cb.meta_cache
    from ems.lang.members import evaluate_attribute_args
    params: list[ParamMeta] = []
    defaults = []
    explicit_positions = False
    default_set = None
    impact = "Medium"
    supports_sp = False
    if cb.cmdlet_binding is not None:
        named = evaluate_attribute_args(cb.cmdlet_binding, frame)[1]
        for k, v in named.items():
            kl = k.lower()
            if kl == "defaultparametersetname":
                default_set = to_string(v)
            elif kl == "supportsshouldprocess":
                supports_sp = to_bool(v)
            elif kl == "confirmimpact":
                impact = to_string(v)
    for p in cb.params:
        params.append(_param_meta(p, frame))
        defaults.append((p.name, compile_expr(p.default) if p.default is not None else None,
                         p.type_constraint, p.is_switch))
    if any(m.position is not None for m in params):
        explicit_positions = True
    if not explicit_positions:
        pos = 0
        for m in params:
            if not m.is_switch:
                m.position = pos
                pos += 1
    if cb.advanced:
        from ems.runtime.cmdlet import COMMON_PARAMETERS, RISK_PARAMETERS
        from ems.runtime.binder import _meta_from_parameter
        common = list(COMMON_PARAMETERS) + (list(RISK_PARAMETERS) if supports_sp else [])
        params += [_meta_from_parameter(p, True) for p in common]
    meta = CommandMeta("", params, default_set, strict=cb.advanced)
    meta.confirm_impact = impact  # type: ignore[attr-defined]
    cb.meta_cache = (meta, defaults)
    return cb.meta_cache


def _param_meta(p: A.ParameterAst, frame: Frame) -> ParamMeta:
    from ems.lang.members import evaluate_attribute_args, validators_for
    tname = p.type_constraint
    ptype = None
    if tname is not None and not p.is_switch:
        ptype = _resolve_type_or_error(tname, p.extent)
    mandatory: Any = False
    position = None
    pipeline = by_prop = False
    sets: list[str] = []
    mandatory_sets: list[str] = []
    aliases: list[str] = []
    any_mandatory_all = False
    for attr in p.attributes_named("Parameter"):
        pos_args, named = evaluate_attribute_args(attr, frame)
        set_name = None
        is_mand = False
        for k, v in named.items():
            kl = k.lower()
            if kl == "mandatory":
                is_mand = to_bool(v)
            elif kl == "position":
                position = int(to_number(v))
            elif kl == "valuefrompipeline":
                pipeline = to_bool(v)
            elif kl == "valuefrompipelinebypropertyname":
                by_prop = to_bool(v)
            elif kl == "parametersetname":
                set_name = to_string(v)
        if set_name and set_name != "__AllParameterSets":
            sets.append(set_name)
            if is_mand:
                mandatory_sets.append(set_name)
        elif is_mand:
            any_mandatory_all = True
    if any_mandatory_all:
        mandatory = True
    elif mandatory_sets:
        mandatory = tuple(mandatory_sets)
    for attr in p.attributes_named("Alias"):
        pos_args, _ = evaluate_attribute_args(attr, frame)
        for a in pos_args:
            aliases.extend(to_string(x) for x in (a if isinstance(a, list) else [a]))
    validators, values = validators_for(p, frame)
    is_switch = p.is_switch
    type_display = ptype.full_name if ptype is not None else ("System.Management.Automation.SwitchParameter"
                                                              if is_switch else "System.Object")

    if is_switch:
        def convert(v: Any) -> Any:
            from ems.runtime.binder import _switch_convert
            # $null to a function's switch is $false (to a cmdlet's, $true)
            return SwitchValue(False if v is None else _switch_convert(v))
    elif ptype is not None:
        def convert(v: Any, t=ptype) -> Any:
            try:
                return t.convert(v)
            except PSError as e:
                raise BindingError(f"Cannot process argument transformation on parameter '{p.name}'. {e.message}",
                                   "ParameterArgumentTransformationError", None, category="InvalidData") from None
    else:
        convert = None  # type: ignore[assignment]
    accepts = (lambda v, t=ptype: t.is_instance(v)) if ptype is not None else None
    return ParamMeta(p.name, aliases=tuple(aliases), is_switch=is_switch, position=position,
                     sets=tuple(sets), mandatory=mandatory, pipeline=pipeline, pipeline_by_property=by_prop,
                     values=values, validators=tuple(validators), type_display=type_display,
                     array=bool(ptype is not None and ptype.full_name.endswith("[]")),
                     convert=convert, accepts=accepts)


class MyInvocation:
    """``$MyInvocation`` of a function or script, built only when a script reads it."""

    __slots__ = ("_p", "_bound", "_unbound", "_props")
    PS_TYPE_NAMES = ("System.Management.Automation.InvocationInfo",)

    def __init__(self, processor: "ScriptBlockProcessor", bound: Hashtable, unbound: list):
        self._p, self._bound, self._unbound, self._props = processor, bound, unbound, None

    def ps_properties(self) -> list:
        if self._props is None:
            p = self._p
            inv = p.invocation
            cmd = PSObject([("Name", p.display_name or ""),
                            ("CommandType", "ExternalScript" if p.script_path else
                             ("Function" if p.function else "Script")),
                            ("Definition", p.script_path or p.sb.text), ("Path", p.script_path),
                            ("ScriptBlock", p.sb)])
            self._props = [
                ("MyCommand", cmd), ("BoundParameters", self._bound), ("UnboundArguments", list(self._unbound)),
                ("ScriptLineNumber", inv.line_number), ("OffsetInLine", inv.column),
                ("ScriptName", inv.script_name), ("Line", inv.line_text), ("PositionMessage", ""),
                ("PSScriptRoot", os.path.dirname(inv.script_name) if inv.script_name else ""),
                ("PSCommandPath", inv.script_name), ("InvocationName", inv.invocation_name),
                ("PipelineLength", 1), ("PipelinePosition", 1), ("ExpectingInput", p.expect_input),
                ("CommandOrigin", "Runspace")]
        return self._props


class ScriptBlockProcessor(Processor):
    """A function, filter, script file or script block running as a pipeline element."""

    def __init__(self, frame: Frame, sb: ScriptBlock, args: list[Arg], node: Any,
                 invocation: InvocationInfo, dot_source: bool = False, expect_input: bool = False,
                 display_name: str | None = None, script_path: str | None = None,
                 function: FunctionInfo | None = None, bound_values: dict | None = None):
        self.frame = frame
        self.sb = sb
        self.cb = sb.compiled
        self.args = args
        self.node = node
        self.invocation = invocation
        self.dot_source = dot_source
        self.expect_input = expect_input
        self.display_name = display_name
        self.script_path = script_path
        self.function = function
        self.input: list = []
        self.state = None
        self.top_level = False
        self.exited = False
        self.confirm_impact = "Medium"
        self.out_list: list | None = None
        session = frame.session
        if dot_source:
            self.scope = frame.scope
        elif script_path is not None:
            self.scope = Scope(frame.scope)
            self.scope.script_scope = self.scope
        else:
            self.scope = Scope(frame.scope, frame.scope.script_scope)
        inv = invocation if display_name is not None else frame.invocation
        self.inner_frame = Frame(session, self.scope, self._emit, frame.streams, inv,
                                 script_path or frame.script_file, function, frame.collectors)
        self._bind(bound_values)

    def _emit(self, obj: Any) -> None:
        if self.out_list is not None:
            self.out_list.append(obj)
        self.downstream(obj)

    # -- binding --------------------------------------------------------------------
    def _bind(self, bound_values: dict | None) -> None:
        scope = self.scope
        frame = self.frame
        cb = self.cb
        if self.script_path is not None:
            scope.set_local("PSScriptRoot", os.path.dirname(self.script_path))
            scope.set_local("PSCommandPath", self.script_path)
        if not cb.params and not cb.advanced:
            values = []
            for a in self.args:
                if a.is_param:
                    values.append(a.text or f"-{a.name}")
                    if a.colon and a.value is not NO_VALUE:
                        values.append(a.value)
                else:
                    values.append(a.value)
            if not self.dot_source:
                scope.set_local("args", values)
                scope.set_local("PSBoundParameters", Hashtable())
            self._set_invocation(Hashtable(), values)
            return
        meta, defaults = function_meta(self.sb, frame)
        self.confirm_impact = getattr(meta, "confirm_impact", "Medium")
        try:
            state = bind_arguments(meta, self.args, self.node.extent if self.node is not None else None,
                                   self.expect_input)
            resolve_set(state, self.expect_input)
        except BindingError as e:
            if e.extent is None and self.node is not None:
                e.extent = self.node.extent
            raise TerminatingError(record_from_exception(e, self.invocation, frame.session)) from None
        self.state = state
        if not self.expect_input or not meta.has_pipeline:
            missing = missing_mandatory(state, include_pipeline=not self.expect_input)
            if missing:
                from ems.runtime.pipeline import supply_mandatory
                supply_mandatory(frame, state, missing, f"cmdlet {self.display_name or 'script'}",
                                 self.node.extent if self.node else None, self.invocation)
        self._apply_bound(meta, defaults, state)
        if cb.advanced:
            scope.set_local("PSCmdlet", PSCmdletShim(self))
            self._apply_common(state.common)
        scope.set_local("args", state.extra_args)

    def _apply_bound(self, meta: CommandMeta, defaults: list, state: Any) -> None:
        scope = self.scope
        psbound = Hashtable()
        for name, value in state.bound.items():
            psbound[name] = value
        for name, default_fn, tname, is_switch in defaults:
            if name in state.bound:
                scope.set_local(name, state.bound[name])
            elif default_fn is not None:
                frame = self.inner_frame
                v = default_fn(frame)
                if tname is not None and not is_switch:
                    t = resolve_type(tname.full_name)
                    if t is not None:
                        try:
                            v = t.convert(v)
                        except PSError:
                            pass
                scope.set_local(name, v)
            elif is_switch:
                scope.set_local(name, SwitchValue(False))
            else:
                t = resolve_type(tname.full_name) if tname is not None else None
                if t is not None and t.full_name in ("System.Int32", "System.Int64", "System.Double"):
                    scope.set_local(name, 0)
                elif t is not None and t.full_name == "System.String":
                    scope.set_local(name, "")
                elif t is not None and t.full_name == "System.Boolean":
                    scope.set_local(name, False)
                else:
                    scope.set_local(name, None)
            if tname is not None and not is_switch:
                t = resolve_type(tname.full_name)
                if t is not None:
                    scope.constraints[name.lower()] = t
        scope.set_local("PSBoundParameters", psbound)
        self._set_invocation(psbound, state.extra_args)

    def _apply_common(self, common: dict) -> None:
        from ems.runtime.preferences import ConfirmImpact
        scope = self.scope
        if "ErrorAction" in common:
            scope.set_local("ErrorActionPreference", common["ErrorAction"])
        if "WarningAction" in common:
            scope.set_local("WarningPreference", common["WarningAction"])
        if common.get("Verbose"):
            scope.set_local("VerbosePreference", ActionPreference.Continue)
        if common.get("Debug"):
            scope.set_local("DebugPreference", ActionPreference.Continue)
        if "WhatIf" in common:
            scope.set_local("WhatIfPreference", bool(common["WhatIf"]))
        if "Confirm" in common:
            scope.set_local("ConfirmPreference", ConfirmImpact["Low"] if common["Confirm"] else ConfirmImpact["None"])
        from ems.runtime.pipeline import _variable_list
        if "OutVariable" in common:
            self.out_list = _variable_list(self.frame, common["OutVariable"])
        if "ErrorVariable" in common:
            self.inner_frame.collectors = self.inner_frame.collectors + (
                _variable_list(self.frame, common["ErrorVariable"]),)

    def _set_invocation(self, bound: Hashtable, unbound: list) -> None:
        if self.dot_source and self.script_path is None:
            return
        self.scope.set_local("MyInvocation", MyInvocation(self, bound, unbound))

    # -- lifecycle ----------------------------------------------------------------------
    def _run(self, block: Stmt | None) -> None:
        if block is None:
            return
        session = self.frame.session
        session.call_depth += 1
        try:
            if session.call_depth > MAX_CALL_DEPTH:
                raise _call_depth_error(self.node)
            block(self.inner_frame)
        except ReturnException:
            pass
        except ExitException as e:
            if self.script_path is not None:
                # `exit` ends this script; its caller goes on with $LASTEXITCODE set
                set_variable(self.frame, "LASTEXITCODE", e.code, "global")
                if self.top_level:
                    raise
                self.exited = True
                return
            raise
        finally:
            session.call_depth -= 1

    def begin(self) -> None:
        self._run(self.cb.begin)

    def run_without_input(self) -> None:
        if self.cb.process is not None and not self.exited:
            self._set_dollar_under(None)
            self._run(self.cb.process)

    def process(self, obj: Any) -> None:
        if self.cb.process is None:
            self.input.append(obj)
            return
        self._set_dollar_under(obj)
        if self.state is not None and self.state.meta.has_pipeline:
            if not bind_pipeline_object(self.state, obj, self.node.extent if self.node else None):
                rec = record_from_exception(input_not_bound_error(self.node.extent if self.node else None),
                                            self.invocation, self.frame.session)
                rec.target = obj
                self.frame.write_error_record(rec)
                return
            for name in self.state.pipeline_bound:
                self.scope.set_local(name, self.state.bound[name])
                self.scope.vars["psboundparameters"][name] = self.state.bound[name]
        self._run(self.cb.process)

    def _set_dollar_under(self, obj: Any) -> None:
        self.scope.set_local("_", obj)

    def end(self) -> None:
        if self.cb.end is None or self.exited:
            return
        if not self.dot_source or self.input:
            self.scope.set_local("input", list(self.input))
        self._run(self.cb.end)


def call_scriptblock(sb: ScriptBlock, frame: Frame, args: list | None = None, dollar_under: Any = None,
                     input_objects: Any = None, dot_source: bool = False,
                     set_dollar_under: bool = False) -> None:
    """Run a script block with arguments (``&``/``.``/``.Invoke()``), output to frame.emit."""
    arg_list = [Arg(a, None) for a in (args or [])]
    inv = frame.invocation or InvocationInfo()
    proc = ScriptBlockProcessor(frame, sb, arg_list, None, inv, dot_source=dot_source,
                                expect_input=input_objects is not None)
    if set_dollar_under:
        proc.scope.set_local("_", dollar_under)
    proc.downstream = frame.emit
    proc.first = True
    proc.begin()
    if input_objects is not None:
        for obj in iterate_value(input_objects):
            proc.process(obj)
    elif proc.cb.process is not None:
        proc.scope.set_local("_", dollar_under)
        proc._run(proc.cb.process)
    proc.end()


def call_scriptblock_collect(sb: ScriptBlock, frame: Frame, dollar_under: Any = None,
                             args: list | None = None) -> list:
    out: list = []
    call_scriptblock(sb, frame.with_emit(out.append), args=args, dollar_under=dollar_under,
                     set_dollar_under=True)
    return out


# ============================================================================ top level

def top_frame(session: Any) -> Frame:
    """A frame at the session's global scope with the session's default streams."""
    frame = getattr(session, "top_frame", None)
    if frame is not None:
        return frame
    from ems.runtime.pipeline import Streams
    streams = Streams(lambda r: None, lambda m: None, lambda m: None, lambda m: None, lambda t: None)
    return Frame(session, session.global_scope, lambda o: None, streams)


def run_script_block(sb_ast: A.ScriptBlockAst, frame: Frame, script_path: str | None = None,
                     args: list | None = None) -> None:
    """Run a parsed script at the top level (dot-sourced into ``frame.scope``)."""
    sb = ScriptBlock(sb_ast)
    cb = sb.compiled
    if script_path is None and not cb.params:
        # interactive / -Command text runs directly in the global scope
        for block in (cb.begin, cb.process, cb.end):
            if block is not None:
                try:
                    block(frame)
                except ReturnException:
                    pass
        return
    arg_list = [a if isinstance(a, Arg) else Arg(a, None) for a in (args or [])]
    inv = InvocationInfo(command_name=os.path.basename(script_path or ""), invocation_name=script_path or "",
                         script_name=script_path or "")
    proc = ScriptBlockProcessor(frame, sb, arg_list, None, inv, dot_source=script_path is None,
                                display_name=os.path.basename(script_path) if script_path else None,
                                script_path=script_path)
    proc.top_level = True
    proc.downstream = frame.emit
    run_pipeline([proc], frame.emit)


__all__ = ["ScriptBlock", "FunctionInfo", "compile_block", "compile_expr", "compile_statement",
           "get_variable", "set_variable", "run_script_block", "top_frame", "format_objects",
           "make_out_default", "call_scriptblock", "resolve_command", "iterate_value", "unwrap_output"]
