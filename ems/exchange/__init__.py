"""The Exchange organisation: attrs model, operations and domain errors (pure Python).

``Organization(clock=..., seed=...)`` is the entry point; it never imports the language,
runtime, formatting or cmdlet layers. Imported lazily so that starting the shell stays fast.
"""


def __getattr__(name):
    if name == "Organization":
        from ems.exchange.organization import Organization
        return Organization
    if name == "Clock":
        from ems.exchange.clock import Clock
        return Clock
    raise AttributeError(name)
