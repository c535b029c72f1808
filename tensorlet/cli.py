"""The ``tensorlet`` command: ``tensorlet demo``, ``tensorlet run SCRIPT``, ``tensorlet --version``."""
from __future__ import annotations

import sys

USAGE = """usage: tensorlet <command> [args]

commands:
  demo [--epochs N] [--optimizer sgd|adam]   train the course's MNIST model and print its test accuracy
  run SCRIPT.py|NOTEBOOK.ipynb [args...]      run TensorFlow/Keras code unchanged on tensorlet
  --version                                   print the version
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    if cmd in ("--version", "version"):
        from tensorlet import __version__

        print(f"tensorlet {__version__}")
        return 0
    if cmd == "demo":
        from tensorlet.demo import main as demo_main

        return demo_main(rest)
    if cmd == "run":
        from tensorlet.compat.runner import main as run_main

        return run_main(rest)
    print(f"tensorlet: unknown command {cmd!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
