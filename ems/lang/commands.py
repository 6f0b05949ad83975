"""Commands: resolving a name, binding its arguments and running it as a pipeline element.

Cmdlets run through ems.runtime.pipeline.CmdletProcessor; everything written in PowerShell
(functions, filters, script files, ``& { }`` script blocks) runs through
``ScriptBlockProcessor`` here, which binds ``param()`` blocks with the same binder the cmdlets
use. Also here: command discovery (alias -> function -> cmdlet -> script -> ``Get-`` + name),
redirections of a pipeline element, ``$PSCmdlet`` and ``$MyInvocation``.
"""
from __future__ import annotations

import os
from typing import Any, Callable

from ems.lang import ast as A
from ems.lang.conversion import SwitchValue, resolve_type, to_bool, to_number, to_string
from ems.lang.evaluator import (
    MAX_CALL_DEPTH, Expr, FunctionInfo, ScriptBlock, Stmt, _call_depth_error, _resolve_type_or_error,
    compile_expr, find_function, get_variable, iterate_value, set_variable,
)
from ems.runtime.binder import (
    NO_VALUE, Arg, BindingError, CommandMeta, ParamMeta, bind_arguments, bind_pipeline_object,
    input_not_bound_error, meta_from_cmdlet, missing_mandatory, resolve_set, splat,
)
from ems.runtime.errors import ErrorRecord, InvocationInfo, PSError, RuntimeException, io_error
from ems.runtime.pipeline import (
    CmdletProcessor, ExitException, Frame, Processor, ReturnException, TerminatingError,
    emit_enumerated, invocation_from_extent, record_from_exception,
)
from ems.runtime.preferences import ActionPreference
from ems.runtime.session import Scope
from ems.runtime.values import Hashtable, PSObject


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

    from cmdlets.files import real_path  # `> file` is Out-File: paths as the file cmdlets see them
    full = real_path(frame.session, path)

    def write(text: str) -> None:
        mode = "a" if (append or not state["first"]) else "w"
        state["first"] = False
        try:
            with open(full, mode, encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as e:
            raise io_error(e, full, "FileOpenFailure") from None
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
            if self.frame is None:
                self.writer(format_objects(self.objects, 80))
            else:
                self.writer(format_objects(self.objects, self.frame.session.width,
                                           self.frame.get_var("FormatEnumerationLimit", 4)))


def format_objects(objects: list, width: int, enumeration_limit: Any = 4) -> str:
    """Objects as Out-String text (the formatter's Out-Default, fallback str()), with the
    caller's ``$FormatEnumerationLimit``."""
    od = make_out_default(width, enumeration_limit)
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
    return OutDefault(width, enumeration_limit if callable(enumeration_limit) else _as_limit(enumeration_limit))


def _as_limit(value: Any) -> int:
    """``$FormatEnumerationLimit`` as the formatter takes it (4 unless an integer was set)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 4


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
    """Alias -> function -> cmdlet -> script file -> ``Get-`` + name (A.2).

    Cmdlet modules are imported on demand (ems.runtime.discovery); only a name that resolves
    to nothing at all loads every module before giving up."""
    from ems.runtime import discovery
    found = _resolve(frame, name, discovery)
    if found[0] == "":
        discovery.load_everything()
        found = _resolve(frame, name, discovery)
    return found


def _resolve(frame: Frame, name: str, discovery: Any) -> tuple[str, Any]:
    seen = set()
    current = name
    while True:
        key = current.lower()
        if key in seen:
            break
        seen.add(key)
        target = frame.session.aliases.get(key) or discovery.alias_target(key)
        if target is not None and target.lower() != key:
            current = target
            continue
        break
    key = current.lower()
    fn = find_function(frame, key)
    if fn is not None:
        return "function", fn
    cls = discovery.find_cmdlet(key)
    if cls is not None:
        return "cmdlet", cls
    path = _script_path(frame, current)
    if path is not None:
        return "script", path
    if "\\" not in key and "/" not in key:
        cls = discovery.find_cmdlet("get-" + key)
        if cls is not None:
            return "cmdlet", cls
        fn = find_function(frame, "get-" + key)
        if fn is not None:
            return "function", fn
    return "", None


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
            # Common parameters given to an advanced function are bound parameters too
            # (`$PSBoundParameters.ContainsKey('Verbose')`, splatting them on).
            psbound = scope.vars["psboundparameters"]
            for name, value in state.common.items():
                psbound[name] = value
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
        caller_scope, session.current_scope = session.current_scope, self.scope
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
            session.current_scope = caller_scope

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


__all__ = ["ScriptBlockProcessor", "ExpressionProcessor", "PSCmdletShim", "MyInvocation", "resolve_command",
           "make_command_processor", "call_scriptblock", "call_scriptblock_collect", "function_meta",
           "load_script", "format_objects", "make_out_default", "command_not_found"]
