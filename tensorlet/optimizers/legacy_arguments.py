"""Keras 2 keywords that optimizers still accept: ``lr=`` (an alias that takes effect) and ``decay=``.

Today's TensorFlow rejects or silently ignores both; classic course code passes them everywhere, so tensorlet
honours them and says, with a DeprecationWarning pointing at the caller's line, how Keras 3 spells them.
"""
from __future__ import annotations

import sys
import warnings
from typing import Any

# Keys that Keras 2.11+ configs carry and that mean nothing here.
_IGNORED_CONFIG_KEYS = ("jit_compile", "is_legacy_optimizer")


def _caller_stacklevel() -> int:
    """The ``stacklevel`` of the first frame outside tensorlet.optimizers, seen from our caller."""
    frame = sys._getframe(2)
    level = 2
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith("tensorlet.optimizers"):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def warn_deprecated(message: str) -> None:
    """A DeprecationWarning attributed to the user's line that called into tensorlet.optimizers."""
    warnings.warn(message, DeprecationWarning, stacklevel=_caller_stacklevel())


def pop_legacy_arguments(cls_name: str, learning_rate: Any, kwargs: dict[str, Any]) -> tuple[Any, float]:
    """Take ``lr`` and ``decay`` out of ``kwargs``; returns ``(learning_rate, decay)``.

    Raises:
        ValueError: for any other keyword left over, as Keras does.
    """
    if "lr" in kwargs:
        learning_rate = kwargs.pop("lr")
        warnings.warn(f"{cls_name}(lr=...) is the Keras 2 spelling of `learning_rate`; tensorlet applies it "
                      f"(learning_rate={learning_rate!r}), but write `learning_rate=` instead.",
                      DeprecationWarning, stacklevel=_caller_stacklevel())
    decay = kwargs.pop("decay", None)
    if decay:
        warnings.warn(f"{cls_name}(decay={decay!r}) is the Keras 2 time-based decay "
                      "lr / (1 + decay * iterations); tensorlet applies it, but Keras 3 writes it as "
                      "learning_rate=keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, "
                      "decay_rate=decay).",
                      DeprecationWarning, stacklevel=_caller_stacklevel())
    for key in _IGNORED_CONFIG_KEYS:
        kwargs.pop(key, None)
    if kwargs:
        raise ValueError(f"Argument(s) not recognized by {cls_name}: {kwargs}")
    return learning_rate, float(decay or 0.0)


def clean_config(config: dict[str, Any]) -> tuple[dict[str, Any], float]:
    """A config dict with Keras 2 keys translated quietly (a saved file is not the user's own code)."""
    config = dict(config)
    if "lr" in config:
        lr = config.pop("lr")
        config.setdefault("learning_rate", lr)
    decay = float(config.pop("decay", 0.0) or 0.0)
    for key in _IGNORED_CONFIG_KEYS:
        config.pop(key, None)
    return config, decay
