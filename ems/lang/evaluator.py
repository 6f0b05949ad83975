"""The evaluator: PowerShell AST -> Python closures, run against a Frame.

Every node is compiled once into a closure (``fn(frame) -> value`` for expressions,
``fn(frame) -> None`` for statements, which write their output through ``frame.emit``);
the closures of a script block are cached on its AST, so loops and functions called many
times pay the dispatch cost once. Runtime semantics (scopes, streams, errors, binding) come
from ems.runtime; value semantics from ems.lang.operators and ems.lang.conversion; member
access and method calls from ems.lang.members; commands (functions, scripts, cmdlets as
pipeline elements) from ems.lang.commands.
"""
from __future__ import annotations

import os
import weakref
from typing import Any, Callable

from ems.lang import ast as A
from ems.lang import operators as ops
from ems.lang.conversion import PSType, ValueRef, resolve_type, to_bool, to_number, to_string
from ems.runtime.binder import NO_VALUE, Arg
from ems.runtime.errors import ErrorRecord, InvocationInfo, PSError, RuntimeException
from ems.runtime.pipeline import (
    BreakException, ContinueException, ExitException, FlowControl, Frame, ReturnException,
    TerminatingError, emit_enumerated, invocation_from_extent, record_from_exception, run_pipeline,
)
from ems.runtime.preferences import ActionPreference, action_preference
from ems.runtime.session import Scope
from ems.runtime.values import Enumerator, Hashtable, PSObject, is_enumerable

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
        from ems.lang.commands import call_scriptblock
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
        if key == "host":
            from cmdlets.utility import host_info  # $Host is what Get-Host returns
            return host_info(frame.session)
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
    if key in _CONSTANTS or key == "?" or key == "host":
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
    from ems.lang.commands import _compile_element
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
        enumerator = Enumerator(iterate_value(source(frame)))
        vars_ = frame.scope.vars
        saved = vars_.get("foreach", NO_VALUE)
        frame.scope.set_local("foreach", enumerator)
        try:
            while enumerator.MoveNext():
                set_variable(frame, var.name, enumerator.Current, var.scope)
                if body(frame) == "break":
                    break
        finally:
            if saved is NO_VALUE:
                vars_.pop("foreach", None)
            else:
                vars_["foreach"] = saved
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
            from ems.lang.commands import call_scriptblock_collect
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
        enumerator = Enumerator(iterate_value(source(frame)))
        saved = frame.scope.vars.get("_", NO_VALUE)
        saved_switch = frame.scope.vars.get("switch", NO_VALUE)
        frame.scope.set_local("switch", enumerator)
        try:
            while enumerator.MoveNext():
                item = enumerator.Current
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
            if saved_switch is NO_VALUE:
                frame.scope.vars.pop("switch", None)
            else:
                frame.scope.vars["switch"] = saved_switch
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
    if scope_name is None and key not in ("?", "psitem", "host"):
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


class _TypeNameTarget:
    """The target of a TypeNotFound error: shown as ``(Foo.Bar:TypeName)``."""

    PS_TYPE_NAMES = ("System.Management.Automation.Language.TypeName",)

    def __init__(self, name: str):
        self.name = name

    def __str__(self) -> str:
        return self.name


def _type_literal_extent(extent: Any) -> Any:
    """The ``[Type]`` at the start of an extent (PowerShell points TypeNotFound at it)."""
    if extent is None or not extent.text.startswith("["):
        return extent
    depth = 0
    for i, c in enumerate(extent.text):
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return A.Extent(extent.source, extent.start, extent.start + i + 1)
    return extent


def _resolve_type_or_error(tname: A.TypeName, extent: Any) -> PSType:
    t = resolve_type(tname.full_name)
    if t is None:
        raise RuntimeException(f"Unable to find type [{tname.full_name}].", "TypeNotFound",
                               "InvalidOperation", target=_TypeNameTarget(tname.full_name),
                               extent=_type_literal_extent(extent))
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
    from ems.lang.commands import ScriptBlockProcessor
    arg_list = [a if isinstance(a, Arg) else Arg(a, None) for a in (args or [])]
    inv = InvocationInfo(command_name=os.path.basename(script_path or ""), invocation_name=script_path or "",
                         script_name=script_path or "")
    proc = ScriptBlockProcessor(frame, sb, arg_list, None, inv, dot_source=script_path is None,
                                display_name=os.path.basename(script_path) if script_path else None,
                                script_path=script_path)
    proc.top_level = True
    proc.downstream = frame.emit
    run_pipeline([proc], frame.emit)


_FROM_COMMANDS = {"call_scriptblock", "call_scriptblock_collect", "format_objects", "make_out_default",
                  "resolve_command", "ScriptBlockProcessor", "make_command_processor", "load_script",
                  "function_meta", "command_not_found", "PSCmdletShim"}


def __getattr__(name: str) -> Any:
    """Names that moved to ems.lang.commands stay importable from here."""
    if name in _FROM_COMMANDS:
        from ems.lang import commands
        return getattr(commands, name)
    raise AttributeError(name)


__all__ = ["ScriptBlock", "FunctionInfo", "compile_block", "compile_expr", "compile_statement",
           "get_variable", "set_variable", "run_script_block", "top_frame", "iterate_value",
           "unwrap_output"]
