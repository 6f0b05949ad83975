"""A forgiving PowerShell tokenizer for the interactive shell: colours and completion.

The real parser (ems/lang) rejects what is unfinished; the REPL must make sense of exactly
that — the half-typed line under the cursor. This scanner never fails: unterminated strings
run to the end, unbalanced brackets are fine. It knows just enough of PowerShell's two
parsing modes to tell a command name from an argument and a parameter (``-Server`` after a
command) from an operator (``-eq`` in an expression), which is what both colouring and
completion need.

``scan(text)`` returns the tokens and the *element* the text ends in: the command (or
expression) being typed, with the tokens that belong to it. Bracketed groups nested in an
element (``-Database (Get-MailboxDatabase DB1)``) count as one argument of the outer element,
so completion after the ``)`` still sees the outer command.
"""
from __future__ import annotations

import attrs

KEYWORDS = frozenset({
    "begin", "break", "catch", "continue", "data", "do", "dynamicparam", "else", "elseif",
    "end", "exit", "filter", "finally", "for", "foreach", "function", "if", "in", "param",
    "process", "return", "switch", "throw", "trap", "try", "until", "while",
})

_FOLLOW_KEYWORDS = frozenset({"else", "elseif", "catch", "finally", "until", "while"})
_WORD_STOP = frozenset(" \t\r\n|;(){},")
_PARAM_STOP = frozenset(" \t\r\n|;(){},:")
_DASHES = "-\u2013\u2014\u2015"
_OPEN = {"(": ")", "{": "}", "$(": ")", "@(": ")", "@{": "}", "[": "]"}


@attrs.define
class Token:
    """``kind``: command, keyword, parameter, argument, number, string, variable, type,
    operator, punct, comment, group (a bracketed group standing as one argument), member."""

    kind: str
    text: str
    start: int
    end: int
    closed: bool = True
    """False for a string or group that the text ends inside of."""


@attrs.define
class Element:
    """One command (or expression) of a pipeline: its command token and its other tokens."""

    command: Token | None = None
    args: list[Token] = attrs.Factory(list)
    expression: bool = False
    upstream: "Element | None" = None
    """The element piped into this one (``$dbs | ft Na``: ``$dbs``)."""
    outer: "Element | None" = None
    """The element whose bracketed argument this one is inside (``? { $_.Na``: the ``?``)."""


@attrs.define
class _Frame:
    closer: str
    element: Element
    at_start: bool = True
    open_token: Token | None = None
    outer: Element | None = None


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.tokens: list[Token] = []
        self.frames = [_Frame(closer="", element=Element())]

    # --- helpers --------------------------------------------------------------------------
    @property
    def frame(self) -> _Frame:
        return self.frames[-1]

    def emit(self, kind: str, start: int, end: int, closed: bool = True) -> Token:
        tok = Token(kind, self.text[start:end], start, end, closed)
        self.tokens.append(tok)
        if kind not in ("comment", "punct") or tok.text == ",":
            self.frame.element.args.append(tok)
        return tok

    def new_element(self) -> None:
        self.frame.element = Element(outer=self.frame.outer)
        self.frame.at_start = True

    def peek(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.text[i] if i < len(self.text) else ""

    # --- main loop ------------------------------------------------------------------------
    def run(self) -> tuple[list[Token], Element]:
        text = self.text
        while self.pos < len(text):
            c = text[self.pos]
            if c in " \t":
                self.pos += 1
            elif c == "\r" or c == "\n":
                self.newline()
            elif c == "`" and self.peek(1) in ("\n", "\r"):
                self.pos += 2                           # line continuation
            elif c == "#":
                self.comment(line=True)
            elif c == "<" and self.peek(1) == "#":
                self.comment(line=False)
            elif c in "|;":
                end = self.pos + (2 if text.startswith(("||", "&&"), self.pos) else 1)
                self.tokens.append(Token("operator" if c == "|" else "punct",
                                         text[self.pos:end], self.pos, end))
                self.pos = end
                upstream = self.frame.element if c == "|" else None
                self.new_element()
                self.frame.element.upstream = upstream
            elif c == "&" and self.frame.at_start:
                self.tokens.append(Token("operator", "&", self.pos, self.pos + 1))
                self.pos += 1                           # call operator: a command follows
            elif c in ")}]" and len(self.frames) > 1 and self.frame.closer == c:
                self.close()
            elif c in ")}]":
                self.emit("punct", self.pos, self.pos + 1)
                self.pos += 1
            elif text.startswith(("$(", "@(", "@{"), self.pos):
                self.open(text[self.pos:self.pos + 2])
            elif c in "({":
                self.open(c)
            elif c == "@" and text.startswith(("@'", '@"'), self.pos):
                self.here_string()
            elif c in "'\"\u2018\u2019\u201c\u201d":
                self.start_operand(expression=True)
                self.string()
            elif c == "$" or (c == "@" and self.peek(1).isalpha()):
                self.start_operand(expression=True)
                self.variable()
            elif self.frame.element.expression or (self.frame.at_start and (
                    self.frame.closer == "}" and self.frame.open_token.text == "@{"
                    or self.starts_expression())):
                self.start_operand(expression=True)
                self.expression_token()
            else:
                self.command_token()
        # Close nothing: an unterminated group leaves its frame open, so the element the
        # text ends in is the innermost one — exactly where the cursor is.
        for frame in self.frames[1:]:
            if frame.open_token is not None:
                frame.open_token.closed = False
        return self.tokens, self.frame.element

    def starts_expression(self) -> bool:
        c = self.peek()
        if c.isdigit() or c == "[" or c == "!" or c in "+":
            return True
        if c in _DASHES and (self.peek(1).isdigit() or self.peek(1) == "-"):
            return True
        if c == "." and self.peek(1).isdigit():
            return True
        return False

    def start_operand(self, expression: bool) -> None:
        if self.frame.at_start:
            self.frame.at_start = False
            self.frame.element.expression = expression

    def newline(self) -> None:
        self.pos += 1
        frame = self.frame
        # Inside ( ) a newline is whitespace; after a pipe the pipeline goes on.
        if frame.closer in (")", "]") and not frame.at_start:
            return
        last = self.tokens[-1] if self.tokens else None
        if last is not None and last.kind == "operator" and last.text == "|":
            return
        if not frame.at_start or frame.element.args:
            self.new_element()

    def comment(self, line: bool) -> None:
        start = self.pos
        if line:
            end = self.text.find("\n", start)
            end = len(self.text) if end < 0 else end
            closed = True
        else:
            end = self.text.find("#>", start + 2)
            closed = end >= 0
            end = len(self.text) if end < 0 else end + 2
        self.tokens.append(Token("comment", self.text[start:end], start, end, closed))
        self.pos = end

    def open(self, opener: str) -> None:
        start = self.pos
        self.start_operand(expression=opener != "{")
        tok = Token("punct", opener, start, start + len(opener))
        self.tokens.append(tok)
        self.pos += len(opener)
        outer = self.frame.element
        self.frames.append(_Frame(closer=_OPEN[opener], element=Element(outer=outer), open_token=tok,
                                  outer=outer))

    def close(self) -> None:
        frame = self.frames.pop()
        end = self.pos + 1
        self.tokens.append(Token("punct", self.text[self.pos], self.pos, end))
        self.pos = end
        start = frame.open_token.start if frame.open_token else end - 1
        group = Token("group", self.text[start:end], start, end)
        self.frame.element.args.append(group)
        self.frame.at_start = False

    def string(self) -> None:
        text, start = self.text, self.pos
        quote = text[start]
        double = quote in "\"\u201c\u201d"
        i = start + 1
        closed = False
        while i < len(text):
            c = text[i]
            if double and c == "`":
                i += 2
                continue
            if (c in "\"\u201c\u201d") if double else (c in "'\u2018\u2019"):
                if i + 1 < len(text) and text[i + 1] == c:   # doubled quote = literal quote
                    i += 2
                    continue
                i += 1
                closed = True
                break
            i += 1
        # A quoted word glued to more text (-Name:"a b"x) stays one argument.
        while closed and i < len(text) and text[i] not in _WORD_STOP and text[i] not in "'\"":
            i += 1
        self.pos = min(i, len(text))
        self.emit("string", start, self.pos, closed)

    def here_string(self) -> None:
        text, start = self.text, self.pos
        quote = text[start + 1]
        end = text.find("\n" + quote + "@", start + 2)
        closed = end >= 0
        self.pos = len(text) if end < 0 else end + 3
        self.start_operand(expression=True)
        self.emit("string", start, self.pos, closed)

    def variable(self) -> None:
        text, start = self.text, self.pos
        i = start + 1
        if i < len(text) and text[i] == "{":
            j = text.find("}", i)
            i = len(text) if j < 0 else j + 1
        elif i < len(text) and text[i] in "$?^_" and not (i + 1 < len(text) and (text[i + 1].isalnum() or text[i+1] == "_")):
            i += 1
        else:
            while i < len(text) and (text[i].isalnum() or text[i] in "_:?"):
                if text[i] == ":" and (i + 1 >= len(text) or not (text[i + 1].isalnum() or text[i + 1] == "_")):
                    break
                i += 1
        self.pos = i
        self.emit("variable", start, i)

    def expression_token(self) -> None:
        text, start = self.text, self.pos
        c = text[start]
        if c in _DASHES and self.peek(1).isalpha():
            i = start + 1
            while i < len(text) and text[i].isalpha():
                i += 1
            self.pos = i
            self.emit("operator", start, i)
        elif c.isdigit() or (c == "." and self.peek(1).isdigit()):
            i = start
            while i < len(text) and (text[i].isalnum() or text[i] in "._"):
                if text[i] == "." and i + 1 < len(text) and text[i + 1] == ".":
                    break
                i += 1
            self.pos = i
            self.emit("number", start, i)
        elif c == "[":
            prev = self.tokens[-1] if self.tokens else None
            if prev is not None and prev.end == start and prev.kind in ("variable", "punct", "member", "type"):
                self.open("[")
                return
            depth, i = 0, start
            while i < len(text):
                if text[i] == "[":
                    depth += 1
                elif text[i] == "]":
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                i += 1
            self.pos = i
            self.emit("type", start, i, closed=depth == 0)
        elif c.isalpha() or c == "_":
            i = start
            while i < len(text) and (text[i].isalnum() or text[i] in "_-"):
                i += 1
            self.pos = i
            prev = self.tokens[-1] if self.tokens else None
            if self.follow_keyword(text[start:i], start):
                return
            if text[start:i].lower() == "in" and self.frame.closer == ")":
                self.tokens.append(Token("keyword", text[start:i], start, i))
                self.new_element()                     # foreach ($x in <pipeline>)
                return
            kind = "member" if prev is not None and prev.text in (".", "::") else "argument"
            self.emit(kind, start, i)
        else:
            two = text[start:start + 2]
            if two in ("+=", "-=", "*=", "/=", "%=", "..", "::", "++", "--"):
                end = start + 2
            else:
                end = start + 1
            op = text[start:end]
            self.pos = end
            self.emit("punct" if op in (".", "::", ",") else "operator", start, end)
            if op in ("=", "+=", "-=", "*=", "/=", "%="):
                # The right-hand side of an assignment is a new pipeline: `$d = Get-Mail<Tab>`.
                self.new_element()

    def follow_keyword(self, word: str, start: int) -> bool:
        """``} else {``, ``} catch {``...: a keyword that continues a statement after a block."""
        prev = self.tokens[-1] if self.tokens else None
        if word.lower() in _FOLLOW_KEYWORDS and prev is not None and prev.text == "}":
            self.tokens.append(Token("keyword", word, start, start + len(word)))
            self.new_element()
            return True
        return False

    def command_token(self) -> None:
        text, start = self.text, self.pos
        frame = self.frame
        c = text[start]
        if not frame.at_start and c in _DASHES and (len(text) == start + 1 or (
                text[start + 1].isalpha() or text[start + 1] in "_?")):
            i = start + 1
            while i < len(text) and text[i] not in _PARAM_STOP:
                i += 1
            if i < len(text) and text[i] == ":":
                i += 1
            self.pos = i
            self.emit("parameter", start, i)
            return
        if not frame.at_start and c == ",":
            self.pos += 1
            self.emit("punct", start, start + 1)
            return
        i = start
        while i < len(text) and text[i] not in _WORD_STOP:
            if text[i] == "`" and i + 1 < len(text):
                i += 2
                continue
            i += 1
        i = max(i, start + 1)
        self.pos = i
        word = text[start:i]
        if self.follow_keyword(word, start):
            return
        if frame.at_start:
            if word.lower() in KEYWORDS:
                self.tokens.append(Token("keyword", word, start, i))
                if word.lower() in ("function", "filter"):
                    self.frame.at_start = False
                    self.frame.element.expression = True      # the name is not a command
                return
            if word == "." and i < len(text) and text[i] in " \t":
                self.tokens.append(Token("operator", word, start, i))   # dot-source
                return
            tok = Token("command", word, start, i)
            self.tokens.append(tok)
            frame.element.command = tok
            frame.at_start = False
            return
        kind = "number" if _is_number(word) else "argument"
        self.emit(kind, start, i)


def _is_number(word: str) -> bool:
    w = word.lower().rstrip("kmgtpb")
    try:
        float(w)
        return True
    except ValueError:
        return w.startswith("0x") and len(w) > 2 and all(ch in "0123456789abcdef" for ch in w[2:])


def scan(text: str) -> tuple[list[Token], Element]:
    """Tokens of ``text`` and the element the text ends in (see the module docstring)."""
    return _Scanner(text).run()
