"""``keras.ops`` functions that place values among others or count them: ``searchsorted``, ``digitize``, ``isin``,
``bincount``, and the order statistics ``quantile`` and ``percentile``.

The first four give indices, truth values or counts (a weighted ``bincount`` passes a gradient to its weights);
``quantile`` sorts and interpolates with ops, so its gradient reaches the selected entries and ``q`` may be a tensor.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops import numpy_math as M
from tensorlet.keras_ops import numpy_shape as S
from tensorlet.keras_ops.convert import as_floats, axes, cast, convert_to_tensor, promote
from tensorlet.keras_ops.numpy_reduce import sort
from tensorlet.ops.searching import Bincount, IsIn, SearchSorted, WeightedBincount


def searchsorted(sorted_sequence: Any, values: Any, side: str = "left") -> Tensor:
    """The indices at which ``values`` would be inserted into the 1-D ``sorted_sequence`` to keep it sorted (int32).

    Raises:
        ValueError: for a sequence that is not 1-D, or a ``side`` other than 'left' and 'right'.
    """
    seq, vals = promote(sorted_sequence, values)
    if seq.ndim != 1:
        raise ValueError(f"keras.ops.searchsorted: sorted_sequence must be 1-D, got shape {tuple(seq.shape)}")
    if side not in ("left", "right"):
        raise ValueError(f"keras.ops.searchsorted: side must be 'left' or 'right', got {side!r}")
    return SearchSorted(side, "int32")(seq, vals)


def digitize(x: Any, bins: Any) -> Tensor:
    """The index of the bin of each entry: i with ``bins[i-1] <= x < bins[i]`` for increasing ``bins`` (int32)."""
    return searchsorted(bins, x, side="right")


def isin(x1: Any, x2: Any, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Whether each entry of ``x1`` occurs anywhere in ``x2`` (bool; the reverse with ``invert``)."""
    a, b = promote(x1, x2)
    return IsIn(bool(invert))(a, b)


def bincount(x: Any, weights: Any = None, minlength: int = 0, sparse: bool = False) -> Tensor:
    """The count (or the sum of ``weights``) of each value 0, 1, ..., max(x) of the 1-D integer tensor ``x``.

    Raises:
        ValueError: for ``x`` not 1-D or not integer, a negative ``minlength``, or ``sparse=True``.
    """
    t = convert_to_tensor(x)
    if sparse:
        raise ValueError("keras.ops.bincount: sparse=True needs sparse tensors, which tensorlet does not provide")
    if t.ndim != 1 or t.dtype.is_floating or t.dtype.name == "bool":
        raise ValueError(f"keras.ops.bincount: x must be a 1-D integer tensor, got shape {tuple(t.shape)} and dtype "
                         f"{t.dtype.name}")
    if int(minlength) < 0:
        raise ValueError(f"keras.ops.bincount: minlength must be 0 or more, got {minlength}")
    if weights is None:
        return Bincount(int(minlength), "int32")(t)
    w = convert_to_tensor(weights)
    if w.dtype.name in ("bool", "int8", "int16", "uint8", "uint16"):
        w = cast(w, "int32")
    return WeightedBincount(int(minlength))(t, w)


_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def quantile(x: Any, q: Any, axis: Any = None, method: str = "linear", keepdims: bool = False) -> Tensor:
    """The ``q``-th quantiles (q in [0, 1], a number or a 1-D tensor) over ``axis``, as NumPy computes them: the
    quantile axis comes first, ``method`` picks or interpolates between the neighbouring order statistics.

    Raises:
        ValueError: for an unknown ``method`` or a ``q`` of rank 2 or more.
    """
    if method not in _METHODS:
        raise ValueError(f"keras.ops.quantile: method must be one of {', '.join(_METHODS)}, got {method!r}")
    t = as_floats(x)
    ndim = t.ndim
    reduced = tuple(range(ndim)) if axis is None else axes(axis, ndim)
    assert reduced is not None
    kept = [i for i in range(ndim) if i not in reduced]
    moved = S.transpose(t, kept + list(reduced)) if ndim else S.reshape(t, (1,))
    n = 1
    for i in reduced:
        n *= t.shape[i]
    flat = S.reshape(moved, tuple(t.shape[i] for i in kept) + (n,))
    s = sort(flat, axis=-1)
    qt = cast(convert_to_tensor(q), s.dtype.name)
    if qt.ndim > 1:
        raise ValueError(f"keras.ops.quantile: q must be a number or a 1-D tensor, got shape {tuple(qt.shape)}")
    pos = M.multiply(qt, float(n - 1))
    if method == "nearest":
        out = S.take(s, cast(M.round(pos), "int32"), axis=-1)
    else:
        lo, hi = M.floor(pos), M.ceil(pos)
        v_lo, v_hi = S.take(s, cast(lo, "int32"), axis=-1), S.take(s, cast(hi, "int32"), axis=-1)
        if method == "lower":
            out = v_lo
        elif method == "higher":
            out = v_hi
        elif method == "midpoint":
            out = M.multiply(M.add(v_lo, v_hi), 0.5)
        else:
            out = M.add(v_lo, M.multiply(M.subtract(v_hi, v_lo), M.subtract(pos, lo)))
    if qt.ndim == 1:  # the quantiles' axis first, as NumPy
        out = S.moveaxis(out, -1, 0)
    if keepdims:
        shape = list(out.shape[:qt.ndim]) + [1 if i in reduced else t.shape[i] for i in range(ndim)]
        out = S.reshape(out, tuple(shape))
    return out


def percentile(x: Any, q: Any, axis: Any = None, method: str = "linear", keepdims: bool = False) -> Tensor:
    """``quantile`` with ``q`` in percent (0 to 100)."""
    qt = as_floats(q)
    return quantile(x, M.divide(qt, 100.0), axis=axis, method=method, keepdims=keepdims)
