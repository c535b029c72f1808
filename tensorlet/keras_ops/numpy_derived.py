"""``keras.ops`` functions that NumPy defines from others: unit conversions, NaN-aware comparisons, ``fmod``,
``heaviside``, ``select``, ``allclose``, the NaN-ignoring reductions and ``ptp``, the extra flips, splits and
stacks, ``kron`` and ``cross``.

Each is a composition of the primitive ``keras.ops`` functions, so gradients, dtypes and replay inside
``tf.function`` come from those (every array argument stays an op input).
"""
from __future__ import annotations

import math
from typing import Any, Sequence

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops import numpy_math as M
from tensorlet.keras_ops import numpy_reduce as R
from tensorlet.keras_ops import numpy_shape as S
from tensorlet.keras_ops.convert import (
    as_floats,
    axes,
    cast,
    convert_to_tensor,
    promote,
    result_type,
    static_ints,
)
from tensorlet.keras_ops.numpy_create import zeros_like


# -- elementwise -----------------------------------------------------------------------------------------------
def deg2rad(x: Any) -> Tensor:
    """Degrees to radians (integers become ``floatx()``)."""
    t = as_floats(x)
    return M.multiply(t, convert_to_tensor(math.pi / 180.0, t.dtype.name))


def rad2deg(x: Any) -> Tensor:
    """Radians to degrees (integers become ``floatx()``)."""
    t = as_floats(x)
    return M.multiply(t, convert_to_tensor(180.0 / math.pi, t.dtype.name))


def fabs(x: Any) -> Tensor:
    """|x| as a float (integers become ``floatx()``)."""
    return M.absolute(as_floats(x))


def cbrt(x: Any) -> Tensor:
    """The real cube root: |x|^(1/3), negated for negative x."""
    t = as_floats(x)
    root = M.power(M.absolute(t), convert_to_tensor(1.0 / 3.0, t.dtype.name))
    return M.where(M.less(t, convert_to_tensor(0.0, t.dtype.name)), M.negative(root), root)


def erfc(x: Any) -> Tensor:
    """1 - erf(x)."""
    t = as_floats(x)
    return M.subtract(convert_to_tensor(1.0, t.dtype.name), M.erf(t))


def logaddexp2(x1: Any, x2: Any) -> Tensor:
    """log2(2**x1 + 2**x2), as logaddexp in base e, rescaled."""
    a, b = promote(x1, x2, dtype=result_type(x1, x2, float))
    ln2 = convert_to_tensor(math.log(2.0), a.dtype.name)
    return M.divide(M.logaddexp(M.multiply(a, ln2), M.multiply(b, ln2)), ln2)


def fmax(x1: Any, x2: Any) -> Tensor:
    """The elementwise maximum ignoring NaNs (NaN only where both are NaN)."""
    a, b = promote(x1, x2)
    if not a.dtype.is_floating:
        return M.maximum(a, b)
    return M.where(M.isnan(a), b, M.where(M.isnan(b), a, M.maximum(a, b)))


def fmin(x1: Any, x2: Any) -> Tensor:
    """The elementwise minimum ignoring NaNs (NaN only where both are NaN)."""
    a, b = promote(x1, x2)
    if not a.dtype.is_floating:
        return M.minimum(a, b)
    return M.where(M.isnan(a), b, M.where(M.isnan(b), a, M.minimum(a, b)))


def fmod(x1: Any, x2: Any) -> Tensor:
    """The remainder of x1 / x2 with the sign of x1 (C's fmod; ``mod`` takes the sign of x2)."""
    a, b = promote(x1, x2)
    if a.dtype.name == "bool":
        a, b = cast(a, "int32"), cast(b, "int32")
    r = M.mod(a, b)
    zero = convert_to_tensor(0, r.dtype.name)
    wrong_sign = M.logical_and(M.not_equal(r, zero), M.not_equal(M.less(r, zero), M.less(a, zero)))
    return M.where(wrong_sign, M.subtract(r, b), r)


def heaviside(x1: Any, x2: Any) -> Tensor:
    """0 where x1 < 0, x2 where x1 == 0, 1 where x1 > 0."""
    a, b = promote(x1, x2)
    if a.dtype.name == "bool":
        a, b = cast(a, "int32"), cast(b, "int32")
    zero, one = convert_to_tensor(0, a.dtype.name), convert_to_tensor(1, a.dtype.name)
    return M.where(M.less(a, zero), zero, M.where(M.greater(a, zero), one, b))


def isposinf(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        return M.not_equal(t, t)
    return M.logical_and(M.isinf(t), M.greater(t, convert_to_tensor(0, t.dtype.name)))


def isneginf(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        return M.not_equal(t, t)
    return M.logical_and(M.isinf(t), M.less(t, convert_to_tensor(0, t.dtype.name)))


def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Tensor:
    """The entry of the first ``choicelist[i]`` whose ``condlist[i]`` holds, else ``default``.

    Raises:
        ValueError: when the two lists differ in length or are empty.
    """
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise ValueError("keras.ops.select: condlist and choicelist must be lists, got "
                         f"{type(condlist).__name__} and {type(choicelist).__name__}")
    if len(condlist) != len(choicelist) or not condlist:
        raise ValueError(f"keras.ops.select: condlist and choicelist must have the same, nonzero length, got "
                         f"{len(condlist)} and {len(choicelist)}")
    dtype = result_type(*choicelist)
    out = M.where(cast(convert_to_tensor(condlist[-1]), "bool"), convert_to_tensor(choicelist[-1], dtype),
                  convert_to_tensor(default, dtype))
    for cond, choice in zip(reversed(condlist[:-1]), reversed(choicelist[:-1])):
        out = M.where(cast(convert_to_tensor(cond), "bool"), convert_to_tensor(choice, dtype), out)
    return out


def allclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False) -> Tensor:
    """Whether every entry is close (``isclose``), a bool scalar."""
    return R.all(M.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


# -- reductions ----------------------------------------------------------------------------------------------------
def _without_nans(x: Any, fill: float) -> tuple[Tensor, Tensor | None]:
    """(x with NaNs replaced by ``fill``, the NaN mask or None for a dtype without NaNs)."""
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        return t, None
    nan = M.isnan(t)
    return M.where(nan, convert_to_tensor(fill, t.dtype.name), t), nan


def nansum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The sum over ``axis``, NaNs counted as zero."""
    return R.sum(_without_nans(x, 0.0)[0], axis=axis, keepdims=keepdims)


def nanprod(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The product over ``axis``, NaNs counted as one."""
    return R.prod(_without_nans(x, 1.0)[0], axis=axis, keepdims=keepdims)


def _count(nan: Tensor | None, t: Tensor, axis: Any, keepdims: bool) -> Tensor:
    valid = M.logical_not(nan) if nan is not None else M.equal(t, t)
    return R.sum(cast(valid, t.dtype.name if t.dtype.is_floating else "float32"), axis=axis, keepdims=keepdims)


def _mean_of_valid(total: Tensor, count: Tensor) -> Tensor:
    """total / count, NaN where the count is 0 (without dividing by zero)."""
    zero = convert_to_tensor(0.0, count.dtype.name)
    empty = M.equal(count, zero)
    mean = M.divide(total, M.where(empty, convert_to_tensor(1.0, count.dtype.name), count))
    return M.where(empty, convert_to_tensor(math.nan, mean.dtype.name), mean)


def nanmean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The mean of the entries that are not NaN (NaN where there are none)."""
    t = as_floats(x)
    filled, nan = _without_nans(t, 0.0)
    return _mean_of_valid(R.sum(filled, axis=axis, keepdims=keepdims), _count(nan, t, axis, keepdims))


def nanvar(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The population variance of the entries that are not NaN (NaN where there are none)."""
    t = as_floats(x)
    filled, nan = _without_nans(t, 0.0)
    centred = M.subtract(filled, nanmean(t, axis=axis, keepdims=True))
    squares = _without_nans(M.square(centred), 0.0)[0]
    if nan is not None:  # NaN entries contribute nothing
        squares = M.where(nan, convert_to_tensor(0.0, t.dtype.name), squares)
    return _mean_of_valid(R.sum(squares, axis=axis, keepdims=keepdims), _count(nan, t, axis, keepdims))


def nanstd(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return M.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def _nan_extremum(x: Any, axis: Any, keepdims: bool, largest: bool) -> Tensor:
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        return (R.max if largest else R.min)(t, axis=axis, keepdims=keepdims)
    filled, nan = _without_nans(t, -math.inf if largest else math.inf)
    out = (R.max if largest else R.min)(filled, axis=axis, keepdims=keepdims)
    assert nan is not None
    all_nan = R.all(nan, axis=axis, keepdims=keepdims)
    return M.where(all_nan, convert_to_tensor(math.nan, t.dtype.name), out)


def nanmax(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The largest entry that is not NaN (NaN where all are)."""
    return _nan_extremum(x, axis, keepdims, True)


def nanmin(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The smallest entry that is not NaN (NaN where all are)."""
    return _nan_extremum(x, axis, keepdims, False)


def ptp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """max - min over ``axis`` ("peak to peak")."""
    return M.subtract(R.max(x, axis=axis, keepdims=keepdims), R.min(x, axis=axis, keepdims=keepdims))


# -- flips, splits and stacks ---------------------------------------------------------------------------------------
def _at_least(op: str, t: Tensor, rank: int) -> None:
    if t.ndim < rank:
        raise ValueError(f"keras.ops.{op} needs a tensor of rank {rank} or more, got shape {tuple(t.shape)}")


def fliplr(x: Any) -> Tensor:
    """x with axis 1 reversed."""
    t = convert_to_tensor(x)
    _at_least("fliplr", t, 2)
    return S.flip(t, axis=1)


def flipud(x: Any) -> Tensor:
    """x with axis 0 reversed."""
    t = convert_to_tensor(x)
    _at_least("flipud", t, 1)
    return S.flip(t, axis=0)


def rot90(array: Any, k: int = 1, axes: Sequence[int] = (0, 1)) -> Tensor:
    """``array`` rotated by 90 degrees ``k`` times in the plane of ``axes`` (from the first towards the second)."""
    t = convert_to_tensor(array)
    _at_least("rot90", t, 2)
    a0, a1 = _plane(axes, t.ndim)
    k = int(k) % 4
    if k == 0:
        return t
    if k == 2:
        return S.flip(S.flip(t, axis=a0), axis=a1)
    order = list(range(t.ndim))
    order[a0], order[a1] = order[a1], order[a0]
    if k == 1:
        return S.transpose(S.flip(t, axis=a1), order)
    return S.flip(S.transpose(t, order), axis=a1)


def _plane(ax: Sequence[int], ndim: int) -> tuple[int, int]:
    pair = tuple(ax) if isinstance(ax, (list, tuple)) else ()
    normal = axes(pair, ndim) if len(pair) == 2 else None
    if normal is None or normal[0] == normal[1]:
        raise ValueError(f"keras.ops.rot90: axes must be two different axes of a rank-{ndim} tensor, got {ax!r}")
    return normal[0], normal[1]


def array_split(x: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """``split``, where an int need not divide the axis: the first ``size % n`` sections get one entry more."""
    t = convert_to_tensor(x)
    if isinstance(indices_or_sections, int) and not isinstance(indices_or_sections, bool):
        n = indices_or_sections
        if n <= 0:
            raise ValueError(f"keras.ops.array_split: the number of sections must be positive, got {n}")
        size = t.shape[int(axis) % t.ndim]
        base, extra = divmod(size, n)
        cuts, at = [], 0
        for i in range(n - 1):
            at += base + (1 if i < extra else 0)
            cuts.append(at)
        return S.split(t, cuts, axis=axis)
    return S.split(t, list(static_ints(indices_or_sections, "indices_or_sections")), axis=axis)


def hsplit(x: Any, indices_or_sections: Any) -> list[Tensor]:
    """``split`` along axis 1 (axis 0 of a vector)."""
    t = convert_to_tensor(x)
    _at_least("hsplit", t, 1)
    return S.split(t, indices_or_sections, axis=1 if t.ndim > 1 else 0)


def vsplit(x: Any, indices_or_sections: Any) -> list[Tensor]:
    """``split`` along axis 0 of a tensor of rank 2 or more."""
    t = convert_to_tensor(x)
    _at_least("vsplit", t, 2)
    return S.split(t, indices_or_sections, axis=0)


def dsplit(x: Any, indices_or_sections: Any) -> list[Tensor]:
    """``split`` along axis 2 of a tensor of rank 3 or more."""
    t = convert_to_tensor(x)
    _at_least("dsplit", t, 3)
    return S.split(t, indices_or_sections, axis=2)


def dstack(xs: Sequence[Any]) -> Tensor:
    """The tensors joined along a third axis (a vector ``(n,)`` counts as ``(1, n, 1)``, a matrix as ``(m, n, 1)``)."""
    parts = []
    for x in xs:
        t = convert_to_tensor(x)
        if t.ndim == 0:
            t = S.reshape(t, (1, 1, 1))
        elif t.ndim == 1:
            t = S.reshape(t, (1, t.shape[0], 1))
        elif t.ndim == 2:
            t = S.expand_dims(t, -1)
        parts.append(t)
    return S.concatenate(parts, axis=2)


# -- products -------------------------------------------------------------------------------------------------------
def kron(x1: Any, x2: Any) -> Tensor:
    """The Kronecker product: blocks ``x1[i, j] * x2`` (the lower-rank operand gets leading axes of size 1)."""
    a, b = promote(x1, x2)
    rank = max(a.ndim, b.ndim)
    sa, sb = (1,) * (rank - a.ndim) + tuple(a.shape), (1,) * (rank - b.ndim) + tuple(b.shape)
    # a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...), then each pair of axes merged
    wide_a = S.reshape(a, tuple(d for n in sa for d in (n, 1)))
    wide_b = S.reshape(b, tuple(d for n in sb for d in (1, n)))
    return S.reshape(M.multiply(wide_a, wide_b), tuple(p * q for p, q in zip(sa, sb)))


def cross(x1: Any, x2: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None) -> Tensor:
    """The cross product of vectors of 2 or 3 components along ``axisa``/``axisb`` (``axis`` sets all three); two
    2-vectors give the z component only, as NumPy.

    Raises:
        ValueError: for vectors of another length.
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = promote(x1, x2)
    a, b = S.moveaxis(a, axisa, -1), S.moveaxis(b, axisb, -1)
    na, nb = a.shape[-1], b.shape[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError(f"keras.ops.cross: vectors must have 2 or 3 components, got {na} and {nb}")
    a0, a1, a2 = _components(a)
    b0, b1, b2 = _components(b)
    z = M.subtract(M.multiply(a0, b1), M.multiply(a1, b0))
    if na == 2 and nb == 2:
        return z
    x = M.subtract(M.multiply(a1, b2), M.multiply(a2, b1))
    y = M.subtract(M.multiply(a2, b0), M.multiply(a0, b2))
    return S.moveaxis(S.stack([x, y, z], axis=-1), -1, axisc)


def _components(v: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """The x, y, z components along the last axis (z = 0 for 2-vectors)."""
    parts = S.unstack(v, axis=-1)
    return parts[0], parts[1], parts[2] if len(parts) == 3 else zeros_like(parts[0])
