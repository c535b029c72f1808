"""Reshaping, joining, splitting, indexing and reordering ``keras.ops`` (NumPy's semantics, Keras' names).

Indices computed from shapes and Python arguments are constants of an op; index tensors are op inputs
(``take``, ``take_along_axis``), so a traced function recomputes them from its data.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops.convert import (
    cast,
    convert_to_tensor,
    given_axes,
    host_constant,
    promote,
    static_ints,
)
from tensorlet.ops.elementwise import Select, Sub
from tensorlet.ops.indexing import ScatterAdd, Take, TakeAlongAxis
from tensorlet.ops.shape import BroadcastTo, Concat, GetItem, Pad, Reshape, Tile, Transpose


def shape(x: Any) -> tuple[Any, ...]:
    """The static shape, a tuple of ints (None for a symbolic tensor's unknown batch size)."""
    return tuple(x.shape) if _symbolic(x) else tuple(convert_to_tensor(x).shape)


def ndim(x: Any) -> int:
    return len(x.shape) if _symbolic(x) else convert_to_tensor(x).ndim


def _symbolic(x: Any) -> bool:
    """A Functional API placeholder (it has a shape and dtype, no value)."""
    return not isinstance(x, (Tensor, np.ndarray)) and hasattr(x, "_keras_history")


def size(x: Any) -> Tensor:
    """The number of elements, as an int32 tensor (Keras' TensorFlow backend)."""
    return host_constant(np.asarray(np.prod(shape(x), dtype=np.int64), dtype=np.int32))


def reshape(x: Any, newshape: Any) -> Tensor:
    """``x`` with shape ``newshape`` (one entry may be -1).

    Raises:
        ValueError: when the element counts differ (both shapes named).
    """
    t = convert_to_tensor(x)
    target = tuple(-1 if d is None else d for d in static_ints([newshape] if isinstance(newshape, int) else
                                                               [(-1 if d is None else d) for d in newshape],
                                                               "newshape"))
    known = int(np.prod([d for d in target if d != -1], dtype=np.int64))
    n = t._value.size
    if (target.count(-1) > 1 or (-1 in target and (known == 0 or n % known))
            or (-1 not in target and known != n)):
        raise ValueError(f"keras.ops.reshape: cannot reshape a tensor of shape {tuple(t.shape)} ({n} elements) "
                         f"into shape {target}")
    return Reshape(target)(t)


def ravel(x: Any) -> Tensor:
    return reshape(x, (-1,))


def transpose(x: Any, axes: Any = None) -> Tensor:
    t = convert_to_tensor(x)
    perm = None if axes is None else tuple(a % max(t.ndim, 1) for a in static_ints(axes, "axes"))
    if perm is not None and sorted(perm) != list(range(t.ndim)):
        raise ValueError(f"keras.ops.transpose: axes {tuple(axes)} is not a permutation of {t.ndim} axes")
    return Transpose(perm)(t)


def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    t = convert_to_tensor(x)
    perm = list(range(t.ndim))
    a, b = int(axis1) % t.ndim, int(axis2) % t.ndim
    perm[a], perm[b] = perm[b], perm[a]
    return Transpose(tuple(perm))(t)


def moveaxis(x: Any, source: Any, destination: Any) -> Tensor:
    t = convert_to_tensor(x)
    src = [a % t.ndim for a in static_ints(source, "source")]
    dst = [a % t.ndim for a in static_ints(destination, "destination")]
    if len(src) != len(dst):
        raise ValueError(f"keras.ops.moveaxis: source {src} and destination {dst} must have the same length")
    order = [i for i in range(t.ndim) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return Transpose(tuple(order))(t)


def expand_dims(x: Any, axis: Any) -> Tensor:
    t = convert_to_tensor(x)
    return Reshape(np.expand_dims(np.empty(t.shape, dtype=bool), tuple(static_ints(axis, "axis"))).shape)(t)


def squeeze(x: Any, axis: Any = None) -> Tensor:
    """``x`` without its size-1 axes (only those in ``axis`` when given).

    Raises:
        ValueError: when an axis in ``axis`` does not have size 1.
    """
    t = convert_to_tensor(x)
    dims = tuple(t.shape)
    gone = {i for i, d in enumerate(dims) if d == 1} if axis is None else set(given_axes(axis, t.ndim))
    for a in gone:
        if dims[a] != 1:
            raise ValueError(f"keras.ops.squeeze: cannot squeeze axis {a} of size {dims[a]} (shape {dims})")
    return Reshape(tuple(d for i, d in enumerate(dims) if i not in gone))(t)


def broadcast_to(x: Any, shape: Any) -> Tensor:
    t = convert_to_tensor(x)
    target = static_ints(shape, "shape")
    try:
        np.broadcast_shapes(tuple(t.shape), target)
    except ValueError:
        raise ValueError(f"keras.ops.broadcast_to: cannot broadcast shape {tuple(t.shape)} to {target}") from None
    return BroadcastTo(target)(t)


def concatenate(xs: Sequence[Any], axis: Any = 0) -> Tensor:
    """Join tensors along ``axis`` (their flattened forms when ``axis`` is None); dtypes are promoted."""
    ts = promote(*xs)
    if axis is None:
        ts, axis = [ravel(t) for t in ts], 0
    ax = int(axis) % max(ts[0].ndim, 1)
    for t in ts[1:]:
        if t.ndim != ts[0].ndim or any(a != b for i, (a, b) in enumerate(zip(t.shape, ts[0].shape)) if i != ax):
            raise ValueError(f"keras.ops.concatenate: shapes {tuple(ts[0].shape)} and {tuple(t.shape)} do not match "
                             f"outside axis {ax}")
    return Concat(ax)(*ts)


def append(x1: Any, x2: Any, axis: Any = None) -> Tensor:
    return concatenate([x1, x2], axis=axis)


def stack(x: Sequence[Any], axis: int = 0) -> Tensor:
    ts = promote(*x)
    ax = int(axis) % (ts[0].ndim + 1)
    return Concat(ax)(*[expand_dims(t, ax) for t in ts])


def hstack(xs: Sequence[Any]) -> Tensor:
    ts = promote(*xs)
    return concatenate(ts, axis=0 if ts[0].ndim == 1 else 1)


def vstack(xs: Sequence[Any]) -> Tensor:
    """Join along the first axis (1-D tensors join end to end, as Keras' TensorFlow backend does)."""
    return concatenate(promote(*xs), axis=0)


def unstack(x: Any, num: Any = None, axis: int = 0) -> list[Tensor]:
    t = convert_to_tensor(x)
    ax = int(axis) % t.ndim
    return [GetItem((slice(None),) * ax + (i,), True, True)(t) for i in range(t.shape[ax])]


def split(x: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """Split along ``axis`` into equal sections (an int) or at the given indices.

    Raises:
        ValueError: when an int does not divide the axis.
    """
    t = convert_to_tensor(x)
    ax = int(axis) % t.ndim
    n = t.shape[ax]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        if k <= 0 or n % k:
            raise ValueError(f"keras.ops.split: axis {ax} of size {n} does not divide into {k} equal sections")
        cuts = [n // k * i for i in range(1, k)]
    else:
        cuts = list(static_ints(indices_or_sections, "indices_or_sections"))
    bounds = [0] + cuts + [n]
    return [GetItem((slice(None),) * ax + (slice(a, b),), True, True)(t) for a, b in zip(bounds[:-1], bounds[1:])]


def tile(x: Any, repeats: Any) -> Tensor:
    t = convert_to_tensor(x)
    reps = static_ints(repeats, "repeats")
    if len(reps) > t.ndim:
        t = reshape(t, (1,) * (len(reps) - t.ndim) + tuple(t.shape))
    reps = (1,) * (t.ndim - len(reps)) + reps
    return Tile(reps)(t)


def repeat(x: Any, repeats: Any, axis: Any = None) -> Tensor:
    """Each element repeated ``repeats`` times (one count, or one per element) along ``axis``."""
    t = convert_to_tensor(x)
    if axis is None:
        t, axis = ravel(t), 0
    ax = int(axis) % t.ndim
    counts = np.asarray(getattr(repeats, "_value", repeats)).astype(np.int64)
    index = np.repeat(np.arange(t.shape[ax]), counts)
    return Take(ax)(t, host_constant(index.astype(np.int32)))


def pad(x: Any, pad_width: Any, mode: str = "constant", constant_values: Any = None) -> Tensor:
    """``x`` padded by ``pad_width`` (an int, a pair, or one pair per axis) with ``mode`` constant, reflect or
    symmetric.

    Raises:
        ValueError: for another mode, or ``constant_values`` with a mode other than constant.
    """
    t = convert_to_tensor(x)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64).reshape(-1, 2) if np.ndim(pad_width) else
                             np.full((1, 2), int(pad_width)), (t.ndim, 2)).tolist()
    mode = mode.lower()
    if mode not in ("constant", "reflect", "symmetric"):
        raise ValueError(f"keras.ops.pad: mode must be 'constant', 'reflect' or 'symmetric', got {mode!r}")
    if constant_values is not None and mode != "constant":
        raise ValueError("keras.ops.pad: constant_values applies to mode='constant' only")
    return Pad([tuple(w) for w in widths], mode, 0 if constant_values is None else constant_values)(t)


def flip(x: Any, axis: Any = None) -> Tensor:
    t = convert_to_tensor(x)
    which = set(range(t.ndim)) if axis is None else set(given_axes(axis, t.ndim))
    return GetItem(tuple(slice(None, None, -1) if i in which else slice(None) for i in range(t.ndim)), True, True)(t)


def roll(x: Any, shift: Any, axis: Any = None) -> Tensor:
    """Entries shifted by ``shift`` along ``axis`` (of the flattened tensor when None), wrapping around."""
    t = convert_to_tensor(x)
    if axis is None:
        return reshape(roll(ravel(t), shift, 0), tuple(t.shape))
    shifts, ax_list = static_ints(shift, "shift"), given_axes(axis, t.ndim)
    if len(shifts) == 1 and len(ax_list) > 1:
        shifts = shifts * len(ax_list)
    for s, a in zip(shifts, ax_list):
        n = t.shape[a]
        if n == 0 or s % n == 0:
            continue
        k = n - s % n
        head = GetItem((slice(None),) * a + (slice(k, None),), True, True)(t)
        tail = GetItem((slice(None),) * a + (slice(0, k),), True, True)(t)
        t = Concat(a)(head, tail)
    return t


def take(x: Any, indices: Any, axis: Any = None) -> Tensor:
    """``x``'s entries at ``indices`` along ``axis`` (of the flattened tensor when None); negative indices count
    from the end."""
    t = convert_to_tensor(x)
    if axis is None:
        t, axis = ravel(t), 0
    idx = convert_to_tensor(indices)
    if not idx.dtype.is_integer:
        idx = cast(idx, "int32")
    return Take(int(axis) % t.ndim)(t, idx)


def take_along_axis(x: Any, indices: Any, axis: Any = None) -> Tensor:
    t, idx = convert_to_tensor(x), convert_to_tensor(indices)
    if axis is None:
        t, idx, axis = ravel(t), ravel(idx), 0
    return TakeAlongAxis(int(axis) % t.ndim)(t, cast(idx, "int32") if not idx.dtype.is_integer else idx)


def get_item(x: Any, key: Any) -> Tensor:
    return convert_to_tensor(x)[key]


def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The ``offset`` diagonal of the matrices in axes ``axis1``/``axis2``, as the last axis (NumPy's layout)."""
    t = convert_to_tensor(x)
    moved = moveaxis(t, (int(axis1), int(axis2)), (-2, -1))
    n, m = moved.shape[-2], moved.shape[-1]
    rows = np.arange(max(0, -offset), min(n, m - offset))
    key = (Ellipsis, backend.asarray(rows), backend.asarray(rows + offset))  # static positions, on the backend
    return GetItem(key, False, True)(moved)


def diag(x: Any, k: int = 0) -> Tensor:
    """A 1-D ``x`` as the ``k`` diagonal of a square matrix; a 2-D ``x``'s ``k`` diagonal."""
    t = convert_to_tensor(x)
    if t.ndim == 2:
        return diagonal(t, k)
    if t.ndim != 1:
        raise ValueError(f"keras.ops.diag expects a 1-D or 2-D tensor, got shape {tuple(t.shape)}")
    n = t.shape[0]
    m = n + abs(int(k))
    rows = np.arange(n) + max(0, -int(k))
    index = np.stack([rows, rows + int(k)], axis=-1).astype(np.int32)
    return ScatterAdd((m, m), np.dtype(t.dtype.as_numpy_dtype))(host_constant(index), t)


def diagflat(x: Any, k: int = 0) -> Tensor:
    """A square matrix with the flattened ``x`` on its ``k``-th diagonal."""
    return diag(ravel(x), k)


def _triangle(x: Any, k: int, lower: bool) -> Tensor:
    t = convert_to_tensor(x)
    n, m = t.shape[-2], t.shape[-1]
    keep = np.tri(n, m, int(k), dtype=bool) if lower else ~np.tri(n, m, int(k) - 1, dtype=bool)
    return Select()(host_constant(keep), t, convert_to_tensor(0, t.dtype.name))


def tril(x: Any, k: int = 0) -> Tensor:
    return _triangle(x, k, True)


def triu(x: Any, k: int = 0) -> Tensor:
    return _triangle(x, k, False)


def meshgrid(*x: Any, indexing: str = "xy") -> list[Tensor]:
    """Coordinate grids from 1-D tensors (``'xy'``: the first two axes swapped, as NumPy)."""
    ts = [ravel(v) for v in promote(*x)] if len(x) > 1 else [ravel(convert_to_tensor(x[0]))]
    dims = [t.shape[0] for t in ts]
    if indexing == "xy" and len(ts) > 1:
        dims[0], dims[1] = dims[1], dims[0]
    out = []
    for i, t in enumerate(ts):
        place = i if not (indexing == "xy" and i < 2 and len(ts) > 1) else 1 - i
        view = reshape(t, tuple(-1 if j == place else 1 for j in range(len(ts))))
        out.append(broadcast_to(view, tuple(dims)))
    return out


def diff(a: Any, n: int = 1, axis: int = -1) -> Tensor:
    t = convert_to_tensor(a)
    ax = int(axis) % t.ndim
    for _ in range(int(n)):
        t = Sub()(GetItem((slice(None),) * ax + (slice(1, None),), True, True)(t),
                  GetItem((slice(None),) * ax + (slice(None, -1),), True, True)(t))
    return t
