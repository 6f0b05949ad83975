"""Command discovery without importing every cmdlet module.

``ems -c 'Get-Date'`` must start fast, so the shell does not import all of ``cmdlets/`` up
front. Instead it reads the cmdlet modules' *text* once (a regular expression finds each
``name = "Verb-Noun"`` and ``aliases = (...)`` declaration) and imports a module only when
one of its commands is used. Anything that lists or searches the registry (Get-Command,
Get-Help, completion, ``key in REGISTRY``) first loads every module, through the registry's
``full_loader`` hook, so nothing is ever missing from a listing.
"""
from __future__ import annotations

import importlib
import os
import re
from typing import Any

_CLASS = re.compile(r"^@register\s*\nclass \w+\(", re.M)
_NAME = re.compile(r'^    name = "([^"]+)"', re.M)
_ALIASES = re.compile(r"^    aliases = \(([^)]*)\)", re.M)
_QUOTED = re.compile(r'"([^"]+)"')


class CommandIndex:
    """Lower-case cmdlet name/alias -> the ``cmdlets`` module that declares it."""

    def __init__(self, package: Any):
        self.package = package.__name__
        self.modules: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        for directory in package.__path__:
            for fname in sorted(os.listdir(directory)):
                if fname.endswith(".py") and not fname.startswith("_"):
                    self._scan(os.path.join(directory, fname), f"{self.package}.{fname[:-3]}")

    def _scan(self, path: str, module: str) -> None:
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except OSError:
            return
        starts = [m.start() for m in _CLASS.finditer(text)] + [len(text)]
        for begin, end in zip(starts, starts[1:]):
            body = text[begin:end]
            name = _NAME.search(body)
            if name is None:
                continue
            self.modules[name.group(1).lower()] = module
            aliases = _ALIASES.search(body)
            if aliases is not None:
                for alias in _QUOTED.findall(aliases.group(1)):
                    self.aliases[alias.lower()] = name.group(1)

    def load(self, key: str) -> None:
        """Import the module declaring cmdlet ``key`` (lower case), if any."""
        module = self.modules.get(key)
        if module is not None:
            importlib.import_module(module)


_INDEX: list[CommandIndex] = []


def install() -> None:
    """Index ``cmdlets/`` and hook the registry so listings load everything."""
    if _INDEX:
        return
    import cmdlets
    from ems.runtime.cmdlet import REGISTRY
    _INDEX.append(CommandIndex(cmdlets))
    REGISTRY.full_loader = cmdlets.load_all


def find_cmdlet(key: str) -> Any:
    """The cmdlet class for a lower-case name, importing only its module."""
    from ems.runtime.cmdlet import REGISTRY
    cls = dict.get(REGISTRY, key)
    if cls is None and _INDEX:
        _INDEX[0].load(key)
        cls = dict.get(REGISTRY, key)
    return cls


def alias_target(key: str) -> str | None:
    """The cmdlet a declared alias stands for (``gmb`` -> ``Get-Mailbox``)."""
    if _INDEX:
        hit = _INDEX[0].aliases.get(key)
        if hit is not None:
            return hit
    from ems.runtime.cmdlet import REGISTRY
    for cls in dict.values(REGISTRY):
        if key in (a.lower() for a in cls.aliases):
            return cls.name
    return None


def load_everything() -> None:
    from ems.runtime.cmdlet import REGISTRY
    REGISTRY.ensure_all()
