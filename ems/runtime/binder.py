"""The parameter binder (A.3, A.11): named, positional, parameter sets, pipeline input.

One algorithm for cmdlets (declared with ems.runtime.cmdlet.Parameter) and advanced
functions (``param()`` blocks), both described to it as ``ParamMeta`` lists:

1. named arguments (exact name/alias, else unique prefix; ambiguity resolved by dropping
   common parameters), switches, ``-Name:value``;
2. positional arguments by Position within the still-possible parameter sets;
3. parameter-set resolution (the default set wins a tie);
4. per pipeline object: ByValue without coercion, ByPropertyName without coercion, ByValue
   with coercion, ByPropertyName with coercion; nothing bound -> ``InputObjectNotBound``.

Errors carry the 5.1 message templates of A.15 and the extent PowerShell points at.
"""
from __future__ import annotations

import enum
from typing import Any, Callable

from ems.lang.conversion import SwitchValue, cast_error, to_bool, to_string
from ems.runtime.cmdlet import ANY, COMMON_PARAMETERS, IDENTITY, RISK_PARAMETERS, SCRIPTBLOCK, SWITCH
from ems.runtime.errors import ParameterBindingException, PSError
from ems.runtime.values import Hashtable, PSObject, get_property, has_property

ALL_SETS = "__AllParameterSets"
NO_VALUE = object()


class ParamMeta:
    """What the binder needs to know about one parameter."""

    __slots__ = ("name", "aliases", "is_switch", "position", "sets", "mandatory", "pipeline",
                 "pipeline_by_property", "values", "validators", "type_display", "array",
                 "convert", "accepts", "common", "allow_null", "lower_names", "remaining")

    def __init__(self, name: str, *, aliases: tuple = (), is_switch: bool = False,
                 position: int | None = None, sets: tuple = (), mandatory: Any = False,
                 pipeline: bool = False, pipeline_by_property: bool = False, values: Any = None,
                 validators: tuple = (), type_display: str = "System.Object", array: bool = False,
                 convert: Callable[[Any], Any] | None = None,
                 accepts: Callable[[Any], bool] | None = None, common: bool = False,
                 allow_null: bool = True, remaining: bool = False):
        self.name = name
        self.aliases = tuple(aliases)
        self.is_switch = is_switch
        self.position = position
        self.sets = tuple(sets)
        self.mandatory = mandatory
        self.pipeline = pipeline
        self.pipeline_by_property = pipeline_by_property
        self.values = tuple(values) if values else None
        self.validators = tuple(validators)
        self.type_display = type_display
        self.array = array
        self.convert = convert or (lambda v: v)
        self.accepts = accepts or (lambda v: True)
        self.common = common
        self.allow_null = allow_null
        self.remaining = remaining
        self.lower_names = (name.lower(),) + tuple(a.lower() for a in self.aliases)

    def in_set(self, s: str) -> bool:
        return not self.sets or s in self.sets

    def is_mandatory_in(self, s: str) -> bool:
        if isinstance(self.mandatory, tuple):
            return s in self.mandatory
        return bool(self.mandatory) and self.in_set(s)


class CommandMeta:
    """A command's parameters for the binder (built once per cmdlet class / function)."""

    def __init__(self, name: str, params: list[ParamMeta], default_set: str | None = None,
                 strict: bool = True, positional_by_order: bool = False):
        self.name = name
        self.params = params
        self.by_name = {n: p for p in params for n in p.lower_names}
        sets: list[str] = []
        for p in params:
            for s in p.sets:
                if s not in sets:
                    sets.append(s)
        self.sets = sets or [default_set or ALL_SETS]
        self.default_set = default_set if default_set in self.sets else (None if len(self.sets) > 1 else self.sets[0])
        self.strict = strict
        self.has_pipeline = any(p.pipeline or p.pipeline_by_property for p in params)

    def own_params(self) -> list[ParamMeta]:
        return [p for p in self.params if not p.common]


# ------------------------------------------------------------------------- arguments

class Arg:
    """One evaluated command element: a ``-Name[:value]`` token or an argument value."""

    __slots__ = ("value", "extent", "name", "colon", "is_param", "text", "splatted")

    def __init__(self, value: Any = NO_VALUE, extent: Any = None, name: str | None = None,
                 colon: bool = False, is_param: bool = False, text: str = "", splatted: bool = False):
        self.value = value
        self.extent = extent
        self.name = name
        self.colon = colon
        self.is_param = is_param
        self.text = text
        self.splatted = splatted


class CollectionToScalar(Exception):
    """An array given to a single-valued parameter (CannotConvertArgument)."""


class BindingError(ParameterBindingException):
    """A ParameterBindingException with the extent the message refers to."""

    def __init__(self, message: str, error_id: str, extent: Any = None, category: str = "InvalidArgument"):
        super().__init__(message, error_id, category, extent=extent)


# ------------------------------------------------------------------------- conversions

def _arg_text(value: Any) -> str:
    return to_string(value)


def _dotnet_type_full(name: str) -> str:
    if "." in name:
        return name
    simple = {"String": "System.String", "Int32": "System.Int32", "Double": "System.Double",
              "Boolean": "System.Boolean", "TimeSpan": "System.TimeSpan", "DateTime": "System.DateTime",
              "Object": "System.Object", "IPAddress": "System.Net.IPAddress", "Int64": "System.Int64",
              "Object[]": "System.Object[]", "String[]": "System.String[]", "Int32[]": "System.Int32[]",
              "ScriptBlock": "System.Management.Automation.ScriptBlock",
              "SwitchParameter": "System.Management.Automation.SwitchParameter",
              "ActionPreference": "System.Management.Automation.ActionPreference",
              "IDictionary": "System.Collections.IDictionary",
              "IPAddress[]": "System.Net.IPAddress[]"}
    return simple.get(name, name)


def meta_from_cmdlet(cls: Any) -> CommandMeta:
    """The binder's view of a declared cmdlet (cached on the class)."""
    cached = cls.__dict__.get("_binder_meta")
    if cached is not None:
        return cached
    params = [_meta_from_parameter(p, common=False) for p in cls.parameters]
    if cls.supports_should_process:
        params += [_meta_from_parameter(p, common=True) for p in RISK_PARAMETERS]
    params += [_meta_from_parameter(p, common=True) for p in COMMON_PARAMETERS]
    default = cls.default_set
    meta = CommandMeta(cls.name, params, default)
    if meta.default_set is None and len(meta.sets) > 1 and default is None:
        meta.default_set = None
    setattr(cls, "_binder_meta", meta)
    return meta


def _meta_from_parameter(p: Any, common: bool) -> ParamMeta:
    from ems.lang.conversion import convert_to_pytype
    t = p.type
    type_display = _dotnet_type_full(p.dotnet_type)
    if p.name in ("ErrorAction", "WarningAction", "InformationAction"):
        from ems.lang.conversion import convert_enum
        from ems.runtime.preferences import ActionPreference
        convert = lambda v: convert_enum(v, ActionPreference, "System.Management.Automation.ActionPreference")
        return ParamMeta(p.name, aliases=p.aliases, common=True, convert=convert,
                         type_display="System.Management.Automation.ActionPreference")
    if t is SWITCH:
        return ParamMeta(p.name, aliases=p.aliases, is_switch=True, position=p.position, sets=p.sets,
                         mandatory=p.mandatory, common=common, type_display=type_display,
                         convert=_switch_convert)
    elem_convert: Callable[[Any], Any]
    accepts: Callable[[Any], bool]
    if t is ANY:
        elem_convert, accepts = (lambda v: v), (lambda v: True)
    elif t is IDENTITY:
        elem_convert = _identity_convert
        accepts = lambda v, own=p.accepts: not isinstance(v, (PSObject, dict)) and (own is None or own(v))
    elif t is SCRIPTBLOCK:
        def elem_convert(v: Any) -> Any:
            if hasattr(v, "invoke") and hasattr(v, "text"):
                return v
            raise cast_error(v, "System.Management.Automation.ScriptBlock", None, "InvalidCast")
        accepts = lambda v: hasattr(v, "invoke") and hasattr(v, "text")
    elif t is dict:
        # IDictionary parameters (New-Object -Property, Add-Member -NotePropertyMembers): a
        # hashtable or nothing; there is no conversion from anything else.
        def elem_convert(v: Any) -> Any:
            if isinstance(v, dict):
                return v
            raise cast_error(v, "System.Collections.IDictionary", None, "InvalidCast")
        accepts = lambda v: isinstance(v, dict)
    else:
        name = p.dotnet_type[:-2] if p.array and p.dotnet_type.endswith("[]") else p.dotnet_type
        full = _dotnet_type_full(name)

        def elem_convert(v: Any, t=t, full=full) -> Any:
            return convert_to_pytype(v, t, full)

        if isinstance(t, type):
            accepts = lambda v, t=t: isinstance(v, t) and not (t is int and isinstance(v, bool))
        else:
            accepts = lambda v: True
    if p.array:
        def convert(v: Any, ec=elem_convert) -> Any:
            if isinstance(v, list):
                return [ec(x) for x in v]
            return [ec(v)]
    else:
        def convert(v: Any, ec=elem_convert, t=t) -> Any:
            if isinstance(v, list) and t is not ANY:
                if len(v) == 1:
                    return ec(v[0])
                raise CollectionToScalar()
            return ec(v)
    validators = (p.validate,) if p.validate else ()
    return ParamMeta(p.name, aliases=p.aliases, position=p.position, sets=p.sets,
                     mandatory=p.mandatory, pipeline=p.pipeline,
                     pipeline_by_property=p.pipeline_by_property, values=p.values,
                     validators=validators, type_display=type_display, array=p.array,
                     convert=convert, accepts=accepts, common=common,
                     remaining=getattr(p, "remaining", False))


def _identity_convert(v: Any) -> Any:
    if isinstance(v, PSObject):
        for name in ("Identity", "Name"):
            if v.has(name):
                return v.get(name)
    return v


def _switch_convert(v: Any) -> bool:
    if isinstance(v, (bool, SwitchValue)):
        return bool(v)
    if isinstance(v, (int, float)) or v is None:
        return to_bool(v) if v is not None else True
    if isinstance(v, enum.Enum):
        return to_bool(v)
    from ems.lang.conversion import dotnet_type_name
    raise PSError(
        f'Cannot convert value "{dotnet_type_name(v)}" to type "System.Management.Automation.SwitchParameter". '
        "Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.",
        "ArgumentTransformationMetadataException", exception_type="RuntimeException")


# ------------------------------------------------------------------------- binding

class BindState:
    """The result of binding one invocation (grows per pipeline object)."""

    def __init__(self, meta: CommandMeta):
        self.meta = meta
        self.bound: dict[str, Any] = {}          # canonical name -> value (own parameters)
        self.common: dict[str, Any] = {}         # common parameters
        self.extents: dict[str, Any] = {}
        self.sets: list[str] = list(meta.sets)
        self.set_name: str | None = None
        self.extra_args: list[Any] = []          # plain functions: $args
        self.pipeline_bound: set[str] = set()

    def is_bound(self, p: ParamMeta) -> bool:
        return p.name in self.bound or p.name in self.common


def _candidates(meta: CommandMeta, name: str, strict: bool) -> list[ParamMeta]:
    low = name.lower()
    exact = meta.by_name.get(low)
    if exact is not None:
        return [exact]
    found: list[ParamMeta] = []
    for p in meta.params:
        if p.name.lower().startswith(low):
            found.append(p)
    for p in meta.params:
        if p not in found and any(a.lower().startswith(low) for a in p.aliases):
            found.append(p)
    if len(found) > 1:
        own = [p for p in found if not p.common]
        if len(own) == 1:
            return own
    return found


def resolve_parameter(meta: CommandMeta, arg: Arg) -> ParamMeta | None:
    found = _candidates(meta, arg.name or "", meta.strict)
    if len(found) == 1:
        return found[0]
    if not found:
        if not meta.strict:
            return None
        raise BindingError(f"A parameter cannot be found that matches parameter name '{arg.name}'.",
                           "NamedParameterNotFound", arg.extent)
    names = "".join(f" -{p.name}" for p in found)
    raise BindingError(
        f"Parameter cannot be processed because the parameter name '{arg.name}' is ambiguous. "
        f"Possible matches include:{names}.", "AmbiguousParameter", arg.extent)


def _convert_for(p: ParamMeta, value: Any, extent: Any) -> Any:
    if value is None:
        if p.is_switch:
            return p.convert(None)  # cmdlet switch: $true; function switch: $false
        if not p.allow_null or p.mandatory:
            if p.mandatory:
                raise BindingError(f"Cannot bind argument to parameter '{p.name}' because it is null.",
                                   "ParameterArgumentValidationErrorNullNotAllowed", extent,
                                   category="InvalidData")
        return None
    try:
        out = p.convert(value)
    except BindingError:
        raise
    except CollectionToScalar:
        raise BindingError(f"Cannot convert 'System.Object[]' to the type '{p.type_display}' required by "
                           f"parameter '{p.name}'. Specified method is not supported.",
                           "CannotConvertArgument", extent) from None
    except PSError as e:
        if p.is_switch:
            raise BindingError(f"Cannot process argument transformation on parameter '{p.name}'. {e.message}",
                               "ParameterArgumentTransformationError", extent, category="InvalidData") from None
        raise BindingError(f"Cannot bind parameter '{p.name}'. {e.message}",
                           "CannotConvertArgumentNoMessage", extent) from None
    except Exception as e:  # a value type's parse() refusing the text
        raise BindingError(f"Cannot bind parameter '{p.name}'. {e}", "CannotConvertArgumentNoMessage",
                           extent) from None
    if out == "" and p.mandatory and p.type_display == "System.String":
        raise BindingError(f"Cannot bind argument to parameter '{p.name}' because it is an empty string.",
                           "ParameterArgumentValidationErrorEmptyStringNotAllowed", extent,
                           category="InvalidData")
    _validate(p, out, extent)
    return out


def _validate(p: ParamMeta, value: Any, extent: Any) -> None:
    if p.values:
        items = value if isinstance(value, list) else [value]
        lowered = [v.lower() for v in p.values]
        for item in items:
            text = to_string(item.name if isinstance(item, enum.Enum) else item)
            if text.lower() not in lowered:
                raise BindingError(
                    f"Cannot validate argument on parameter '{p.name}'. The argument \"{text}\" does not "
                    f"belong to the set \"{','.join(p.values)}\" specified by the ValidateSet attribute. "
                    "Supply an argument that is in the set and then try the command again.",
                    "ParameterArgumentValidationError", extent, category="InvalidData")
    for check in p.validators:
        problem = check(value)
        if problem:
            raise BindingError(f"Cannot validate argument on parameter '{p.name}'. {problem}",
                               "ParameterArgumentValidationError", extent, category="InvalidData")


def _bind_value(state: BindState, p: ParamMeta, value: Any, extent: Any, param_extent: Any) -> None:
    if state.is_bound(p):
        raise BindingError(
            f"Cannot bind parameter because parameter '{p.name}' is specified more than once. To provide "
            "multiple values to parameters that can accept multiple values, use the array syntax. For "
            'example, "-parameter value1,value2,value3".', "ParameterAlreadyBound", param_extent)
    converted = _convert_for(p, value, extent)
    (state.common if p.common else state.bound)[p.name] = converted
    state.extents[p.name] = extent
    if p.sets:
        state.sets = [s for s in state.sets if s in p.sets]


def bind_arguments(meta: CommandMeta, args: list[Arg], command_extent: Any = None,
                   expect_input: bool = False) -> BindState:
    """Named then positional binding and parameter-set narrowing for one invocation."""
    state = BindState(meta)
    positional: list[Arg] = []
    i = 0
    n = len(args)
    while i < n:
        a = args[i]
        if not a.is_param:
            positional.append(a)
            i += 1
            continue
        p = resolve_parameter(meta, a)
        if p is None:  # plain function: unknown -name goes to $args
            positional.append(Arg(a.text or f"-{a.name}", a.extent))
            if a.colon and a.value is not NO_VALUE:
                positional.append(Arg(a.value, a.extent))
            i += 1
            continue
        if p.is_switch:
            value = a.value if a.colon and a.value is not NO_VALUE else True
            if a.colon and a.value is NO_VALUE:
                value = True
            _bind_value(state, p, value, a.extent, a.extent)
            i += 1
            continue
        if a.colon and a.value is not NO_VALUE:
            _bind_value(state, p, a.value, a.extent, a.extent)
            i += 1
            continue
        if i + 1 < n and not args[i + 1].is_param:
            nxt = args[i + 1]
            _bind_value(state, p, nxt.value, nxt.extent, a.extent)
            i += 2
            continue
        raise BindingError(
            f"Missing an argument for parameter '{p.name}'. Specify a parameter of type "
            f"'{p.type_display}' and try again.", "MissingArgument", a.extent)
    if not state.sets:
        raise BindingError("Parameter set cannot be resolved using the specified named parameters.",
                           "AmbiguousParameterSet", command_extent)
    _bind_positional(state, positional)
    return state


def _positional_params(state: BindState) -> list[ParamMeta]:
    meta = state.meta
    cands = [p for p in meta.params if p.position is not None and not state.is_bound(p)
             and (not p.sets or any(s in state.sets for s in p.sets))]
    cands.sort(key=lambda p: p.position)
    return cands


def _bind_positional(state: BindState, positional: list[Arg]) -> None:
    meta = state.meta
    remaining: list[Arg] = []
    for a in positional:
        cands = _positional_params(state)
        if not cands:
            if any(p.remaining for p in meta.params):
                remaining.append(a)
                continue
            if not meta.strict:
                state.extra_args.append(a.value)
                continue
            raise BindingError(
                f"A positional parameter cannot be found that accepts argument '{_arg_text(a.value)}'.",
                "PositionalParameterNotFound", a.extent)
        lowest = cands[0].position
        same = [p for p in cands if p.position == lowest]
        if len(same) > 1:
            # several sets put a parameter at this position: prefer one that takes the value
            # without conversion, then the default set, then one whose conversion succeeds.
            same.sort(key=lambda p: (0 if _accepts(p, a.value) else 1,
                                     0 if (meta.default_set and p.in_set(meta.default_set)) else 1))
            last_error: Exception | None = None
            for p in same:
                try:
                    _bind_value(state, p, a.value, a.extent, a.extent)
                    break
                except BindingError as e:
                    last_error = e
            else:
                raise last_error  # type: ignore[misc]
        else:
            _bind_value(state, same[0], a.value, a.extent, a.extent)
        if not state.sets:
            raise BindingError("Parameter set cannot be resolved using the specified named parameters.",
                               "AmbiguousParameterSet", a.extent)
    if remaining:
        target = next((p for p in meta.params if p.remaining and
                       (not p.sets or any(s in state.sets for s in p.sets))),
                      next(p for p in meta.params if p.remaining))
        values = [target.convert(a.value)[0] if target.array else target.convert(a.value)
                  for a in remaining]
        if target.name in state.bound:
            # bound by position too (Write-Host a b): the first value leads the list
            first = state.bound[target.name]
            values = (first if target.array and isinstance(first, list) else [first]) + values
        state.bound[target.name] = values
        if target.sets:
            state.sets = [s for s in state.sets if s in target.sets]


def resolve_set(state: BindState, expect_input: bool) -> None:
    """Pick the parameter set once named/positional binding is done."""
    meta = state.meta
    sets = state.sets
    if len(sets) == 1:
        state.set_name = sets[0]
        return
    if meta.default_set in sets and not (expect_input and meta.has_pipeline and (any(
            p.is_mandatory_in(meta.default_set) and not state.is_bound(p) for p in meta.params)
            or _other_set_takes_pipeline(state, sets))):
        state.set_name = meta.default_set
        return
    # (a default set still waiting for a mandatory value from the pipeline is not chosen
    # yet: ``Get-ChildItem | Get-Content`` binds -LiteralPath from the items' PSPath; nor
    # while another valid set takes pipeline input (PowerShell's
    # AtLeastOneUnboundValidParameterSetTakesPipelineInput): ``Get-MailboxDatabase |
    # Get-Mailbox`` leaves the default Identity set for -Database)

    def satisfied(s: str) -> bool:
        for p in meta.params:
            if p.is_mandatory_in(s) and not state.is_bound(p):
                if expect_input and (p.pipeline or p.pipeline_by_property):
                    continue
                return False
        return True

    ok = [s for s in sets if satisfied(s)]
    if len(ok) == 1:
        state.set_name = ok[0]
        return
    if expect_input and meta.has_pipeline:
        state.set_name = None  # decided by the first pipeline object
        return
    if not ok or len(ok) > 1:
        # PowerShell refuses to guess (AmbiguousParameterSet); keep its wording.
        raise BindingError("Parameter set cannot be resolved using the specified named parameters.",
                           "AmbiguousParameterSet", None)


def _other_set_takes_pipeline(state: BindState, sets: list[str]) -> bool:
    """An unbound pipeline parameter belongs only to valid sets other than the default."""
    default = state.meta.default_set
    return any((p.pipeline or p.pipeline_by_property) and p.sets and default not in p.sets
               and not state.is_bound(p) and any(s in sets for s in p.sets) for p in state.meta.params)


def missing_mandatory(state: BindState, include_pipeline: bool) -> list[ParamMeta]:
    """Mandatory parameters of the chosen set still unbound (pipeline ones optionally skipped)."""
    s = state.set_name or (state.sets[0] if state.sets else ALL_SETS)
    out = []
    for p in state.meta.params:
        if p.is_mandatory_in(s) and not state.is_bound(p):
            if not include_pipeline and (p.pipeline or p.pipeline_by_property):
                continue
            out.append(p)
    return out


def missing_mandatory_error(missing: list[ParamMeta], extent: Any) -> BindingError:
    names = "".join(f" {p.name}" for p in missing)
    return BindingError(f"Cannot process command because of one or more missing mandatory parameters:{names}.",
                        "MissingMandatoryParameter", extent)


def bind_mandatory_value(state: BindState, p: ParamMeta, value: Any, extent: Any) -> None:
    """A value typed at the ``Supply values for the following parameters:`` prompt."""
    if p.array and isinstance(value, str):
        value = [value]
    _bind_value(state, p, value, extent, extent)


# ------------------------------------------------------------------------- pipeline binding

def bind_pipeline_object(state: BindState, obj: Any, extent: Any) -> bool:
    """Bind one pipeline object (A.11 order). Returns False when nothing could take it."""
    meta = state.meta
    for name in state.pipeline_bound:
        state.bound.pop(name, None)
    state.pipeline_bound = set()
    sets = state.sets if state.set_name is None else [state.set_name]

    def open_params(by_value: bool) -> list[ParamMeta]:
        return [p for p in meta.params
                if (p.pipeline if by_value else p.pipeline_by_property)
                and not state.is_bound(p) and (not p.sets or any(s in sets for s in p.sets))]

    bound_any = False
    for step in range(4):
        by_value = step in (0, 2)
        coerce = step >= 2
        for p in open_params(by_value):
            if p.sets and not any(s in sets for s in p.sets):
                continue  # an earlier parameter of this object narrowed the sets
            if by_value:
                value = obj
            else:
                value = _property_for(obj, p)
                if value is _MISSING:
                    continue
            if not coerce and not _accepts(p, value):
                continue
            try:
                converted = _convert_for(p, value, extent)
            except BindingError:
                if coerce:
                    continue
                continue
            state.bound[p.name] = converted
            state.pipeline_bound.add(p.name)
            bound_any = True
            if p.sets:
                sets = [s for s in sets if s in p.sets]
    if bound_any and state.set_name is None:
        live = [s for s in state.sets if s in sets] or state.sets
        state.set_name = meta.default_set if meta.default_set in live else live[0]
    return bound_any


_MISSING = object()


def _property_for(obj: Any, p: ParamMeta) -> Any:
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return _MISSING
    for name in (p.name,) + p.aliases:
        if isinstance(obj, dict):
            continue
        if has_property(obj, name):
            return get_property(obj, name)
    return _MISSING


def _accepts(p: ParamMeta, value: Any) -> bool:
    if p.array and isinstance(value, list):
        return all(p.accepts(v) for v in value)
    return p.accepts(value)


def input_not_bound_error(extent: Any) -> BindingError:
    return BindingError(
        "The input object cannot be bound to any parameters for the command either because the command "
        "does not take pipeline input or the input and its properties do not match any of the parameters "
        "that take pipeline input.", "InputObjectNotBound", extent)


def splat(value: Any, extent: Any) -> list[Arg]:
    """``@h`` -> named arguments; ``@a`` -> positional arguments."""
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            name = to_string(k)
            out.append(Arg(v, extent, name=name, colon=True, is_param=True, text=f"-{name}:", splatted=True))
        return out
    if isinstance(value, list):
        return [Arg(v, extent) for v in value]
    if value is None:
        return []
    return [Arg(value, extent)]


__all__ = ["ParamMeta", "CommandMeta", "Arg", "BindState", "BindingError", "bind_arguments",
           "resolve_set", "bind_pipeline_object", "meta_from_cmdlet", "missing_mandatory",
           "missing_mandatory_error", "input_not_bound_error", "splat", "NO_VALUE", "Hashtable"]
