"""The syntax tree the parser produces and the evaluator walks.

Shape, in one paragraph: a script (and every ``{ ... }``) is a ``ScriptBlockAst`` with an
optional ``ParamBlock`` and up to four named blocks; an unnamed body is the ``end`` block
(``process`` for a ``filter``). A block is a ``StatementBlock`` of statements. The ordinary
statement is a ``PipelineAst`` of ``CommandAst`` (a command with its arguments) and
``CommandExpressionAst`` (an expression used as a pipeline element) elements. Assignments
and the control-flow statements are their own nodes. Expressions follow PowerShell's own AST
names (``BinaryExpression``, ``MemberExpression``, ``InvokeMemberExpression``...).

Conventions the evaluator relies on:

- Every node has ``extent`` (an ``Extent``): offsets into the parsed ``Source`` plus lazily
  computed 1-based line/column, the extent text and the full first line (for ``At line:L
  char:C`` and the ``~~~`` marker).
- Operators are normalised: lower case, the en/em dash folded to ``-``, ``!`` reported as
  ``-not``. Comparison operators keep their ``i``/``c`` prefix (``-eq``, ``-ieq``, ``-ceq``).
- Barewords (command names, bareword arguments, hashtable keys, member names) are
  ``StringConstantExpression`` with ``kind == "bareword"``.
- Numbers are ``ConstantExpression`` whose ``type_name`` is the .NET type the literal has in
  5.1 (``int``, ``long``, ``decimal``, ``double``), because Python's int can't tell them apart.
- Statement-valued places (hashtable values, ``( )`` contents, conditions, the right side of
  an assignment) hold a statement (normally a ``PipelineAst``), never a bare expression.
- ``function f($a, [switch]$b) {..}`` is normalised into ``body.param_block``; the evaluator
  sees one shape for both spellings.

Change log for the evaluator: additions only so far (no renames).
"""
from __future__ import annotations

import bisect
from typing import Any

import attrs


# --------------------------------------------------------------------------------------------
# Source positions


@attrs.define(slots=True, eq=False)
class Source:
    """The text one ``parse()`` call read; extents point into it."""

    text: str
    file: str | None = None
    _line_starts: list[int] | None = attrs.field(default=None, repr=False)

    def line_starts(self) -> list[int]:
        starts = self._line_starts
        if starts is None:
            starts = [0]
            text = self.text
            i = text.find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
            self._line_starts = starts
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset."""
        starts = self.line_starts()
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def line(self, number: int) -> str:
        """The full text of 1-based line ``number`` without its line break."""
        starts = self.line_starts()
        start = starts[number - 1]
        end = starts[number] - 1 if number < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r")


@attrs.define(slots=True, eq=False, repr=False)
class Extent:
    """A span ``[start, end)`` of a ``Source``."""

    source: Source
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.source.text[self.start:self.end]

    @property
    def file(self) -> str | None:
        return self.source.file

    @property
    def start_line(self) -> int:
        return self.source.position(self.start)[0]

    @property
    def start_column(self) -> int:
        return self.source.position(self.start)[1]

    @property
    def end_line(self) -> int:
        return self.source.position(self.end)[0]

    @property
    def end_column(self) -> int:
        return self.source.position(self.end)[1]

    @property
    def line_text(self) -> str:
        """The whole source line the extent starts on (for the position message)."""
        return self.source.line(self.start_line)

    def __repr__(self) -> str:
        line, col = self.source.position(self.start)
        return f"Extent({line}:{col} {self.text[:30]!r})"


# --------------------------------------------------------------------------------------------
# Type names (values, not nodes: ``[string[]]`` and friends)


@attrs.define(slots=True, frozen=True)
class TypeName:
    """A type as written: ``name`` without array/generic decoration, ``generic_arguments``,
    ``array_rank`` (0 = not an array; ``[string[]]`` has 1, ``[int[,]]`` has 2).
    ``full_name`` is the normalised spelling (``System.Collections.Generic.List[string]``,
    ``string[]``) and is what ``str()`` gives."""

    name: str
    generic_arguments: tuple["TypeName", ...] = ()
    array_rank: int = 0

    @property
    def full_name(self) -> str:
        text = self.name
        if self.generic_arguments:
            text += "[" + ",".join(t.full_name for t in self.generic_arguments) + "]"
        if self.array_rank:
            text += "[" + "," * (self.array_rank - 1) + "]"
        return text

    @property
    def element_type(self) -> "TypeName | None":
        """For an array type, the element type; else None."""
        if not self.array_rank:
            return None
        return TypeName(self.name, self.generic_arguments, 0)

    def __str__(self) -> str:
        return self.full_name


# --------------------------------------------------------------------------------------------
# Base classes

# Nodes compare by identity and print through dump(); skipping attrs' generated __repr__
# halves the class-creation cost at import time.
_node = attrs.define(slots=True, eq=False, repr=False)


@_node
class Node:
    extent: Extent

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dump(self)}>"


@_node
class Statement(Node):
    """Anything that can stand in a statement list."""


@_node
class Expression(Node):
    """A value-producing node."""


# --------------------------------------------------------------------------------------------
# Script blocks, parameters, attributes


@_node
class NamedAttributeArgument(Node):
    """``Mandatory=$true`` in ``[Parameter(...)]``; ``value`` is None for the bare form
    ``[Parameter(Mandatory)]``, which means ``$true``."""

    name: str
    value: Expression | None = None


@_node
class AttributeAst(Node):
    """``[Parameter(Mandatory=$true, Position=0)]``, ``[ValidateSet('a','b')]``,
    ``[CmdletBinding()]``. ``type_name.name`` as written (``Parameter``,
    ``System.Management.Automation.ValidateNotNullOrEmptyAttribute``...)."""

    type_name: TypeName
    positional_args: list[Expression] = attrs.Factory(list)
    named_args: list[NamedAttributeArgument] = attrs.Factory(list)


@_node
class TypeConstraintAst(Node):
    """``[string]`` in front of a parameter."""

    type_name: TypeName


@_node
class ParameterAst(Node):
    """One parameter. ``attributes`` holds ``AttributeAst`` and ``TypeConstraintAst`` in
    source order; ``default`` is the ``= value`` expression."""

    name: str
    attributes: list[AttributeAst | TypeConstraintAst] = attrs.Factory(list)
    default: Expression | None = None

    @property
    def type_constraint(self) -> TypeName | None:
        """The type the value is converted to (the constraint nearest the variable)."""
        for attr in reversed(self.attributes):
            if isinstance(attr, TypeConstraintAst):
                return attr.type_name
        return None

    @property
    def is_switch(self) -> bool:
        t = self.type_constraint
        return t is not None and not t.array_rank and t.name.lower() in (
            "switch", "switchparameter", "system.management.automation.switchparameter")

    def attribute(self, name: str) -> AttributeAst | None:
        """The first attribute named ``name`` (case-insensitive, ``Attribute`` suffix and the
        ``System.Management.Automation.`` namespace optional)."""
        return _find_attribute(self.attributes, name)

    def attributes_named(self, name: str) -> list[AttributeAst]:
        return [a for a in self.attributes if isinstance(a, AttributeAst) and _attr_is(a, name)]


@_node
class ParamBlock(Node):
    """``[CmdletBinding()] param(...)``; ``attributes`` are the ones before ``param``."""

    attributes: list[AttributeAst] = attrs.Factory(list)
    parameters: list[ParameterAst] = attrs.Factory(list)

    def attribute(self, name: str) -> AttributeAst | None:
        return _find_attribute(self.attributes, name)


@_node
class StatementBlock(Node):
    statements: list[Statement] = attrs.Factory(list)
    traps: list["TrapStatement"] = attrs.Factory(list)


@_node
class ScriptBlockAst(Node):
    """A script or a ``{ ... }``. Unnamed bodies are the ``end`` block (``process`` for a
    filter). ``braced``: the extent includes the braces (nested blocks); ``text`` is the
    body text as ``ScriptBlock.ToString()`` returns it (without the braces)."""

    param_block: ParamBlock | None = None
    begin: StatementBlock | None = None
    process: StatementBlock | None = None
    end: StatementBlock | None = None
    dynamicparam: StatementBlock | None = None
    braced: bool = False
    named_blocks: bool = False

    @property
    def text(self) -> str:
        text = self.extent.text
        return text[1:-1] if self.braced else text


# --------------------------------------------------------------------------------------------
# Pipelines and commands


@_node
class RedirectionAst(Node):
    """``> file`` / ``>> file`` / ``2> $null`` / ``2>&1`` / ``*> file``.
    ``stream``: ``"1"`` .. ``"6"`` or ``"*"``; ``target``: the file expression (None for a
    merge); ``merge_to``: ``"1"`` for ``2>&1``; ``append``: ``>>``."""

    stream: str
    target: Expression | None = None
    merge_to: str | None = None
    append: bool = False


@_node
class CommandParameterAst(Node):
    """``-Name``, ``-Name:value`` or ``-Name: value``. ``name`` without the dash, as typed;
    ``argument`` is set only for the colon form; ``extent`` covers the token and, for the
    colon form, the argument; ``text`` is the parameter token as typed (``-Confirm:``)."""

    name: str
    argument: Expression | None = None
    colon: bool = False
    text: str = ""


@_node
class CommandBase(Node):
    redirections: list[RedirectionAst] = attrs.Factory(list)


@_node
class CommandAst(CommandBase):
    """A command invocation. ``name`` is a bareword ``StringConstantExpression``
    (``Get-Mailbox``, ``.\\script.ps1``) or, after ``&``/``.``, any expression (script block,
    string, variable). ``elements``: the rest, in order — ``CommandParameterAst`` for
    parameters, expressions for arguments (``ArrayLiteralExpression`` for ``a,b,c``; a
    ``VariableExpression`` with ``splatted`` for ``@h``). ``invocation_operator``: ``"&"``,
    ``"."`` or None. ``stop_parsing``: ``--%`` text (native commands), rarely set."""

    name: Expression | None = None
    elements: list[Any] = attrs.Factory(list)
    invocation_operator: str | None = None

    @property
    def name_text(self) -> str | None:
        """The command name when it is a literal (bareword or quoted), else None."""
        n = self.name
        if isinstance(n, StringConstantExpression):
            return n.value
        return None


@_node
class CommandExpressionAst(CommandBase):
    """An expression as a pipeline element (``$x | ...``, ``1..3``)."""

    expression: Expression | None = None


@_node
class PipelineAst(Statement):
    elements: list[CommandBase] = attrs.Factory(list)
    background: bool = False


@_node
class AssignmentStatement(Statement):
    """``target op value``. ``op``: ``=`` ``+=`` ``-=`` ``*=`` ``/=`` ``%=``. ``target`` is a
    ``VariableExpression``, ``MemberExpression``, ``IndexExpression``, a
    ``ConvertExpression`` around one of those (``[int]$x = ...``) or an
    ``ArrayLiteralExpression`` of them (``$a, $b = 1, 2``). ``value`` is a statement
    (pipeline, another assignment, or a control-flow statement such as ``if``)."""

    target: Expression | None = None
    op: str = "="
    value: Statement | None = None


# --------------------------------------------------------------------------------------------
# Expressions


@_node
class ConstantExpression(Expression):
    """A number literal. ``type_name``: ``int`` ``long`` ``decimal`` ``double``."""

    value: Any = None
    type_name: str = "int"


@_node
class StringConstantExpression(Expression):
    """A string without expansion. ``kind``: ``bareword`` ``single`` ``double``
    (a double-quoted string with nothing to expand) ``single_here`` ``double_here``."""

    value: str = ""
    kind: str = "bareword"


@_node
class ExpandableStringExpression(Expression):
    """``"a $x $(...) b"`` or a glued argument (``a$x``, ``$db\\*``). ``parts``: literal
    ``str`` pieces (escapes already applied) and expressions (``VariableExpression``,
    ``SubExpression``, or for glued arguments any argument expression) to convert to
    string and concatenate. ``kind``: ``double``, ``double_here`` or ``bareword``."""

    value: str = ""
    parts: list[Any] = attrs.Factory(list)
    kind: str = "double"


@_node
class VariableExpression(Expression):
    """``$name`` / ``$scope:name`` / ``${any name}`` / ``@name`` (``splatted``).
    ``scope`` is the lower-cased qualifier (``global`` ``script`` ``local`` ``private``
    ``env`` ``function`` ``variable``...) or None; ``name`` keeps its spelling."""

    name: str = ""
    scope: str | None = None
    splatted: bool = False
    braced: bool = False

    @property
    def path(self) -> str:
        return f"{self.scope}:{self.name}" if self.scope else self.name


@_node
class ArrayLiteralExpression(Expression):
    """``a, b, c`` (binary comma)."""

    elements: list[Expression] = attrs.Factory(list)


@_node
class ArrayExpression(Expression):
    """``@( ... )``."""

    body: StatementBlock | None = None


@_node
class SubExpression(Expression):
    """``$( ... )``."""

    body: StatementBlock | None = None


@_node
class ParenExpression(Expression):
    """``( pipeline )`` — the pipeline may be an assignment."""

    pipeline: Statement | None = None


@_node
class HashtableExpression(Expression):
    """``@{ k = v; ... }`` in source order. Keys are expressions (a bareword key is a
    ``StringConstantExpression``); values are statements."""

    pairs: list[tuple[Expression, Statement]] = attrs.Factory(list)


@_node
class ScriptBlockExpression(Expression):
    script_block: ScriptBlockAst | None = None


@_node
class UnaryExpression(Expression):
    """``op``: ``-not`` (also for ``!``) ``-bnot`` ``+`` ``-`` ``,`` ``-split`` ``-join``
    ``++`` ``--``; ``postfix`` for ``$x++`` / ``$x--``."""

    op: str = ""
    operand: Expression | None = None
    postfix: bool = False


@_node
class BinaryExpression(Expression):
    """``left op right``; ``op`` normalised (``-eq`` ``-ceq`` ``+`` ``..`` ``-f`` ...).
    ``op_extent`` is the operator token (PowerShell points some runtime errors at it)."""

    op: str = ""
    left: Expression | None = None
    right: Expression | None = None
    op_extent: Extent | None = None


@_node
class ConvertExpression(Expression):
    """``[type] operand`` (a cast; ``[ordered]@{}`` too)."""

    type_name: TypeName | None = None
    operand: Expression | None = None


@_node
class TypeExpression(Expression):
    """``[Math]`` standing alone (``[Math]::Max``, ``-is [int]``)."""

    type_name: TypeName | None = None


@_node
class MemberExpression(Expression):
    """``target.member`` / ``target::member`` (``static``). ``member`` is a bareword
    ``StringConstantExpression`` or any expression (``$x.$name``, ``$x.('a')``)."""

    target: Expression | None = None
    member: Expression | None = None
    static: bool = False

    @property
    def member_name(self) -> str | None:
        m = self.member
        return m.value if isinstance(m, StringConstantExpression) else None


@_node
class InvokeMemberExpression(MemberExpression):
    """``target.Method(args)`` / ``[Type]::Method(args)``."""

    arguments: list[Expression] = attrs.Factory(list)


@_node
class IndexExpression(Expression):
    """``target[index]`` (``$a[0]``, ``$a[0,2]`` = an ``ArrayLiteralExpression`` index)."""

    target: Expression | None = None
    index: Expression | None = None


# --------------------------------------------------------------------------------------------
# Statements


@_node
class IfStatement(Statement):
    """``clauses``: (condition pipeline, body) for ``if`` and each ``elseif``."""

    clauses: list[tuple[Statement, StatementBlock]] = attrs.Factory(list)
    else_body: StatementBlock | None = None


@_node
class LoopStatement(Statement):
    """Common base of the loops and ``switch`` (they take labels)."""

    label: str | None = None
    body: StatementBlock | None = None


@_node
class WhileStatement(LoopStatement):
    condition: Statement | None = None


@_node
class DoWhileStatement(LoopStatement):
    condition: Statement | None = None


@_node
class DoUntilStatement(LoopStatement):
    condition: Statement | None = None


@_node
class ForStatement(LoopStatement):
    initializer: Statement | None = None
    condition: Statement | None = None
    iterator: Statement | None = None


@_node
class ForEachStatement(LoopStatement):
    variable: VariableExpression | None = None
    iterable: Statement | None = None


@_node
class SwitchStatement(LoopStatement):
    """``flags``: lower-case subset of ``regex wildcard exact casesensitive file``.
    ``clauses``: (condition expression, body); a bareword condition is a
    ``StringConstantExpression``, ``{...}`` a ``ScriptBlockExpression``.
    ``body`` is unused (None)."""

    flags: frozenset[str] = frozenset()
    condition: Statement | None = None
    clauses: list[tuple[Expression, StatementBlock]] = attrs.Factory(list)
    default: StatementBlock | None = None


@_node
class FunctionDefinition(Statement):
    """``function name {..}`` / ``filter name {..}``. Inline parameters
    (``function f($a) {..}``) are moved into ``body.param_block``."""

    name: str = ""
    is_filter: bool = False
    body: ScriptBlockAst | None = None


@_node
class CatchClause(Node):
    """``catch [T1],[T2] {..}``; no types = catch everything."""

    types: list[TypeName] = attrs.Factory(list)
    body: StatementBlock | None = None


@_node
class TryStatement(Statement):
    body: StatementBlock | None = None
    catches: list[CatchClause] = attrs.Factory(list)
    finally_body: StatementBlock | None = None


@_node
class TrapStatement(Statement):
    type_name: TypeName | None = None
    body: StatementBlock | None = None


@_node
class ThrowStatement(Statement):
    pipeline: Statement | None = None


@_node
class ReturnStatement(Statement):
    pipeline: Statement | None = None


@_node
class ExitStatement(Statement):
    pipeline: Statement | None = None


@_node
class BreakStatement(Statement):
    """``label``: a bareword label as ``str``, an expression (``break $x``) or None."""

    label: Any = None


@_node
class ContinueStatement(Statement):
    label: Any = None


# --------------------------------------------------------------------------------------------
# Helpers


def _attr_is(attr: AttributeAst, name: str) -> bool:
    n = attr.type_name.name.lower()
    for prefix in ("system.management.automation.",):
        if n.startswith(prefix):
            n = n[len(prefix):]
    if n.endswith("attribute"):
        n = n[:-9]
    return n == name.lower()


def _find_attribute(attributes: list, name: str) -> AttributeAst | None:
    for a in attributes:
        if isinstance(a, AttributeAst) and _attr_is(a, name):
            return a
    return None


def dump(node: Any) -> str:
    """A compact one-line rendering for tests and debugging:
    ``(Pipeline (Command Get-Mailbox (Param Identity) 'x'))``."""
    return _dump(node)


def _dump(n: Any) -> str:
    if n is None:
        return "None"
    if isinstance(n, list):
        return "[" + " ".join(_dump(x) for x in n) + "]"
    if isinstance(n, tuple):
        return "(" + " ".join(_dump(x) for x in n) + ")"
    if isinstance(n, TypeName):
        return f"[{n.full_name}]"
    if isinstance(n, str):
        return repr(n)
    if not isinstance(n, Node):
        return repr(n)
    if isinstance(n, ConstantExpression):
        return repr(n.value) if n.type_name in ("int", "double") else f"{n.value!r}:{n.type_name}"
    if isinstance(n, StringConstantExpression):
        simple = n.kind == "bareword" and n.value and not any(c.isspace() for c in n.value)
        return n.value if simple else repr(n.value)
    if isinstance(n, VariableExpression):
        return ("@" if n.splatted else "$") + n.path
    if isinstance(n, ExpandableStringExpression):
        return "(Expand " + " ".join(_dump(p) for p in n.parts) + ")"
    if isinstance(n, CommandParameterAst):
        arg = f" {_dump(n.argument)}" if n.argument is not None else (":" if n.colon else "")
        return f"-{n.name}{arg}"
    if isinstance(n, PipelineAst):
        return "(Pipeline " + " ".join(_dump(e) for e in n.elements) + ")" if len(n.elements) > 1 \
            else _dump(n.elements[0]) if n.elements else "(Pipeline)"
    if isinstance(n, CommandExpressionAst):
        red = "".join(" " + _dump(r) for r in n.redirections)
        return _dump(n.expression) + red if not red else f"(Expr {_dump(n.expression)}{red})"
    if isinstance(n, CommandAst):
        head = "(Command " + (n.invocation_operator + " " if n.invocation_operator else "")
        parts = [_dump(n.name)] + [_dump(e) for e in n.elements] + [_dump(r) for r in n.redirections]
        return head + " ".join(parts) + ")"
    if isinstance(n, RedirectionAst):
        if n.merge_to:
            return f"{n.stream}>&{n.merge_to}"
        return f"{n.stream}{'>>' if n.append else '>'}{_dump(n.target)}"
    if isinstance(n, ArrayLiteralExpression):
        return "(, " + " ".join(_dump(e) for e in n.elements) + ")"
    if isinstance(n, InvokeMemberExpression):
        head = "(call::" if n.static else "(call"
        return f"{head} {_dump(n.target)} {_dump(n.member)}" + "".join(
            " " + _dump(a) for a in n.arguments) + ")"
    if isinstance(n, MemberExpression):
        return f"({'::' if n.static else '.'} {_dump(n.target)} {_dump(n.member)})"
    if isinstance(n, IndexExpression):
        return f"(index {_dump(n.target)} {_dump(n.index)})"
    if isinstance(n, AssignmentStatement):
        return f"({n.op} {_dump(n.target)} {_dump(n.value)})"
    if isinstance(n, ParenExpression):
        return f"(paren {_dump(n.pipeline)})"
    if isinstance(n, SubExpression):
        return f"(sub {_dump(n.body)})"
    if isinstance(n, ArrayExpression):
        return f"(@ {_dump(n.body)})"
    if isinstance(n, HashtableExpression):
        return "(@{}" + "".join(f" ({_dump(k)} {_dump(v)})" for k, v in n.pairs) + ")"
    if isinstance(n, ConvertExpression):
        return f"([{n.type_name.full_name}] {_dump(n.operand)})"
    if isinstance(n, TypeExpression):
        return f"[{n.type_name.full_name}]"
    if isinstance(n, ScriptBlockExpression):
        return _dump(n.script_block)
    if isinstance(n, BinaryExpression):
        return f"({n.op} {_dump(n.left)} {_dump(n.right)})"
    if isinstance(n, UnaryExpression):
        return f"({'post' if n.postfix else ''}{n.op} {_dump(n.operand)})"
    if isinstance(n, StatementBlock):
        return "{" + "; ".join(_dump(s) for s in n.traps + n.statements) + "}"
    if isinstance(n, ScriptBlockAst):
        parts = []
        if n.param_block is not None:
            parts.append(_dump(n.param_block))
        for name in ("dynamicparam", "begin", "process", "end"):
            block = getattr(n, name)
            if block is not None:
                parts.append(_dump(block) if not n.named_blocks and name in ("end", "process")
                             else f"{name}{_dump(block)}")
        return "(ScriptBlock " + " ".join(parts) + ")" if n.param_block is not None or n.named_blocks \
            else (parts[0] if parts else "{}")
    # generic: class name without suffix + fields except extent, skipping empties
    name = type(n).__name__
    for suffix in ("Expression", "Statement", "Ast"):
        if name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)]
            break
    out = [name]
    for f in attrs.fields(type(n)):
        if f.name in ("extent", "op_extent"):
            continue
        v = getattr(n, f.name)
        if v is None or v is False or v == [] or v == frozenset():
            continue
        if v is True:
            out.append(f.name)
        elif isinstance(v, frozenset):
            out.append(f"{f.name}=" + ",".join(sorted(v)))
        else:
            out.append(f"{f.name}={_dump(v)}")
    return "(" + " ".join(out) + ")"

