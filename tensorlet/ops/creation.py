"""Tensor creation: zeros, ones, fill, range, eye, linspace and the *_like forms."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.config import floatx
from tensorlet.dtypes import np_dtype
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.nondifferentiable import nondifferentiable
from tensorlet.ops.shape import _ints


def _shape(shape: Any) -> tuple[int, ...]:
    s = _ints(shape)
    return tuple(s) if isinstance(s, (list, tuple)) else (int(s),)


def zeros(shape: Any, dtype: Any = None, name: Any = None) -> Tensor:
    return _wrap(backend.xp().zeros(_shape(shape), dtype=np_dtype(dtype or floatx())))


def ones(shape: Any, dtype: Any = None, name: Any = None) -> Tensor:
    return _wrap(backend.xp().ones(_shape(shape), dtype=np_dtype(dtype or floatx())))


def zeros_like(input: Any, dtype: Any = None, name: Any = None) -> Tensor:  # noqa: A002
    t = as_tensor(input)
    return _wrap(backend.xp().zeros_like(t._value, dtype=np_dtype(dtype) if dtype else None))


def ones_like(input: Any, dtype: Any = None, name: Any = None) -> Tensor:  # noqa: A002
    t = as_tensor(input)
    return _wrap(backend.xp().ones_like(t._value, dtype=np_dtype(dtype) if dtype else None))


class Fill(Function):
    """y = value everywhere in ``shape``; dvalue = sum(dy)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, v: Any) -> Any:
        return self.xp.full(self.shape, v, dtype=v.dtype)

    def backward(self, dy: Any) -> Any:
        return dy.sum()


def fill(dims: Any, value: Any, name: Any = None) -> Tensor:
    return Fill(_shape(dims))(as_tensor(value))


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None, name: Any = "range") -> Tensor:  # noqa: A001
    """Like Python's range; int32 for int arguments and float32 for floats, as in TF."""
    vals = [v for v in (start, limit, delta) if v is not None]
    if dtype is None:
        dtype = "float32" if any(_is_float(v) for v in vals) else "int32"
    if limit is None:
        start, limit = 0, start
    npd = np_dtype(dtype)
    if any(isinstance(v, Tensor) for v in (start, limit, delta)):  # bounds computed in the step: an op of its own
        ends = [v if isinstance(v, Tensor) else _wrap(backend.asarray(v)) for v in (start, limit, delta)]
        return nondifferentiable("Range", lambda xp, a, b, d: xp.arange(a.item(), b.item(), d.item(), dtype=npd), *ends)
    return _wrap(backend.xp().arange(*(_item(v) for v in (start, limit, delta)), dtype=npd))


def _is_float(v: Any) -> bool:
    v = getattr(v, "_value", v)
    return isinstance(v, float) or getattr(getattr(v, "dtype", None), "kind", "") == "f"


def _item(v: Any) -> Any:
    """A Python number from a number, a NumPy scalar or a one-element tensor."""
    v = getattr(v, "_value", v)
    return v.item() if hasattr(v, "item") else v


def eye(num_rows: int, num_columns: Any = None, batch_shape: Any = None, dtype: Any = None, name: Any = None) -> Tensor:
    xp = backend.xp()
    m = xp.eye(int(num_rows), None if num_columns is None else int(num_columns), dtype=np_dtype(dtype or floatx()))
    if batch_shape is not None:
        m = xp.broadcast_to(m, tuple(batch_shape) + m.shape).copy()
    return _wrap(m)


def linspace(start: Any, stop: Any, num: int, name: Any = None, axis: int = 0) -> Tensor:
    s = as_tensor(start)
    xp = backend.xp()
    dt = s._value.dtype if s._value.dtype.kind == "f" else xp.float32
    return _wrap(xp.linspace(s._value, backend.asarray(getattr(stop, "_value", stop)), int(num), axis=axis).astype(dt))
