"""The Initializer base class and the shape, dtype and fan helpers its subclasses share."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from tensorlet.config import floatx
from tensorlet.dtypes import np_dtype


class Initializer:
    """Base class: subclasses implement ``__call__(shape, dtype=None)`` and ``get_config``."""

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement __call__(shape, dtype=None)")

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Initializer:
        """Rebuild an initializer from ``get_config()``'s output (keys the constructor does not take, such as
        Keras 3.15's ``input_axes``/``output_axes``, are ignored)."""
        import inspect

        params = inspect.signature(cls.__init__).parameters
        if not any(p.kind == p.VAR_KEYWORD for p in params.values()):
            config = {k: v for k, v in config.items() if k in params}
        return cls(**config)

    def clone(self) -> Initializer:
        return type(self).from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _shape(shape: Any) -> tuple[int, ...]:
    if hasattr(shape, "_value"):  # a shape Tensor
        shape = shape._value.tolist()
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    dims = tuple(shape)
    if any(d is None for d in dims):
        raise ValueError(f"Cannot initialize a weight of partially unknown shape {dims}")
    return tuple(int(d) for d in dims)


def _dtype(dtype: Any, who: str, float_only: bool = True) -> np.dtype:
    d = np.dtype(np_dtype(dtype or floatx()))
    if float_only and d.kind != "f":
        raise ValueError(f"{who} can only produce floating-point values, got dtype={d.name}")
    return d


def _compute_fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) as Keras counts them: a conv kernel's receptive field times its channels."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive
