"""Indexing ops whose indices are op inputs, so that a traced function recomputes them from its data on every
replay: take, take_along_axis, one-hot, dynamic slices and their updates, scatter (``keras.ops``' forms).

Gradients flow to the data operands (scattered back, repeated indices accumulating); indices get none.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function


class Take(Function):
    """y = take(x, indices, axis); dx scatter-adds dy at the indices."""

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, x: Any, indices: Any) -> Any:
        self.saved = (x.shape, indices)
        return self.xp.take(x, indices, axis=self.axis)

    def backward(self, dy: Any) -> Any:
        xp, (shape, idx) = self.xp, self.saved
        dx = xp.zeros(shape, dtype=dy.dtype)
        moved = xp.moveaxis(dx, self.axis, 0)
        g = xp.moveaxis(dy, tuple(range(self.axis, self.axis + idx.ndim)), tuple(range(idx.ndim)))
        xp.add.at(moved, idx % shape[self.axis], g)
        return dx, None


class TakeAlongAxis(Function):
    """y = take_along_axis(x, indices, axis); dx scatter-adds dy where it came from (repeats accumulate)."""

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, x: Any, indices: Any) -> Any:
        shape = tuple(max(a, b) if i != self.axis else b for i, (a, b) in enumerate(zip(x.shape, indices.shape)))
        idx = self.xp.broadcast_to(indices, shape)
        big = tuple(x.shape[i] if i == self.axis else shape[i] for i in range(x.ndim))
        xb = self.xp.broadcast_to(x, big)
        self.saved = (big, idx)
        return self.xp.take_along_axis(xb, idx, axis=self.axis)

    def backward(self, dy: Any) -> Any:
        xp, (big, idx) = self.xp, self.saved
        dx = xp.zeros(big, dtype=dy.dtype)
        grid = list(xp.indices(idx.shape, sparse=True))
        grid[self.axis] = idx % big[self.axis]
        xp.add.at(dx, tuple(grid), dy)
        return dx, None  # the tape sums a broadcast x back to its shape


class OneHot(Function):
    """y[..., i] = (indices == i) for i < depth, in ``dtype``; the class axis at ``axis``. No gradient."""

    differentiable = False

    def __init__(self, depth: int, axis: int, dtype: Any) -> None:
        self.depth, self.axis, self.dtype = depth, axis, dtype

    def forward(self, indices: Any) -> Any:
        y = (indices[..., None] == self.xp.arange(self.depth)).astype(self.dtype)
        return y if self.axis == -1 else self.xp.moveaxis(y, -1, self.axis)


def _region(start: Any, sizes: tuple[int, ...], shape: tuple[int, ...]) -> tuple[slice, ...]:
    """The slice at ``start`` (clamped so that it fits, as XLA's dynamic slices are)."""
    out = []
    for s, n, dim in zip(start.tolist(), sizes, shape):
        s = min(max(int(s), 0), dim - n)
        out.append(slice(s, s + n))
    return tuple(out)


class DynamicSlice(Function):
    """y = x[start : start + sizes]; dx places dy back into zeros."""

    def __init__(self, sizes: tuple[int, ...]) -> None:
        self.sizes = sizes

    def forward(self, x: Any, start: Any) -> Any:
        region = _region(start, self.sizes, x.shape)
        self.saved = (x.shape, region)
        return x[region]

    def backward(self, dy: Any) -> Any:
        shape, region = self.saved
        dx = self.xp.zeros(shape, dtype=dy.dtype)
        dx[region] = dy
        return dx, None


class SliceUpdate(Function):
    """y = x with y[start : start + updates.shape] = updates; dx is dy outside that region, dupdates dy inside."""

    def forward(self, x: Any, start: Any, updates: Any) -> Any:
        region = _region(start, updates.shape, x.shape)
        self.saved = (region,)
        y = x.copy()
        y[region] = updates
        return y

    def backward(self, dy: Any) -> Any:
        region = self.saved[0]
        dx = dy.copy()
        dx[region] = 0
        return dx, None, dy[region]


class ScatterAdd(Function):
    """y = zeros(shape) with ``values`` added at ``indices`` (the last axis of indices addresses the leading axes of
    y; repeated indices add up, as ``tf.scatter_nd``); dvalues gathers dy at the indices."""

    def __init__(self, shape: tuple[int, ...], dtype: Any) -> None:
        self.shape, self.dtype = shape, dtype

    def forward(self, indices: Any, values: Any) -> Any:
        where = tuple(indices[..., i] for i in range(indices.shape[-1]))
        self.saved = (where,)
        y = self.xp.zeros(self.shape, dtype=self.dtype)
        self.xp.add.at(y, where, values)
        return y

    def backward(self, dy: Any) -> Any:
        return None, dy[self.saved[0]]


class ScatterUpdate(Function):
    """y = x with ``updates`` written at ``indices`` (as ``tf.tensor_scatter_nd_update``); dx is dy with those
    positions zeroed, dupdates gathers dy there."""

    def forward(self, x: Any, indices: Any, updates: Any) -> Any:
        where = tuple(indices[..., i] for i in range(indices.shape[-1]))
        self.saved = (where,)
        y = x.copy()
        y[where] = updates
        return y

    def backward(self, dy: Any) -> Any:
        where = self.saved[0]
        dx = dy.copy()
        dx[where] = 0
        return dx, None, dy[where]


class SegmentSum(Function):
    """y[s] = sum of data rows whose segment id is s (ids outside [0, n) are dropped); ddata = dy[ids]."""

    def __init__(self, num_segments: int | None) -> None:
        self.num_segments = num_segments

    def forward(self, data: Any, ids: Any) -> Any:
        n = self.num_segments if self.num_segments is not None else (int(ids.max()) + 1 if ids.size else 0)
        keep = (ids >= 0) & (ids < n)
        self.saved = (ids, keep)
        y = self.xp.zeros((n,) + data.shape[1:], dtype=data.dtype)
        self.xp.add.at(y, ids[keep], data[keep])
        return y

    def backward(self, dy: Any) -> Any:
        ids, keep = self.saved
        dx = self.xp.zeros(ids.shape + dy.shape[1:], dtype=dy.dtype)
        dx[keep] = dy[ids[keep]]
        return dx, None


class SegmentMax(Function):
    """y[s] = max of data rows whose segment id is s (empty segments: the dtype's lowest value, as TF); the
    gradient goes to the maximal rows, split evenly between ties."""

    def __init__(self, num_segments: int | None) -> None:
        self.num_segments = num_segments

    def forward(self, data: Any, ids: Any) -> Any:
        xp = self.xp
        n = self.num_segments if self.num_segments is not None else (int(ids.max()) + 1 if ids.size else 0)
        keep = (ids >= 0) & (ids < n)
        low = xp.finfo(data.dtype).min if data.dtype.kind == "f" else xp.iinfo(data.dtype).min
        y = xp.full((n,) + data.shape[1:], low, dtype=data.dtype)
        xp.maximum.at(y, ids[keep], data[keep])
        self.saved = (data, ids, keep, y)
        return y

    def backward(self, dy: Any) -> Any:
        xp = self.xp
        data, ids, keep, y = self.saved
        hit = xp.zeros(data.shape, dtype=dy.dtype)
        hit[keep] = (data[keep] == y[ids[keep]]).astype(dy.dtype)
        ties = xp.zeros(y.shape, dtype=dy.dtype)
        xp.add.at(ties, ids[keep], hit[keep])
        dx = xp.zeros(data.shape, dtype=dy.dtype)
        dx[keep] = hit[keep] * (dy / xp.maximum(ties, 1))[ids[keep]]
        return dx, None
