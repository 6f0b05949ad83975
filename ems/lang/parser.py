"""Recursive-descent parser for the Windows PowerShell 5.1 language → ``ems.lang.ast``.

The rules follow PowerShell's own ``Parser.cs`` (statement → pipeline → command or
expression; expressions by precedence), including where each error is reported and whether
it counts as *incomplete input* (the REPL then keeps reading on a ``>>`` prompt).

Error recovery is at statement level: an error ends the statement it occurs in; the parser
records it, skips to the next statement of the same block (``_resync``) and goes on, so a script
with several mistakes reports them all (5.1 lists up to 10). PowerShell recovers inside
statements too ("pretend the missing token was there"), so a second error within one statement
is not reported here; the first error is always the one 5.1 reports first.

Public API: ``parse(text, file=None) -> ScriptBlockAst`` and ``is_complete(text)``.
"""
from __future__ import annotations

import re
import sys

from ems.lang import ast as A
from ems.lang.lexer import (
    ARG_NUMBER, ARRAY_DIMS, BAREWORD, BINARY_PRECEDENCE, DASHES, HASH_KEY, LABEL, MEMBER_NAME,
    MESSAGES, NUMBER, PARAMETER, QUOTES, SIMPLE_NAME, SPLAT, TYPE_IDENTIFIER, UNARY_OPERATORS, Lexer,
    Token, unescape_bareword,
)
from ems.runtime.errors import ParseException

MAX_DEPTH = 500
"""Nesting beyond this is reported as a parse error instead of exhausting the stack."""

MAX_ERRORS = 11
"""Recovery stops after this many errors: 5.1 shows 10, then "Not all parse errors were
reported." (the error view adds that line when there are more than 10)."""


class _StopParsing(Exception):
    """Recovery gave up (too many errors, or an error it cannot skip): report what we have."""

_KEYWORD = re.compile(
    r"(?i)(if|switch|foreach|for|while|do|function|filter|workflow|try|trap|throw|return|exit|"
    r"break|continue)(?=[\s(){};,|&]|\Z)")
_BLOCK_NAME = re.compile(r"(?i)(begin|process|end|dynamicparam)(?=[\s{;]|\Z)")
_PARAM_KEYWORD = re.compile(r"(?i)param(?=[\s(]|\Z)")
_ELSE = re.compile(r"(?i)(elseif|else)(?=[\s{(;]|\Z)")
_CATCH_FINALLY = re.compile(r"(?i)(catch|finally)(?=[\s{\[;]|\Z)")
_WHILE_UNTIL = re.compile(r"(?i)(while|until)(?=[\s(]|\Z)")
_IN = re.compile(r"(?i)in(?=[\s($@'\"{]|\Z)")
_ATTRIBUTE_START = re.compile(r"\[[ \t]*[^\W\d][\w.`]*[ \t]*\(")
_FUNCTION_NAME = re.compile(r"[^\s(){};,|&'\"`]+")
_SEPARATOR = frozenset(" \t\r\n,;|&(){}\f\v\u00a0")
_ARG_END = frozenset("\r\n;|)}")
_LOOP_KEYWORDS = frozenset({"foreach", "for", "while", "do", "switch"})


def parse(text: str, file: str | None = None) -> A.ScriptBlockAst:
    """Parse a script; raise ``ParseException`` (never anything else) on bad input."""
    parser = Parser(text, file)
    limit = sys.getrecursionlimit()
    if limit < 20000:
        sys.setrecursionlimit(20000)
    try:
        ast = parser.parse_script()
    except RecursionError:
        parser.record(ParseException([(MESSAGES["ScriptTooComplicated"], "ScriptTooComplicated",
                                       parser.ext(parser.pos, parser.pos))]))
    except ParseException as e:
        parser.record(e)
    except _StopParsing:
        pass
    finally:
        if limit < 20000:
            sys.setrecursionlimit(limit)
    if parser.errors:
        raise ParseException(parser.errors, incomplete=parser.incomplete)
    return ast


def first_and_last_token(text: str) -> tuple[str | None, str | None]:
    """The first and last token of an input line, for ``$^`` and ``$$`` (a string token gives
    its value, as in 5.1). Barewords in argument mode are taken whole (``*.txt``)."""
    lexer = Parser(text)
    tokens = []
    p = 0
    try:
        while True:
            tok = lexer.scan(p)
            if tok.kind == "eof":
                break
            tokens.append(tok)
            p = tok.end
    except (ParseException, _StopParsing, RecursionError):
        pass
    if not tokens:
        return None, None
    return _token_text(text, tokens[0], True), _token_text(text, tokens[-1], False)


def _token_text(text: str, tok: Token, first: bool) -> str:
    if tok.kind == "str":
        return tok.value.value
    if tok.kind in ("word", "op", ".", "param", "num") and not first:
        start = tok.start
        while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(){};,|":
            start -= 1
        return text[start:tok.end]
    if tok.kind == "word" and first:
        end = tok.end
        while end < len(text) and not text[end].isspace() and text[end] not in "(){};,|":
            end += 1
        return text[tok.start:end]
    return text[tok.start:tok.end]


def is_complete(text: str) -> bool:
    """False when ``text`` merely ended too early (unclosed ``{ ( "``, trailing ``|``...)."""
    try:
        parse(text)
    except ParseException as e:
        return not e.incomplete
    return True


class Parser(Lexer):
    def __init__(self, text: str, file: str | None = None):
        super().__init__(text, file)
        self._peek_pos = -1
        self._peek_tok: Token | None = None
        self.depth = 0
        self.errors: list = []
        """Every error recorded so far (message, error_id, extent), in the order found."""
        self.incomplete = False
        """The first error's incomplete-input flag (5.1 looks at the first error only)."""

    # -- token plumbing -----------------------------------------------------------------------

    def peek(self) -> Token:
        if self._peek_pos == self.pos:
            return self._peek_tok
        tok = self.scan(self.pos)
        self._peek_pos = self.pos
        self._peek_tok = tok
        return tok

    def advance(self) -> Token:
        tok = self.peek()
        self.pos = tok.end
        return tok

    def tok_text(self, tok: Token) -> str:
        return self.text[tok.start:tok.end]

    def unexpected(self, tok: Token):
        if tok.kind == "eof":
            self.error("UnexpectedToken", ("",), tok.start, tok.end, incomplete_at=tok.start)
        self.error("UnexpectedToken", (self.tok_text(tok),), tok.start, tok.end)

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.error("ScriptTooComplicated", (), self.pos, self.pos)

    # -- error recovery -----------------------------------------------------------------------

    def record(self, e: ParseException) -> None:
        """Keep the errors of ``e``, dropping duplicates (same id and extent, as 5.1 does)."""
        if not self.errors:
            self.incomplete = e.incomplete
        seen = {(error_id, extent.start, extent.end) for _m, error_id, extent in self.errors}
        for message, error_id, extent in e.errors:
            if (error_id, extent.start, extent.end) not in seen:
                self.errors.append((message, error_id, extent))

    def recover(self, e: ParseException, start: int, depth: int) -> None:
        """Record ``e`` (raised by the statement that began at ``start``) and move to where the
        next statement of the same block can begin; raise ``_StopParsing`` when that is not
        sensible (too many errors, nesting too deep, nothing after the error)."""
        self.record(e)
        if len(self.errors) >= MAX_ERRORS or e.error_id == "ScriptTooComplicated":
            raise _StopParsing
        self.depth = depth
        resume = getattr(e, "resume_at", None)
        if resume is not None and resume > start:
            self.pos = resume
            return
        self._resync(max(self.pos, e.errors[0][2].start, start), start)
        if self.pos <= start:
            # Nothing was consumed: skip one token so the parse always moves on.
            tok = self.peek()
            if tok.kind in ("eof", ")", "}"):
                return
            self.pos = tok.end

    def _resync(self, p: int, start: int) -> None:
        """Skip from ``p`` to the end of the statement that began at ``start``: the next
        newline or ``;`` outside any bracket opened after ``p``, or (without consuming it) a
        ``)``/``}`` closing a bracket opened before the statement, which ends the enclosing
        block. A hash literal the error is inside is skipped to its closing ``}`` (its entries
        span lines)."""
        hashes = self._open_hash_literals(start, p)
        opened = 0
        while True:
            try:
                tok = self.scan(p)
            except ParseException as e:
                self.record(e)
                raise _StopParsing from None
            kind = tok.kind
            if kind == "eof":
                self.pos = tok.start
                return
            if kind in ("(", "{", "[", "$(", "@(", "@{"):
                opened += 1
            elif kind in (")", "}", "]"):
                if opened == 0:
                    if kind == "}" and hashes:
                        hashes -= 1
                    elif kind != "]":
                        self.pos = tok.start
                        return
                else:
                    opened -= 1
            elif opened == 0 and not hashes and (kind == "nl" or kind == ";"):
                self.pos = tok.end
                return
            p = tok.end

    def _open_hash_literals(self, start: int, end: int) -> int:
        """How many ``@{`` opened between ``start`` and ``end`` are still open at ``end``."""
        stack: list[str] = []
        p = start
        try:
            while p < end:
                tok = self.scan(p)
                if tok.kind == "eof" or tok.start >= end:
                    break
                if tok.kind in ("(", "{", "[", "$(", "@(", "@{"):
                    stack.append(tok.kind)
                elif tok.kind in (")", "}", "]") and stack:
                    stack.pop()
                p = tok.end
        except ParseException:
            return 0
        return stack.count("@{")

    # -- script blocks ------------------------------------------------------------------------

    def parse_script(self) -> A.ScriptBlockAst:
        sb = self.parse_script_block_body(None)
        return sb

    def parse_script_block_body(self, lcurly: Token | None, is_filter: bool = False,
                                inline_params: A.ParamBlock | None = None) -> A.ScriptBlockAst:
        """The inside of ``{ ... }`` (``lcurly`` already consumed) or a whole script."""
        start = lcurly.start if lcurly else 0
        param_block = self.try_param_block()
        if inline_params is not None:
            if param_block is not None:
                self.error("OnlyOneParameterListAllowed", (), param_block.extent.start,
                           param_block.extent.end)
            param_block = inline_params
        self.skip_newlines_and_semis()
        sb = A.ScriptBlockAst(self.ext(start, start), param_block, braced=lcurly is not None)
        m = _BLOCK_NAME.match(self.text, self.ws(self.pos))
        if m:
            sb.named_blocks = True
            while m:
                name = m.group(1).lower()
                self.pos = m.end()
                block = self.parse_statement_block()
                if block is None:
                    self.error("MissingNamedStatementBlock", (name,), m.end(), incomplete_at=m.end())
                if getattr(sb, name) is not None:
                    self.error("DuplicateScriptCommandClause", (name,), m.start(), block.extent.end)
                setattr(sb, name, block)
                self.skip_newlines_and_semis()
                m = _BLOCK_NAME.match(self.text, self.ws(self.pos))
        else:
            body_start = self.ws(self.pos)
            statements, traps = self.parse_statement_list()
            while lcurly is None and self.peek().kind != "eof":
                # A stray ')' or '}' in a script: report it and go on after it (as 5.1 does).
                tok = self.peek()
                try:
                    self.unexpected(tok)
                except ParseException as e:
                    self.record(e)
                if len(self.errors) >= MAX_ERRORS:
                    raise _StopParsing
                self.pos = tok.end
                more, more_traps = self.parse_statement_list()
                statements += more
                traps += more_traps
            end = statements[-1].extent.end if statements else body_start
            block = A.StatementBlock(self.ext(body_start if statements else start, end),
                                     statements, traps)
            if is_filter:
                sb.process = block
            else:
                sb.end = block
        tok = self.peek()
        if lcurly is None:
            if tok.kind != "eof":
                self.unexpected(tok)
            sb.extent = self.ext(0, self.n)
        else:
            if tok.kind != "}":
                self.error("MissingEndCurlyBrace", (), lcurly.start, lcurly.end,
                           incomplete_at=tok.start)
            self.advance()
            sb.extent = self.ext(lcurly.start, tok.end)
        return sb

    def try_param_block(self) -> A.ParamBlock | None:
        """``[attributes] param(...)`` at the start of a script block, else None (nothing
        consumed)."""
        save = self.pos
        self.skip_newlines()
        attributes = []
        start = self.ws(self.pos)
        while _ATTRIBUTE_START.match(self.text, self.ws(self.pos)):
            attributes.append(self.parse_attribute())
            self.skip_newlines()
        p = self.ws(self.pos)
        m = _PARAM_KEYWORD.match(self.text, p)
        if not m:
            self.pos = save
            return None
        self.pos = m.end()
        self.skip_newlines()
        lparen = self.peek()
        if lparen.kind != "(":
            self.pos = save
            return None
        self.advance()
        parameters = self.parse_parameter_list()
        self.skip_newlines()
        rparen = self.peek()
        if rparen.kind != ")":
            last = parameters[-1].extent.end if parameters else lparen.end
            self.error("MissingEndParenthesisInFunctionParameterList", (), last,
                       incomplete_at=rparen.start)
        self.advance()
        return A.ParamBlock(self.ext(start if attributes else p, rparen.end),
                            [a for a in attributes if isinstance(a, A.AttributeAst)], parameters)

    def parse_parameter_list(self) -> list[A.ParameterAst]:
        """Parameters after ``(`` up to (not including) ``)``."""
        params: list[A.ParameterAst] = []
        comma: Token | None = None
        while True:
            self.skip_newlines()
            attributes = self.parse_attribute_list()
            self.skip_newlines()
            tok = self.peek()
            if tok.kind == "splat":
                self.error("SplattingNotPermitted", (tok.value,), tok.start, tok.end)
            if tok.kind != "var":
                if attributes:
                    self.error("InvalidFunctionParameter", (), attributes[-1].extent.end,
                               incomplete_at=tok.start)
                if comma is not None:
                    self.error("MissingExpressionAfterToken", (",",), comma.end,
                               incomplete_at=tok.start)
                return params
            self.advance()
            default = None
            self.skip_newlines()
            eq = self.peek()
            if eq.kind == "assign" and eq.value == "=":
                self.advance()
                self.skip_newlines()
                default = self.parse_expression(allow_comma=False)
                if default is None:
                    self.error("MissingExpressionAfterToken", ("=",), eq.end,
                               incomplete_at=self.peek().start)
            start = attributes[0].extent.start if attributes else tok.start
            end = default.extent.end if default is not None else tok.end
            params.append(A.ParameterAst(self.ext(start, end), tok.value.name, attributes, default))
            self.skip_newlines()
            comma = self.peek()
            if comma.kind != ",":
                return params
            self.advance()

    def parse_attribute_list(self) -> list:
        attributes = []
        while self.ws(self.pos) < self.n and self.text[self.ws(self.pos)] == "[":
            attributes.append(self.parse_attribute())
            self.skip_newlines()
        return attributes

    def parse_attribute(self):
        """``[Name(args)]`` → AttributeAst, ``[type]`` → TypeConstraintAst."""
        lbracket = self.advance()
        type_name, p = self.parse_type_name(lbracket.end)
        text = self.text
        q = self.ws(p)
        if q < self.n and text[q] == "(":
            self.pos = q + 1
            positional, named, last = self.parse_attribute_arguments(q + 1)
            self.skip_newlines()
            rparen = self.peek()
            if rparen.kind != ")":
                self.error("MissingEndParenthesisInExpression", (), last, incomplete_at=rparen.start)
            self.advance()
            self.skip_newlines()
            rbracket = self.peek()
            if rbracket.kind != "]":
                self.error("EndSquareBracketExpectedAtEndOfAttribute", (), rparen.end,
                           incomplete_at=rbracket.start)
            self.advance()
            return A.AttributeAst(self.ext(lbracket.start, rbracket.end), type_name, positional, named)
        if q >= self.n or text[q] != "]":
            self.error("EndSquareBracketExpectedAtEndOfAttribute", (), q, incomplete_at=q)
        self.pos = q + 1
        return A.TypeConstraintAst(self.ext(lbracket.start, q + 1), type_name)

    def parse_attribute_arguments(self, p: int):
        positional: list = []
        named: list = []
        last = p
        text = self.text
        while True:
            self.skip_newlines()
            q = self.ws(self.pos)
            m = SIMPLE_NAME.match(text, q)
            if m:
                r = self.ws(m.end())
                name_end = m.end()
                if text.startswith("=", r) and not text.startswith("==", r):
                    self.pos = r + 1
                    self.skip_newlines()
                    value = self.parse_expression(allow_comma=False)
                    if value is None:
                        self.error("MissingExpressionInNamedArgument", (), r + 1,
                                   incomplete_at=self.peek().start)
                    named.append(A.NamedAttributeArgument(self.ext(q, value.extent.end), m.group(),
                                                          value))
                    last = value.extent.end
                else:
                    self.pos = name_end
                    named.append(A.NamedAttributeArgument(self.ext(q, name_end), m.group(), None))
                    last = name_end
            else:
                value = self.parse_expression(allow_comma=False)
                if value is None:
                    return positional, named, last
                positional.append(value)
                last = value.extent.end
            self.skip_newlines()
            tok = self.peek()
            if tok.kind != ",":
                return positional, named, last
            last = tok.end
            self.advance()

    def parse_type_name(self, p: int) -> tuple[A.TypeName, int]:
        """A type name starting at ``p`` (just after ``[``): (TypeName, position after it)."""
        text = self.text
        m = TYPE_IDENTIFIER.match(text, p)
        if m is None:
            self.error("MissingTypename", (), p, incomplete_at=p)
        name = m.group(1)
        p = m.end()
        generic: tuple = ()
        rank = 0
        while p < self.n and text[p] == "[":
            am = ARRAY_DIMS.match(text, p)
            if am:
                rank = am.group().count(",") + 1
                p = am.end()
                continue
            if generic or rank:
                break
            args = []
            q = p + 1
            while True:
                q = _skip_nl(text, q)
                if q < self.n and text[q] == "[":
                    sub, q = self.parse_type_name(q + 1)
                    q = _skip_nl(text, q)
                    if q >= self.n or text[q] != "]":
                        self.error("EndSquareBracketExpectedAtEndOfAttribute", (), q, incomplete_at=q)
                    q += 1
                else:
                    if not TYPE_IDENTIFIER.match(text, q):
                        self.error("MissingTypename", (), q, incomplete_at=q)
                    sub, q = self.parse_type_name(q)
                args.append(sub)
                q = _skip_nl(text, q)
                if q < self.n and text[q] == ",":
                    q += 1
                    continue
                if q < self.n and text[q] == "]":
                    q += 1
                    break
                self.error("EndSquareBracketExpectedAtEndOfAttribute", (), q, incomplete_at=q)
            generic = tuple(args)
            p = q
        return A.TypeName(name, generic, rank), p

    # -- statements ---------------------------------------------------------------------------

    def parse_statement_block(self) -> A.StatementBlock | None:
        """``{ statements }`` after optional newlines; None (nothing consumed) when no ``{``."""
        save = self.pos
        self.skip_newlines()
        lcurly = self.peek()
        if lcurly.kind != "{":
            self.pos = save
            return None
        self.advance()
        statements, traps = self.parse_statement_list()
        rcurly = self.peek()
        if rcurly.kind != "}":
            self.error("MissingEndCurlyBrace", (), lcurly.start, lcurly.end,
                       incomplete_at=rcurly.start)
        self.advance()
        return A.StatementBlock(self.ext(lcurly.start, rcurly.end), statements, traps)

    def parse_statement_list(self) -> tuple[list, list]:
        statements: list = []
        traps: list = []
        while True:
            self.skip_newlines_and_semis()
            kind = self.peek().kind
            if kind == "eof" or kind == ")" or kind == "}":
                break
            start = self.pos
            depth = self.depth
            try:
                stmt = self.parse_statement()
            except ParseException as e:
                self.recover(e, start, depth)
                continue
            if stmt is None:
                break
            if isinstance(stmt, A.TrapStatement):
                traps.append(stmt)
            else:
                statements.append(stmt)
        return statements, traps

    def parse_statement(self):
        self._enter()
        try:
            text = self.text
            p = self.ws(self.pos)
            if p >= self.n:
                return None
            c = text[p]
            label = None
            if c == ":":
                m = LABEL.match(text, p)
                if m:
                    self.pos = m.end()
                    self.skip_newlines()
                    p = self.ws(self.pos)
                    km = _KEYWORD.match(text, p)
                    if km and km.group(1).lower() in _LOOP_KEYWORDS:
                        label = m.group(1)
                        c = text[p]
                    else:
                        self.pos = m.start()
                        return self.parse_pipeline()
            if c.isalpha():
                m = _KEYWORD.match(text, p)
                if m:
                    kw = m.group(1).lower()
                    self.pos = m.end()
                    kw_tok = Token("kw", p, m.end(), m.group(1))
                    return getattr(self, "_stmt_" + kw)(kw_tok, label)
            return self.parse_pipeline()
        finally:
            self.depth -= 1

    def _stmt_if(self, kw: Token, label):
        clauses = []
        else_body = None
        keyword = kw
        while True:
            self.skip_newlines()
            lparen = self.peek()
            if lparen.kind != "(":
                self.error("MissingOpenParenthesisInIfStatement", (keyword.value,), keyword.end,
                           incomplete_at=lparen.start)
            self.advance()
            self.skip_newlines()
            cond = self.parse_pipeline()
            if cond is None:
                self.error("IfStatementMissingCondition", (keyword.value,), lparen.end,
                           incomplete_at=self.peek().start)
            self.skip_newlines()
            rparen = self.peek()
            if rparen.kind != ")":
                self.error("MissingEndParenthesisAfterStatement", (keyword.value,), rparen.start,
                           rparen.end, incomplete_at=rparen.start)
            self.advance()
            body = self.parse_statement_block()
            if body is None:
                self.error("MissingStatementBlock", (keyword.value,), rparen.start, rparen.end,
                           incomplete_at=self.peek().start)
            clauses.append((cond, body))
            save = self.pos
            self.skip_newlines()
            m = _ELSE.match(self.text, self.ws(self.pos))
            if not m:
                self.pos = save
                break
            self.pos = m.end()
            if m.group(1).lower() == "elseif":
                keyword = Token("kw", m.start(), m.end(), m.group(1))
                continue
            else_body = self.parse_statement_block()
            if else_body is None:
                self.error("MissingStatementBlockAfterElse", (), m.end(),
                           incomplete_at=self.peek().start)
            break
        end = (else_body or clauses[-1][1]).extent.end
        return A.IfStatement(self.ext(kw.start, end), clauses, else_body)

    def _paren_condition(self, kw: Token, keyword: str):
        """``( pipeline )`` after while/until."""
        self.skip_newlines()
        lparen = self.peek()
        if lparen.kind != "(":
            self.error("MissingOpenParenthesisAfterKeyword", (kw.value if keyword == "while" else keyword,),
                       kw.end, incomplete_at=lparen.start)
        self.advance()
        self.skip_newlines()
        cond = self.parse_pipeline()
        if cond is None:
            self.error("MissingExpressionAfterKeyword", (keyword,), lparen.end,
                       incomplete_at=self.peek().start)
        self.skip_newlines()
        rparen = self.peek()
        if rparen.kind != ")":
            self.error("MissingEndParenthesisAfterStatement", (keyword,), cond.extent.end,
                       incomplete_at=rparen.start)
        self.advance()
        return cond, rparen

    def _stmt_while(self, kw: Token, label):
        cond, rparen = self._paren_condition(kw, "while")
        self.skip_newlines()
        body = self.parse_statement_block()
        if body is None:
            self.error("MissingLoopStatement", ("while",), rparen.end, incomplete_at=self.peek().start)
        return A.WhileStatement(self.ext(kw.start, body.extent.end), label, body, cond)

    def _stmt_do(self, kw: Token, label):
        body = self.parse_statement_block()
        if body is None:
            self.error("MissingLoopStatement", ("do",), kw.end, incomplete_at=self.peek().start)
        self.skip_newlines()
        m = _WHILE_UNTIL.match(self.text, self.ws(self.pos))
        if not m:
            self.error("MissingWhileOrUntilInDoWhile", (), body.extent.end,
                       incomplete_at=self.ws(self.pos))
        self.pos = m.end()
        keyword = m.group(1).lower()
        cond, rparen = self._paren_condition(Token("kw", m.start(), m.end(), keyword), keyword)
        cls = A.DoWhileStatement if keyword == "while" else A.DoUntilStatement
        return cls(self.ext(kw.start, rparen.end), label, body, cond)

    def _stmt_for(self, kw: Token, label):
        self.skip_newlines()
        lparen = self.peek()
        if lparen.kind != "(":
            self.error("MissingOpenParenthesisAfterKeyword", ("for",), kw.end,
                       incomplete_at=lparen.start)
        self.advance()
        last = None
        parts = []
        for i in range(3):
            self.skip_newlines()
            part = self.parse_pipeline()
            parts.append(part)
            if part is not None:
                last = part.extent.end
            if i < 2 and self.peek().kind == ";":
                last = self.advance().end
        self.skip_newlines()
        rparen = self.peek()
        if rparen.kind != ")":
            self.error("MissingEndParenthesisAfterStatement", ("for",),
                       last if last is not None else lparen.end, incomplete_at=rparen.start)
        self.advance()
        body = self.parse_statement_block()
        if body is None:
            self.error("MissingLoopStatement", ("for",), rparen.end, incomplete_at=self.peek().start)
        return A.ForStatement(self.ext(kw.start, body.extent.end), label, body, parts[0], parts[1],
                              parts[2])

    def _stmt_foreach(self, kw: Token, label):
        self.skip_newlines()
        tok = self.peek()
        while tok.kind == "param":
            if not "parallel".startswith(tok.value.lower()):
                self.error("InvalidForeachFlag", (tok.value,), tok.start, tok.end)
            self.advance()
            self.skip_newlines()
            tok = self.peek()
        if tok.kind != "(":
            self.error("MissingOpenParenthesisAfterKeyword", ("foreach",), kw.end,
                       incomplete_at=tok.start)
        lparen = self.advance()
        self.skip_newlines()
        var = self.peek()
        if var.kind == "splat":
            self.error("SplattingNotPermitted", (var.value,), var.start, var.end)
        if var.kind != "var":
            self.error("MissingVariableNameAfterForeach", (), lparen.end, incomplete_at=var.start)
        self.advance()
        self.skip_newlines()
        m = _IN.match(self.text, self.ws(self.pos))
        if not m:
            self.error("MissingInInForeach", (), var.end, incomplete_at=self.ws(self.pos))
        self.pos = m.end()
        self.skip_newlines()
        iterable = self.parse_pipeline()
        if iterable is None:
            self.error("MissingForeachExpression", (), m.end(), incomplete_at=self.peek().start)
        self.skip_newlines()
        rparen = self.peek()
        if rparen.kind != ")":
            self.error("MissingEndParenthesisAfterForeach", (), iterable.extent.end,
                       incomplete_at=rparen.start)
        self.advance()
        body = self.parse_statement_block()
        if body is None:
            self.error("MissingForeachStatement", (), rparen.end, incomplete_at=self.peek().start)
        return A.ForEachStatement(self.ext(kw.start, body.extent.end), label, body, var.value, iterable)

    def _stmt_switch(self, kw: Token, label):
        flags = set()
        self.skip_newlines()
        tok = self.peek()
        last = kw.end
        condition = None
        while tok.kind == "param":
            name = tok.value.lower()
            self.advance()
            last = tok.end
            for flag in ("regex", "wildcard", "exact", "casesensitive", "file"):
                if flag.startswith(name):
                    break
            else:
                self.error("InvalidSwitchFlag", (tok.value,), tok.start, tok.end)
            if flag in ("regex", "wildcard", "exact"):
                flags -= {"regex", "wildcard", "exact"}
            flags.add(flag)
            if flag == "file":
                self.skip_newlines()
                arg = self.parse_argument()
                if arg is None:
                    self.error("MissingFilenameOption", (), tok.end, incomplete_at=self.ws(self.pos))
                condition = A.PipelineAst(arg.extent, [A.CommandExpressionAst(arg.extent, [], arg)])
                last = arg.extent.end
            self.skip_newlines()
            tok = self.peek()
        if tok.kind == "(":
            if "file" in flags:
                self.error("PipelineValueRequired", (), tok.start, tok.end)
            self.advance()
            self.skip_newlines()
            condition = self.parse_pipeline()
            if condition is None:
                self.error("PipelineValueRequired", (), tok.end, incomplete_at=self.peek().start)
            self.skip_newlines()
            rparen = self.peek()
            if rparen.kind != ")":
                self.error("MissingEndParenthesisInSwitchStatement", (), condition.extent.end,
                           incomplete_at=rparen.start)
            self.advance()
            last = rparen.end
        elif condition is None:
            self.error("PipelineValueRequired", (), last, incomplete_at=tok.start)
        self.skip_newlines()
        lcurly = self.peek()
        if lcurly.kind != "{":
            self.error("MissingCurlyBraceInSwitchStatement", (), last, incomplete_at=lcurly.start)
        self.advance()
        last = lcurly.end
        clauses = []
        default = None
        self.skip_newlines()
        while True:
            clause_cond = self.parse_argument()
            if clause_cond is None:
                tok = self.peek()
                self.error("MissingSwitchConditionExpression", (), last, incomplete_at=tok.start)
            body = self.parse_statement_block()
            if body is None:
                self.error("MissingSwitchStatementClause", (), clause_cond.extent.end,
                           incomplete_at=self.peek().start)
            if isinstance(clause_cond, A.StringConstantExpression) and clause_cond.kind == "bareword" \
                    and clause_cond.value.lower() == "default":
                if default is not None:
                    self.error("MultipleSwitchDefaultClauses", (), clause_cond.extent.start,
                               clause_cond.extent.end)
                default = body
            else:
                clauses.append((clause_cond, body))
            last = body.extent.end
            self.skip_newlines_and_semis()
            tok = self.peek()
            if tok.kind == "}":
                self.advance()
                break
            if tok.kind == "eof":
                self.error("MissingEndCurlyBrace", (), lcurly.start, lcurly.end, incomplete_at=tok.start)
        return A.SwitchStatement(self.ext(kw.start, tok.end), label, None, frozenset(flags),
                                 condition, clauses, default)

    def _stmt_function(self, kw: Token, label, is_filter: bool = False):
        text = self.text
        self.skip_newlines()
        p = self.ws(self.pos)
        m = _FUNCTION_NAME.match(text, p)
        if m is None or text[p] in "$@" or text[p] in QUOTES:
            self.error("MissingNameAfterFunctionKeyword", (kw.value,), kw.end, incomplete_at=p)
        name = unescape_bareword(m.group())
        self.pos = m.end()
        last = m.end()
        self.skip_newlines()
        inline = None
        tok = self.peek()
        if tok.kind == "(":
            self.advance()
            parameters = self.parse_parameter_list()
            self.skip_newlines()
            rparen = self.peek()
            if rparen.kind != ")":
                end = parameters[-1].extent.end if parameters else tok.end
                self.error("MissingEndParenthesisInFunctionParameterList", (), end,
                           incomplete_at=rparen.start)
            self.advance()
            inline = A.ParamBlock(self.ext(tok.start, rparen.end), [], parameters)
            last = rparen.end
            self.skip_newlines()
        lcurly = self.peek()
        if lcurly.kind != "{":
            self.error("MissingFunctionBody", (), last, incomplete_at=lcurly.start)
        self.advance()
        body = self.parse_script_block_body(lcurly, is_filter, inline)
        return A.FunctionDefinition(self.ext(kw.start, body.extent.end), name, is_filter, body)

    def _stmt_filter(self, kw: Token, label):
        return self._stmt_function(kw, label, is_filter=True)

    def _stmt_workflow(self, kw: Token, label):
        return self._stmt_function(kw, label)

    def _stmt_try(self, kw: Token, label):
        body = self.parse_statement_block()
        if body is None:
            self.error("MissingTryStatementBlock", (), kw.end, incomplete_at=self.ws(self.pos))
        catches = []
        finally_body = None
        text = self.text
        while True:
            save = self.pos
            self.skip_newlines()
            m = _CATCH_FINALLY.match(text, self.ws(self.pos))
            if not m:
                self.pos = save
                break
            self.pos = m.end()
            if m.group(1).lower() == "finally":
                finally_body = self.parse_statement_block()
                if finally_body is None:
                    self.error("MissingFinallyStatementBlock", (), m.end(),
                               incomplete_at=self.ws(self.pos))
                break
            types = []
            last = m.end()
            while True:
                save_types = self.pos
                self.skip_newlines()
                q = self.ws(self.pos)
                if q < self.n and text[q] == "[" and not _ATTRIBUTE_START.match(text, q):
                    constraint = self.parse_attribute()
                    types.append(constraint.type_name)
                    last = constraint.extent.end
                    self.skip_newlines()
                    comma = self.peek()
                    if comma.kind == ",":
                        self.advance()
                        last = comma.end
                        q = self.ws(_skip_nl(text, self.pos))
                        if q >= self.n or text[q] != "[":
                            self.error("MissingTypeLiteralToken", (), comma.end, incomplete_at=q)
                        continue
                    break
                self.pos = save_types
                break
            block = self.parse_statement_block()
            if block is None:
                self.error("MissingCatchHandlerBlock", (), last, incomplete_at=self.ws(self.pos))
            catches.append(A.CatchClause(self.ext(m.start(), block.extent.end), types, block))
        if not catches and finally_body is None:
            self.error("MissingCatchOrFinally", (), body.extent.end,
                       incomplete_at=self.ws(_skip_nl(text, self.pos)))
        end = (finally_body or catches[-1].body).extent.end
        return A.TryStatement(self.ext(kw.start, end), body, catches, finally_body)

    def _stmt_trap(self, kw: Token, label):
        save = self.pos
        self.skip_newlines()
        type_name = None
        last = kw.end
        q = self.ws(self.pos)
        if q < self.n and self.text[q] == "[" and not _ATTRIBUTE_START.match(self.text, q):
            constraint = self.parse_attribute()
            type_name = constraint.type_name
            last = constraint.extent.end
        else:
            self.pos = save
        body = self.parse_statement_block()
        if body is None:
            self.error("MissingTrapStatement", (), last, incomplete_at=self.ws(self.pos))
        return A.TrapStatement(self.ext(kw.start, body.extent.end), type_name, body)

    def _flow(self, kw: Token, cls):
        pipeline = self.parse_pipeline()
        end = pipeline.extent.end if pipeline is not None else kw.end
        return cls(self.ext(kw.start, end), pipeline)

    def _stmt_throw(self, kw: Token, label):
        return self._flow(kw, A.ThrowStatement)

    def _stmt_return(self, kw: Token, label):
        return self._flow(kw, A.ReturnStatement)

    def _stmt_exit(self, kw: Token, label):
        return self._flow(kw, A.ExitStatement)

    def _label_or_key(self):
        p = self.ws(self.pos)
        m = SIMPLE_NAME.match(self.text, p)
        if m:
            self.pos = m.end()
            return m.group(), m.end()
        tok = self.peek()
        if tok.kind in ("nl", ";", "eof", "}", ")", "|"):
            return None, None
        expr = self.parse_unary(allow_comma=False)
        if expr is None:
            return None, None
        return expr, expr.extent.end

    def _stmt_break(self, kw: Token, label):
        target, end = self._label_or_key()
        return A.BreakStatement(self.ext(kw.start, end or kw.end), target)

    def _stmt_continue(self, kw: Token, label):
        target, end = self._label_or_key()
        return A.ContinueStatement(self.ext(kw.start, end or kw.end), target)

    # -- pipelines ----------------------------------------------------------------------------

    def parse_pipeline(self):
        """A pipeline or an assignment; None when no element starts here."""
        elements: list = []
        pipe: Token | None = None
        while True:
            element = self.parse_pipeline_element(not elements)
            if element is None:
                if elements or self.peek().kind == "|":
                    if pipe is not None:
                        self.error("EmptyPipeElement", (), pipe.end, incomplete_at=pipe.end)
                    tok = self.peek()
                    self.error("EmptyPipeElement", (), tok.start, tok.end)
            elif isinstance(element, A.AssignmentStatement):
                return element
            else:
                elements.append(element)
            tok = self.peek()
            kind = tok.kind
            if kind in ("nl", "eof", ")", "}", ";"):
                break
            if kind == "|":
                self.advance()
                self.skip_newlines()
                if self.peek().kind == "eof":
                    self.error("EmptyPipeElement", (), tok.end, incomplete_at=tok.end)
                pipe = tok
                continue
            if kind == "&&" or kind == "||":
                self.error("InvalidEndOfLine", (self.tok_text(tok),), tok.start, tok.end)
            if kind == "&":
                self.error("AmpersandNotAllowed", (), tok.start, tok.end)
            try:
                self.unexpected(tok)
            except ParseException as e:
                # 5.1 does not eat the token: it may begin the next statement (`1 2 3`
                # reports '2' and then '3').
                e.resume_at = tok.start
                raise
        if not elements:
            return None
        return A.PipelineAst(self.ext(elements[0].extent.start, elements[-1].extent.end), elements)

    def parse_pipeline_element(self, first: bool):
        text = self.text
        p = self.ws(self.pos)
        if p >= self.n:
            return None
        if self._starts_command(p):
            return self.parse_command(p)
        expr = self.parse_expression()
        if expr is None:
            return None
        tok = self.peek()
        if tok.kind == "assign":
            if not first:
                self.error("ExpressionsMustBeFirstInPipeline", (), expr.extent.start, expr.extent.end)
            _check_assignable(self, expr, tok.value)
            self.advance()
            self.skip_newlines()
            value = self.parse_statement()
            if value is None:
                self.error("ExpectedValueExpression", (tok.value,), tok.end,
                           incomplete_at=self.peek().start)
            return A.AssignmentStatement(self.ext(expr.extent.start, value.extent.end), expr, tok.value,
                                         value)
        if not first:
            self.error("ExpressionsMustBeFirstInPipeline", (), expr.extent.start, expr.extent.end)
        redirections = []
        end = expr.extent.end
        while True:
            q = self.ws(self.pos)
            if q >= self.n or not (text[q] == ">" or (text[q] in "123456*" and text[q + 1:q + 2] == ">")):
                break
            tok = self.scan_redirection(q)
            self.pos = tok.end
            redirection = self.parse_redirection(tok)
            redirections.append(redirection)
            end = redirection.extent.end
        return A.CommandExpressionAst(self.ext(expr.extent.start, end), redirections, expr)

    def _starts_command(self, p: int) -> bool:
        """Does the text at ``p`` start a command rather than an expression?"""
        text = self.text
        c = text[p]
        if c.isalpha() or c == "_":
            return True
        if c in "$@('\"[{+!,)}];|\r\n=<>" or c in DASHES or c in QUOTES:
            return False
        if c.isdigit():
            return NUMBER.match(text, p) is None
        if c == ".":
            nxt = text[p + 1:p + 2]
            return not nxt.isdigit()
        if c == "&":
            return not text.startswith("&&", p)
        if c == "*" and text[p + 1:p + 2] == ">":
            return False
        return True

    def parse_command(self, p: int) -> A.CommandAst:
        text = self.text
        c = text[p]
        invocation = None
        if c == "&" or (c == "." and (p + 1 >= self.n or text[p + 1] in _SEPARATOR
                                      or text[p + 1] in "$'\"{(" or text[p + 1] in QUOTES)):
            invocation = c
            self.pos = p + 1
            name = self.parse_argument()
            if name is None:
                self.error("MissingExpression", (c,), p, p + 1)
        else:
            name = self.parse_argument(command_name=True)
        elements: list = []
        redirections: list = []
        no_params = False
        end = name.extent.end
        n = self.n
        while True:
            q = self.ws(self.pos)
            if q >= n:
                break
            c = text[q]
            if c in _ARG_END:
                break
            if c == "&":
                if text.startswith("&&", q):
                    break
                self.error("AmpersandNotAllowed", (), q, q + 1)
            if c == ",":
                self.error("MissingArgument", (), q, q + 1)
            if c == "-" and text.startswith("--%", q) and (q + 3 >= n or text[q + 3] in _SEPARATOR):
                # Stop-parsing token: the rest of the line goes verbatim to a native command.
                line_end = _LINE_END.search(text, q).start()
                rest = self.ws(q + 3)
                elements.append(A.StringConstantExpression(self.ext(q, q + 3), "--%", "bareword"))
                if rest < line_end:
                    elements.append(A.StringConstantExpression(self.ext(rest, line_end),
                                                               text[rest:line_end], "bareword"))
                self.pos = end = line_end
                continue
            if c in DASHES and not no_params:
                m = PARAMETER.match(text, q)
                if m:
                    self.pos = m.end()
                    if m.group(2):
                        arg = self.parse_argument_list()
                        if arg is None:
                            self.error("ParameterRequiresArgument", (m.group(),), m.end())
                        end = arg.extent.end
                        elements.append(A.CommandParameterAst(self.ext(q, end), m.group(1), arg, True,
                                                              m.group()))
                    else:
                        end = m.end()
                        elements.append(A.CommandParameterAst(self.ext(q, end), m.group(1), None, False,
                                                              m.group()))
                    continue
                if text[q + 1:q + 2] in DASHES and (q + 2 >= n or text[q + 2] in _SEPARATOR):
                    no_params = True
                    self.pos = end = q + 2
                    continue
            if c == ">" or (c in "123456*" and text[q + 1:q + 2] == ">"):
                tok = self.scan_redirection(q)
                self.pos = tok.end
                redirection = self.parse_redirection(tok)
                redirections.append(redirection)
                end = redirection.extent.end
                continue
            if c == "<":
                self.error("RedirectionNotSupported", ("<",), q, q + 1)
            arg = self.parse_argument_list()
            if arg is None:
                self.unexpected(self.scan(q))
            elements.append(arg)
            end = arg.extent.end
        return A.CommandAst(self.ext(p, end), redirections, name, elements, invocation)

    def parse_redirection(self, tok: Token) -> A.RedirectionAst:
        stream, append, merge = tok.value
        if merge is not None:
            if merge != "1" or stream == "1":
                self.error("RedirectionNotSupported", (self.tok_text(tok),), tok.start, tok.end)
            return A.RedirectionAst(self.ext(tok.start, tok.end), stream, None, merge, False)
        target = self.parse_argument()
        if target is None:
            self.error("MissingFileSpecification", (), tok.end)
        return A.RedirectionAst(self.ext(tok.start, target.extent.end), stream, target, None, append)

    # -- command arguments --------------------------------------------------------------------

    def parse_argument_list(self):
        """One argument, or ``a, b, c`` as an ArrayLiteralExpression."""
        first = self.parse_argument()
        if first is None:
            return None
        text = self.text
        q = self.ws(self.pos)
        if q >= self.n or text[q] != ",":
            return first
        items = [first]
        while q < self.n and text[q] == ",":
            self.pos = q + 1
            self.skip_newlines()
            item = self.parse_argument()
            if item is None:
                self.error("MissingExpression", (",",), q + 1, incomplete_at=self.ws(self.pos))
            if isinstance(item, A.VariableExpression) and item.splatted:
                self.error("SplattingNotPermittedInArgumentList", (item.name,), item.extent.start,
                           item.extent.end)
            items.append(item)
            q = self.ws(self.pos)
        return A.ArrayLiteralExpression(self.ext(first.extent.start, items[-1].extent.end), items)

    def parse_argument(self, command_name: bool = False):
        """One argument-mode element at the current position (no commas), or None."""
        text = self.text
        p = self.ws(self.pos)
        if p >= self.n:
            return None
        c = text[p]
        if c in _ARG_END or c == "," or c == "&" or c == ">" or \
                (c in "123456*" and text[p + 1:p + 2] == ">"):
            return None
        nxt = text[p + 1:p + 2]
        if command_name:
            return self._generic_argument(p, command_name=True)
        if c == "(" or c == "{" or (c == "@" and nxt in ("(", "{")) or (c == "$" and nxt == "("):
            self.pos = p
            return self.parse_postfix(self.parse_primary())
        if c == "@" and nxt:
            m = SPLAT.match(text, p)
            if m:
                self.pos = m.end()
                return A.VariableExpression(self.ext(p, m.end()), m.group("name"), None, True)
        if c == "$":
            node, end = self.scan_variable(p)
            if node is not None:
                after = text[end:end + 1]
                if after == "." or after == "[" or text.startswith("::", end):
                    self.pos = end
                    return self.parse_postfix(node)
                if not after or after in _SEPARATOR:
                    self.pos = end
                    return node
        elif c in QUOTES or (c == "@" and nxt and nxt in QUOTES):
            node, end = self.scan_string(p)
            after = text[end:end + 1]
            if after == "." or after == "[":
                self.pos = end
                return self.parse_postfix(node)
            if not after or after in _SEPARATOR:
                self.pos = end
                return node
        return self._generic_argument(p)

    def _generic_argument(self, p: int, command_name: bool = False):
        """A bareword argument, with glued strings/variables (``a$x``, ``$db\\*``, ``a"b"``)."""
        text = self.text
        n = self.n
        parts: list = []
        q = p
        plain = True
        while q < n:
            m = BAREWORD.match(text, q)
            if m:
                parts.append(unescape_bareword(m.group()))
                q = m.end()
                continue
            c = text[q]
            if c == "$":
                plain = False
                if text.startswith("$(", q):
                    node, q = self.parse_subexpression_at(q)
                    parts.append(node)
                    continue
                node, end = self.scan_variable(q)
                if node is None:
                    parts.append("$")
                    q += 1
                else:
                    parts.append(node)
                    q = end
                continue
            if c in QUOTES:
                plain = False
                node, q = self.scan_string(q)
                if isinstance(node, A.StringConstantExpression):
                    parts.append(node.value)
                else:
                    parts.extend(node.parts)
                continue
            break
        if q == p:
            self.unexpected(self.scan(p))
        self.pos = q
        extent = self.ext(p, q)
        if plain:
            value = parts[0] if len(parts) == 1 else "".join(parts)
            if not command_name and (text[p].isdigit() or text[p] in DASHES or text[p] == "."):
                m = ARG_NUMBER.match(value)
                if m:
                    negative = value[0] in DASHES
                    num = NUMBER.match(value, 1 if negative else 0)
                    try:
                        node = self.number_node(num, p, negative)
                    except ParseException:  # out of range: an argument stays a string
                        return A.StringConstantExpression(extent, value, "bareword")
                    node.extent = extent
                    return node
            return A.StringConstantExpression(extent, value, "bareword")
        merged: list = []
        for part in parts:
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] += part
            else:
                merged.append(part)
        if command_name or all(isinstance(x, str) for x in merged):
            if command_name and not all(isinstance(x, str) for x in merged):
                return A.StringConstantExpression(extent, text[p:q], "bareword")
            return A.StringConstantExpression(extent, "".join(merged), "bareword")
        return A.ExpandableStringExpression(extent, text[p:q], merged, "bareword")

    # -- expressions --------------------------------------------------------------------------

    def parse_expression(self, allow_comma: bool = True, min_prec: int = 1):
        """Binary operators by precedence climbing (all left-associative)."""
        left = self.parse_array_literal(allow_comma)
        if left is None:
            return None
        while True:
            tok = self.peek()
            if tok.kind != "op":
                if tok.kind == "param":
                    self.unexpected(tok)
                return left
            prec = BINARY_PRECEDENCE.get(tok.value)
            if prec is None or prec < min_prec:
                return left
            self.advance()
            self.skip_newlines()
            right = self.parse_expression(allow_comma, prec + 1)
            if right is None:
                self.error("ExpectedValueExpression", (self.tok_text(tok),), tok.end,
                           incomplete_at=self.peek().start)
            left = A.BinaryExpression(self.ext(left.extent.start, right.extent.end), tok.value,
                                      left, right, self.ext(tok.start, tok.end))

    def parse_array_literal(self, allow_comma: bool = True):
        first = self.parse_unary(allow_comma)
        if first is None or not allow_comma:
            return first
        tok = self.peek()
        if tok.kind != ",":
            return first
        items = [first]
        while tok.kind == ",":
            self.advance()
            self.skip_newlines()
            item = self.parse_unary(allow_comma)
            if item is None:
                self.error("MissingExpressionAfterToken", (",",), tok.end,
                           incomplete_at=self.peek().start)
            items.append(item)
            tok = self.peek()
        return A.ArrayLiteralExpression(self.ext(first.extent.start, items[-1].extent.end), items)

    def parse_unary(self, allow_comma: bool = True):
        self._enter()
        try:
            tok = self.peek()
            kind = tok.kind
            node = None
            if kind == "op" and tok.value in UNARY_OPERATORS or kind == "++" or kind == "--" \
                    or (kind == "," and allow_comma):
                self.advance()
                if tok.value == "-" and tok.end < self.n and (self.text[tok.end].isdigit() or (
                        self.text[tok.end] == "." and self.text[tok.end + 1:tok.end + 2].isdigit())):
                    m = NUMBER.match(self.text, tok.end)
                    if m:
                        self.pos = m.end()
                        node = self.number_node(m, tok.start, negative=True)
                        node = self.parse_postfix(node)
                if node is None:
                    self.skip_newlines()
                    operand = self.parse_unary(allow_comma)
                    if operand is None:
                        self.error("MissingExpressionAfterOperator", (self.tok_text(tok),), tok.end,
                                   incomplete_at=self.peek().start)
                    extent = self.ext(tok.start, operand.extent.end)
                    if kind == ",":
                        node = A.ArrayLiteralExpression(extent, [operand])
                    else:
                        node = A.UnaryExpression(extent, tok.value if kind == "op" else kind, operand)
            elif kind == "[":
                node = self.parse_type_or_cast(allow_comma)
            else:
                node = self.parse_primary()
                if node is None:
                    return None
                node = self.parse_postfix(node)
            tok = self.peek()
            if tok.kind == "++" or tok.kind == "--":
                self.advance()
                node = A.UnaryExpression(self.ext(node.extent.start, tok.end), tok.kind, node, True)
            return node
        finally:
            self.depth -= 1

    def parse_type_or_cast(self, allow_comma: bool):
        start = self.peek().start
        if _ATTRIBUTE_START.match(self.text, start):
            # [ValidateNotNull()]$x = ... : an attributed expression; the attribute is dropped.
            self.parse_attribute()
            self.skip_newlines()
            operand = self.parse_unary(allow_comma)
            if operand is None:
                self.unexpected(self.peek())
            return operand
        constraint = self.parse_attribute()
        type_name = constraint.type_name
        p = self.pos
        text = self.text
        type_expr = A.TypeExpression(constraint.extent, type_name)
        if p < self.n and (text[p] == "." or text.startswith("::", p)) and not text.startswith("..", p):
            return self.parse_postfix(type_expr)
        tok = self.peek()
        if tok.kind in ("nl", ","):
            return type_expr
        operand = self.parse_unary(allow_comma)
        if operand is None:
            return type_expr
        return A.ConvertExpression(self.ext(start, operand.extent.end), type_name, operand)

    def parse_primary(self):
        tok = self.peek()
        kind = tok.kind
        if kind == "var":
            self.advance()
            return tok.value
        if kind == "str" or kind == "num":
            self.advance()
            return tok.value
        if kind == "(":
            return self.parse_paren()
        if kind == "{":
            self.advance()
            sb = self.parse_script_block_body(tok)
            return A.ScriptBlockExpression(sb.extent, sb)
        if kind == "$(" or kind == "@(":
            node, end = self.parse_subexpression_at(tok.start)
            self.pos = end
            return node
        if kind == "@{":
            return self.parse_hashtable()
        if kind == "splat":
            self.error("SplattingNotPermitted", (tok.value,), tok.start, tok.end)
        return None

    def parse_paren(self):
        lparen = self.advance()
        self.skip_newlines()
        pipeline = self.parse_pipeline()
        if pipeline is None:
            # 5.1 shows only the missing ')' when the input simply ends after '('.
            tok = self.peek()
            self.error("MissingEndParenthesisInExpression" if tok.kind == "eof" else "ExpectedExpression",
                       (), lparen.end, incomplete_at=tok.start)
        self.skip_newlines()
        rparen = self.peek()
        if rparen.kind != ")":
            self.error("MissingEndParenthesisInExpression", (), pipeline.extent.end,
                       incomplete_at=rparen.start)
        self.advance()
        return A.ParenExpression(self.ext(lparen.start, rparen.end), pipeline)

    def parse_subexpression_at(self, p: int):
        """``$( ... )`` or ``@( ... )`` at ``p`` → (node, end). Also used from inside strings,
        so the token state is saved and restored."""
        saved = (self.pos, self._peek_pos, self._peek_tok)
        self._enter()
        try:
            self.pos = p + 2
            statements, traps = self.parse_statement_list()
            self.skip_newlines()
            rparen = self.peek()
            if rparen.kind != ")":
                self.error("MissingEndParenthesisInSubexpression", (), rparen.start, rparen.end,
                           incomplete_at=rparen.start)
            end = rparen.end
            body_ext = self.ext(statements[0].extent.start, statements[-1].extent.end) if statements \
                else self.ext(p + 2, p + 2)
            block = A.StatementBlock(body_ext, statements, traps)
            cls = A.SubExpression if self.text[p] == "$" else A.ArrayExpression
            return cls(self.ext(p, end), block), end
        finally:
            self.depth -= 1
            self.pos, self._peek_pos, self._peek_tok = saved

    def parse_hashtable(self):
        at = self.advance()
        self.skip_newlines()
        pairs = []
        text = self.text
        while True:
            q = self.ws(self.pos)
            m = HASH_KEY.match(text, q)
            if m:
                self.pos = m.end()
                key = A.StringConstantExpression(self.ext(q, m.end()), m.group(), "bareword")
            else:
                if self.peek().kind in ("nl", ";"):
                    break
                key = self.parse_unary(allow_comma=False)
                if key is None:
                    break
            eq = self.peek()
            if eq.kind != "assign" or eq.value != "=":
                self.error("MissingEqualsInHashLiteral", (), key.extent.end)
            self.advance()
            self.skip_newlines()
            value = self.parse_statement()
            if value is None:
                self.error("MissingStatementInHashLiteral", (), eq.end, incomplete_at=self.peek().start)
            pairs.append((key, value))
            tok = self.peek()
            if tok.kind != "nl" and tok.kind != ";":
                break
            self.skip_newlines_and_semis()
        rcurly = self.peek()
        if rcurly.kind != "}":
            last = pairs[-1][1].extent.end if pairs else at.end
            self.error("IncompleteHashLiteral", (), last, incomplete_at=rcurly.start)
        self.advance()
        return A.HashtableExpression(self.ext(at.start, rcurly.end), pairs)

    def parse_postfix(self, node):
        """Member access, method calls, indexing — operators that must touch their operand."""
        text = self.text
        n = self.n
        while True:
            p = self.pos
            if p >= n:
                return node
            c = text[p]
            if c == ".":
                if text.startswith("..", p):
                    return node
                node = self.parse_member(node, p, p + 1, False)
            elif c == ":" and text.startswith("::", p):
                node = self.parse_member(node, p, p + 2, True)
            elif c == "[":
                node = self.parse_index(node, p)
            else:
                return node

    def parse_member(self, target, op_start: int, p: int, static: bool):
        text = self.text
        m = MEMBER_NAME.match(text, p)
        if m:
            member = A.StringConstantExpression(self.ext(p, m.end()), m.group(), "bareword")
            self.pos = m.end()
        else:
            self.pos = p
            tok = self.peek()
            if tok.start != p or tok.kind not in ("var", "str", "(", "$(", "@("):
                self.error("MissingPropertyName", (), p, incomplete_at=tok.start)
            member = self.parse_primary()
        p = self.pos
        if p < self.n and text[p] == "(":
            self.pos = p + 1
            args = []
            comma = None
            while True:
                self.skip_newlines()
                arg = self.parse_expression(allow_comma=False)
                if arg is None:
                    if comma is not None:
                        self.error("MissingExpressionAfterToken", (",",), comma.end,
                                   incomplete_at=self.peek().start)
                    break
                args.append(arg)
                self.skip_newlines()
                comma = self.peek()
                if comma.kind != ",":
                    break
                self.advance()
            self.skip_newlines()
            rparen = self.peek()
            if rparen.kind != ")":
                last = args[-1].extent.end if args else p + 1
                self.error("MissingEndParenthesisInMethodCall", (), last, incomplete_at=rparen.start)
            self.advance()
            return A.InvokeMemberExpression(self.ext(target.extent.start, rparen.end), target, member,
                                            static, args)
        return A.MemberExpression(self.ext(target.extent.start, member.extent.end), target, member,
                                  static)

    def parse_index(self, target, p: int):
        self.pos = p + 1
        self.skip_newlines()
        index = self.parse_expression()
        if index is None:
            self.error("MissingArrayIndexExpression", (), p + 1, incomplete_at=self.peek().start)
        self.skip_newlines()
        rbracket = self.peek()
        if rbracket.kind != "]":
            self.error("MissingEndSquareBracket", (), index.extent.end, incomplete_at=rbracket.start)
        self.advance()
        return A.IndexExpression(self.ext(target.extent.start, rbracket.end), target, index)


# ------------------------------------------------------------------------------------------------


_NL_RE = re.compile(r"[ \t\r\n]*")
_LINE_END = re.compile(r"[\r\n]|\Z")


def _skip_nl(text: str, p: int) -> int:
    return _NL_RE.match(text, p).end()


_ASSIGNABLE = (A.VariableExpression, A.MemberExpression, A.IndexExpression)


def _check_assignable(parser: Parser, expr, op: str = "=") -> None:
    node = expr
    if isinstance(node, A.ArrayLiteralExpression) and op == "=":
        for element in node.elements:
            _check_assignable(parser, element)
        return
    while isinstance(node, A.ConvertExpression):
        node = node.operand
    if isinstance(node, A.InvokeMemberExpression) or not isinstance(node, _ASSIGNABLE) or (
            isinstance(node, A.VariableExpression) and node.splatted):
        parser.error("InvalidLeftHandSide", (), expr.extent.start, expr.extent.end)
