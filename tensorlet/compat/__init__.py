"""Run classic TensorFlow/Keras code unchanged: ``install()`` makes ``import tensorflow``/``import keras`` resolve
to tensorlet; ``tensorlet run SCRIPT.py`` does it for a whole script, and ``%load_ext tensorlet.compat`` in a
notebook. See docs/compat.md."""
from __future__ import annotations

from typing import Any

from tensorlet.compat.importer import activated, install, is_installed, uninstall


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext tensorlet.compat``: activate the aliases in this IPython session."""
    install()


def unload_ipython_extension(ipython: Any) -> None:
    uninstall()


__all__ = ["install", "uninstall", "activated", "is_installed", "load_ipython_extension"]
