"""ems: an Exchange 2010 Management Shell that runs anywhere Python runs."""

__version__ = "0.1.0"


def __getattr__(name):
    # Shell is imported lazily so that `python -m ems -c ...` pays only for what it uses.
    if name in ("Shell", "Result"):
        from ems import shell
        return getattr(shell, name)
    raise AttributeError(name)
