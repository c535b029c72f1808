"""Deterministic initializers: Zeros, Ones, Constant and Identity."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.initializers.initializer import Initializer, _dtype, _shape


class Zeros(Initializer):
    """All zeros: w = 0."""

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        return np.zeros(_shape(shape), dtype=_dtype(dtype, "Zeros", float_only=False))


class Ones(Initializer):
    """All ones: w = 1."""

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        return np.ones(_shape(shape), dtype=_dtype(dtype, "Ones", float_only=False))


class Constant(Initializer):
    """A constant: w = value (a scalar, or an array broadcastable to the shape).

    Args:
        value: the fill value.
    """

    def __init__(self, value: Any = 0.0) -> None:
        self.value = value

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        s, d = _shape(shape), _dtype(dtype, "Constant", float_only=False)
        value = np.asarray(backend.to_numpy(getattr(self.value, "_value", self.value)))
        try:
            return np.array(np.broadcast_to(value, s), dtype=d)
        except ValueError:
            raise ValueError(f"Constant: a value of shape {value.shape} cannot fill a weight of shape {s}") from None

    def get_config(self) -> dict[str, Any]:
        value = self.value
        value = np.asarray(backend.to_numpy(getattr(value, "_value", value)))
        return {"value": value.item() if value.ndim == 0 else value.tolist()}


class Identity(Initializer):
    """A (possibly rectangular) identity matrix: w = gain I.

    Args:
        gain: multiplicative factor.
    """

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = gain

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        s, d = _shape(shape), _dtype(dtype, "Identity", float_only=False)
        if len(s) != 2:
            raise ValueError(f"Identity initializer needs a 2D shape, got shape={s}")
        return (self.gain * np.eye(*s)).astype(d)

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain}
