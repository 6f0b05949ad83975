"""The object cmdlets scripts pipe through: Where, ForEach, Select, Sort, Group, Measure,
Compare, New-Object and Add-Member (Windows PowerShell 5.1 behaviour).

Property specs (names, wildcards, calculated hashtables) are parsed and evaluated by
ems.runtime.properties so every cmdlet here (and Format-*) reads them the same way; value
comparisons are the language's own (ems.lang.operators), so ``Sort-Object`` orders exactly
like ``-lt`` and ``Where-Object Status -eq Mounted`` matches exactly like ``-eq``.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from cmdlets._records import Record
from ems.runtime import properties as props
from ems.runtime.cmdlet import ANY, SCRIPTBLOCK, SWITCH, Cmdlet, Example, Parameter, register
from ems.runtime.errors import PSError
from ems.runtime.values import Hashtable, PSObject, is_enumerable, type_names

UTILITY = "Microsoft.PowerShell.Utility"
CORE = "Microsoft.PowerShell.Core"


def _invoker(cmdlet: Cmdlet) -> Callable[[Any, Any], list]:
    """Script blocks run through the pipeline context, so their errors and output streams
    belong to the calling cmdlet."""
    return lambda sb, obj: cmdlet.context.invoke(sb, dollar_under=obj)


_UNSET = object()


def run_in_caller_scope(cmdlet: Cmdlet, sb: Any, obj: Any, emit: Callable[[Any], None]) -> None:
    """Where-Object and ForEach-Object run their script blocks in the caller's scope
    (5.1: ``useLocalScope: false``), so ``% { $sum += $_ }`` updates the caller's ``$sum``;
    output streams on as it is written. ``$_`` is put back afterwards."""
    from ems.lang.evaluator import call_scriptblock
    frame = cmdlet.context.frame
    scope = frame.scope
    saved = scope.vars.get("_", _UNSET)
    try:
        call_scriptblock(sb, frame.with_emit(emit), dollar_under=obj, dot_source=True,
                         set_dollar_under=True)
    finally:
        if saved is _UNSET:
            scope.vars.pop("_", None)
        else:
            scope.vars["_"] = saved


def _argument_error(message: str, error_id: str, category: str = "InvalidArgument",
                    target: Any = None) -> PSError:
    return PSError(message, error_id, category, target=target, exception_type="PSArgumentException")


def compare_values(a: Any, b: Any, case_sensitive: bool = False) -> int:
    """ObjectCommandComparer: the language comparison, falling back to comparing the
    ToString() texts when the values are not comparable (two nulls are equal)."""
    from ems.lang.conversion import to_display_string
    from ems.lang.operators import compare
    if a is None and b is None:
        return 0
    try:
        return compare(a, b, case_sensitive)
    except Exception:
        sa, sb = to_display_string(a), to_display_string(b)
        if not case_sensitive:
            sa, sb = sa.lower(), sb.lower()
        return (sa > sb) - (sa < sb)


def _compare_keys(a: list, b: list, ascending: list[bool], case_sensitive: bool) -> int:
    """Compare two key lists; a missing property sorts last whatever the direction."""
    for x, y, asc in zip(a, b, ascending):
        if x is props.MISSING or y is props.MISSING:
            if x is y:
                continue
            return 1 if x is props.MISSING else -1
        c = compare_values(x, y, case_sensitive)
        if c:
            return c if asc else -c
    return 0


# =========================================================================== Where-Object

# (switch, aliases, parameter set, operator, case-sensitive)
_WHERE_OPERATORS = (
    ("EQ", ("IEQ",), "EqualSet", "eq", False), ("CEQ", (), "CaseSensitiveEqualSet", "eq", True),
    ("NE", ("INE",), "NotEqualSet", "ne", False), ("CNE", (), "CaseSensitiveNotEqualSet", "ne", True),
    ("GT", ("IGT",), "GreaterThanSet", "gt", False), ("CGT", (), "CaseSensitiveGreaterThanSet", "gt", True),
    ("LT", ("ILT",), "LessThanSet", "lt", False), ("CLT", (), "CaseSensitiveLessThanSet", "lt", True),
    ("GE", ("IGE",), "GreaterOrEqualSet", "ge", False), ("CGE", (), "CaseSensitiveGreaterOrEqualSet", "ge", True),
    ("LE", ("ILE",), "LessOrEqualSet", "le", False), ("CLE", (), "CaseSensitiveLessOrEqualSet", "le", True),
    ("Like", ("ILike",), "LikeSet", "like", False), ("CLike", (), "CaseSensitiveLikeSet", "like", True),
    ("NotLike", ("INotLike",), "NotLikeSet", "notlike", False),
    ("CNotLike", (), "CaseSensitiveNotLikeSet", "notlike", True),
    ("Match", ("IMatch",), "MatchSet", "match", False), ("CMatch", (), "CaseSensitiveMatchSet", "match", True),
    ("NotMatch", ("INotMatch",), "NotMatchSet", "notmatch", False),
    ("CNotMatch", (), "CaseSensitiveNotMatchSet", "notmatch", True),
    ("Contains", ("IContains",), "ContainsSet", "contains", False),
    ("CContains", (), "CaseSensitiveContainsSet", "contains", True),
    ("NotContains", ("INotContains",), "NotContainsSet", "notcontains", False),
    ("CNotContains", (), "CaseSensitiveNotContainsSet", "notcontains", True),
    ("In", ("IIn",), "InSet", "in", False), ("CIn", (), "CaseSensitiveInSet", "in", True),
    ("NotIn", ("INotIn",), "NotInSet", "notin", False), ("CNotIn", (), "CaseSensitiveNotInSet", "notin", True),
    ("Is", (), "IsSet", "is", False), ("IsNot", (), "IsNotSet", "isnot", False),
)
_PROPERTY_SETS = tuple(row[2] for row in _WHERE_OPERATORS)

VALUE_NOT_SPECIFIED = ("The specified operator requires both the -Property and -Value parameters. "
                       "Provide values for both parameters, and then try the command again.")
OPERATOR_NOT_SPECIFIED = ("An operator is required to compare the two specified values. Include a "
                          "valid operator in the command, and then try the command again. For "
                          "example, Get-Process | Where-Object -Property Name -eq Idle")


def _apply_operator(op: str, lval: Any, rval: Any, cs: bool) -> Any:
    """One comparison of the simplified Where-Object syntax, as the language evaluates it."""
    from ems.lang import operators as ops
    if op in ("eq", "ne", "gt", "ge", "lt", "le"):
        return ops.relational(op, lval, rval, cs)
    if op in ("like", "notlike"):
        return ops.like(lval, rval, cs, negate=op == "notlike")
    if op in ("match", "notmatch"):
        return ops.match(lval, rval, cs, negate=op == "notmatch")[0]
    if op == "contains":
        return ops.contains(lval, rval, cs)
    if op == "notcontains":
        return not ops.contains(lval, rval, cs)
    if op == "in":
        return ops.contains(rval, lval, cs)
    if op == "notin":
        return not ops.contains(rval, lval, cs)
    result = ops.is_type(lval, rval)
    return result if op == "is" else not result


def _type_operand(value: Any) -> Any:
    """``Where-Object X -is [int]`` / ``-is 'int'``: the value names a type."""
    from ems.lang.conversion import PSType, resolve_type
    if isinstance(value, PSType):
        return value
    text = str(value)
    if len(text) > 2 and text[0] == "[" and text[-1] == "]":
        text = text[1:-1]
    t = resolve_type(text)
    if t is None:
        raise PSError(f"Unable to find type [{text}].", "TypeNotFound", "InvalidType",
                      exception_type="RuntimeException")
    return t


@register
class WhereObject(Cmdlet):
    name = "Where-Object"
    aliases = ("?", "where")
    dotnet_class = "Microsoft.PowerShell.Commands.WhereObjectCommand"
    module = CORE
    synopsis = "Selects objects from a collection based on their property values."
    description = ("The Where-Object cmdlet selects objects that have particular property values "
                   "from the collection of objects that are passed to it: either with a script "
                   "block ({$_.Status -eq 'Mounted'}) or with the simplified syntax "
                   "(Where-Object Status -eq Mounted).")
    parameters = (
        Parameter("InputObject", ANY, pipeline=True, type_name="PSObject"),
        Parameter("FilterScript", SCRIPTBLOCK, mandatory=True, position=0, sets=("ScriptBlockSet",)),
        Parameter("Property", str, mandatory=True, position=0, sets=_PROPERTY_SETS),
        Parameter("Value", ANY, position=1, sets=_PROPERTY_SETS),
    ) + tuple(
        Parameter(switch, SWITCH, mandatory=set_name != "EqualSet", sets=(set_name,), aliases=aliases)
        for switch, aliases, set_name, _, _ in _WHERE_OPERATORS
    )
    default_set = "EqualSet"
    examples = (
        Example("Get-MailboxDatabaseCopyStatus * | Where-Object {$_.Status -ne 'Mounted' -and $_.Status -ne 'Healthy'}",
                "Gets the database copies that are neither mounted nor healthy."),
        Example("Get-MailboxDatabase | Where-Object Server -eq EX1",
                "Gets the databases hosted on EX1 (simplified syntax)."),
        Example("Get-ExchangeServer | ? {$_.Site -like '*Redmond'}", "Gets the servers of the Redmond site."),
    )

    def begin(self) -> None:
        self._script = self.param("FilterScript")
        if self._script is not None:
            return
        row = next(r for r in _WHERE_OPERATORS if r[2] == self.parameter_set)
        self._op, self._cs = row[3], row[4]
        explicit = self.parameter_set != "EqualSet" or self.param("EQ")
        self._boolean = not explicit
        if explicit and not self.has("Value"):
            raise _argument_error(VALUE_NOT_SPECIFIED, "ValueNotSpecifiedForWhereObject")
        if not explicit and self.has("Value"):
            raise _argument_error(OPERATOR_NOT_SPECIFIED, "OperatorNotSpecified")
        self._value = self.param("Value")
        if self._op in ("is", "isnot"):
            self._value = _type_operand(self._value)

    def process(self) -> None:
        from ems.lang.conversion import to_bool
        if not self.has("InputObject"):
            return
        obj = self.param("InputObject")
        if self._script is not None:
            out: list = []
            run_in_caller_scope(self, self._script, obj, out.append)
            if to_bool(out[0] if len(out) == 1 else out):
                self.write(obj)
            return
        lval = self._property_value(obj)
        if lval is _SKIP:
            return
        if self._boolean:
            matched = to_bool(lval)
        else:
            try:
                matched = to_bool(_apply_operator(self._op, lval, self._value, self._cs))
            except PSError as e:
                self.write_error(PSError(e.message, "OperatorFailed", "InvalidOperation", target=obj,
                                         exception_type="PSInvalidOperationException"))
                return
        if matched:
            self.write(obj)

    def _property_value(self, obj: Any) -> Any:
        """The property the simplified syntax tests: a hashtable key first, then a member
        (wildcards allowed when they resolve to exactly one member)."""
        name = self.param("Property")
        if obj is None:
            return None
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        names = props.resolve_names(obj, name)
        if len(names) > 1:
            self.write_error(_argument_error(
                f'Input name "{name}" is ambiguous. It can be resolved to multiple matched members. '
                f"Possible matches include:{''.join(' ' + n for n in names)}.",
                "AmbiguousPropertyName", target=obj))
            return _SKIP
        if not names:
            if self.session.strict_version >= 2:
                self.write_error(_argument_error(f'The input name "{name}" cannot be resolved to a property.',
                                                 "PropertyNotFound", target=obj))
                return _SKIP
            return None
        return props.member_value(obj, names[0], None)


_SKIP = object()


# =========================================================================== ForEach-Object

@register
class ForEachObject(Cmdlet):
    name = "ForEach-Object"
    aliases = ("%", "foreach")
    dotnet_class = "Microsoft.PowerShell.Commands.ForEachObjectCommand"
    module = CORE
    synopsis = "Performs an operation against each item in a collection of input objects."
    description = ("The ForEach-Object cmdlet runs a script block for each input object ($_), or "
                   "reads a property or calls a method of each object (ForEach-Object Name).")
    supports_should_process = True
    confirm_impact = "Low"
    parameters = (
        Parameter("InputObject", ANY, pipeline=True, type_name="PSObject"),
        Parameter("Begin", SCRIPTBLOCK, sets=("ScriptBlockSet",)),
        Parameter("Process", SCRIPTBLOCK, mandatory=True, position=0, array=True, sets=("ScriptBlockSet",)),
        Parameter("End", SCRIPTBLOCK, sets=("ScriptBlockSet",)),
        Parameter("RemainingScripts", SCRIPTBLOCK, array=True, sets=("ScriptBlockSet",), remaining=True),
        Parameter("MemberName", str, mandatory=True, position=0, sets=("PropertyAndMethodSet",)),
        Parameter("ArgumentList", ANY, array=True, sets=("PropertyAndMethodSet",), aliases=("Args",),
                  remaining=True),
    )
    default_set = "ScriptBlockSet"
    examples = (
        Example("Get-MailboxDatabase | ForEach-Object { Get-MailboxDatabaseCopyStatus -Identity $_.Name }",
                "Gets the copy status of every database."),
        Example("Get-DatabaseAvailabilityGroup | % Servers", "Lists the member servers of every DAG."),
        Example("1..3 | ForEach-Object -Begin { $sum = 0 } -Process { $sum += $_ } -End { $sum }",
                "Adds up the numbers 1 to 3."),
    )

    def begin(self) -> None:
        if self.parameter_set != "ScriptBlockSet":
            return
        common = getattr(self.context, "common", {})
        if common.get("WhatIf") or common.get("Confirm"):
            raise PSError("The -WhatIf and -Confirm parameters are not supported for script blocks.",
                          "NoShouldProcessForScriptBlockSet", "InvalidOperation",
                          exception_type="InvalidOperationException")
        # PowerShell's layout: [-Begin] + -Process + remaining; with more than one script the
        # first begins, and with more than two the last ends (unless -End was named).
        scripts = ([self.param("Begin")] if self.has("Begin") else []) + \
            list(self.param("Process") or [None]) + list(self.param("RemainingScripts") or [])
        start = 1 if len(scripts) > 1 else 0
        stop = len(scripts)
        self._end_script = self.param("End")
        if not self.has("End") and len(scripts) > 2:
            stop = len(scripts) - 1
            self._end_script = scripts[stop]
        self._process_scripts = scripts[start:stop]
        if stop >= 2 and scripts[0] is not None:
            run_in_caller_scope(self, scripts[0], None, self.write)

    def process(self) -> None:
        obj = self.param("InputObject")
        if self.parameter_set == "PropertyAndMethodSet":
            if self.has("InputObject"):
                self._member(obj)
            return
        for sb in self._process_scripts:
            if sb is not None:
                run_in_caller_scope(self, sb, obj, self.write)

    def end(self) -> None:
        if self.parameter_set == "ScriptBlockSet" and self._end_script is not None:
            run_in_caller_scope(self, self._end_script, None, self.write)

    def _member(self, obj: Any) -> None:
        """``ForEach-Object Name``: a hashtable key, a property (unrolled), or a method call."""
        name = self.param("MemberName")
        args = list(self.param("ArgumentList") or [])
        if obj is None:
            self.write(None)
            return
        if isinstance(obj, dict) and name in obj and not args:
            self.write(obj[name], enumerate=True)
            return
        if not args:
            names = props.resolve_names(obj, name)
            if len(names) == 1:
                self.write(props.member_value(obj, names[0], None), enumerate=True)
                return
            if len(names) > 1:
                self.write_error(_argument_error(
                    f'Input name "{name}" is ambiguous. It can be resolved to multiple matched members. '
                    f"Possible matches include:{''.join(' ' + n for n in names)}.",
                    "AmbiguousPropertyOrMethodName", target=obj))
                return
        from ems.lang.members import call_method
        try:
            self.write(call_method(obj, name, args, self.context.frame), enumerate=True)
            return
        except PSError as e:
            if e.error_id != "MethodNotFound":
                raise
        if args:
            self.write_error(_argument_error(f'Input name "{name}" cannot be resolved to a method.',
                                             "MethodNotFound", target=obj))
            return
        if self.session.strict_version >= 2:
            self.write_error(_argument_error(f'The input name "{name}" cannot be resolved to a member.',
                                             "PropertyOrMethodNotFound", target=obj))
            return
        # A missing member yields $null outside strict mode (5.1).
        self.write(None)


# =========================================================================== Select-Object

def _selected_type_names(obj: Any) -> tuple[str, ...]:
    """``Selected.<.NET type of the input's base object>``: a custom object (even a selected
    or imported one) is a PSCustomObject underneath."""
    from ems.lang.conversion import dotnet_type_name
    return (f"Selected.{dotnet_type_name(obj)}", "System.Management.Automation.PSCustomObject")


@register
class SelectObject(Cmdlet):
    name = "Select-Object"
    aliases = ("select",)
    dotnet_class = "Microsoft.PowerShell.Commands.SelectObjectCommand"
    module = UTILITY
    synopsis = "Selects objects or object properties."
    description = ("The Select-Object cmdlet selects specified properties of an object or set of "
                   "objects (names, wildcards and calculated properties), expands one property, "
                   "or selects objects by position (-First, -Last, -Skip, -Index) or uniqueness.")
    parameters = (
        Parameter("InputObject", ANY, pipeline=True, type_name="PSObject"),
        Parameter("Property", ANY, array=True, position=0, sets=("DefaultParameter", "SkipLastParameter")),
        Parameter("ExcludeProperty", str, array=True, sets=("DefaultParameter", "SkipLastParameter")),
        Parameter("ExpandProperty", str, sets=("DefaultParameter", "SkipLastParameter")),
        Parameter("Unique", SWITCH),
        Parameter("Last", int, sets=("DefaultParameter",), validate=lambda v: _non_negative(v)),
        Parameter("First", int, sets=("DefaultParameter",), validate=lambda v: _non_negative(v)),
        Parameter("Skip", int, sets=("DefaultParameter",), validate=lambda v: _non_negative(v)),
        Parameter("SkipLast", int, sets=("SkipLastParameter",), validate=lambda v: _non_negative(v)),
        Parameter("Wait", SWITCH, sets=("DefaultParameter", "IndexParameter")),
        Parameter("Index", int, array=True, sets=("IndexParameter",)),
    )
    default_set = "DefaultParameter"
    examples = (
        Example("Get-MailboxDatabase | Select-Object Name, Server", "Shows only the name and server of each database."),
        Example("Get-MailboxDatabaseCopyStatus * | Select-Object Name, @{n='Queue';e={$_.CopyQueueLength}}",
                "Adds a calculated property."),
        Example("Get-DatabaseAvailabilityGroup | Select-Object -ExpandProperty Servers", "Lists the DAG members."),
    )

    def begin(self) -> None:
        self._specs = props.parse_specs(self.param("Property"), props.SELECT_KEYS)
        expand = self.param("ExpandProperty")
        self._expand = props.parse_specs([expand], props.SELECT_KEYS)[0] if expand else None
        self._exclude = self.param("ExcludeProperty") or []
        self._inputs: list[Any] = []
        self._uniques: list[tuple[Any, list]] = []
        self._first = self.param("First")
        self._last = self.param("Last")
        self._skip = self.param("Skip") or 0
        self._streamed = 0
        self._index = sorted(set(self.param("Index") or [])) if self.parameter_set == "IndexParameter" else None
        if self._index == []:
            self._index = [-1]
        self._position = 0

    def process(self) -> None:
        if not self.has("InputObject") or self.param("InputObject") is None:
            return
        obj = self.param("InputObject")
        if self._index is not None:
            if self._position in self._index:
                self._emit(obj)
            self._position += 1
            if self._position > self._index[-1] and not self.param("Wait"):
                self._stop_upstream()
            return
        if self._last is None and self.parameter_set != "SkipLastParameter":
            # Streaming: -First/-Skip decide as objects arrive.
            if self._skip:
                self._skip -= 1
                return
            if self._first is not None and self._streamed >= self._first:
                return
            self._streamed += 1
            self._emit(obj)
            if self._first is not None and self._streamed >= self._first and not self.param("Wait"):
                self._stop_upstream()
            return
        self._inputs.append(obj)

    def _stop_upstream(self) -> None:
        """Every requested object is out: the commands before this one may stop (5.1)."""
        stop = getattr(self.context, "stop_upstream", None)
        if stop is not None:
            stop()

    def end(self) -> None:
        items = self._inputs
        if self.parameter_set == "SkipLastParameter":
            n = self.param("SkipLast") or 0
            items = items[:len(items) - n] if n else items
        elif self._last is not None:
            if self._first is not None:
                head = items[self._skip:self._skip + self._first]
                tail = items[len(items) - self._last:] if self._last else []
                items = head + [t for t in tail if all(t is not h for h in head)]
            else:
                stop = len(items) - self._skip
                items = items[max(stop - self._last, 0):max(stop, 0)] if self._last else []
        for obj in items:
            self._emit(obj)
        for out, _ in self._uniques:
            self.write(out)

    # ---- one object
    def _emit(self, obj: Any) -> None:
        if not self._specs and self._expand is None:
            self._output(obj, [])
            return
        notes = self._select(obj)
        if notes is None:
            return
        if self._expand is None:
            result = PSObject((), _selected_type_names(obj))
            seen: set[str] = set()
            for name, value in notes:
                if name.lower() in seen:
                    self.write_error(_argument_error(
                        f'The property cannot be processed because the property "{name}" already exists.',
                        "AlreadyExistingUserSpecifiedPropertyNoExpand", "InvalidOperation", target=obj))
                    continue
                seen.add(name.lower())
                result.set(name, value)
            self._output(result, notes)
            return
        self._expand_property(obj, notes)

    def _select(self, obj: Any) -> list[tuple[str, Any]] | None:
        from ems.lang.operators import wildcard_match
        notes: list[tuple[str, Any]] = []
        for spec in self._specs:
            pairs = [(n, v) for n, v in props.evaluate(spec, obj, _invoker(self))
                     if spec.is_script or not any(wildcard_match(x, n) for x in self._exclude)]
            if not pairs and not spec.has_wildcard and not spec.is_script:
                # A name the object lacks still becomes a (null) property.
                pairs = [(spec.expression, None)]
            elif spec.label and len(pairs) > 1:
                self.write_error(PSError("Cannot rename multiple results.", "RenamingMultipleResults",
                                         "InvalidOperation", target=obj,
                                         exception_type="InvalidOperationException"))
                return None
            for name, value in pairs:
                if spec.is_script and not spec.label and not name:
                    raise _argument_error("A property is an empty script block and does not provide a name.",
                                          "EmptyScriptBlockAndNoName")
                notes.append((spec.label or name, value))
        return notes

    def _expand_property(self, obj: Any, notes: list[tuple[str, Any]]) -> None:
        pairs = props.evaluate(self._expand, obj, _invoker(self))
        if not pairs:
            self.write_error(_argument_error(f'Property "{self._expand.text}" cannot be found.',
                                             "ExpandPropertyNotFound", target=obj))
            return
        if len(pairs) > 1:
            self.write_error(_argument_error("Multiple properties cannot be expanded.",
                                             "MutlipleExpandProperties", target=obj))
            return
        value = pairs[0][1]
        if value is None:
            return
        values = list(value) if is_enumerable(value) else [value]
        for item in values:
            if item is None:
                continue
            self._output(self._with_notes(item, notes, obj), notes)

    def _with_notes(self, item: Any, notes: list[tuple[str, Any]], source: Any) -> Any:
        """-ExpandProperty with -Property: the selected values ride along as note properties.
        Only custom objects can carry them here (see README, "Differences from real EMS")."""
        if not notes or not isinstance(item, PSObject):
            return item
        copy = PSObject(item.properties(), item.type_names)
        for name, value in notes:
            if copy.has(name):
                self.write_error(_argument_error(
                    f'The property cannot be processed because the property "{name}" already exists.',
                    "AlreadyExistingUserSpecifiedPropertyExpand", "InvalidOperation", target=source))
            else:
                copy.set(name, value)
        return copy

    def _output(self, obj: Any, notes: list) -> None:
        if not self.param("Unique"):
            self.write(obj)
            return
        for written, written_notes in self._uniques:
            if _same_selection(obj, notes, written, written_notes):
                return
        self._uniques.append((obj, notes))


def _non_negative(value: int) -> str | None:
    if value is not None and value < 0:
        return f"The {value} argument is less than the minimum allowed range of 0. Supply an argument that is greater than or equal to 0 and then try the command again."
    return None


def _same_selection(a: Any, a_notes: list, b: Any, b_notes: list) -> bool:
    """Select-Object -Unique: case-sensitive equality of the objects or of their selected
    properties (as ObjectCommandComparer(caseSensitive: true) decides it)."""
    if a_notes or b_notes:
        if len(a_notes) != len(b_notes):
            return False
        return all(n1.lower() == n2.lower() and compare_values(v1, v2, True) == 0
                   for (n1, v1), (n2, v2) in zip(a_notes, b_notes))
    return compare_values(a, b, True) == 0


# =========================================================================== Sort-Object

@register
class SortObject(Cmdlet):
    name = "Sort-Object"
    aliases = ("sort",)
    dotnet_class = "Microsoft.PowerShell.Commands.SortObjectCommand"
    module = UTILITY
    synopsis = "Sorts objects by property values."
    description = ("The Sort-Object cmdlet sorts objects in ascending or descending order based on "
                   "the values of properties of the object (names, wildcards, script blocks or "
                   "@{Expression=...; Descending=$true} hashtables).")
    parameters = (
        Parameter("Descending", SWITCH),
        Parameter("Unique", SWITCH),
        Parameter("InputObject", ANY, pipeline=True, type_name="PSObject"),
        Parameter("Property", ANY, array=True, position=0),
        Parameter("Culture", str),
        Parameter("CaseSensitive", SWITCH),
    )
    examples = (
        Example("Get-MailboxDatabaseCopyStatus * | Sort-Object CopyQueueLength -Descending",
                "Lists the copies with the longest copy queue first."),
        Example("Get-Mailbox | Sort-Object @{e='Database';Descending=$true}, Name",
                "Sorts by database (descending), then by name."),
    )

    def begin(self) -> None:
        self._specs = props.parse_specs(self.param("Property"), props.SORT_KEYS)
        self._items: list[Any] = []

    def process(self) -> None:
        if self.has("InputObject"):
            self._items.append(self.param("InputObject"))

    def end(self) -> None:
        descending = bool(self.param("Descending"))
        cs = bool(self.param("CaseSensitive"))
        invoke = _invoker(self)
        keyed = [(props.sort_values(self._specs, obj, invoke), obj) for obj in self._items]
        directions = self._directions(max((len(k) for k, _ in keyed), default=0), descending)

        def cmp(a: tuple, b: tuple) -> int:
            return _compare_keys(a[0], b[0], directions, cs)

        keyed.sort(key=functools.cmp_to_key(cmp))
        if self.param("Unique"):
            unique: list[tuple] = []
            for entry in keyed:
                if not unique or cmp(unique[-1], entry) != 0:
                    unique.append(entry)
            keyed = unique
        for _, obj in keyed:
            self.write(obj)

    def _directions(self, count: int, descending: bool) -> list[bool]:
        """Ascending flag per key; a hashtable's Ascending/Descending overrides -Descending.
        (Wildcards can widen one spec into several keys; they share its direction.)"""
        flags: list[bool] = []
        for spec in self._specs or [None]:
            asc = not descending
            if spec is not None:
                if "ascending" in spec.options:
                    asc = bool(spec.options["ascending"])
                if "descending" in spec.options:
                    asc = not spec.options["descending"]
            flags.append(asc)
        while len(flags) < count:
            flags.append(flags[-1] if flags else not descending)
        return flags


# =========================================================================== Group-Object

class GroupInfo(Record):
    """Microsoft.PowerShell.Commands.GroupInfo (default view: Count, Name, Group)."""

    PS_TYPE_NAMES = ("Microsoft.PowerShell.Commands.GroupInfo",)
    FIELDS = ("Values", "Count", "Group", "Name")
    __slots__ = FIELDS


class GroupInfoNoElement(GroupInfo):
    """Group-Object -NoElement: the same shape with an empty Group."""

    PS_TYPE_NAMES = ("Microsoft.PowerShell.Commands.GroupInfoNoElement",
                     "Microsoft.PowerShell.Commands.GroupInfo")
    __slots__ = ()


def _group_name(values: list) -> str:
    """Key values joined by ', ' (each by its ToString(); null values are left out)."""
    from ems.lang.conversion import to_display_string
    return ", ".join(to_display_string(v) for v in values if v is not None and v is not props.MISSING)


GROUP_SINGLE_PROPERTY = ("The property value for the Group-Object cmdlet must be a single property "
                         "when the AsHashTable parameter is used without the AsString parameter.")


@register
class GroupObject(Cmdlet):
    name = "Group-Object"
    aliases = ("group",)
    dotnet_class = "Microsoft.PowerShell.Commands.GroupObjectCommand"
    module = UTILITY
    synopsis = "Groups objects that contain the same value for specified properties."
    description = ("The Group-Object cmdlet displays objects in groups based on the value of a "
                   "specified property, in the order the groups first appear.")
    parameters = (
        Parameter("NoElement", SWITCH),
        Parameter("AsHashTable", SWITCH, sets=("HashTable",), aliases=("AHT",)),
        Parameter("AsString", SWITCH, sets=("HashTable",)),
        Parameter("InputObject", ANY, pipeline=True, type_name="PSObject"),
        Parameter("Property", ANY, array=True, position=0),
        Parameter("Culture", str),
        Parameter("CaseSensitive", SWITCH),
    )
    examples = (
        Example("Get-MailboxDatabaseCopyStatus * | Group-Object Status", "Counts the copies per status."),
        Example("Get-Mailbox | Group-Object Database -NoElement", "Counts the mailboxes per database."),
    )

    def begin(self) -> None:
        self._specs = props.parse_specs(self.param("Property"), props.GROUP_KEYS)
        self._groups: list[tuple[list, list]] = []

    def process(self) -> None:
        if not self.has("InputObject"):
            return
        obj = self.param("InputObject")
        keys = props.sort_values(self._specs, obj, _invoker(self))
        cs = bool(self.param("CaseSensitive"))
        directions = [True] * len(keys)
        for gkeys, members in self._groups:
            if len(gkeys) == len(keys) and _compare_keys(gkeys, keys, directions, cs) == 0:
                members.append(obj)
                return
        self._groups.append((keys, [obj]))

    def end(self) -> None:
        no_element = bool(self.param("NoElement"))
        groups = []
        for keys, members in self._groups:
            values = [None if k is props.MISSING else k for k in keys]
            cls = GroupInfoNoElement if no_element else GroupInfo
            groups.append(cls(Values=values, Count=len(members),
                              Group=[] if no_element else list(members), Name=_group_name(keys)))
        if not self.param("AsHashTable"):
            for g in groups:
                self.write(g)
            return
        table = Hashtable()
        for g, (keys, members) in zip(groups, self._groups):
            if self.param("AsString"):
                table[g.Name] = list(members)
            elif len(g.Values) == 1:
                key = g.Values[0]
                try:
                    hash(key)
                except TypeError:   # a collection value: .NET keys by reference; we key by text
                    key = g.Name
                table[key] = list(members)
            else:
                raise _argument_error(GROUP_SINGLE_PROPERTY, "ArgumentException")
        self.write(table)


# =========================================================================== Measure-Object

class GenericMeasureInfo(Record):
    PS_TYPE_NAMES = ("Microsoft.PowerShell.Commands.GenericMeasureInfo",
                     "Microsoft.PowerShell.Commands.MeasureInfo")
    FIELDS = ("Count", "Average", "Sum", "Maximum", "Minimum", "Property")
    __slots__ = FIELDS


class GenericObjectMeasureInfo(GenericMeasureInfo):
    """Measure-Object -Maximum/-Minimum over values that are not numbers (strings, dates)."""

    PS_TYPE_NAMES = ("Microsoft.PowerShell.Commands.GenericObjectMeasureInfo",
                     "Microsoft.PowerShell.Commands.MeasureInfo")
    __slots__ = ()


class TextMeasureInfo(Record):
    PS_TYPE_NAMES = ("Microsoft.PowerShell.Commands.TextMeasureInfo",
                     "Microsoft.PowerShell.Commands.MeasureInfo")
    FIELDS = ("Lines", "Words", "Characters", "Property")
    __slots__ = FIELDS


class _Stats:
    """Running statistics of one measured property."""

    __slots__ = ("count", "sum", "min", "max", "lines", "words", "characters")

    def __init__(self) -> None:
        self.count, self.sum, self.min, self.max = 0, 0.0, None, None
        self.lines = self.words = self.characters = 0


def _try_double(value: Any) -> float | None:
    from ems.lang.conversion import to_double
    try:
        return to_double(value)
    except Exception:
        return None


def _pick(current: Any, best: Any, want_min: bool) -> Any:
    """Measure-Object's running minimum/maximum: numbers compare as numbers, mixed types as text."""
    if current is None and best is None:
        return None
    if best is None:
        return current
    a, b = _try_double(current) if current is not None else None, _try_double(best)
    x, y = (a, b) if a is not None and b is not None else (current, best)
    if a is None or b is None:
        from ems.lang.conversion import to_display_string
        if type(current) is not type(best):
            x, y = to_display_string(current), to_display_string(best)
    c = compare_values(y, x)
    return current if (c > 0 if want_min else c < 0) else best


@register
class MeasureObject(Cmdlet):
    name = "Measure-Object"
    aliases = ("measure",)
    dotnet_class = "Microsoft.PowerShell.Commands.MeasureObjectCommand"
    module = UTILITY
    synopsis = "Calculates the numeric properties of objects, and the characters, words, and lines in string objects."
    description = ("The Measure-Object cmdlet calculates the property values of certain types of "
                   "object: the count, and the sum, average, minimum and maximum of a property, "
                   "or the lines, words and characters of text.")
    parameters = (
        Parameter("InputObject", ANY, pipeline=True, type_name="PSObject"),
        Parameter("Property", str, array=True, position=0),
        Parameter("Sum", SWITCH, sets=("GenericMeasure",)),
        Parameter("Average", SWITCH, sets=("GenericMeasure",)),
        Parameter("Maximum", SWITCH, sets=("GenericMeasure",)),
        Parameter("Minimum", SWITCH, sets=("GenericMeasure",)),
        Parameter("Line", SWITCH, sets=("TextMeasure",)),
        Parameter("Word", SWITCH, sets=("TextMeasure",)),
        Parameter("Character", SWITCH, sets=("TextMeasure",)),
        Parameter("IgnoreWhiteSpace", SWITCH, sets=("TextMeasure",)),
    )
    default_set = "GenericMeasure"
    examples = (
        Example("(Get-Mailbox | Measure-Object).Count", "Counts the mailboxes."),
        Example("Get-MailboxDatabaseCopyStatus * | Measure-Object CopyQueueLength -Sum -Maximum",
                "Adds up the copy queues and finds the longest."),
    )

    def begin(self) -> None:
        self._stats: dict[str, _Stats] = {}
        self._names: dict[str, str] = {}
        self._total = 0
        self._non_numeric = False
        self._text = self.parameter_set == "TextMeasure"

    def _entry(self, name: str) -> _Stats:
        key = name.lower()
        if key not in self._stats:
            self._stats[key] = _Stats()
            self._names[key] = name
        return self._stats[key]

    def process(self) -> None:
        if not self.has("InputObject") or self.param("InputObject") is None:
            return
        obj = self.param("InputObject")
        self._total += 1
        patterns = self.param("Property")
        if patterns is None:
            self._analyze("$_", obj)
            return
        from ems.lang.operators import has_wildcard
        counted: set[str] = set()
        for pattern in patterns:
            names = props.resolve_names(obj, pattern)
            if not names:
                if not has_wildcard(pattern):
                    self._entry(pattern)
                continue
            for name in names:
                if name.lower() in counted:
                    continue
                counted.add(name.lower())
                self._analyze(name, props.member_value(obj, name, None))

    def _analyze(self, name: str, value: Any) -> None:
        stat = self._entry(name)
        stat.count += 1
        if self._text:
            from ems.lang.conversion import to_display_string
            text = "" if value is None else to_display_string(value)
            if self.param("Character"):
                stat.characters += len([c for c in text if not c.isspace()]) if self.param("IgnoreWhiteSpace") else len(text)
            if self.param("Word"):
                stat.words += len(text.split())
            if self.param("Line"):
                stat.lines += (text.count("\n") + (0 if text.endswith("\n") else 1)) if text else 0
            return
        if self.param("Sum") or self.param("Average"):
            number = 0.0 if value is None else _try_double(value)
            if number is None:
                from ems.lang.conversion import to_display_string
                self._non_numeric = True
                self.write_error(PSError(f'Input object "{to_display_string(value)}" is not numeric.',
                                         "NonNumericInputObject", "InvalidType", target=value,
                                         exception_type="PSInvalidOperationException"))
                return
            stat.sum += number
        if self.param("Minimum"):
            stat.min = _pick(value, stat.min, True)
        if self.param("Maximum"):
            stat.max = _pick(value, stat.max, False)

    def end(self) -> None:
        if self._total == 0 and self.param("Property") is None:
            self._entry("$_")
        prop_given = self.param("Property") is not None
        for key, stat in self._stats.items():
            name = self._names[key]
            if stat.count == 0 and prop_given:
                error_id = "TextMeasurePropertyNotFound" if self._text else "GenericMeasurePropertyNotFound"
                self.write_error(_argument_error(
                    f'The property "{name}" cannot be found in the input for any objects.', error_id))
                continue
            self.write(self._info(stat, name if prop_given else None))

    def _info(self, stat: _Stats, prop: str | None) -> Any:
        if self._text:
            return TextMeasureInfo(
                Lines=stat.lines if self.param("Line") else None,
                Words=stat.words if self.param("Word") else None,
                Characters=stat.characters if self.param("Character") else None, Property=prop)
        total = None if self._non_numeric or not self.param("Sum") else stat.sum
        average = (stat.sum / stat.count if stat.count else None) if self.param("Average") and not self._non_numeric else None
        mx = stat.max if self.param("Maximum") else None
        mn = stat.min if self.param("Minimum") else None
        numeric = all(v is None or _try_double(v) is not None for v in (mx, mn))
        if numeric:
            return GenericMeasureInfo(Count=stat.count, Average=average, Sum=total,
                                      Maximum=None if mx is None else _try_double(mx),
                                      Minimum=None if mn is None else _try_double(mn), Property=prop)
        return GenericObjectMeasureInfo(Count=stat.count, Average=average, Sum=total,
                                        Maximum=mx, Minimum=mn, Property=prop)


# =========================================================================== Compare-Object

@register
class CompareObject(Cmdlet):
    name = "Compare-Object"
    aliases = ("compare", "diff")
    dotnet_class = "Microsoft.PowerShell.Commands.CompareObjectCommand"
    module = UTILITY
    synopsis = "Compares two sets of objects."
    description = ("The Compare-Object cmdlet compares two sets of objects: '<=' marks an object "
                   "only in the reference set, '=>' one only in the difference set, '==' both.")
    parameters = (
        Parameter("ReferenceObject", ANY, mandatory=True, position=0, array=True, type_name="PSObject[]"),
        Parameter("DifferenceObject", ANY, mandatory=True, position=1, array=True, pipeline=True,
                  type_name="PSObject[]"),
        Parameter("SyncWindow", int),
        Parameter("Property", ANY, array=True),
        Parameter("ExcludeDifferent", SWITCH),
        Parameter("IncludeEqual", SWITCH),
        Parameter("PassThru", SWITCH),
        Parameter("Culture", str),
        Parameter("CaseSensitive", SWITCH),
    )
    examples = (Example("Compare-Object (Get-Content a.txt) (Get-Content b.txt)", "Compares two files line by line."),)

    def begin(self) -> None:
        self._specs = props.parse_specs(self.param("Property"), props.COMPARE_KEYS)
        self._difference: list[Any] = []

    def process(self) -> None:
        self._difference += list(self.param("DifferenceObject") or [])

    def end(self) -> None:
        cs = bool(self.param("CaseSensitive"))
        invoke = _invoker(self)
        refs = [(props.sort_values(self._specs, o, invoke), o) for o in (self.param("ReferenceObject") or [])]
        diffs = [(props.sort_values(self._specs, o, invoke), o) for o in self._difference]
        matched_refs: set[int] = set()
        equal, only_diff = [], []
        for keys, obj in diffs:
            hit = next((i for i, (rk, _) in enumerate(refs) if i not in matched_refs and len(rk) == len(keys)
                        and _compare_keys(rk, keys, [True] * len(keys), cs) == 0), None)
            if hit is None:
                only_diff.append((keys, obj))
            else:
                matched_refs.add(hit)
                equal.append((keys, obj))
        only_ref = [refs[i] for i in range(len(refs)) if i not in matched_refs]
        if self.param("IncludeEqual"):
            for keys, obj in equal:
                self._emit(keys, obj, "==")
        if not self.param("ExcludeDifferent"):
            for keys, obj in only_diff:
                self._emit(keys, obj, "=>")
            for keys, obj in only_ref:
                self._emit(keys, obj, "<=")

    def _emit(self, keys: list, obj: Any, side: str) -> None:
        if self.param("PassThru"):
            if isinstance(obj, PSObject):
                obj = PSObject(obj.properties(), obj.type_names)
                obj.set("SideIndicator", side)
            self.write(obj)
            return
        if self._specs:
            out = PSObject([(s.display_name, None if k is props.MISSING else k)
                            for s, k in zip(self._specs, keys)])
        else:
            out = PSObject([("InputObject", obj)])
        out.set("SideIndicator", side)
        self.write(out)


# =========================================================================== New-Object / Add-Member

_PSOBJECT_NAMES = {"psobject", "pscustomobject", "system.management.automation.psobject",
                   "system.management.automation.pscustomobject"}


@register
class NewObject(Cmdlet):
    name = "New-Object"
    dotnet_class = "Microsoft.PowerShell.Commands.NewObjectCommand"
    module = UTILITY
    synopsis = "Creates an instance of a Microsoft .NET Framework or COM object."
    description = ("The New-Object cmdlet creates an instance of a .NET Framework type. ems knows "
                   "the types scripts build with it: PSObject (with -Property), collections "
                   "(System.Collections.ArrayList, Hashtable) and the value types of the language.")
    parameters = (
        Parameter("TypeName", str, mandatory=True, position=0, sets=("Net",)),
        Parameter("ArgumentList", ANY, array=True, position=1, sets=("Net",), aliases=("Args",)),
        Parameter("ComObject", str, mandatory=True, position=0, sets=("Com",)),
        Parameter("Strict", SWITCH, sets=("Com",)),
        Parameter("Property", dict, type_name="IDictionary"),
    )
    default_set = "Net"
    examples = (
        Example("New-Object PSObject -Property @{Name='DB1'; Copies=2}", "Creates a custom object."),
        Example("$list = New-Object System.Collections.ArrayList", "Creates an empty list."),
    )

    def process(self) -> None:
        if self.parameter_set == "Com":
            raise PSError(f"Retrieving the COM class factory for component with CLSID {{{self.param('ComObject')}}} "
                          "failed: COM is not available in ems.", "NoCOMClassIdentified", "ResourceUnavailable",
                          exception_type="COMException")
        type_name = self.param("TypeName")
        obj = self._construct(type_name, list(self.param("ArgumentList") or []))
        table = self.param("Property")
        if table is not None:
            if not isinstance(obj, PSObject):
                raise PSError(f'The member "{next(iter(table.keys()), "")}" was not found for the specified '
                              f"{type_name} object.", "InvalidOperationException", "InvalidOperation",
                              exception_type="InvalidOperationException")
            for key, value in table.items():
                obj.set(str(key), value)
        self.write(obj)

    def _construct(self, type_name: str, args: list) -> Any:
        from ems.lang.conversion import construct, resolve_type
        if type_name.strip().lower() in _PSOBJECT_NAMES:
            return PSObject()
        t = resolve_type(type_name)
        if t is None:
            raise PSError(f"Cannot find type [{type_name}]: verify that the assembly containing this "
                          "type is loaded.", "TypeNotFound", "InvalidType",
                          exception_type="PSArgumentException")
        try:
            return construct(t, args)
        except LookupError:
            raise PSError(f"A constructor was not found. Cannot find an appropriate constructor for type {type_name}.",
                          "CannotFindAppropriateCtor", "ObjectNotFound",
                          exception_type="PSArgumentException") from None


_MEMBER_TYPES = ("AliasProperty", "CodeProperty", "Property", "NoteProperty", "ScriptProperty",
                 "PropertySet", "Method", "CodeMethod", "ScriptMethod", "Methods",
                 "ParameterizedProperty", "MemberSet", "Event", "Dynamic", "Properties", "All")


@register
class AddMember(Cmdlet):
    name = "Add-Member"
    dotnet_class = "Microsoft.PowerShell.Commands.AddMemberCommand"
    module = UTILITY
    synopsis = "Adds custom properties and methods to an instance of a Windows PowerShell object."
    description = ("The Add-Member cmdlet adds a note property to a custom object (PSObject). "
                   "Objects that are not custom objects come back, with -PassThru, as a custom "
                   "copy carrying the new property.")
    parameters = (
        Parameter("InputObject", ANY, mandatory=True, pipeline=True, type_name="PSObject"),
        Parameter("MemberType", str, mandatory=True, position=0, sets=("MemberSet",),
                  aliases=("Type",), type_name="PSMemberTypes", values=_MEMBER_TYPES),
        Parameter("Name", str, mandatory=True, position=1, sets=("MemberSet",)),
        Parameter("Value", ANY, position=2, sets=("MemberSet",)),
        Parameter("SecondValue", ANY, position=3, sets=("MemberSet",)),
        Parameter("NotePropertyName", str, mandatory=True, position=0, sets=("NotePropertySingleMemberSet",)),
        Parameter("NotePropertyValue", ANY, mandatory=True, position=1, sets=("NotePropertySingleMemberSet",)),
        Parameter("NotePropertyMembers", dict, mandatory=True, position=0, sets=("NotePropertyMultiMemberSet",),
                  type_name="IDictionary"),
        Parameter("TypeName", str, mandatory=("TypeNameSet",), sets=(
            "TypeNameSet", "MemberSet", "NotePropertySingleMemberSet", "NotePropertyMultiMemberSet")),
        Parameter("Force", SWITCH, sets=("MemberSet", "NotePropertySingleMemberSet", "NotePropertyMultiMemberSet")),
        Parameter("PassThru", SWITCH),
    )
    default_set = "TypeNameSet"
    examples = (
        Example("$o | Add-Member -NotePropertyName Site -NotePropertyValue Redmond", "Adds a Site property."),
        Example("$o | Add-Member NoteProperty Checked $true -PassThru", "Adds a property and passes the object on."),
    )

    def process(self) -> None:
        obj = self.param("InputObject")
        members = self._members()
        target = obj if isinstance(obj, PSObject) else _custom_copy(obj)
        for name, value in members:
            if target.has(name) and not self.param("Force"):
                self.write_error(PSError(
                    f'Cannot add a member with the name "{name}" because a member with that name already '
                    "exists. To overwrite the member anyway, add the Force parameter to your command.",
                    "MemberAlreadyExists", "InvalidOperation", target=obj,
                    exception_type="InvalidOperationException"))
                return
            target.set(name, value)
        type_name = self.param("TypeName")
        if type_name:
            target.type_names.insert(0, type_name)
        if self.param("PassThru"):
            self.write(target)

    def _members(self) -> list[tuple[str, Any]]:
        if self.parameter_set == "NotePropertySingleMemberSet":
            return [(self.param("NotePropertyName"), self.param("NotePropertyValue"))]
        if self.parameter_set == "NotePropertyMultiMemberSet":
            return [(str(k), v) for k, v in self.param("NotePropertyMembers").items()]
        if self.parameter_set == "MemberSet":
            kind = self.param("MemberType").lower()
            if kind != "noteproperty":
                raise PSError(f'Cannot add a member with type "{self.param("MemberType")}". Specify a '
                              "different type for the MemberTypes parameter.", "CannotAddMemberType",
                              "InvalidOperation", exception_type="InvalidOperationException")
            return [(self.param("Name"), self.param("Value"))]
        return []


def _custom_copy(obj: Any) -> PSObject:
    """A custom object with ``obj``'s properties and type names (what Add-Member can extend)."""
    return PSObject(props.member_list(obj), tuple(n for n in type_names(obj) if n != "System.Object"))
