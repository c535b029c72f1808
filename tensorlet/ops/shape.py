"""Shape ops: reshape, transpose, concat, slicing, gather, pad, tile..."""
from __future__ import annotations

import itertools
import math
from typing import Any, Sequence

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, TensorShape, _wrap
from tensorlet.errors import InvalidArgumentError
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.nondifferentiable import nondifferentiable


def _ints(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x._value.tolist()
    if isinstance(x, (list, tuple)):
        return [int(v._value) if isinstance(v, Tensor) else (None if v is None else int(v)) for v in x]
    return x


class Reshape(Function):
    """y = x viewed with a new shape; dy/dx reshapes back."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x: Any) -> Any:
        self.saved = (x.shape,)
        return self.xp.reshape(x, self.shape)

    def backward(self, dy: Any) -> Any:
        return self.xp.reshape(dy, self.saved[0])


def reshape(tensor: Any, shape: Any, name: Any = None) -> Tensor:
    """Reshape; one dimension may be -1 and is inferred from the element count."""
    t = as_tensor(tensor)
    target = _ints(shape)
    target = tuple(target) if isinstance(target, (list, tuple)) else (int(target),)
    size = t._value.size
    if target.count(-1) > 1:
        raise InvalidArgumentError(f"Only one input size may be -1, not both in shape {list(target)}")
    known = math.prod(d for d in target if d != -1)
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
        return self.xp.transpose(x, self.perm)

    def backward(self, dy: Any) -> Any:
        if self.perm is None:
            return self.xp.transpose(dy)
        inverse = sorted(range(len(self.perm)), key=self.perm.__getitem__)
        return self.xp.transpose(dy, inverse)


def transpose(a: Any, perm: Any = None, conjugate: bool = False, name: Any = None) -> Tensor:
    t = as_tensor(a)
    p = None if perm is None else tuple(_ints(perm))
    if p is not None and sorted(p) != list(range(t._value.ndim)):
        raise InvalidArgumentError(f"transpose expects a permutation of {list(range(t._value.ndim))}, got {list(p)}")
    return Transpose(p)(t)


def expand_dims(input: Any, axis: int, name: Any = None) -> Tensor:  # noqa: A002
    t = as_tensor(input)
    shape, a = tuple(t._value.shape), int(axis)
    if not -len(shape) - 1 <= a <= len(shape):
        raise InvalidArgumentError(f"expand_dims: axis {a} is out of range for a tensor of rank {len(shape)}; "
                                   f"expected an axis in [{-len(shape) - 1}, {len(shape)}]")
    a %= len(shape) + 1
    return Reshape(shape[:a] + (1,) + shape[a:])(t)


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
        return self.xp.concatenate(xs, axis=self.axis)

    def backward(self, dy: Any) -> Any:
        cuts = list(itertools.accumulate(self.saved))[:-1]
        return tuple(self.xp.split(dy, cuts, axis=self.axis))


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
    """y = x[key]; the gradient scatters dy back into zeros (accumulating repeated indices).

    Index tensors in the key are inputs of the op (no gradient), filled into the key on each call, so that a
    traced function indexes with each call's indices; ``Ellipsis``, slices and Python ints stay in the key.
    """

    def __init__(self, key: Any, basic: bool, as_tuple: bool) -> None:
        self.key, self.basic, self.as_tuple = key, basic, as_tuple
        self.n_indices = sum(k is _INDEX for k in key)

    def _key(self, indices: tuple[Any, ...]) -> Any:
        if not indices:
            parts = self.key
        else:
            it = iter(indices)
            parts = [(lambda v: int(v) if v.ndim == 0 else v)(next(it)) if k is _INDEX else k for k in self.key]
        return tuple(parts) if self.as_tuple else parts[0]

    def forward(self, x: Any, *indices: Any) -> Any:
        key = self._key(indices)
        self.saved = (x.shape, key)
        return x[key]

    def backward(self, dy: Any) -> Any:
        shape, key = self.saved
        dx = self.xp.zeros(shape, dtype=dy.dtype)
        if self.basic:
            dx[key] = dy
        else:
            self.xp.add.at(dx, key, dy)
        return (dx,) + (None,) * self.n_indices if self.n_indices else dx

    def accumulate_grad(self, dx: Any, dy: Any) -> None:
        """dx[key] += dy, in place: how a plan sums the gradients of many slices of one tensor."""
        key = self.saved[1]
        if self.basic:
            dx[key] += dy
        else:
            self.xp.add.at(dx, key, dy)


_INDEX = object()  # where an index tensor goes in a GetItem key


def _norm_key(key: Any) -> tuple[list[Any], list[Tensor], bool]:
    """(key parts with index tensors replaced by a marker, the index tensors, whether the indexing is basic)."""
    parts = key if isinstance(key, tuple) else (key,)
    out: list[Any] = []
    tensors: list[Tensor] = []
    basic = True
    for k in parts:
        if isinstance(k, Tensor) and k._value.dtype.kind in "iub":
            out.append(_INDEX)
            tensors.append(k)
            basic = basic and k._value.ndim == 0 and k._value.dtype.kind != "b"
            continue
        if isinstance(k, Tensor):
            k = k._value
        if isinstance(k, list) or backend.is_ndarray(k):
            arr = backend.asarray(k)
            if arr.ndim == 0:
                k = int(arr) if arr.dtype.kind in "iu" else arr
            else:
                basic = False
                k = arr
        out.append(k)
    return out, tensors, basic


def getitem(x: Any, key: Any) -> Tensor:
    t = as_tensor(x)
    parts, tensors, basic = _norm_key(key)
    try:
        return GetItem(parts, basic, isinstance(key, tuple) or len(parts) > 1)(t, *tensors)
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
        return self.xp.tile(x, self.reps)

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

    def __init__(self, pads: list[tuple[int, ...]], mode: str, value: Any) -> None:  # (before, after) per axis
        self.pads, self.mode, self.value = pads, mode, value

    def forward(self, x: Any) -> Any:
        self.saved = (x.shape,)
        if self.mode == "constant":
            return self.xp.pad(x, self.pads, mode="constant", constant_values=self.value)
        return self.xp.pad(x, self.pads, mode={"reflect": "reflect", "symmetric": "symmetric"}[self.mode])

    def backward(self, dy: Any) -> Any:
        shape = self.saved[0]
        if self.mode == "constant":
            return dy[tuple(slice(a, a + s) for (a, _), s in zip(self.pads, shape))]
        # reflect/symmetric: pad the element indices the same way, then scatter-add dy to where each came from
        xp, n = self.xp, math.prod(shape)
        source = xp.pad(xp.arange(n).reshape(shape), self.pads, mode=self.mode)
        dx = xp.zeros(n, dtype=dy.dtype)
        xp.add.at(dx, source.reshape(-1), dy.reshape(-1))
        return dx.reshape(shape)


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", constant_values: Any = 0, name: Any = None) -> Tensor:
    t = as_tensor(tensor)
    rows = paddings._value.tolist() if isinstance(paddings, Tensor) else paddings
    p = [tuple(int(v) for v in row) for row in rows]
    if len(p) != t._value.ndim:
        raise InvalidArgumentError(f"paddings must have one row per dimension ({t._value.ndim}), got {len(p)}")
    return Pad(p, mode.lower(), constant_values)(t)


class Gather(Function):
    """y = take(params, indices, axis); the gradient scatter-adds dy into zeros (indices: no gradient).
    Indices outside [0, n) are an error, as in TF (checked on every call, so also on every replay)."""

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, p: Any, idx: Any) -> Any:
        n = p.shape[self.axis]
        if idx.size and (idx.max() >= n or idx.min() < 0):
            bad = idx.max() if idx.max() >= n else idx.min()
            raise InvalidArgumentError(f"indices contains {int(bad)}, which is not in [0, {n}) (gather axis "
                                       f"{self.axis})")
        self.saved = (p.shape, idx)
        return self.xp.take(p, idx, axis=self.axis)

    def backward(self, dy: Any) -> Any:
        xp, (shape, idx) = self.xp, self.saved
        dx = xp.zeros(shape, dtype=dy.dtype)
        moved = xp.moveaxis(dx, self.axis, 0)
        g = xp.moveaxis(dy, tuple(range(self.axis, self.axis + idx.ndim)), tuple(range(idx.ndim)))
        xp.add.at(moved, idx, g)
        return dx, None


def _index_tensor(indices: Any) -> Tensor:
    t = indices if isinstance(indices, Tensor) else _wrap(backend.asarray(indices))
    if t._value.dtype.kind not in "iu":
        if t._value.size:
            raise InvalidArgumentError(f"indices must be integers, got dtype {t._value.dtype}")
        t = _wrap(t._value.astype("int64"))
    return t


def gather(params: Any, indices: Any, validate_indices: Any = None, axis: Any = None, batch_dims: int = 0,
           name: Any = None) -> Tensor:
    t = as_tensor(params)
    ax = 0 if axis is None else int(axis) % t._value.ndim
    return Gather(ax)(t, _index_tensor(indices))


class TakeAlongAxis(Function):
    """y = take_along_axis(x, idx); the gradient puts dy back (the indices, an input without gradient, select
    distinct entries: a permutation or a top-k)."""

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, x: Any, idx: Any) -> Any:
        self.saved = (x.shape, idx)
        return self.xp.take_along_axis(x, idx, axis=self.axis)

    def backward(self, dy: Any) -> Any:
        shape, idx = self.saved
        dx = self.xp.zeros(shape, dtype=dy.dtype)
        self.xp.put_along_axis(dx, idx, dy, axis=self.axis)
        return dx, None


def take_along_axis(x: Any, indices: Any, axis: int) -> Tensor:
    return TakeAlongAxis(axis)(as_tensor(x), _index_tensor(indices))


def boolean_mask(tensor: Any, mask: Any, axis: Any = None, name: Any = None) -> Tensor:
    t = as_tensor(tensor)
    m = mask if isinstance(mask, Tensor) else _wrap(backend.asarray(mask, dtype=bool))
    ax = 0 if axis is None else int(axis)
    mshape = tuple(m._value.shape)
    if t._value.shape[ax: ax + len(mshape)] != mshape:
        raise InvalidArgumentError(f"boolean_mask: mask shape {list(mshape)} does not match tensor shape "
                                   f"{list(t._value.shape)} at axis {ax}")
    flat = reshape(t, t._value.shape[:ax] + (-1,) + t._value.shape[ax + len(mshape):])
    kept = nondifferentiable("Where", lambda xp, v: xp.flatnonzero(v.astype(bool)), m)  # recomputed per call
    return gather(flat, kept, axis=ax)


class BroadcastTo(Function):
    """y = x broadcast to a shape; the tape sums the gradient back."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x: Any) -> Any:
        return self.xp.broadcast_to(x, self.shape)

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

    return _wrap(backend.asarray(_shape_of(input), dtype=np_dtype(out_type)))


def size(input: Any, out_type: Any = "int32", name: Any = None) -> Tensor:  # noqa: A002
    from tensorlet.dtypes import np_dtype

    return _wrap(backend.asarray(math.prod(_shape_of(input)), dtype=np_dtype(out_type)))


def rank(input: Any, name: Any = None) -> Tensor:  # noqa: A002
    return _wrap(backend.asarray(len(_shape_of(input)), dtype=backend.xp().int32))


def one_hot(indices: Any, depth: int, on_value: Any = None, off_value: Any = None, axis: int = -1,
            dtype: Any = None, name: Any = None) -> Tensor:
    """One-hot encoding; out-of-range indices give all-off rows, as in TF."""
    from tensorlet.dtypes import np_dtype

    npd = np_dtype(dtype) if dtype is not None else np_dtype("float32")
    on = 1 if on_value is None else getattr(on_value, "_value", on_value)
    off = 0 if off_value is None else getattr(off_value, "_value", off_value)
    n = int(depth)

    def compute(xp: Any, idx: Any) -> Any:
        out = (idx.astype(xp.int64)[..., None] == xp.arange(n)).astype(npd)
        if on != 1 or off != 0:
            out = xp.where(out.astype(bool), xp.asarray(on, npd), xp.asarray(off, npd))
        return xp.moveaxis(out, -1, axis) if axis != -1 else out

    return nondifferentiable("OneHot", compute, _index_tensor(indices))


def static_shape(t: Any) -> TensorShape:
    return TensorShape(_shape_of(t))


def _shape_of(x: Any) -> tuple[int, ...]:
    """The shape of a tensor, an array or nested lists."""
    v = getattr(x, "_value", x)
    return tuple(v.shape) if hasattr(v, "shape") else tuple(as_tensor(v)._value.shape)
