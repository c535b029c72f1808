"""``tf.config.optimizer``: graph-optimizer switches. tensorlet has no XLA or Grappler, so these are recorded
and read back without changing how ops run."""
from __future__ import annotations

from typing import Any

_jit: str = ""
_options: dict[str, Any] = {"disable_model_pruning": False, "disable_meta_optimizer": False}


def set_jit(enabled: Any) -> None:
    """Accept XLA auto-clustering settings as TensorFlow does (True, False or 'autoclustering')."""
    global _jit
    if enabled is True or enabled == "autoclustering":
        _jit = "autoclustering"
    elif enabled is False or enabled is None or enabled == "":
        _jit = ""
    else:
        raise ValueError(f"tf.config.optimizer.set_jit: expected True, False or 'autoclustering', got {enabled!r}")


def get_jit() -> str:
    return _jit


def set_experimental_options(options: dict[str, Any]) -> None:
    _options.update(dict(options))


def get_experimental_options() -> dict[str, Any]:
    return dict(_options)
