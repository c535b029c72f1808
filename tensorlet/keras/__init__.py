"""The public Keras namespace (``tensorlet.keras`` = ``tf.keras`` = ``keras``): re-exports, no logic."""
from __future__ import annotations

import importlib
from typing import Any

from tensorlet.layers.input_layer import Input  # noqa: F401
from tensorlet.models.model import Model  # noqa: F401
from tensorlet.models.sequential import Sequential  # noqa: F401

__version__ = "2.15.0"
"""The Keras API level tensorlet follows (classic Keras 2 behaviour, Keras 3 spellings accepted)."""

_SUBMODULES = {"layers", "models", "optimizers", "losses", "metrics", "callbacks", "datasets", "utils", "backend",
               "activations", "initializers", "regularizers", "constraints", "wrappers", "preprocessing", "saving",
               "applications", "mixed_precision", "ops", "random", "config", "tree"}


_NAMES = {"Variable": ("tensorlet.keras_variable", "KerasVariable"),
          "DTypePolicy": ("tensorlet.config.keras_settings", "DTypePolicy")}


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        module, attribute = _NAMES[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        try:
            submodule = importlib.import_module(f"tensorlet.keras.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"tensorlet.keras.{name}":
                raise
            raise AttributeError(f"keras.{name} is not provided by tensorlet") from None
        globals()[name] = submodule
        return submodule
    raise AttributeError(f"module 'keras' has no attribute '{name}': keras.{name} is not provided by tensorlet")
