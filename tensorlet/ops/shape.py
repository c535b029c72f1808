"""Shape ops: reshape, transpose, concat, slicing, gather, pad, tile..."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, TensorShape, _wrap
from tensorlet.errors import InvalidArgumentError
from tensorlet.ops.convert import as_tensor


def _ints(x: Any) -> Any:
    if isinstance(x, Tensor):
        return np.asarray(x._value).tolist()
    if isinstance(x, (list, tuple)):
        return [int(v._value) if isinstance(v, Tensor) else (None if v is None else int(v)) for v in x]
    return x


class Reshape(Function):
    """y = x viewed with a new shape; dy/dx reshapes back."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x: Any) -> Any:
        self.saved = (x.shape,)
        return np.reshape(x, self.shape)

    def backward(self, dy: Any) -> Any:
        return np.reshape(dy, self.saved[0])


def reshape(tensor: Any, shape: Any, name: Any = None) -> Tensor:
    """Reshape; one dimension may be -1 and is inferred from the element count."""
    t = as_tensor(tensor)
    target = _ints(shape)
    target = tuple(target) if isinstance(target, (list, tuple)) else (int(target),)
    size = t._value.size
    if target.count(-1) > 1:
        raise InvalidArgumentError(f"Only one input size may be -1, not both in shape {list(target)}")
    known = int(np.prod([d for d in target if d != -1])) if target else 1
    if -1 in target:
        if known == 0 or size % known:
            raise InvalidArgumentError(
                f"Input to reshape is a tensor with {size} values, but the requested shape requires a "
                f"multiple of {known}")
    elif known != size:
        raise InvalidArgumentError(
            f"Input to reshape is a tensor with {size} values, but the requested shape {list(target)} has "
            f"{known}")
    return Reshape(target)(t)


class Transpose(Function):
    """y = x with axes permuted; the gradient applies the inverse permutation."""

    def __init__(self, perm: tuple[int, ...] | None) -> None:
        self.perm = perm

    def forward(self, x: Any) -> Any:
        return np.transpose(x, self.perm)

    def backward(self, dy: Any) -> Any:
        if self.perm is None:
            return np.transpose(dy)
        return np.transpose(dy, np.argsort(self.perm))


def transpose(a: Any, perm: Any = None, conjugate: bool = False, name: Any = None) -> Tensor:
    t = as_tensor(a)
    p = None if perm is None else tuple(_ints(perm))
    if p is not None and sorted(p) != list(range(t._value.ndim)):
        raise InvalidArgumentError(f"transpose expects a permutation of {list(range(t._value.ndim))}, got {list(p)}")
    return Transpose(p)(t)


def expand_dims(input: Any, axis: int, name: Any = None) -> Tensor:  # noqa: A002
    t = as_tensor(input)
    return Reshape(np.expand_dims(np.empty(t._value.shape, dtype=bool), int(axis)).shape)(t)


def squeeze(input: Any, axis: Any = None, name: Any = None) -> Tensor:  # noqa: A002
    t = as_tensor(input)
    shape = t._value.shape
    if axis is None:
        new = tuple(d for d in shape if d != 1)
    else:
        axes = {int(a) % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
        for a in axes:
            if shape[a] != 1:
                raise InvalidArgumentError(f"Can not squeeze dim[{a}], expected a dimension of 1, got {shape[a]}")
        new = tuple(d for i, d in enumerate(shape) if i not in axes)
    return Reshape(new)(t)


class Concat(Function):
    """y = concatenation along axis; the gradient is split back."""

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, *xs: Any) -> Any:
        self.saved = tuple(x.shape[self.axis] for x in xs)
        return np.concatenate(xs, axis=self.axis)

    def backward(self, dy: Any) -> Any:
        cuts = np.cumsum(self.saved)[:-1]
        return tuple(np.split(dy, cuts, axis=self.axis))


def concat(values: Sequence[Any], axis: int, name: Any = None) -> Tensor:
    ts = [as_tensor(v) for v in values]
    dts = {t._value.dtype for t in ts}
    if len(dts) > 1:
        raise InvalidArgumentError(f"concat: all inputs must have one dtype, got {sorted(map(str, dts))}")
    nd = ts[0]._value.ndim
    ax = int(axis) % max(nd, 1)
    for t in ts[1:]:
        s0, s1 = ts[0]._value.shape, t._value.shape
        if len(s0) != len(s1) or any(a != b for i, (a, b) in enumerate(zip(s0, s1)) if i != ax):
            raise InvalidArgumentError(f"ConcatOp : Dimensions of inputs should match: shape[0] = {list(s0)} vs. "
                                       f"shape[i] = {list(s1)} (axis {axis})")
    return Concat(ax)(*ts)


def stack(values: Sequence[Any], axis: int = 0, name: Any = None) -> Tensor:
    ts = [as_tensor(v) for v in values]
    nd = ts[0]._value.ndim + 1
    ax = int(axis) % nd
    return concat([expand_dims(t, ax) for t in ts], axis=ax)


class GetItem(Function):
    """y = x[key]; the gradient scatters dy back into zeros (accumulating repeated indices)."""

    def __init__(self, key: Any, basic: bool) -> None:
        self.key, self.basic = key, basic

    def forward(self, x: Any) -> Any:
        self.saved = (x.shape, x.dtype)
        return x[self.key]

    def backward(self, dy: Any) -> Any:
        shape, dtype = self.saved
        dx = np.zeros(shape, dtype=dy.dtype)
        if self.basic:
            dx[self.key] = dy
        else:
            np.add.at(dx, self.key, dy)
        return dx

    def accumulate_grad(self, dx: Any, dy: Any) -> None:
        """dx[key] += dy, in place: how a plan sums the gradients of many slices of one tensor."""
        if self.basic:
            dx[self.key] += dy
        else:
            np.add.at(dx, self.key, dy)


def _norm_key(key: Any) -> tuple[Any, bool]:
    parts = key if isinstance(key, tuple) else (key,)
    out, basic = [], True
    for k in parts:
        if isinstance(k, Tensor):
            k = np.asarray(k._value)
        if isinstance(k, (list, np.ndarray)):
            arr = np.asarray(k)
            if arr.ndim == 0:
                k = int(arr) if arr.dtype.kind in "iu" else arr
            else:
                basic = False
                k = arr
        out.append(k)
    return (tuple(out) if isinstance(key, tuple) or len(out) > 1 else out[0]), basic


def getitem(x: Any, key: Any) -> Tensor:
    t = as_tensor(x)
    k, basic = _norm_key(key)
    try:
        return GetItem(k, basic)(t)
    except IndexError as e:
        raise InvalidArgumentError(f"Index out of range for a tensor of shape {list(t._value.shape)}: {e}") from None


def unstack(value: Any, num: Any = None, axis: int = 0, name: Any = None) -> list[Tensor]:
    t = as_tensor(value)
    ax = int(axis) % t._value.ndim
    return [getitem(t, (slice(None),) * ax + (i,)) for i in range(t._value.shape[ax])]


def split(value: Any, num_or_size_splits: Any, axis: int = 0, num: Any = None, name: Any = None) -> list[Tensor]:
    t = as_tensor(value)
    ax = int(axis) % t._value.ndim
    n = t._value.shape[ax]
    if isinstance(num_or_size_splits, int):
        if n % num_or_size_splits:
            raise InvalidArgumentError(f"Dimension {ax} of size {n} is not divisible into {num_or_size_splits} parts")
        sizes = [n // num_or_size_splits] * num_or_size_splits
    else:
        sizes = list(_ints(num_or_size_splits))
        if -1 in sizes:
            sizes[sizes.index(-1)] = n - (sum(sizes) + 1)
        if sum(sizes) != n:
            raise InvalidArgumentError(f"split sizes {sizes} do not add up to dimension {ax} of size {n}")
    out, start = [], 0
    for s in sizes:
        out.append(getitem(t, (slice(None),) * ax + (slice(start, start + s),)))
        start += s
    return out


class Tile(Function):
    """y = x repeated along each axis; the gradient sums the copies."""

    def __init__(self, reps: tuple[int, ...]) -> None:
        self.reps = reps

    def forward(self, x: Any) -> Any:
        self.saved = (x.shape,)
        return np.tile(x, self.reps)

    def backward(self, dy: Any) -> Any:
        shape = self.saved[0]
        split_shape = []
        for r, s in zip(self.reps, shape):
            split_shape += [r, s]
        g = dy.reshape(split_shape)
        return g.sum(axis=tuple(range(0, 2 * len(shape), 2)))


def tile(input: Any, multiples: Any, name: Any = None) -> Tensor:  # noqa: A002
    t = as_tensor(input)
    reps = tuple(_ints(multiples))
    if len(reps) != t._value.ndim:
        raise InvalidArgumentError(f"Expected multiples argument to be a vector of length {t._value.ndim} but got "
                                   f"length {len(reps)}")
    return Tile(reps)(t)


class Pad(Function):
    """y = x padded with a constant; the gradient is the interior slice."""

    def __init__(self, pads: list[tuple[int, int]], mode: str, value: Any) -> None:
        self.pads, self.mode, self.value = pads, mode, value

    def forward(self, x: Any) -> Any:
        self.saved = (x.shape,)
        if self.mode == "constant":
            return np.pad(x, self.pads, mode="constant", constant_values=self.value)
        return np.pad(x, self.pads, mode={"reflect": "reflect", "symmetric": "symmetric"}[self.mode])

    def backward(self, dy: Any) -> Any:
        shape = self.saved[0]
        if self.mode == "constant":
            return dy[tuple(slice(a, a + s) for (a, _), s in zip(self.pads, shape))]
        # reflect/symmetric: pad the element indices the same way, then scatter-add dy to where each came from
        source = np.pad(np.arange(int(np.prod(shape))).reshape(shape), self.pads, mode=self.mode)
        dx = np.zeros(int(np.prod(shape)), dtype=dy.dtype)
        np.add.at(dx, source.reshape(-1), dy.reshape(-1))
        return dx.reshape(shape)


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", constant_values: Any = 0, name: Any = None) -> Tensor:
    t = as_tensor(tensor)
    p = [tuple(int(v) for v in row) for row in np.asarray(getattr(paddings, "_value", paddings)).tolist()]
    if len(p) != t._value.ndim:
        raise InvalidArgumentError(f"paddings must have one row per dimension ({t._value.ndim}), got {len(p)}")
    return Pad(p, mode.lower(), constant_values)(t)


class Gather(Function):
    """y = take(params, indices, axis); the gradient scatter-adds dy into zeros."""

    def __init__(self, indices: Any, axis: int) -> None:
        self.indices, self.axis = indices, axis

    def forward(self, p: Any) -> Any:
        self.saved = (p.shape,)
        return np.take(p, self.indices, axis=self.axis)

    def backward(self, dy: Any) -> Any:
        shape = self.saved[0]
        dx = np.zeros(shape, dtype=dy.dtype)
        moved = np.moveaxis(dx, self.axis, 0)
        idx = np.asarray(self.indices)
        g = np.moveaxis(dy, tuple(range(self.axis, self.axis + idx.ndim)), tuple(range(idx.ndim)))
        np.add.at(moved, idx, g)
        return dx


def gather(params: Any, indices: Any, validate_indices: Any = None, axis: Any = None, batch_dims: int = 0,
           name: Any = None) -> Tensor:
    t = as_tensor(params)
    idx = np.asarray(indices._value if isinstance(indices, Tensor) else indices)
    ax = 0 if axis is None else int(axis) % t._value.ndim
    n = t._value.shape[ax]
    if idx.size and (idx.max() >= n or idx.min() < 0):
        bad = idx.max() if idx.max() >= n else idx.min()
        raise InvalidArgumentError(f"indices contains {int(bad)}, which is not in [0, {n}) (gather axis {ax})")
    return Gather(idx, ax)(t)


class TakeAlongAxis(Function):
    """y = take_along_axis(x, idx); the gradient scatter-adds back."""

    def __init__(self, idx: Any, axis: int) -> None:
        self.idx, self.axis = idx, axis

    def forward(self, x: Any) -> Any:
        self.saved = (x.shape,)
        return np.take_along_axis(x, self.idx, axis=self.axis)

    def backward(self, dy: Any) -> Any:
        dx = np.zeros(self.saved[0], dtype=dy.dtype)
        np.put_along_axis(dx, self.idx, dy, axis=self.axis)  # indices are a permutation/selection: no repeats
        return dx


def take_along_axis(x: Any, indices: Any, axis: int) -> Tensor:
    t = as_tensor(x)
    return TakeAlongAxis(np.asarray(indices._value if isinstance(indices, Tensor) else indices), axis)(t)


def boolean_mask(tensor: Any, mask: Any, axis: Any = None, name: Any = None) -> Tensor:
    t = as_tensor(tensor)
    m = np.asarray(mask._value if isinstance(mask, Tensor) else mask, dtype=bool)
    ax = 0 if axis is None else int(axis)
    if t._value.shape[ax: ax + m.ndim] != m.shape:
        raise InvalidArgumentError(f"boolean_mask: mask shape {list(m.shape)} does not match tensor shape "
                                   f"{list(t._value.shape)} at axis {ax}")
    flat = reshape(t, t._value.shape[:ax] + (-1,) + t._value.shape[ax + m.ndim:])
    return gather(flat, np.flatnonzero(m), axis=ax)


class BroadcastTo(Function):
    """y = x broadcast to a shape; the tape sums the gradient back."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x: Any) -> Any:
        return np.broadcast_to(x, self.shape)

    def backward(self, dy: Any) -> Any:
        return dy


def broadcast_to(input: Any, shape: Any, name: Any = None) -> Tensor:  # noqa: A002
    t = as_tensor(input)
    s = tuple(_ints(shape))
    try:
        return BroadcastTo(s)(t)
    except ValueError:
        raise InvalidArgumentError(f"Unable to broadcast tensor of shape {list(t._value.shape)} to {list(s)}") from None


def shape(input: Any, out_type: Any = "int32", name: Any = None) -> Tensor:  # noqa: A002
    from tensorlet.dtypes import np_dtype

    return _wrap(np.asarray(np.shape(getattr(input, "_value", input)), dtype=np_dtype(out_type)))


def size(input: Any, out_type: Any = "int32", name: Any = None) -> Tensor:  # noqa: A002
    from tensorlet.dtypes import np_dtype

    return _wrap(np.asarray(np.size(getattr(input, "_value", input)), dtype=np_dtype(out_type)))


def rank(input: Any, name: Any = None) -> Tensor:  # noqa: A002
    return _wrap(np.asarray(np.ndim(getattr(input, "_value", input)), dtype=np.int32))


def one_hot(indices: Any, depth: int, on_value: Any = None, off_value: Any = None, axis: int = -1,
            dtype: Any = None, name: Any = None) -> Tensor:
    """One-hot encoding; out-of-range indices give all-off rows, as in TF."""
    from tensorlet.dtypes import np_dtype

    idx = np.asarray(getattr(indices, "_value", indices)).astype(np.int64)
    npd = np_dtype(dtype) if dtype is not None else np.float32
    on = 1 if on_value is None else on_value
    off = 0 if off_value is None else off_value
    out = (idx[..., None] == np.arange(int(depth))).astype(npd)
    if on != 1 or off != 0:
        out = np.where(out.astype(bool), np.asarray(on, npd), np.asarray(off, npd))
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return _wrap(out)


def static_shape(t: Any) -> TensorShape:
    return TensorShape(np.shape(getattr(t, "_value", t)))
