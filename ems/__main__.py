"""``python -m ems``: the same as the ``ems`` command."""
from ems.cli import main

raise SystemExit(main())
