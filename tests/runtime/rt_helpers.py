"""Small helpers for the interpreter tests: run text, get output objects / console text."""
from ems import Shell


def run(text: str, shell: Shell | None = None):
    return (shell or Shell(scenario="empty")).run(text)


def out(text: str, shell: Shell | None = None) -> list:
    r = run(text, shell)
    assert r.errors == [], r.error_text
    return r.output


def one(text: str, shell: Shell | None = None):
    o = out(text, shell)
    assert len(o) == 1, o
    return o[0]


def err(text: str, shell: Shell | None = None) -> str:
    return run(text, shell).error_text
