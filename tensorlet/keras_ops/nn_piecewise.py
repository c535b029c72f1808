"""The piecewise-linear activations of ``keras.ops.nn``: ``hard_tanh``, ``hard_shrink``, ``soft_shrink`` and
``threshold``, composed from ``where``/``clip`` (the gradient is 1 on the linear pieces, 0 on the flat ones)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops import numpy_math as M
from tensorlet.keras_ops.convert import as_floats, convert_to_tensor


def hard_tanh(x: Any) -> Tensor:
    """x limited to [-1, 1]."""
    t = as_floats(x)
    return M.clip(t, -1.0, 1.0)


def hard_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """x where |x| > threshold, else 0."""
    t = as_floats(x)
    return M.where(M.greater(M.absolute(t), convert_to_tensor(threshold, t.dtype.name)), t,
                   convert_to_tensor(0.0, t.dtype.name))


def soft_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """x - threshold above threshold, x + threshold below -threshold, 0 between."""
    t = as_floats(x)
    th = convert_to_tensor(threshold, t.dtype.name)
    zero = convert_to_tensor(0.0, t.dtype.name)
    return M.where(M.greater(t, th), M.subtract(t, th),
                   M.where(M.less(t, M.negative(th)), M.add(t, th), zero))


def threshold(x: Any, threshold: Any, default_value: Any) -> Tensor:
    """x where x > threshold, else ``default_value``."""
    t = convert_to_tensor(x)
    return M.where(M.greater(t, convert_to_tensor(threshold, t.dtype.name)), t,
                   convert_to_tensor(default_value, t.dtype.name))
