"""Syntax colours for the input line, in PSReadLine's palette.

Pygments' PowerShellLexer colours ``-Server`` and ``EX1`` alike; this lexer reuses the REPL's
own tokenizer (ems/repl_tokens.py), which knows a parameter from an argument and a command
from a keyword, so the colours agree with what completion and the parser will make of the
line.
"""
from __future__ import annotations

from typing import Callable

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer
from prompt_toolkit.styles import Style

from ems.repl_tokens import scan

STYLE = Style.from_dict({
    # PSReadLine's default console colours (Windows PowerShell 5.1).
    "ps.command": "#ffff00",            # Yellow
    "ps.keyword": "#00ff00",            # Green
    "ps.parameter": "#808080",          # DarkGray
    "ps.operator": "#808080",
    "ps.string": "#008b8b",             # DarkCyan
    "ps.variable": "#00ff00",
    "ps.number": "#ffffff",
    "ps.type": "#c0c0c0",               # Gray
    "ps.member": "#ffffff",
    "ps.comment": "#006400",            # DarkGreen
    "ps.error": "#ff0000",
    # the rest of the screen
    "bottom-toolbar": "noreverse bg:#012456 #eeedf0",      # PowerShell's blue
    "bottom-toolbar.bad": "bg:#012456 #ff5f5f bold",
    "bottom-toolbar.good": "bg:#012456 #5fff5f",
})

_CLASS = {
    "command": "class:ps.command",
    "keyword": "class:ps.keyword",
    "parameter": "class:ps.parameter",
    "operator": "class:ps.operator",
    "string": "class:ps.string",
    "variable": "class:ps.variable",
    "number": "class:ps.number",
    "type": "class:ps.type",
    "member": "class:ps.member",
    "comment": "class:ps.comment",
}


class PowerShellLexer(Lexer):
    """A prompt_toolkit lexer over the whole (possibly multi-line) input."""

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines = document.lines
        text = "\n".join(lines)
        styles = [""] * len(text)
        tokens, _ = scan(text)
        for tok in tokens:
            cls = _CLASS.get(tok.kind)
            if cls:
                styles[tok.start:tok.end] = [cls] * (tok.end - tok.start)
        offsets, pos = [], 0
        for line in lines:
            offsets.append(pos)
            pos += len(line) + 1

        def get_line(lineno: int) -> StyleAndTextTuples:
            if lineno >= len(lines):
                return []
            start, line = offsets[lineno], lines[lineno]
            out: StyleAndTextTuples = []
            for i, ch in enumerate(line):
                style = styles[start + i]
                if out and out[-1][0] == style:
                    out[-1] = (style, out[-1][1] + ch)
                else:
                    out.append((style, ch))
            return out

        return get_line
