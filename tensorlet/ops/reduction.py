"""Reductions (sum, mean, max, ...), arg-reductions, cumulative sums and sorting."""
from __future__ import annotations

import numbers
from typing import Any

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.errors import InvalidArgumentError
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.elementwise import sqrt, square, subtract
from tensorlet.ops.nondifferentiable import nondifferentiable


def _axes(axis: Any, ndim: int) -> tuple[int, ...] | None:
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis._value.tolist()
    axes = (axis,) if isinstance(axis, (int, numbers.Integral)) else tuple(axis)
    out = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < max(ndim, 1):
            raise InvalidArgumentError(f"Invalid reduction axis {a} for a tensor of rank {ndim}; expected an "
                                       f"axis in [{-ndim}, {ndim})")
        out.append(a % ndim if ndim else 0)
    return tuple(out)


def _expand(dy: Any, shape: tuple[int, ...], axes: tuple[int, ...] | None, keepdims: bool) -> Any:
    """Reshape a reduced gradient so it broadcasts back over ``shape``."""
    if keepdims or axes is None and dy.ndim == 0:
        return dy
    if axes is None:
        return dy.reshape((1,) * len(shape))
    kshape = tuple(1 if i in axes else s for i, s in enumerate(shape))
    return dy.reshape(kshape)


class Reduce(Function):
    def __init__(self, axes: tuple[int, ...] | None, keepdims: bool) -> None:
        self.axes, self.keepdims = axes, keepdims


class Sum(Reduce):
    """y = sum(x over axes); dy/dx = 1."""

    def forward(self, x: Any) -> Any:
        self.saved = (x.shape,)
        return x.sum(axis=self.axes, keepdims=self.keepdims)

    def backward(self, dy: Any) -> Any:
        shape = self.saved[0]
        return self.xp.broadcast_to(_expand(dy, shape, self.axes, self.keepdims), shape)


class Mean(Reduce):
    """y = mean(x over axes); dy/dx = 1/n. (Also the losses' 'sum_over_batch_size' reduction, run every step.)"""

    def forward(self, x: Any) -> Any:
        xp = self.xp
        if x.dtype == xp.float32 or x.dtype == xp.float64:  # mean's numbers with less call overhead
            total = xp.add.reduce(x, axis=self.axes, keepdims=self.keepdims)
            n = x.size // max(total.size, 1)
            self.saved = (x.shape, n)
            return total / x.dtype.type(n)
        y = x.mean(axis=self.axes, keepdims=self.keepdims)
        self.saved = (x.shape, x.size // max(y.size, 1))
        return y

    def backward(self, dy: Any) -> Any:
        shape, n = self.saved
        if self.axes is None and not self.keepdims:  # a scalar gradient: one filled array, not a broadcast view
            xp = self.xp
            dy = xp.asarray(dy)
            return xp.full(shape, dy / dy.dtype.type(n), dtype=dy.dtype)
        return self.xp.broadcast_to(_expand(dy, shape, self.axes, self.keepdims) / n, shape)


class Extremum(Reduce):
    """y = max or min over axes; the gradient is shared equally among ties."""

    def __init__(self, axes: Any, keepdims: bool, largest: bool) -> None:
        super().__init__(axes, keepdims)
        self.largest = largest

    def forward(self, x: Any) -> Any:
        y = x.max(axis=self.axes, keepdims=True) if self.largest else x.min(axis=self.axes, keepdims=True)
        self.saved = (x, y)
        return y if self.keepdims else y.squeeze(axis=self.axes) if self.axes is not None else y.reshape(())

    def backward(self, dy: Any) -> Any:
        x, y = self.saved
        mask = x == y
        count = mask.sum(axis=self.axes, keepdims=True)
        return mask * (_expand(dy, x.shape, self.axes, self.keepdims) / count)


class Prod(Reduce):
    """y = prod(x); dy/dx_i = prod of the others (computed directly, so zeros are handled)."""

    def forward(self, x: Any) -> Any:
        y = x.prod(axis=self.axes, keepdims=True)
        self.saved = (x, y)
        return y if self.keepdims else (y.squeeze(axis=self.axes) if self.axes is not None else y.reshape(()))

    def backward(self, dy: Any) -> Any:
        x, y = self.saved
        dyk = _expand(dy, x.shape, self.axes, self.keepdims)
        if (x != 0).all():
            return dyk * y / x
        xp = self.xp
        axes = self.axes if self.axes is not None else tuple(range(x.ndim))
        moved = xp.moveaxis(x, axes, tuple(range(-len(axes), 0)))
        flat = moved.reshape(moved.shape[: moved.ndim - len(axes)] + (-1,))
        left = xp.cumprod(xp.concatenate([xp.ones_like(flat[..., :1]), flat[..., :-1]], -1), -1)
        right = xp.cumprod(xp.concatenate([xp.ones_like(flat[..., :1]), flat[..., :0:-1]], -1), -1)[..., ::-1]
        others = (left * right).reshape(moved.shape)
        return dyk * xp.moveaxis(others, tuple(range(-len(axes), 0)), axes)


class LogSumExp(Reduce):
    """y = log(sum(exp(x))); dy/dx = softmax(x)."""

    def forward(self, x: Any) -> Any:
        xp = self.xp
        m = x.max(axis=self.axes, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)
        s = xp.exp(x - m).sum(axis=self.axes, keepdims=True)
        y = xp.log(s) + m
        self.saved = (x, y)
        return y if self.keepdims else (y.squeeze(axis=self.axes) if self.axes is not None else y.reshape(()))

    def backward(self, dy: Any) -> Any:
        x, y = self.saved
        return _expand(dy, x.shape, self.axes, self.keepdims) * self.xp.exp(x - y)


class Cumsum(Function):
    """y = cumulative sum along axis; dy/dx = reverse cumulative sum of dy."""

    def __init__(self, axis: int, exclusive: bool, reverse: bool) -> None:
        self.axis, self.exclusive, self.reverse = axis, exclusive, reverse

    def _cs(self, x: Any, exclusive: bool, reverse: bool) -> Any:
        xp, a = self.xp, self.axis
        if reverse:
            x = xp.flip(x, a)
        y = x.cumsum(axis=a)
        if exclusive:
            y = xp.concatenate([xp.zeros_like(y.take([0], axis=a)), y.take(xp.arange(x.shape[a] - 1), a)], a)
        return xp.flip(y, a) if reverse else y

    def forward(self, x: Any) -> Any:
        return self._cs(x, self.exclusive, self.reverse)

    def backward(self, dy: Any) -> Any:
        return self._cs(dy, self.exclusive, not self.reverse)


def _reduce(cls: Any, x: Any, axis: Any, keepdims: bool, *extra: Any) -> Tensor:
    t = as_tensor(x)
    axes = _axes(axis, t._value.ndim)
    return cls(axes, bool(keepdims), *extra)(t)


def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    return _reduce(Sum, input_tensor, axis, keepdims)


def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    t = as_tensor(input_tensor)
    if t._value.dtype.kind in "iu":  # TF keeps integer dtype (truncating)
        axes = _axes(axis, t._value.ndim)
        return _wrap(backend.xp().asarray(t._value.mean(axis=axes, keepdims=keepdims)).astype(t._value.dtype))
    return _reduce(Mean, t, axis, keepdims)


def reduce_max(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    return _reduce(Extremum, input_tensor, axis, keepdims, True)


def reduce_min(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    return _reduce(Extremum, input_tensor, axis, keepdims, False)


def reduce_prod(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    return _reduce(Prod, input_tensor, axis, keepdims)


def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    return _reduce(LogSumExp, input_tensor, axis, keepdims)


def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    """var = mean((x - mean(x))^2), composed from primitives."""
    t = as_tensor(input_tensor)
    m = reduce_mean(t, axis=axis, keepdims=True)
    return reduce_mean(square(subtract(t, m)), axis=axis, keepdims=keepdims)


def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def reduce_any(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    t = as_tensor(input_tensor)
    return _wrap(t._value.any(axis=_axes(axis, t._value.ndim), keepdims=keepdims))


def reduce_all(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Any = None) -> Tensor:
    t = as_tensor(input_tensor)
    return _wrap(t._value.all(axis=_axes(axis, t._value.ndim), keepdims=keepdims))


def argmax(input: Any, axis: Any = None, output_type: Any = "int64", name: Any = None) -> Tensor:  # noqa: A002
    """Index of the largest entry along ``axis`` (default 0, as TF)."""
    from tensorlet.dtypes import np_dtype

    ax, dt = 0 if axis is None else int(axis), np_dtype(output_type)
    return nondifferentiable("ArgMax", lambda xp, v: xp.argmax(v, axis=ax).astype(dt), as_tensor(input))


def argmin(input: Any, axis: Any = None, output_type: Any = "int64", name: Any = None) -> Tensor:  # noqa: A002
    from tensorlet.dtypes import np_dtype

    ax, dt = 0 if axis is None else int(axis), np_dtype(output_type)
    return nondifferentiable("ArgMin", lambda xp, v: xp.argmin(v, axis=ax).astype(dt), as_tensor(input))


def cumsum(x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False, name: Any = None) -> Tensor:
    t = as_tensor(x)
    return Cumsum(int(axis) % max(t._value.ndim, 1), exclusive, reverse)(t)


def argsort(values: Any, axis: int = -1, direction: str = "ASCENDING", stable: bool = False,
            name: Any = None) -> Tensor:
    descending = direction == "DESCENDING"
    return nondifferentiable("ArgSort", lambda xp, v: xp.argsort(-v if descending else v, axis=axis,
                                                                  kind="stable").astype(xp.int32), as_tensor(values))


def sort(values: Any, axis: int = -1, direction: str = "ASCENDING", name: Any = None) -> Tensor:
    """Sorted values; differentiable through the gather it is made of."""
    from tensorlet.ops.shape import take_along_axis

    t = as_tensor(values)
    return take_along_axis(t, argsort(t, axis=axis, direction=direction), axis=axis)


def top_k(input: Any, k: int = 1, sorted: bool = True, name: Any = None) -> Any:  # noqa: A002
    """The k largest entries of the last axis and their indices, as a (values, indices) namedtuple."""
    from collections import namedtuple

    from tensorlet.ops.shape import take_along_axis

    t = as_tensor(input)
    if k > t._value.shape[-1]:
        raise InvalidArgumentError(f"input must have at least k={k} columns, got {t._value.shape[-1]}")
    idx = nondifferentiable("TopKV2", lambda xp, v: xp.argsort(-v, axis=-1, kind="stable")[..., :k].astype(xp.int32),
                            t)
    TopKV2 = namedtuple("TopKV2", ["values", "indices"])
    return TopKV2(take_along_axis(t, idx, axis=-1), idx)
