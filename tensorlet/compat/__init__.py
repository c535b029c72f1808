"""``tf.compat`` and the compatibility layer.

As ``tf.compat``: ``v1`` (the TF 1 switches courses still call), ``v2`` (tensorlet itself) and the bytes/text
helpers (``as_bytes``, ``as_text``, ``dimension_value``...).

As the layer that runs classic TensorFlow/Keras code unchanged: ``install()`` makes ``import tensorflow``/``import
keras`` resolve to tensorlet; ``tensorlet run SCRIPT.py`` (``python -m tensorlet.compat``) does it for a whole script
or notebook, and ``%load_ext tensorlet.compat`` in IPython. See docs/compat.md.
"""
from __future__ import annotations

import importlib
from typing import Any

from tensorlet.compat.conversions import (  # noqa: F401
    as_bytes,
    as_str,
    as_str_any,
    as_text,
    bytes_or_text_types,
    complex_types,
    dimension_at_index,
    dimension_value,
    forward_compatibility_horizon,
    forward_compatible,
    integral_types,
    path_to_str,
    real_types,
)
from tensorlet.compat.importer import activated, install, is_installed, uninstall


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext tensorlet.compat``: activate the aliases in this IPython session."""
    install()


def unload_ipython_extension(ipython: Any) -> None:
    uninstall()


def __getattr__(name: str) -> Any:
    if name == "v2":
        return importlib.import_module("tensorlet")
    if name == "v1":
        return importlib.import_module("tensorlet.compat.v1")
    raise AttributeError(f"module 'tensorflow.compat' has no attribute '{name}': tf.compat.{name} is not provided "
                         "by tensorlet")


__all__ = ["install", "uninstall", "activated", "is_installed", "load_ipython_extension", "v1", "v2",
           "as_bytes", "as_text", "as_str", "dimension_value", "forward_compatible"]
