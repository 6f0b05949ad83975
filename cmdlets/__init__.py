"""Cmdlet implementations, one module per area. Importing this package registers them all.

Modules are discovered from this folder so that adding an area never means editing a list;
the registry in ems.runtime.cmdlet is the runtime's only contact with this package.
"""
import importlib
import pkgutil


def load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
