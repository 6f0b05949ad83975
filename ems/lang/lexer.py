"""Tokens of Windows PowerShell 5.1, scanned on demand by the parser.

PowerShell's tokenizer is modal: the same characters mean different things in expression
mode (``2+2`` is an addition) and in argument mode (``Write-Output 2+2`` passes the string
``2+2``). Rather than a separate token stream, the parser asks for what it needs at a text
position: ``Lexer.scan()`` returns the next *expression-mode* token, and the argument-mode
pieces (parameters, barewords, redirections) are matched with the regexes below directly by
the parser's command loop. Everything is regex-driven so that whole tokens are matched in C,
never character by character in Python.

Strings with ``$(...)`` inside need the parser (the subexpression holds statements), so
``scan_string`` calls back into ``parse_subexpression_at``, which the parser provides.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ems.lang import ast as A
from ems.runtime.errors import ParseException

# --------------------------------------------------------------------------------------------
# Character classes (PowerShell accepts typographic dashes and quotes wherever ASCII ones go)

DASHES = "-\u2013\u2014\u2015"
SQUOTES = "'\u2018\u2019\u201a\u201b"
DQUOTES = '"\u201c\u201d\u201e'
QUOTES = SQUOTES + DQUOTES
_D = "[" + DASHES + "]"
_SQ = "[" + SQUOTES + "]"
_DQ = "[" + DQUOTES + "]"

# Whitespace, comments and backtick-newline continuations (never a newline itself).
_SKIP = re.compile(r"(?:[ \t\f\v\u00a0\u2000-\u200b\u3000\ufeff]+|`(?:\r\n|\n|\r)|<#.*?#>|#[^\r\n]*)*",
                   re.S)
# The same, plus newlines (for "is only trivia left?" checks and skip_newlines).
_SKIP_NL = re.compile(r"(?:[ \t\f\v\u00a0\u2000-\u200b\u3000\ufeff\r\n]+|`(?:\r\n|\n|\r)|<#.*?#>|#[^\r\n]*)*",
                      re.S)
_SKIP_NL_SEMI = re.compile(r"(?:[ \t\f\v\u00a0\u2000-\u200b\u3000\ufeff\r\n;]+|`(?:\r\n|\n|\r)|<#.*?#>|#[^\r\n]*)*",
                           re.S)

NUMBER = re.compile(
    r"(?:0[xX](?P<hex>[0-9a-fA-F]+)|(?P<dec>(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?))"
    r"(?P<suf>[lLdD])?(?P<mult>[kKmMgGtTpP][bB])?(?!\w)")
ARG_NUMBER = re.compile(_D + "?" + NUMBER.pattern + r"\Z")

# $name, $scope:name, ${any}, $$, $^, $?  (group "drive" carries the qualifier with its colon)
VARIABLE = re.compile(r"\$(?:\{(?P<braced>(?:[^}`]|`.)*)\}|(?P<drive>[^\W\d]\w*:(?=[\w?]))?"
                      r"(?P<name>[\w?]+)|(?P<special>[$^]))", re.S)
SPLAT = re.compile(r"@(?P<name>[\w?]+)")

# Argument mode
PARAMETER = re.compile(_D + r"((?:[^\W\d]|[_?])[^\s{}();,|&.\[:]*)(:?)")
REDIRECTION = re.compile(r"(?P<stream>[1-6*])?(?P<op>>>?)(?:&(?P<merge>[1-6]))?")
BAREWORD = re.compile(r"(?:[^\s,;|&(){}`$" + QUOTES + r"]|`[^\r\n])+")
BACKTICK_ESCAPE = re.compile(r"`(.)", re.S)

# Names
SIMPLE_NAME = re.compile(r"[^\W\d]\w*")
MEMBER_NAME = re.compile(r"\w+")
HASH_KEY = re.compile(r"[^\W\d][\w-]*")
WORD = re.compile(r"[^\s(){};,|&`$\[\]" + QUOTES + r"]+")
LABEL = re.compile(r":(\w+)")
TYPE_IDENTIFIER = re.compile(r"[ \t]*([^\W\d][\w.`+]*)")
ARRAY_DIMS = re.compile(r"\[[ \t]*(?:,[ \t]*)*\]")

ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
           "v": "\v"}
_MULTIPLIERS = {"kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30, "tb": 1 << 40, "pb": 1 << 50}
_INT32 = (-(1 << 31), (1 << 31) - 1)
_INT64 = (-(1 << 63), (1 << 63) - 1)
_DECIMAL_MAX = (1 << 96) - 1

# --------------------------------------------------------------------------------------------
# Operators

P_LOGICAL, P_BITWISE, P_COMPARE, P_ADD, P_MUL, P_FORMAT, P_RANGE = range(1, 8)

BINARY_PRECEDENCE: dict[str, int] = {"-and": P_LOGICAL, "-or": P_LOGICAL, "-xor": P_LOGICAL,
                                     "-band": P_BITWISE, "-bor": P_BITWISE, "-bxor": P_BITWISE,
                                     "+": P_ADD, "-": P_ADD, "*": P_MUL, "/": P_MUL, "%": P_MUL,
                                     "-f": P_FORMAT, "..": P_RANGE}
for _op in ("eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch",
            "contains", "notcontains", "in", "notin", "replace", "split"):
    for _prefix in ("", "i", "c"):
        BINARY_PRECEDENCE[f"-{_prefix}{_op}"] = P_COMPARE
for _op in ("-join", "-is", "-isnot", "-as", "-shl", "-shr"):
    BINARY_PRECEDENCE[_op] = P_COMPARE

UNARY_OPERATORS = frozenset({"-not", "-bnot", "-split", "-isplit", "-csplit", "-join", "+", "-"})
DASH_OPERATORS = frozenset(op for op in BINARY_PRECEDENCE if op[0] == "-" and len(op) > 1) \
    | frozenset({"-not", "-bnot"})

# --------------------------------------------------------------------------------------------
# Messages (exact Windows PowerShell 5.1 ParserStrings)

MESSAGES = {
    "UnexpectedToken": "Unexpected token '{0}' in expression or statement.",
    "MissingEndParenthesisInExpression": "Missing closing ')' in expression.",
    "MissingEndCurlyBrace": "Missing closing '}' in statement block or type definition.",
    "MissingEndParenthesisInSubexpression": "Missing closing ')' in subexpression.",
    "MissingEndSquareBracket": "Missing ']' after array index expression.",
    "MissingArrayIndexExpression": "Array index expression is missing or not valid.",
    "TerminatorExpectedAtEndOfString": "The string is missing the terminator: {0}.",
    "MissingExpressionAfterOperator": "Missing expression after unary operator '{0}'.",
    "ExpectedValueExpression": "You must provide a value expression following the '{0}' operator.",
    "ExpectedExpression": "An expression was expected after '('.",
    "MissingExpressionAfterToken": "Missing expression after '{0}'.",
    "MissingExpression": "Missing expression after '{0}' in pipeline element.",
    "MissingArgument": "Missing argument in parameter list.",
    "EmptyPipeElement": "An empty pipe element is not allowed.",
    "ExpressionsMustBeFirstInPipeline": "Expressions are only allowed as the first element of a pipeline.",
    "InvalidLeftHandSide": "The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.",
    "MissingStatementBlock": "Missing statement block after {0} ( condition ).",
    "MissingStatementBlockAfterElse": "Missing statement block after 'else' keyword.",
    "MissingOpenParenthesisInIfStatement": "Missing '(' after '{0}' in if statement.",
    "IfStatementMissingCondition": "Missing condition in if statement after '{0} ('.",
    "MissingEndParenthesisAfterStatement": "Missing closing ')' after expression in '{0}' statement.",
    "MissingOpenParenthesisAfterKeyword": "Missing opening '(' after keyword '{0}'.",
    "MissingExpressionAfterKeyword": "Missing expression after '{0}' in loop.",
    "MissingLoopStatement": "Missing statement body in {0} loop.",
    "MissingWhileOrUntilInDoWhile": "Missing while or until keyword in do loop.",
    "MissingVariableNameAfterForeach": "Missing variable name after foreach.\nThe correct form is: foreach ($a in $b) {...}",
    "MissingInInForeach": "Missing 'in' after variable in foreach loop.\nThe correct form is: foreach ($a in $b) {...}",
    "MissingForeachExpression": "Missing expression in foreach loop.\nThe correct form is: foreach ($a in $b) {...}",
    "MissingEndParenthesisAfterForeach": "Missing closing ')' after expression part of foreach loop.\nThe correct form is: foreach ($a in $b) {...}",
    "MissingForeachStatement": "Missing statement body in foreach loop.\nThe correct form is: foreach ($a in $b) {...}",
    "InvalidForeachFlag": "The parameter {0} is not valid for the foreach statement.",
    "InvalidSwitchFlag": "The parameter {0} is not valid for the switch statement.",
    "PipelineValueRequired": "A switch statement must have one of the following:  '-file file_name' or '( expression )'.",
    "MissingFilenameOption": "Cannot process the 'switch' statement because of a missing file name argument to the -file option.",
    "MissingEndParenthesisInSwitchStatement": "Missing ')' after expression in switch statement.",
    "MissingCurlyBraceInSwitchStatement": "Missing '{' in switch statement.",
    "MissingSwitchConditionExpression": "Missing condition in switch statement clause.",
    "MissingSwitchStatementClause": "Missing statement block in switch statement clause.",
    "MultipleSwitchDefaultClauses": "A switch statement can have only one default clause.",
    "MissingTryStatementBlock": "The Try statement is missing its statement block.",
    "MissingCatchOrFinally": "The Try statement is missing its Catch or Finally block.",
    "MissingCatchHandlerBlock": "The Catch block is missing its statement block.",
    "MissingFinallyStatementBlock": "The Finally block is missing its statement block.",
    "MissingTypeLiteralToken": "Missing type literal.",
    "MissingTrapStatement": "The 'trap' statement was incomplete. A trap statement requires a body.",
    "MissingEqualsInHashLiteral": "Missing '=' operator after key in hash literal.",
    "MissingStatementInHashLiteral": "Missing statement after '=' in hash literal.",
    "IncompleteHashLiteral": "The hash literal was incomplete.",
    "MissingNameAfterFunctionKeyword": "Missing name after {0} keyword.",
    "MissingFunctionBody": "Missing function body in function declaration.",
    "MissingEndParenthesisInFunctionParameterList": "Missing ')' in function parameter list.",
    "OnlyOneParameterListAllowed": "The param statement cannot be used if arguments were specified in the function declaration.",
    "InvalidFunctionParameter": "Parameter declarations are a comma-separated list of variable names with optional initializer expressions.",
    "MissingNamedStatementBlock": "Missing statement block after '{0}'.",
    "DuplicateScriptCommandClause": "Script command clause '{0}' has already been defined.",
    "MissingEndParenthesisInMethodCall": "Missing ')' in method call.",
    "MissingPropertyName": "Missing property name after reference operator.",
    "MissingTypename": "Missing type name after '['.",
    "EndSquareBracketExpectedAtEndOfAttribute": "Missing ] at end of attribute or type literal.",
    "MissingExpressionInNamedArgument": "Missing statement after '=' in named argument.",
    "ParameterRequiresArgument": "Parameter {0} requires an argument.",
    "MissingFileSpecification": "Missing file specification after redirection operator.",
    "RedirectionNotSupported": "The '{0}' operator is reserved for future use.",
    "AmpersandNotAllowed": 'The ampersand (&) character is not allowed. The & operator is reserved for future use; wrap an ampersand in double quotation marks ("&") to pass it as part of a string.',
    "InvalidEndOfLine": "The token '{0}' is not a valid statement separator in this version.",
    "SplattingNotPermitted": "The splatting operator '@' cannot be used to reference variables in an expression. '@{0}' can be used only as an argument to a command. To reference variables in an expression use '${0}'.",
    "SplattingNotPermittedInArgumentList": "Splatted variables like '@{0}' cannot be part of a comma-separated list of arguments.",
    "InvalidVariableReference": "Variable reference is not valid. '$' was not followed by a valid variable name character. Consider using ${} to delimit the name.",
    "InvalidVariableReferenceWithDrive": "Variable reference is not valid. ':' was not followed by a valid variable name character. Consider using ${} to delimit the name.",
    "EmptyVariableReference": "An empty ${} variable reference was found. A name is required inside the braces.",
    "EndBraceExpectedAtEndOfVariableName": "Missing } at end of variable name.",
    "UnexpectedCharactersAfterHereStringHeader": "No characters are allowed after a here-string header but before the end of the line.",
    "MissingTerminatorMultiLineComment": "The terminator '#>' is missing from the multiline comment.",
    "BadNumericConstant": "The numeric constant {0} is not valid.",
    "ScriptTooComplicated": "Processing was stopped because the script is too complex.",
    "TooManyErrors": "Not all parse errors were reported.  Correct the reported errors and try again.",
}


class Token:
    """One expression-mode token: ``kind`` (a short string), ``start``/``end`` offsets and a
    kind-specific ``value`` (normalised operator, node for strings/numbers/variables...)."""

    __slots__ = ("kind", "start", "end", "value")

    def __init__(self, kind: str, start: int, end: int, value=None):
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.start}, {self.end}, {self.value!r})"


# Single-character tokens that mean the same in every mode.
_PUNCT = {"(": "(", ")": ")", "{": "{", "}": "}", "[": "[", "]": "]", ";": ";", ",": ","}


class Lexer:
    """Scanning primitives over one source text. The parser subclasses this."""

    def __init__(self, text: str, file: str | None = None):
        self.text = text
        self.n = len(text)
        self.src = A.Source(text, file)
        self.pos = 0

    # -- errors -------------------------------------------------------------------------------

    def ext(self, start: int, end: int) -> A.Extent:
        return A.Extent(self.src, start, end)

    def error(self, error_id: str, args: tuple = (), start: int = 0, end: int | None = None,
              incomplete_at: int | None = None):
        """Raise the parse error ``error_id`` at ``[start, end)``. ``incomplete_at``: the
        position where the parser noticed the problem; if only trivia follows it, the input is
        merely incomplete (PowerShell's ReportIncompleteInput)."""
        message = MESSAGES[error_id].format(*args) if args else MESSAGES[error_id]
        incomplete = incomplete_at is not None and self.at_end(incomplete_at)
        extent = self.ext(start, start if end is None else end)
        raise ParseException([(message, error_id, extent)], incomplete=incomplete)

    def at_end(self, p: int) -> bool:
        """True when nothing but whitespace, newlines and comments follows ``p``."""
        return _SKIP_NL.match(self.text, p).end() >= self.n

    # -- trivia -------------------------------------------------------------------------------

    def ws(self, p: int) -> int:
        """Position after blanks, comments and line continuations (not newlines)."""
        q = _SKIP.match(self.text, p).end()
        if q < self.n and self.text[q] in "<`":
            self._check_bad_trivia(q)
        return q

    def _check_bad_trivia(self, q: int) -> None:
        text = self.text
        if text.startswith("<#", q):
            self.error("MissingTerminatorMultiLineComment", (), q, self.n, incomplete_at=self.n)
        if text[q] == "`" and q + 1 >= self.n:
            # A line continuation with nothing after it: more input is expected.
            # (5.1's exact message for this case is not documented; see README, "Differences from real EMS".)
            self.error("UnexpectedToken", ("`",), q, q + 1, incomplete_at=q + 1)

    def skip_newlines(self) -> None:
        self.pos = _SKIP_NL.match(self.text, self.pos).end()
        self.ws(self.pos)

    def skip_newlines_and_semis(self) -> None:
        self.pos = _SKIP_NL_SEMI.match(self.text, self.pos).end()
        self.ws(self.pos)

    # -- expression-mode tokens ---------------------------------------------------------------

    def scan(self, p: int) -> Token:
        text = self.text
        p = self.ws(p)
        if p >= self.n:
            return Token("eof", p, p)
        c = text[p]
        kind = _PUNCT.get(c)
        if kind is not None:
            return Token(kind, p, p + 1)
        if c == "\n" or c == "\r":
            return Token("nl", p, p + (2 if text.startswith("\r\n", p) else 1))
        if c == "$":
            nxt = text[p + 1:p + 2]
            if nxt == "(":
                return Token("$(", p, p + 2)
            node, end = self.scan_variable(p)
            if node is None:
                self.error("InvalidVariableReference", (), p, p + 1)
            return Token("var", p, end, node)
        if c in QUOTES:
            node, end = self.scan_string(p)
            return Token("str", p, end, node)
        if c.isdigit() or (c == "." and text[p + 1:p + 2].isdigit()):
            m = NUMBER.match(text, p)
            if m:
                return Token("num", p, m.end(), self.number_node(m, p))
            return self.scan_word(p)
        if c in DASHES:
            nxt = text[p + 1:p + 2]
            if nxt.isalpha():
                m = SIMPLE_NAME.match(text, p + 1)
                word = "-" + m.group().lower()
                if word in DASH_OPERATORS:
                    return Token("op", p, m.end(), word)
                return Token("param", p, m.end(), m.group())
            if nxt and nxt in DASHES:
                return Token("--", p, p + 2, "--")
            if nxt == "=":
                return Token("assign", p, p + 2, "-=")
            return Token("op", p, p + 1, "-")
        if c == "@":
            nxt = text[p + 1:p + 2]
            if nxt == "(":
                return Token("@(", p, p + 2)
            if nxt == "{":
                return Token("@{", p, p + 2)
            if nxt and nxt in QUOTES:
                node, end = self.scan_string(p)
                return Token("str", p, end, node)
            m = SPLAT.match(text, p)
            if m:
                return Token("splat", p, m.end(), m.group("name"))
            return Token("bad", p, p + 1)
        if c == ".":
            if text.startswith("..", p):
                return Token("op", p, p + 2, "..")
            return Token(".", p, p + 1)
        if c == "=":
            return Token("assign", p, p + 1, "=")
        if c == "+":
            nxt = text[p + 1:p + 2]
            if nxt == "+":
                return Token("++", p, p + 2, "++")
            if nxt == "=":
                return Token("assign", p, p + 2, "+=")
            return Token("op", p, p + 1, "+")
        if c in "*/%":
            if text[p + 1:p + 2] == "=":
                return Token("assign", p, p + 2, c + "=")
            if c == "*" and text[p + 1:p + 2] == ">":
                return self.scan_redirection(p)
            return Token("op", p, p + 1, c)
        if c == "!":
            return Token("op", p, p + 1, "-not")
        if c == "|":
            if text.startswith("||", p):
                return Token("||", p, p + 2)
            return Token("|", p, p + 1)
        if c == "&":
            if text.startswith("&&", p):
                return Token("&&", p, p + 2)
            return Token("&", p, p + 1)
        if c == ":" and text.startswith("::", p):
            return Token("::", p, p + 2)
        if c == ">":
            return self.scan_redirection(p)
        if c == "<":
            return Token("<", p, p + 1)
        return self.scan_word(p)

    def scan_word(self, p: int) -> Token:
        m = WORD.match(self.text, p)
        end = m.end() if m and m.end() > p else p + 1
        return Token("word", p, end, self.text[p:end])

    def scan_redirection(self, p: int) -> Token:
        m = REDIRECTION.match(self.text, p)
        return Token("redir", p, m.end(), (m.group("stream") or "1", m.group("op") == ">>",
                                           m.group("merge")))

    # -- literals -----------------------------------------------------------------------------

    def number_node(self, m: re.Match, start: int, negative: bool = False) -> A.ConstantExpression:
        """Value and 5.1 type of a numeric literal (hex wraps like .NET, widening int → long →
        decimal → double)."""
        suffix = (m.group("suf") or "").lower()
        mult = _MULTIPLIERS[m.group("mult").lower()] if m.group("mult") else 1
        hexdigits = m.group("hex")
        text = m.group()
        if hexdigits is not None:
            value = int(hexdigits, 16)
            if suffix == "l" or value > 0xFFFFFFFF:
                if value > 0xFFFFFFFFFFFFFFFF:
                    self.error("BadNumericConstant", (text,), start, m.end())
                if value > _INT64[1]:
                    value -= 1 << 64
                type_name = "long"
            else:
                if value > _INT32[1]:
                    value -= 1 << 32
                type_name = "int"
            value *= mult
            if negative:
                value = -value
            if type_name == "int" and not _INT32[0] <= value <= _INT32[1]:
                type_name = "long"
            return A.ConstantExpression(self.ext(start, m.end()), value, type_name)
        digits = m.group("dec")
        is_real = "." in digits or "e" in digits or "E" in digits
        if suffix == "d":
            value = Decimal(digits) * mult
            return A.ConstantExpression(self.ext(start, m.end()), -value if negative else value,
                                        "decimal")
        if is_real:
            fvalue = float(digits) * mult
            if fvalue == float("inf"):
                self.error("BadNumericConstant", (text,), start, m.end())
            if negative:
                fvalue = -fvalue
            if suffix == "l":
                if fvalue != int(fvalue):
                    self.error("BadNumericConstant", (text,), start, m.end())
                return A.ConstantExpression(self.ext(start, m.end()), int(fvalue), "long")
            return A.ConstantExpression(self.ext(start, m.end()), fvalue, "double")
        value = int(digits) * mult
        if negative:
            value = -value
        if suffix == "l":
            if not _INT64[0] <= value <= _INT64[1]:
                self.error("BadNumericConstant", (text,), start, m.end())
            type_name = "long"
        elif _INT32[0] <= value <= _INT32[1]:
            type_name = "int"
        elif _INT64[0] <= value <= _INT64[1]:
            type_name = "long"
        elif abs(value) <= _DECIMAL_MAX:
            return A.ConstantExpression(self.ext(start, m.end()), Decimal(value), "decimal")
        elif abs(value) < 1 << 1024:
            return A.ConstantExpression(self.ext(start, m.end()), float(value), "double")
        else:
            self.error("BadNumericConstant", (text,), start, m.end())
        return A.ConstantExpression(self.ext(start, m.end()), value, type_name)

    def scan_variable(self, p: int) -> tuple[A.VariableExpression | None, int]:
        """``$...`` at ``p``: (node, end), or (None, p) when ``$`` starts no variable."""
        text = self.text
        m = VARIABLE.match(text, p)
        if m is None:
            if text.startswith("${", p):
                self.error("EndBraceExpectedAtEndOfVariableName", (), p, self.n, incomplete_at=self.n)
            return None, p
        end = m.end()
        braced = m.group("braced")
        if braced is not None:
            if not braced:
                self.error("EmptyVariableReference", (), p, end)
            name = BACKTICK_ESCAPE.sub(r"\1", braced) if "`" in braced else braced
            scope = None
            colon = name.find(":")
            if colon > 0 and SIMPLE_NAME.fullmatch(name[:colon]):
                scope, name = name[:colon].lower(), name[colon + 1:]
            return A.VariableExpression(self.ext(p, end), name, scope, False, True), end
        name = m.group("name") or m.group("special")
        drive = m.group("drive")
        if end < self.n and text[end] == ":" and not text.startswith("::", end) and drive is None \
                and m.group("special") is None:
            self.error("InvalidVariableReferenceWithDrive", (), p, end + 1)
        scope = drive[:-1].lower() if drive else None
        return A.VariableExpression(self.ext(p, end), name, scope), end

    def scan_string(self, p: int) -> tuple[A.Expression, int]:
        """A quoted or here-string starting at ``p`` → (node, end)."""
        text = self.text
        c = text[p]
        if c == "@":
            return self._scan_here_string(p)
        if c in SQUOTES:
            m = _SQ_BODY.match(text, p + 1)
            end = m.end()
            if end >= self.n:
                self.error("TerminatorExpectedAtEndOfString", ("'",), p, self.n, incomplete_at=self.n)
            body = m.group()
            value = _SQ_PAIR.sub(_first_char, body) if _SQ_PAIR.search(body) else body
            return A.StringConstantExpression(self.ext(p, end + 1), value, "single"), end + 1
        return self._scan_expandable(p, p + 1, None, "double")

    def _scan_here_string(self, p: int) -> tuple[A.Expression, int]:
        text = self.text
        quote = text[p + 1]
        verbatim = quote in SQUOTES
        m = _HERE_HEADER.match(text, p + 2)
        if m is None:
            if not text[p + 2:].strip(" \t"):  # the input ends right after the header
                self.error("TerminatorExpectedAtEndOfString", ("'@" if verbatim else '"@',), p, self.n,
                           incomplete_at=self.n)
            self.error("UnexpectedCharactersAfterHereStringHeader", (), p, p + 2)
        body_start = m.end()
        closer = _HERE_SQ_END if verbatim else _HERE_DQ_END
        if closer.match(text, body_start):
            close = body_start
            body_end = body_start
        else:
            c = closer.search(text, body_start)
            if c is None:
                self.error("TerminatorExpectedAtEndOfString", ("'@" if verbatim else '"@',), p, self.n,
                           incomplete_at=self.n)
            close = c.start()
            body_end = close - 1
            if body_end > body_start and text[body_end - 1] == "\r":
                body_end -= 1
        end = close + 2
        if verbatim:
            return A.StringConstantExpression(self.ext(p, end), text[body_start:body_end],
                                              "single_here"), end
        node, _ = self._scan_expandable(p, body_start, body_end, "double_here")
        node.extent = self.ext(p, end)
        return node, end

    def _scan_expandable(self, start: int, p: int, stop: int | None, kind: str):
        """The body of ``"..."`` from ``p`` (to the closing quote, or to ``stop`` for a
        here-string): escapes applied, ``$var``/``$(...)`` split into parts."""
        text = self.text
        special = _HERE_SPECIAL if stop is not None else _DQ_SPECIAL
        parts: list = []
        buf: list[str] = []
        body_start = p
        while True:
            m = special.search(text, p, stop if stop is not None else self.n)
            if m is None:
                if stop is not None:
                    buf.append(text[p:stop])
                    end = stop
                    break
                self.error("TerminatorExpectedAtEndOfString", ('"',), start, self.n, incomplete_at=self.n)
            i = m.start()
            if i > p:
                buf.append(text[p:i])
            c = text[i]
            if c == "`":
                if i + 1 >= self.n:
                    self.error("TerminatorExpectedAtEndOfString", ('"',), start, self.n,
                               incomplete_at=self.n)
                e = text[i + 1]
                buf.append(ESCAPES.get(e, e))
                p = i + 2
                if e == "\r" and text.startswith("\n", p):
                    buf.append("\n")
                    p += 1
            elif c == "$":
                nxt = text[i + 1:i + 2]
                if nxt == "(":
                    if buf:
                        parts.append("".join(buf))
                        buf = []
                    node, p = self.parse_subexpression_at(i)
                    parts.append(node)
                    continue
                node, end_var = self.scan_variable(i)
                if node is None:
                    buf.append("$")
                    p = i + 1
                    continue
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(node)
                p = end_var
            else:  # a double quote: doubled = literal quote, else the end
                if text[i + 1:i + 2] and text[i + 1] in DQUOTES:
                    buf.append(c)
                    p = i + 2
                    continue
                end = i
                break
        if buf:
            parts.append("".join(buf))
        close = end + 1 if stop is None else end
        extent = self.ext(start, close)
        raw = text[body_start:end]
        if all(isinstance(x, str) for x in parts):
            return A.StringConstantExpression(extent, "".join(parts),
                                              "double" if kind == "double" else kind), close
        return A.ExpandableStringExpression(extent, raw, parts, kind), close

    def parse_subexpression_at(self, p: int) -> tuple[A.Expression, int]:  # pragma: no cover
        raise NotImplementedError  # provided by the parser


def unescape_bareword(chunk: str) -> str:
    """Backtick escapes in an argument-mode bareword (`` `n `` is a newline there too)."""
    if "`" not in chunk:
        return chunk
    return BACKTICK_ESCAPE.sub(lambda m: ESCAPES.get(m.group(1), m.group(1)), chunk)


def _first_char(m: re.Match) -> str:
    return m.group()[0]


_SQ_BODY = re.compile(r"(?:[^" + SQUOTES + r"]|" + _SQ + r"{2})*")
_SQ_PAIR = re.compile(_SQ + r"{2}")
_DQ_SPECIAL = re.compile(r"[`$" + DQUOTES + r"]")
_HERE_SPECIAL = re.compile(r"[`$]")
_HERE_HEADER = re.compile(r"[ \t]*(?:\r\n|\n|\r)")
_HERE_DQ_END = re.compile(r"(?m)^" + _DQ + "@")
_HERE_SQ_END = re.compile(r"(?m)^" + _SQ + "@")
