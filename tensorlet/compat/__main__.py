"""``python -m tensorlet.compat SCRIPT.py [args]``."""
import sys

from tensorlet.compat.runner import main

sys.exit(main())
