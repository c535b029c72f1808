"""Reductions, arg-reductions, cumulative ops and sorting of ``keras.ops``.

Dtypes as in Keras: ``sum``/``prod`` of bools and small integers give int32 (uint32 for unsigned ones),
``mean``/``std``/``var`` of integers give ``floatx()``, ``argmax``/``argsort`` int32; ``max``/``min`` keep theirs.
"""
from __future__ import annotations

from collections import namedtuple
from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops.convert import as_floats, axes, cast, convert_to_tensor, given_axes
from tensorlet.ops import arg_reductions as A
from tensorlet.ops.cumulative import Cumprod
from tensorlet.ops.elementwise import Sqrt, Sub
from tensorlet.ops.indexing import TakeAlongAxis
from tensorlet.ops.reduction import Cumsum, Extremum, LogSumExp, Mean, Prod, Sum
from tensorlet.ops.unary import Square


def _accumulator(t: Tensor) -> Tensor:
    """Sums and products of bools and narrow integers accumulate in 32 bits, as Keras' do."""
    name = t.dtype.name
    if name in ("bool", "int8", "int16"):
        return cast(t, "int32")
    if name in ("uint8", "uint16"):
        return cast(t, "uint32")
    return t


def _keep(y: Tensor, t: Tensor) -> Tensor:
    """``y`` in ``t``'s dtype (NumPy sums narrow integers in 64 bits; Keras keeps 32)."""
    return cast(y, t.dtype.name)


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001 - Keras' name
    t = _accumulator(convert_to_tensor(x))
    return _keep(Sum(axes(axis, t.ndim), bool(keepdims))(t), t)


def prod(x: Any, axis: Any = None, keepdims: bool = False, dtype: Any = None) -> Tensor:
    t = convert_to_tensor(x)
    t = cast(t, dtype) if dtype is not None else _accumulator(t)
    return _keep(Prod(axes(axis, t.ndim), bool(keepdims))(t), t)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    t = as_floats(x)
    return Mean(axes(axis, t.ndim), bool(keepdims))(t)


def var(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The population variance, mean((x - mean(x))^2)."""
    t = as_floats(x)
    ax = axes(axis, t.ndim)
    centred = Sub()(t, Mean(ax, True)(t))
    return Mean(ax, bool(keepdims))(Square()(centred))


def std(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return Sqrt()(var(x, axis, keepdims))


def max(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Tensor:  # noqa: A001
    """The largest entry over ``axis`` (ties share the gradient); ``initial`` is a lower bound."""
    t = convert_to_tensor(x)
    if t._value.size == 0 and initial is None:
        raise ValueError("keras.ops.max of an empty tensor needs an `initial` value")
    out = Extremum(axes(axis, t.ndim), bool(keepdims), True)(t)
    if initial is not None:
        from tensorlet.keras_ops.numpy_math import maximum

        out = maximum(out, initial)
    return out


def min(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Tensor:  # noqa: A001
    t = convert_to_tensor(x)
    if t._value.size == 0 and initial is None:
        raise ValueError("keras.ops.min of an empty tensor needs an `initial` value")
    out = Extremum(axes(axis, t.ndim), bool(keepdims), False)(t)
    if initial is not None:
        from tensorlet.keras_ops.numpy_math import minimum

        out = minimum(out, initial)
    return out


amax, amin = max, min


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    t = as_floats(x)
    return LogSumExp(axes(axis, t.ndim), bool(keepdims))(t)


def all(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001 - Keras' name
    t = cast(convert_to_tensor(x), "bool")
    return A.ReduceAll(axes(axis, t.ndim), bool(keepdims))(t)


def any(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001 - Keras' name
    t = cast(convert_to_tensor(x), "bool")
    return A.ReduceAny(axes(axis, t.ndim), bool(keepdims))(t)


def count_nonzero(x: Any, axis: Any = None) -> Tensor:
    t = convert_to_tensor(x)
    return A.CountNonzero(axes(axis, t.ndim), "int32")(t)


def _one_axis(axis: Any, ndim: int) -> int | None:
    return None if axis is None else given_axes(axis, ndim)[0]


def argmax(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The index of the largest entry (of the flattened tensor when ``axis`` is None), int32."""
    t = convert_to_tensor(x)
    return A.ArgMax(_one_axis(axis, t.ndim), bool(keepdims), "int32")(t)


def argmin(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    t = convert_to_tensor(x)
    return A.ArgMin(_one_axis(axis, t.ndim), bool(keepdims), "int32")(t)


def argsort(x: Any, axis: int = -1) -> Tensor:
    """Indices that sort ``x`` along ``axis`` (stable), int32; ``axis=None`` sorts the flattened tensor."""
    t = convert_to_tensor(x)
    if axis is None:
        from tensorlet.keras_ops.numpy_shape import reshape

        t, axis = reshape(t, (-1,)), 0
    return A.ArgSort(given_axes(axis, t.ndim)[0], False, "int32")(t)


def sort(x: Any, axis: int = -1) -> Tensor:
    """``x`` sorted along ``axis``; the gradient flows back through the gather it is made of."""
    t = convert_to_tensor(x)
    if axis is None:
        from tensorlet.keras_ops.numpy_shape import reshape

        t, axis = reshape(t, (-1,)), 0
    ax = given_axes(axis, t.ndim)[0]
    return TakeAlongAxis(ax)(t, A.ArgSort(ax, False, "int32")(t))


TopK = namedtuple("TopK", ["values", "indices"])


def top_k(x: Any, k: int, sorted: bool = True) -> TopK:  # noqa: A002 - Keras' name
    """The ``k`` largest entries of the last axis (values, int32 indices); ties keep the earlier index."""
    from tensorlet.keras_ops.core import slice as _slice

    t = convert_to_tensor(x)
    if not 0 <= int(k) <= t.shape[-1]:
        raise ValueError(f"keras.ops.top_k: k={k} must be between 0 and the last dimension {t.shape[-1]}")
    order = A.ArgSort(t.ndim - 1, True, "int32")(t)
    idx = _slice(order, [0] * t.ndim, tuple(t.shape[:-1]) + (int(k),))
    return TopK(TakeAlongAxis(t.ndim - 1)(t, idx), idx)


def in_top_k(targets: Any, predictions: Any, k: int) -> Tensor:
    """Whether each target class is among the ``k`` highest predictions of its row (ties count as in)."""
    from tensorlet.keras_ops.numpy_math import greater, less_equal

    p = convert_to_tensor(predictions)
    tgt = cast(convert_to_tensor(targets), "int32")
    from tensorlet.keras_ops.numpy_shape import expand_dims

    score = TakeAlongAxis(1)(p, expand_dims(tgt, 1))
    above = sum(cast(greater(p, score), "int32"), axis=1)
    return less_equal(above, int(k) - 1)


def cumsum(x: Any, axis: Any = None, dtype: Any = None) -> Tensor:
    """Cumulative sum along ``axis`` (of the flattened tensor when None); bools sum as int32."""
    t = convert_to_tensor(x)
    t = cast(t, dtype) if dtype is not None else (cast(t, "int32") if t.dtype.name == "bool" else t)
    if axis is None:
        from tensorlet.keras_ops.numpy_shape import reshape

        t, axis = reshape(t, (-1,)), 0
    return _keep(Cumsum(given_axes(axis, t.ndim)[0], False, False)(t), t)


def cumprod(x: Any, axis: Any = None, dtype: Any = None) -> Tensor:
    t = convert_to_tensor(x)
    t = cast(t, dtype) if dtype is not None else (cast(t, "int32") if t.dtype.name == "bool" else t)
    if axis is None:
        from tensorlet.keras_ops.numpy_shape import reshape

        t, axis = reshape(t, (-1,)), 0
    return _keep(Cumprod(given_axes(axis, t.ndim)[0])(t), t)


def average(x: Any, axis: Any = None, weights: Any = None) -> Tensor:
    """The mean, or sum(x w) / sum(w) along ``axis`` with ``weights`` (1-D weights align with ``axis``)."""
    from tensorlet.keras_ops.numpy_create import ones_like
    from tensorlet.keras_ops.numpy_math import divide, multiply
    from tensorlet.keras_ops.numpy_shape import reshape

    if weights is None:
        return mean(x, axis=axis)
    t, w = as_floats(x), as_floats(weights)
    if w.ndim == 1 and t.ndim > 1 and axis is not None:
        ax = given_axes(axis, t.ndim)[0]
        w = reshape(w, tuple(-1 if i == ax else 1 for i in range(t.ndim)))
    return divide(sum(multiply(t, w), axis=axis), sum(multiply(ones_like(t), w), axis=axis))


def median(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The middle value (the mean of the two middle values for an even count) along ``axis``."""
    from tensorlet.keras_ops.numpy_shape import reshape

    t = as_floats(x)
    if axis is None:
        t, ax = reshape(t, (-1,)), 0
        out_keep = keepdims
    else:
        ax, out_keep = given_axes(axis, t.ndim)[0], keepdims
    s = sort(t, axis=ax)
    n = s.shape[ax]
    from tensorlet.keras_ops.numpy_shape import take

    mid = take(s, [(n - 1) // 2, n // 2], axis=ax)
    out = mean(mid, axis=ax, keepdims=True)
    if axis is None:
        return reshape(out, (1,) * convert_to_tensor(x).ndim) if out_keep else reshape(out, ())
    return out if out_keep else reshape(out, tuple(d for i, d in enumerate(out.shape) if i != ax))


def nonzero(x: Any) -> tuple[Tensor, ...]:
    """The indices of nonzero entries, one int32 tensor per axis."""
    from tensorlet.keras_ops.numpy_shape import unstack

    t = convert_to_tensor(x)
    return tuple(unstack(A.Nonzero()(t), axis=0)) if t.ndim else ()


def segment_sum(data: Any, segment_ids: Any, num_segments: int | None = None, sorted: bool = False) -> Tensor:  # noqa: A002
    """Row sums per segment id (``num_segments`` rows; by default the largest id + 1)."""
    from tensorlet.ops.indexing import SegmentSum

    return SegmentSum(None if num_segments is None else int(num_segments))(
        convert_to_tensor(data), cast(convert_to_tensor(segment_ids), "int64"))


def segment_max(data: Any, segment_ids: Any, num_segments: int | None = None, sorted: bool = False) -> Tensor:  # noqa: A002
    """Row maxima per segment id (empty segments hold the dtype's lowest value)."""
    from tensorlet.ops.indexing import SegmentMax

    return SegmentMax(None if num_segments is None else int(num_segments))(
        convert_to_tensor(data), cast(convert_to_tensor(segment_ids), "int64"))
