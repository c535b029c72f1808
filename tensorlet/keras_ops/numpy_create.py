"""Tensors made from shapes and values (``keras.ops.arange``, ``ones``, ``full``, ``eye``...): constants of a traced
function, as they depend on no data. Dtypes follow Keras: ``floatx()`` for floats and ``ones``/``zeros``/``eye``,
int32 for an integer ``arange``."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.dtypes import as_dtype
from tensorlet.keras_ops.convert import (
    convert_to_tensor,
    host_constant,
    result_type,
    standardize_dtype,
    static_ints,
)
from tensorlet.ops.unary import Identity


def _np(dtype: Any) -> Any:
    return np.dtype(as_dtype(standardize_dtype(dtype)).as_numpy_dtype)


def _value(x: Any) -> Any:
    return np.asarray(x._value) if isinstance(x, Tensor) else x


def arange(start: Any, stop: Any = None, step: Any = None, dtype: Any = None) -> Tensor:
    """``start``, ``start + step``... below ``stop`` (``arange(n)`` counts from 0); int32 for integer arguments."""
    values = [v for v in (start, stop, step) if v is not None]
    if dtype is None:
        dtype = result_type(*[_value(v) if isinstance(v, Tensor) else v for v in values])
    if stop is None:
        start, stop = 0, start
    out = np.arange(_value(start), _value(stop), 1 if step is None else _value(step))
    return host_constant(out.astype(_np(dtype)))


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, retstep: bool = False, dtype: Any = None,
             axis: int = 0) -> Any:
    if retstep:
        values, step = np.linspace(_value(start), _value(stop), int(num), endpoint=endpoint, retstep=True, axis=axis)
        return host_constant(np.asarray(values).astype(_np(dtype))), step
    values = np.linspace(_value(start), _value(stop), int(num), endpoint=endpoint, axis=axis)
    return host_constant(np.asarray(values).astype(_np(dtype)))


def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: float = 10, dtype: Any = None,
             axis: int = 0) -> Tensor:
    values = np.logspace(_value(start), _value(stop), int(num), endpoint=endpoint, base=base, axis=axis)
    return host_constant(np.asarray(values).astype(_np(dtype)))


def zeros(shape: Any, dtype: Any = None) -> Tensor:
    return host_constant(np.zeros(static_ints(shape, "shape"), dtype=_np(dtype)))


def ones(shape: Any, dtype: Any = None) -> Tensor:
    return host_constant(np.ones(static_ints(shape, "shape"), dtype=_np(dtype)))


empty = zeros


def full(shape: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    """A tensor of ``shape`` filled with ``fill_value``, in ``dtype`` (``floatx()`` by default)."""
    fill = convert_to_tensor(fill_value)
    dt = _np(dtype)  # floatx() by default, whatever the fill value, as in Keras
    return host_constant(np.broadcast_to(np.asarray(fill._value, dtype=dt), static_ints(shape, "shape")).copy())


def _like(x: Any, dtype: Any) -> tuple[tuple[int, ...], Any]:
    t = convert_to_tensor(x)
    return tuple(t.shape), (_np(dtype) if dtype is not None else np.dtype(t.dtype.as_numpy_dtype))


def zeros_like(x: Any, dtype: Any = None) -> Tensor:
    shape, dt = _like(x, dtype)
    return host_constant(np.zeros(shape, dtype=dt))


empty_like = zeros_like  # a tensor's memory is always initialised


def ones_like(x: Any, dtype: Any = None) -> Tensor:
    shape, dt = _like(x, dtype)
    return host_constant(np.ones(shape, dtype=dt))


def full_like(x: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    shape, dt = _like(x, dtype)
    return host_constant(np.full(shape, _value(fill_value), dtype=dt))


def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Tensor:  # noqa: N803 - Keras' names
    return host_constant(np.eye(int(N), None if M is None else int(M), int(k), dtype=_np(dtype)))


def identity(n: int, dtype: Any = None) -> Tensor:
    return eye(n, dtype=dtype)


def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Tensor:  # noqa: N803 - Keras' names
    return host_constant(np.tri(int(N), None if M is None else int(M), int(k), dtype=_np(dtype)))


def array(x: Any, dtype: Any = None) -> Tensor:
    return convert_to_tensor(x, dtype)


def copy(x: Any) -> Tensor:
    return Identity()(convert_to_tensor(x))
