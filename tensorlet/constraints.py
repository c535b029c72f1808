"""Weight constraints, applied after each optimizer update (``w <- constraint(w)``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.saving.registry import register_builtins
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object

EPSILON = 1e-7


def _array(w: Any) -> tuple[np.ndarray, bool]:
    from tensorlet.autodiff.tensor import Tensor

    return (np.asarray(w._value), True) if isinstance(w, Tensor) else (np.asarray(w), False)


def _like(out: np.ndarray, was_tensor: bool) -> Any:
    from tensorlet.autodiff.tensor import _wrap

    return _wrap(out) if was_tensor else out


class Constraint:
    """Base class: ``__call__(w)`` returns the projected weights (a Tensor for a Tensor, an array otherwise)."""

    def __call__(self, w: Any) -> Any:
        return w

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Constraint:
        return cls(**config)


class MaxNorm(Constraint):
    """Rescale so that the L2 norm along ``axis`` is at most ``max_value``."""

    def __init__(self, max_value: float = 2, axis: Any = 0) -> None:
        self.max_value, self.axis = max_value, axis

    def __call__(self, w: Any) -> Any:
        a, t = _array(w)
        norms = np.sqrt(np.sum(a * a, axis=self.axis, keepdims=True))
        desired = np.clip(norms, 0, self.max_value)
        return _like((a * (desired / (EPSILON + norms))).astype(a.dtype), t)

    def get_config(self) -> dict[str, Any]:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """w <- max(w, 0)."""

    def __call__(self, w: Any) -> Any:
        a, t = _array(w)
        return _like(np.maximum(a, 0).astype(a.dtype), t)


class UnitNorm(Constraint):
    """Rescale to unit L2 norm along ``axis``."""

    def __init__(self, axis: Any = 0) -> None:
        self.axis = axis

    def __call__(self, w: Any) -> Any:
        a, t = _array(w)
        return _like((a / (EPSILON + np.sqrt(np.sum(a * a, axis=self.axis, keepdims=True)))).astype(a.dtype), t)

    def get_config(self) -> dict[str, Any]:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Rescale norms into [min_value, max_value], moving ``rate`` of the way: norm' = rate*clip(norm) + (1-rate)*norm."""

    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis: Any = 0) -> None:
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w: Any) -> Any:
        a, t = _array(w)
        norms = np.sqrt(np.sum(a * a, axis=self.axis, keepdims=True))
        desired = self.rate * np.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return _like((a * (desired / (EPSILON + norms))).astype(a.dtype), t)

    def get_config(self) -> dict[str, Any]:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm
register_builtins("constraints", (MaxNorm, NonNeg, UnitNorm, MinMaxNorm),
                  aliases={"max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm, "min_max_norm": MinMaxNorm})


def get(identifier: Any) -> Any:
    """None, a name ('max_norm', 'non_neg', ...), a config dict, a class or instance, or a callable."""
    if identifier is None or isinstance(identifier, Constraint):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Constraint):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret constraint identifier: {identifier!r}")


def serialize(constraint: Any) -> Any:
    return serialize_keras_object(constraint)


def deserialize(config: Any, custom_objects: Any = None) -> Any:
    """A constraint from a name or a config dict; a custom function is returned as it is."""
    return deserialize_keras_object(config, custom_objects, family="constraints", kind="constraint")


__all__ = ["Constraint", "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm", "max_norm", "non_neg", "unit_norm",
           "min_max_norm", "get", "serialize", "deserialize"]
