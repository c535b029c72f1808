"""Gather and scatter by n-d indices, and variables updated in place by index.

An index array of shape ``(..., K)`` names, at each of its leading positions, one slice ``t[i0, ..., iK-1]`` of a
tensor's trailing dimensions (TensorFlow's ``*_nd`` convention):

- ``gather_nd(params, indices)`` reads those slices; ``scatter_nd(indices, updates, shape)`` adds updates into
  zeros; ``tensor_scatter_nd_update/add/sub(tensor, indices, updates)`` return a copy of ``tensor`` with the slices
  replaced, increased or decreased. All are differentiable where TensorFlow's are.
- ``Variable.scatter_nd_update/add/sub`` and ``scatter_update/add/sub/max/min`` (an ``IndexedSlices`` along axis 0)
  change the variable's array in place, as does assigning to a slice: ``v[0, 0].assign(3.0)``,
  ``v[:, 1].assign_add(...)`` (``Variable.__getitem__`` returns a tensor that remembers where it came from).
  In-place updates are not differentiable, as in TensorFlow.
"""
from __future__ import annotations

from typing import Any, Callable

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, Variable
from tensorlet.errors import InvalidArgumentError
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.elementwise import negative
from tensorlet.ops.shape import _INDEX, _norm_key, getitem


class IndexedSlices:
    """``tf.IndexedSlices``: ``values[i]`` is the slice at row ``indices[i]`` of a tensor of ``dense_shape``."""

    def __init__(self, values: Any, indices: Any, dense_shape: Any = None) -> None:
        self.values, self.indices, self.dense_shape = as_tensor(values), as_tensor(indices), dense_shape

    @property
    def dtype(self) -> Any:
        return self.values.dtype

    def __repr__(self) -> str:
        return f"IndexedSlices(indices={self.indices!r}, values={self.values!r}, dense_shape={self.dense_shape!r})"


def _int_array(indices: Any, op: str) -> Any:
    xp = backend.xp()
    idx = xp.asarray(indices._value if isinstance(indices, Tensor) else indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be integers, got dtype {idx.dtype.name}")
    return idx


def _nd_index(indices: Any, shape: tuple[int, ...], op: str, batch_dims: int = 0) -> tuple[Any, ...]:
    """The index tuple for ``array[...]`` from ``(..., K)`` indices, checked against ``shape``."""
    xp = backend.xp()
    idx = _int_array(indices, op)
    if idx.ndim == 0:
        raise InvalidArgumentError(f"{op}: indices must have rank >= 1 (the last axis indexes), got a scalar")
    k = int(idx.shape[-1])
    if batch_dims + k > len(shape):
        raise InvalidArgumentError(f"{op}: the index depth {k} (indices.shape[-1]) exceeds the rank {len(shape)} "
                                   f"of the indexed tensor{f' after {batch_dims} batch dims' if batch_dims else ''}")
    dims = xp.asarray(shape[batch_dims:batch_dims + k])
    bad = (idx < 0) | (idx >= dims)
    if bad.any():
        pos = tuple(int(p) for p in xp.argwhere(bad.any(axis=-1))[0])
        raise InvalidArgumentError(f"{op}: indices{list(pos)} = {idx[pos].tolist()} does not index into shape "
                                   f"{list(shape)}")
    lead = idx.shape[:-1]
    parts = [xp.arange(shape[d]).reshape((-1,) + (1,) * (len(lead) - d - 1)) for d in range(batch_dims)]
    return tuple(parts) + tuple(idx[..., j] for j in range(k))


def _check_updates(u_shape: tuple[int, ...], idx: tuple[Any, ...], shape: tuple[int, ...], op: str) -> None:
    lead = tuple(idx[-1].shape) if idx else ()
    expected = lead + tuple(shape[len(idx):])
    if tuple(u_shape) != expected:
        raise InvalidArgumentError(f"{op}: updates must have shape {list(expected)} (indices.shape[:-1] + "
                                   f"shape[indices.shape[-1]:]), got {list(u_shape)}")


def _updates_like(updates: Any, ref: Tensor, op: str) -> Tensor:
    if isinstance(updates, Tensor):
        if updates.dtype != ref.dtype:
            raise TypeError(f"{op}: updates of dtype {updates.dtype.name} do not match the tensor's dtype "
                            f"{ref.dtype.name}")
        return updates
    return as_tensor(updates, ref.dtype)


class GatherNd(Function):
    """y = params[idx]; the gradient adds dy back at idx (repeated indices accumulate)."""

    def __init__(self, idx: tuple[Any, ...]) -> None:
        self.idx = idx

    def forward(self, p: Any) -> Any:
        self.saved = (p.shape,)
        return p[self.idx]

    def backward(self, dy: Any) -> Any:
        dx = self.xp.zeros(self.saved[0], dtype=dy.dtype)
        self.xp.add.at(dx, self.idx, dy)
        return dx


def gather_nd(params: Any, indices: Any, batch_dims: int = 0, name: Any = None) -> Tensor:
    """y[i...] = params[indices[i...]] (the first ``batch_dims`` axes of params and indices run together).

    Example:
        >>> gather_nd([[1, 2], [3, 4]], [[0, 1], [1, 0]]).numpy()
        array([2, 3], dtype=int32)
    """
    p = as_tensor(params)
    return GatherNd(_nd_index(indices, tuple(p._value.shape), "gather_nd", int(batch_dims)))(p)


class ScatterNd(Function):
    """y = zeros(shape) with updates added at idx; dy/d updates = dy[idx]."""

    def __init__(self, idx: tuple[Any, ...], shape: tuple[int, ...]) -> None:
        self.idx, self.shape = idx, shape

    def forward(self, u: Any) -> Any:
        out = self.xp.zeros(self.shape, dtype=u.dtype)
        self.xp.add.at(out, self.idx, u)
        return out

    def backward(self, dy: Any) -> Any:
        return dy[self.idx]


def scatter_nd(indices: Any, updates: Any, shape: Any, name: Any = None) -> Tensor:
    """A tensor of ``shape``, zeros except the updates added at ``indices`` (repeated indices sum).

    Example:
        >>> scatter_nd([[1], [3]], [9.0, 10.0], [4]).numpy()
        array([ 0.,  9.,  0., 10.], dtype=float32)
    """
    u = as_tensor(updates)
    dims = tuple(int(d) for d in (shape.numpy().tolist() if isinstance(shape, Tensor) else shape))
    idx = _nd_index(indices, dims, "scatter_nd")
    _check_updates(tuple(u._value.shape), idx, dims, "scatter_nd")
    return ScatterNd(idx, dims)(u)


class TensorScatterUpdate(Function):
    """y = t with t[idx] replaced by u; dy/dt = dy with zeros at idx, dy/du = dy[idx] (TensorFlow's gradient)."""

    def __init__(self, idx: tuple[Any, ...]) -> None:
        self.idx = idx

    def forward(self, t: Any, u: Any) -> Any:
        out = t.copy()
        out[self.idx] = u  # repeated indices: the last update wins
        return out

    def backward(self, dy: Any) -> Any:
        dt = None
        if self.needs_input_grad[0]:
            dt = dy.copy()
            dt[self.idx] = 0
        return dt, dy[self.idx] if self.needs_input_grad[1] else None


class TensorScatterAdd(Function):
    """y = t with u added at idx (repeated indices accumulate); dy/dt = dy, dy/du = dy[idx]."""

    def __init__(self, idx: tuple[Any, ...]) -> None:
        self.idx = idx

    def forward(self, t: Any, u: Any) -> Any:
        out = t.copy()
        self.xp.add.at(out, self.idx, u)
        return out

    def backward(self, dy: Any) -> Any:
        return dy, dy[self.idx] if self.needs_input_grad[1] else None


def _tensor_scatter(fn: Callable[[tuple[Any, ...]], Function], tensor: Any, indices: Any, updates: Any, op: str) -> Tensor:
    t = as_tensor(tensor)
    u = _updates_like(updates, t, op)
    shape = tuple(t._value.shape)
    idx = _nd_index(indices, shape, op)
    _check_updates(tuple(u._value.shape), idx, shape, op)
    return fn(idx)(t, u)


def tensor_scatter_nd_update(tensor: Any, indices: Any, updates: Any, name: Any = None) -> Tensor:
    """A copy of ``tensor`` with the slices at ``indices`` replaced by ``updates``.

    Example:
        >>> tensor_scatter_nd_update([0.0, 0.0, 0.0], [[1]], [5.0]).numpy()
        array([0., 5., 0.], dtype=float32)
    """
    return _tensor_scatter(TensorScatterUpdate, tensor, indices, updates, "tensor_scatter_nd_update")


def tensor_scatter_nd_add(tensor: Any, indices: Any, updates: Any, name: Any = None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` added at ``indices`` (repeated indices accumulate)."""
    return _tensor_scatter(TensorScatterAdd, tensor, indices, updates, "tensor_scatter_nd_add")


def tensor_scatter_nd_sub(tensor: Any, indices: Any, updates: Any, name: Any = None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` subtracted at ``indices``: the add of ``-updates``."""
    t = as_tensor(tensor)
    return tensor_scatter_nd_add(t, indices, negative(_updates_like(updates, t, "tensor_scatter_nd_sub")))


# -- variables updated in place --------------------------------------------------------------------------------
def _value_for(var: Variable, value: Any, target_shape: tuple[int, ...], what: str) -> Any:
    xp = backend.xp()
    v = xp.asarray(value._value if isinstance(value, Tensor) else value, dtype=var._value.dtype)
    try:
        return xp.broadcast_to(v, target_shape)
    except ValueError:
        raise InvalidArgumentError(f"Cannot assign a value of shape {list(v.shape)} to {what} of shape "
                                   f"{list(target_shape)} of variable '{var.name}'") from None


def _slice_key(var: Variable, key: Any) -> Any:
    parts, tensors, _ = _norm_key(key)
    values = iter(t._value for t in tensors)  # index tensors, in the order their markers appear
    parts = [next(values) if p is _INDEX else p for p in parts]
    k = tuple(parts) if isinstance(key, tuple) or len(parts) > 1 else parts[0]
    try:
        var._value[k]
    except IndexError as e:
        raise InvalidArgumentError(f"Index out of range for variable '{var.name}' of shape "
                                   f"{list(var._value.shape)}: {e}") from None
    return k


def variable_getitem(var: Variable, key: Any) -> Tensor:
    """``v[key]``: the slice's value, with ``assign``/``assign_add``/``assign_sub`` that write into ``v``."""
    out = getitem(var, key)
    out._slice_of = (var, key)
    return out


def assign_slice(var: Variable, key: Any, value: Any, use_locking: Any = None, name: Any = None,
                 read_value: bool = True) -> Variable:
    k = _slice_key(var, key)
    var._value[k] = _value_for(var, value, var._value[k].shape, "the slice")
    return var


def assign_add_slice(var: Variable, key: Any, delta: Any, use_locking: Any = None, name: Any = None,
                     read_value: bool = True) -> Variable:
    k = _slice_key(var, key)
    var._value[k] += _value_for(var, delta, var._value[k].shape, "the slice")
    return var


def assign_sub_slice(var: Variable, key: Any, delta: Any, use_locking: Any = None, name: Any = None,
                     read_value: bool = True) -> Variable:
    k = _slice_key(var, key)
    var._value[k] -= _value_for(var, delta, var._value[k].shape, "the slice")
    return var


def _scatter_nd_in_place(var: Variable, indices: Any, updates: Any, op: str, apply: Any) -> Variable:
    shape = tuple(var._value.shape)
    idx = _nd_index(indices, shape, op)
    lead = tuple(idx[-1].shape) if idx else ()
    apply(var._value, idx, _value_for(var, updates, lead + shape[len(idx):], f"the {op} updates"))
    return var


def _set(a: Any, idx: Any, u: Any) -> None:
    a[idx] = u


def scatter_nd_update(var: Variable, indices: Any, updates: Any, name: Any = None) -> Variable:
    return _scatter_nd_in_place(var, indices, updates, "scatter_nd_update", _set)


def scatter_nd_add(var: Variable, indices: Any, updates: Any, name: Any = None) -> Variable:
    return _scatter_nd_in_place(var, indices, updates, "scatter_nd_add", _ufunc_at("add"))


def scatter_nd_sub(var: Variable, indices: Any, updates: Any, name: Any = None) -> Variable:
    return _scatter_nd_in_place(var, indices, updates, "scatter_nd_sub", _ufunc_at("subtract"))


def _scatter_rows(op: str, apply: Any) -> Any:
    def method(var: Variable, sparse_delta: Any, use_locking: Any = None, name: Any = None) -> Variable:
        if not hasattr(sparse_delta, "indices") or not hasattr(sparse_delta, "values"):
            raise TypeError(f"Variable.{op} takes a tf.IndexedSlices (values and row indices), got "
                            f"{type(sparse_delta).__name__}")
        rows = _int_array(sparse_delta.indices, op)
        return _scatter_nd_in_place(var, rows[..., None], sparse_delta.values, op, apply)

    method.__name__ = op
    return method


def _ufunc_at(name: str) -> Any:
    def apply(a: Any, idx: Any, u: Any) -> None:
        getattr(backend.xp(), name).at(a, idx, u)  # unbuffered: repeated indices all apply
    return apply


def bind() -> None:
    V: Any = Variable
    V.__getitem__ = variable_getitem
    V._assign_slice, V._assign_add_slice, V._assign_sub_slice = assign_slice, assign_add_slice, assign_sub_slice
    V.scatter_nd_update, V.scatter_nd_add, V.scatter_nd_sub = scatter_nd_update, scatter_nd_add, scatter_nd_sub
    V.scatter_update = _scatter_rows("scatter_update", _set)
    V.scatter_add = _scatter_rows("scatter_add", _ufunc_at("add"))
    V.scatter_sub = _scatter_rows("scatter_sub", _ufunc_at("subtract"))
    V.scatter_max = _scatter_rows("scatter_max", _ufunc_at("maximum"))
    V.scatter_min = _scatter_rows("scatter_min", _ufunc_at("minimum"))
