"""``python -m tensorlet ...`` is the ``tensorlet`` command."""
from tensorlet.cli import main

raise SystemExit(main())
