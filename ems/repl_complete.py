"""Tab completion over the cmdlet declarations and the live organisation.

Pure Python (no prompt_toolkit) so it can be tested and timed on its own. ``complete(text,
shell)`` looks at the text before the cursor and answers with where the word being completed
starts and the candidates, in the order Tab cycles through them:

- at a command position: cmdlet names, aliases and session functions (``Move-Act``);
  a word that looks like a path (``.\\scr``) completes to files;
- ``-Par``: parameters of the cmdlet being typed that are not given yet and belong to a
  parameter set that is still possible;
- a parameter's value (``-Param <Tab>``, ``-Param:<Tab>``) or a positional argument:
  ValidateSet/enum values, identities from ``shell.org`` (see ems/repl_identities.py),
  ``$true``/``$false`` for booleans, files for path parameters;
- ``$Na``: session variables; ``$var.Na``: properties of the variable's value.

The same declarations (``ems.runtime.cmdlet.REGISTRY``) drive the binder, so what Tab offers
is what the binder accepts.
"""
from __future__ import annotations

import fnmatch
import os
from typing import Any, Iterable

import attrs

from ems.repl_identities import collection_for, identities
from ems.repl_tokens import Element, Token, scan
from ems.runtime.cmdlet import REGISTRY, Cmdlet, Parameter

_SPECIAL = set(" \t'\"`$;,(){}|&<>@#")
_COMMAND_NAME_PARAMETERS = frozenset({("get-help", "name"), ("get-command", "name"),
                                      ("get-alias", "definition")})
"""Parameters that take a command name."""
_PROPERTY_PARAMETERS = frozenset({"property", "expandproperty", "excludeproperty", "groupby"})
"""Parameters that name properties of the piped objects (Select-Object, Format-*, Sort-Object...)."""
_AUTOMATIC = frozenset({"true", "false", "null"})
"""Automatic variables the evaluator answers itself (not stored in a scope)."""
_NOT_WORDS = frozenset({"punct", "operator", "keyword", "group", "type"})
_PATH_PARAMETERS = frozenset({"path", "filepath", "literalpath", "scriptpath", "logpath",
                              "edbfilepath", "folderpath"})


@attrs.frozen
class Candidate:
    text: str
    """What replaces the word (quoted when it must be)."""
    display: str = ""
    meta: str = ""


@attrs.frozen
class Completions:
    start: int
    """Index in the text where the word being replaced begins."""
    candidates: tuple[Candidate, ...] = ()


def complete(text: str, shell: Any = None) -> Completions:
    """Candidates for the word that ends at the end of ``text`` (the text before the cursor)."""
    tokens, element = scan(text)
    word = _word_at_end(text, tokens)
    start = word.start if word is not None else len(text)
    typed = word.text if word is not None else ""

    if not text.strip():
        return Completions(len(text))
    if word is not None and word.kind == "variable":
        found = _boolean_values(element, word, shell) + _variables(typed, shell)
        return Completions(start, tuple(dict.fromkeys(found)))
    if word is not None and word.kind == "member" or word is None and tokens and tokens[-1].text == ".":
        return Completions(start, tuple(_members(tokens, word, element, shell)))
    if word is not None and word.kind == "command" or _at_command_position(element, word):
        return Completions(start, tuple(_commands(typed, shell)))
    if word is not None and word.kind == "comment":
        return Completions(start)

    cls = _resolve_command(element.command.text, shell) if element.command else None
    if element.command is None or element.expression:
        return Completions(start)
    args = [t for t in element.args if t is not word]
    if word is not None and word.kind == "parameter":
        if cls is None:
            return Completions(start)
        name, colon, value = word.text[1:].partition(":")
        if colon:                                   # -MountDialOverride:Good<Tab>
            param = _match_parameter(cls, name)
            value_start = word.start + len(name) + 2
            return Completions(value_start, tuple(_values(cls, param, value, shell, element)) if param else ())
        return Completions(start, tuple(_parameters(cls, args, name)))
    if cls is None:
        return Completions(start, tuple(_paths(typed, shell)))
    found = [cand for param in _argument_targets(cls, args)
             for cand in _values(cls, param, typed, shell, element)]
    return Completions(start, tuple(dict.fromkeys(found)))


# --- the word under the cursor ------------------------------------------------------------------

def _word_at_end(text: str, tokens: list[Token]) -> Token | None:
    last = tokens[-1] if tokens else None
    if last is None or last.end != len(text) or last.kind in _NOT_WORDS:
        return None
    return last


def _at_command_position(element: Element, word: Token | None) -> bool:
    return element.command is None and not element.args and not element.expression and word is None


def _unquote(typed: str) -> tuple[str, str]:
    """(quote character or "", the text inside)."""
    if typed[:1] in ("'", '"'):
        body = typed[1:]
        if len(body) >= 1 and body[-1] == typed[0]:
            body = body[:-1]
        return typed[0], body
    return "", typed.replace("`", "")


def _quote(value: str, quote: str) -> str:
    if quote == '"':
        return '"' + value.replace("`", "``").replace('"', '`"').replace("$", "`$") + '"'
    if quote or any(c in _SPECIAL for c in value):
        return "'" + value.replace("'", "''") + "'"
    return value


def _matches(names: Iterable[str], prefix: str) -> list[str]:
    """Names starting with ``prefix`` (case-insensitive); wildcards match like PowerShell."""
    if any(c in prefix for c in "*?"):
        pattern = prefix.lower() + ("" if prefix.endswith("*") else "*")
        return [n for n in names if fnmatch.fnmatchcase(n.lower(), pattern)]
    low = prefix.lower()
    return [n for n in names if n.lower().startswith(low)]


# --- commands -----------------------------------------------------------------------------------

def _session(shell: Any) -> Any:
    return getattr(shell, "session", None)


def _aliases(shell: Any) -> dict[str, str]:
    """alias (lower) -> command name: declared on cmdlets plus the session's alias table."""
    out: dict[str, str] = {}
    for cls in REGISTRY.values():
        for alias in cls.aliases:
            out[alias.lower()] = cls.name
    table = getattr(_session(shell), "aliases", None)
    if isinstance(table, dict):
        for alias, target in table.items():
            out[str(alias).lower()] = getattr(target, "name", None) or str(target)
    return out


def _functions(shell: Any) -> list[str]:
    scope = getattr(_session(shell), "global_scope", None)
    return [f.name for f in scope.functions.values()] if scope is not None else []


def _resolve_command(name: str, shell: Any) -> type[Cmdlet] | None:
    key = name.lower()
    if key in REGISTRY:
        return REGISTRY[key]
    target = _aliases(shell).get(key)
    return REGISTRY.get(target.lower()) if target else None


def _commands(typed: str, shell: Any) -> list[Candidate]:
    quote, prefix = _unquote(typed)
    if quote or _looks_like_path(prefix):
        return _paths(typed, shell, scripts_only=True)
    names = {cls.name: cls.synopsis for cls in REGISTRY.values()}
    for fn in _functions(shell):
        names.setdefault(fn, "function")
    out = [Candidate(n, n, names[n]) for n in sorted(_matches(names, prefix), key=str.lower)]
    aliases = _aliases(shell)
    for alias in sorted(_matches(aliases, prefix)):
        if not any(c.text.lower() == alias for c in out):
            out.append(Candidate(alias, alias, f"-> {aliases[alias]}"))
    if not out:
        out = _paths(typed, shell, scripts_only=True)
    return out


# --- parameters ---------------------------------------------------------------------------------

def _match_parameter(cls: type[Cmdlet], name: str) -> Parameter | None:
    """The binder's rule (A.10): exact name/alias, else the one unique prefix, preferring
    the cmdlet's own parameters over common ones."""
    low = name.lower()
    params = cls.all_parameters()
    for p in params:
        if p.name.lower() == low or low in (a.lower() for a in p.aliases):
            return p
    found = [p for p in params if p.name.lower().startswith(low)]
    found += [p for p in params if p not in found and any(a.lower().startswith(low) for a in p.aliases)]
    if len(found) > 1:
        own = [p for p in found if p in cls.parameters]
        found = own if len(own) == 1 else found
    return found[0] if len(found) == 1 else None


@attrs.define
class _Binding:
    """What the arguments typed so far bind to, as far as completion needs to know."""

    given: list[Parameter] = attrs.Factory(list)
    positional: int = 0
    pending: Parameter | None = None        # a named parameter still waiting for its value
    continuing: Parameter | None = None     # the parameter an argument after ',' adds to


def _bind(cls: type[Cmdlet], args: list[Token]) -> _Binding:
    b = _Binding()
    value_of: Parameter | None = None      # the parameter the previous argument went to
    after_comma = False
    for tok in args:
        if tok.kind == "parameter":
            name = tok.text[1:].rstrip(":")
            p = _match_parameter(cls, name)
            value_of, after_comma = None, False
            b.pending = None
            if p is not None:
                b.given.append(p)
                if tok.text.endswith(":") or not p.is_switch:
                    b.pending = p
            continue
        if tok.text == ",":
            after_comma = True
            continue
        if b.pending is not None:
            value_of, b.pending = b.pending, None
        elif after_comma and value_of is not None:
            pass                                # another element of the same array argument
        else:
            targets = _positional_targets(cls, b)
            value_of = targets[0] if targets else None
            b.positional += 1
            if value_of is not None:
                b.given.append(value_of)
        after_comma = False
    b.continuing = value_of if after_comma else None
    return b


def _possible_sets(cls: type[Cmdlet], given: list[Parameter]) -> list[str]:
    sets = cls.parameter_sets()
    possible = [s for s in sets if all(p.in_set(s) for p in given)]
    possible = possible or sets
    default = cls.default_set
    if default in possible:
        possible.remove(default)
        possible.insert(0, default)
    return possible


def _positional_targets(cls: type[Cmdlet], b: _Binding) -> list[Parameter]:
    """The parameters the next positional argument may bind to, the default set's first."""
    out: list[Parameter] = []
    given = {p.name for p in b.given}
    for s in _possible_sets(cls, b.given):
        free = sorted((p for p in cls.parameters
                       if p.position is not None and p.in_set(s) and p.name not in given),
                      key=lambda p: p.position)
        if free and free[0] not in out:
            out.append(free[0])
    return out


def _parameters(cls: type[Cmdlet], args: list[Token], prefix: str) -> list[Candidate]:
    b = _bind(cls, args)
    given = {p.name for p in b.given}
    sets = _possible_sets(cls, b.given)
    free = [p for p in cls.all_parameters()
            if p.name not in given and any(p.in_set(s) for s in sets)]
    low = prefix.lower()
    chosen = [p for p in free if p.name.lower().startswith(low)]
    if not chosen:
        chosen = [p for p in free if any(a.lower().startswith(low) for a in p.aliases)]
    return [Candidate("-" + p.name, "-" + p.name, f"[{p.dotnet_type}]") for p in chosen]


def _argument_targets(cls: type[Cmdlet], args: list[Token]) -> list[Parameter]:
    b = _bind(cls, args)
    if b.pending is not None:
        return [b.pending]
    if b.continuing is not None:
        return [b.continuing] if b.continuing.array else []
    targets = _positional_targets(cls, b)
    # Several sets may take a different parameter at this position; while the default set
    # is still possible the binder would pick it, so offer only its parameter's values.
    if cls.default_set in _possible_sets(cls, b.given):
        return targets[:1]
    return targets


# --- values -------------------------------------------------------------------------------------

def _values(cls: type[Cmdlet], param: Parameter, typed: str, shell: Any,
            element: Element | None = None) -> list[Candidate]:
    quote, prefix = _unquote(typed)
    if param.is_switch or param.type is bool:
        return [Candidate(v, v) for v in _matches(("$true", "$false"), typed)]
    if (cls.name.lower(), param.name.lower()) in _COMMAND_NAME_PARAMETERS:
        return _commands(typed, shell)                 # Get-Help Move-Act<Tab>
    choices: Iterable[str] | None = param.valid_values
    if choices is None:
        collection = collection_for(cls.name, param)
        if collection is not None:
            choices = sorted(identities(_org(shell), collection), key=str.lower)
    if choices is not None:
        return [Candidate(_quote(v, quote), v) for v in _matches(choices, prefix)]
    if param.name.lower() in _PATH_PARAMETERS:
        return _paths(typed, shell)
    if param.name.lower() in _PROPERTY_PARAMETERS and element is not None:
        return [Candidate(_quote(n, quote), n) for n in _matches(_piped_properties(element, shell), prefix)]
    return []


def _org(shell: Any) -> Any:
    try:
        return getattr(shell, "org", None)
    except Exception:       # the lab failed to build: complete without identities
        return None


def _boolean_values(element: Element, word: Token, shell: Any) -> list[Candidate]:
    """``-Enabled $f<Tab>`` / ``-Switch:$f<Tab>``: $true/$false before other variables."""
    cls = _resolve_command(element.command.text, shell) if element.command else None
    if cls is None or element.expression:
        return []
    targets = _argument_targets(cls, [t for t in element.args if t is not word])
    if not any(p.is_switch or p.type is bool for p in targets):
        return []
    return [Candidate(v, v) for v in _matches(("$true", "$false"), word.text)]


# --- variables and members ----------------------------------------------------------------------

def _variable_table(shell: Any) -> dict[str, Any]:
    """Session variables by their spelling: the global scope (what the prompt runs in)."""
    scope = getattr(_session(shell), "global_scope", None)
    if scope is None:
        return {}
    return {scope.names.get(key, key): value for key, value in scope.vars.items()}


def _variables(typed: str, shell: Any) -> list[Candidate]:
    prefix = typed[1:]
    if prefix.startswith("{"):
        return []
    names = sorted(set(_variable_table(shell)) | _AUTOMATIC, key=str.lower)
    return [Candidate("$" + n, "$" + n) for n in _matches(names, prefix)]


def _members(tokens: list[Token], word: Token | None, element: Element, shell: Any) -> list[Candidate]:
    """``$db.Act<Tab>``: the properties of the variable's value (of its first element for
    an array, as PowerShell's member enumeration does); ``$_.`` inside ``? { }`` or
    ``% { }``: the properties of what is piped into that command."""
    i = tokens.index(word) if word is not None else len(tokens)
    if i < 2 or tokens[i - 1].text != "." or tokens[i - 2].kind != "variable":
        return []
    variable = tokens[i - 2].text
    if variable.lower() in ("$_", "$psitem"):
        names = _piped_properties(element.outer, shell) if element.outer is not None else []
    else:
        names = _property_names(_variable_value(shell, variable))
    return [Candidate(n, n) for n in _matches(names, word.text if word else "")]


def _variable_value(shell: Any, token_text: str) -> Any:
    name = token_text[1:].lower()
    return next((v for k, v in _variable_table(shell).items() if k.lower() == name), None)


def _property_names(value: Any) -> list[str]:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return []
    from ems.runtime.values import properties
    return sorted((name for name, _ in properties(value)), key=str.lower)   # as PowerShell lists members


def _piped_properties(element: Element, shell: Any) -> list[str]:
    """Property names of what flows into ``element`` when the pipeline starts from a
    variable (``$dbs | ft Na<Tab>``). A command upstream is not run to find out."""
    first = element.upstream
    while first is not None and first.upstream is not None:
        first = first.upstream
    if first is None or first.command is not None or len(first.args) != 1 or first.args[0].kind != "variable":
        return []
    return _property_names(_variable_value(shell, first.args[0].text))


# --- files --------------------------------------------------------------------------------------

def _looks_like_path(text: str) -> bool:
    return text.startswith((".", "~", "/")) or "\\" in text or "/" in text


def _paths(typed: str, shell: Any, scripts_only: bool = False) -> list[Candidate]:
    """Files and folders matching ``typed`` (relative to the session's location, which
    Set-Location moves), written back with the separator the user typed."""
    base = getattr(_session(shell), "location", None) or os.getcwd()
    quote, prefix = _unquote(typed)
    sep = "\\" if "\\" in prefix or not prefix else "/"
    native = os.path.expanduser(prefix.replace("\\", "/"))
    head, _, tail = native.rpartition("/")
    folder = head + "/" if head or native.startswith("/") else ""
    typed_head = prefix[: len(prefix) - len(tail)] if tail and prefix.endswith(tail) else prefix
    if not head and not prefix.startswith((".", "~", "/")):
        typed_head = "." + sep if scripts_only else typed_head
    try:
        entries = sorted(os.listdir(os.path.join(base, folder)), key=str.lower)
    except OSError:
        return []
    out = []
    for name in _matches([e for e in entries if not e.startswith(".")], tail):
        is_dir = os.path.isdir(os.path.join(base, folder, name))
        if scripts_only and not is_dir and not name.lower().endswith(".ps1"):
            continue
        text = typed_head + name + (sep if is_dir else "")
        out.append(Candidate(_quote(text, quote), name + (sep if is_dir else "")))
    return out

