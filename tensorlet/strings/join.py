"""Joining strings: ``join`` (elementwise across tensors) and ``reduce_join`` (along axes)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.errors import InvalidArgumentError
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.strings.string_input import as_string_tensor, host, object_array


def _sep(separator: Any) -> bytes:
    if isinstance(separator, Tensor):
        separator = separator.numpy()
    return separator.encode("utf-8") if isinstance(separator, str) else bytes(separator)


def join(inputs: Any, separator: Any = "", name: Any = None) -> Tensor | RaggedTensor:
    """Concatenate strings elementwise across the tensors in ``inputs`` (scalars broadcast).

    Example:
        >>> join([["abc", "123"], ["def", "456"]], separator=" ").numpy().tolist()
        [b'abc def', b'123 456']
    """
    if isinstance(inputs, (Tensor, RaggedTensor, str, bytes)):
        inputs = [inputs]
    sep = _sep(separator)
    tensors = [as_string_tensor(t, "join", "inputs") for t in inputs]
    ragged = [t for t in tensors if isinstance(t, RaggedTensor)]
    if ragged:  # ragged operands share one row partition; dense ones must be scalars
        flats = [t.flat_values if isinstance(t, RaggedTensor) else t for t in tensors]
        return ragged[0].with_flat_values(join(flats, separator))
    arrays = [host(t) for t in tensors if isinstance(t, Tensor)]
    shapes = {a.shape for a in arrays if a.ndim}
    if len(shapes) > 1:
        raise InvalidArgumentError(f"tf.strings.join: input shapes do not match: "
                                   f"{' vs. '.join(str(list(s)) for s in shapes)}")
    shape = shapes.pop() if shapes else ()
    arrays = [np.broadcast_to(a, shape) for a in arrays]
    if not arrays:
        return _wrap(object_array([b""], ()))
    out = [sep.join(parts) for parts in zip(*(a.reshape(-1) for a in arrays))]
    return _wrap(object_array(out, shape))


def _join_axis(values: np.ndarray, axis: int, keepdims: bool, sep: bytes) -> np.ndarray:
    moved = np.moveaxis(values, axis, -1)
    flat = moved.reshape(int(np.prod(moved.shape[:-1])), moved.shape[-1])
    joined = object_array([sep.join(row) for row in flat], moved.shape[:-1])
    return np.expand_dims(joined, axis) if keepdims else joined


def reduce_join(inputs: Any, axis: Any = None, keepdims: bool = False, separator: Any = "", name: Any = None
                ) -> Tensor | RaggedTensor:
    """Join strings along ``axis`` (an int, a list of ints in order, or None for all axes).

    Example:
        >>> reduce_join([["a", "b"], ["c", "d"]], axis=1, separator="|").numpy().tolist()
        [b'a|b', b'c|d']
    """
    sep = _sep(separator)
    x = as_string_tensor(inputs, "reduce_join", "inputs")
    if isinstance(x, RaggedTensor):
        return _reduce_join_ragged(x, axis, keepdims, sep)
    values = host(x)
    rank = values.ndim
    axes = list(range(rank)) if axis is None else [axis] if np.ndim(axis) == 0 else list(axis)
    axes = [int(a) for a in axes]
    for a in axes:
        if not -rank <= a < rank:
            raise InvalidArgumentError(f"tf.strings.reduce_join: invalid reduction dimension {a} for input with "
                                       f"{rank} dimension(s)")
    axes = [a + rank if a < 0 else a for a in axes]
    if not axes:
        return x
    # listed axes reduce one after the other, so the first one listed varies fastest in the joined order;
    # axis=None joins everything in row-major order
    rest = [a for a in range(rank) if a not in axes]
    moved = np.transpose(values, rest + (axes if axis is None else axes[::-1]))
    kept_shape = moved.shape[:len(rest)]
    flat = moved.reshape(kept_shape + (int(np.prod(moved.shape[len(rest):])),))
    joined = _join_axis(flat, -1, False, sep)
    if keepdims:
        joined = joined.reshape([1 if a in axes else values.shape[a] for a in range(rank)])
    return _wrap(joined)


def _reduce_join_ragged(x: RaggedTensor, axis: Any, keepdims: bool, sep: bytes) -> Tensor | RaggedTensor:
    rank = x.ndim
    if axis is None:
        return _wrap(object_array([sep.join(host(x.flat_values).reshape(-1))], ()))
    if np.ndim(axis) != 0:
        raise ValueError("tf.strings.reduce_join: a ragged input takes one axis (or None)")
    axis = int(axis) + rank if int(axis) < 0 else int(axis)
    if keepdims:
        raise ValueError("tf.strings.reduce_join: keepdims is not supported for ragged inputs")
    if axis == rank - 1 and x.ragged_rank == rank - 1:  # the innermost axis is ragged: join each row
        inner = x
        outer: list[RaggedTensor] = []
        while isinstance(inner.values, RaggedTensor):
            outer.append(inner)
            inner = inner.values
        values, splits = host(inner.values), host(inner.row_splits)
        joined: Any = _wrap(object_array([sep.join(values[a:b]) for a, b in zip(splits[:-1], splits[1:])]))
        for level in reversed(outer):
            joined = RaggedTensor._make(joined, host(level.row_splits).astype(np.int64), level.row_splits_dtype,
                                        level._uniform)
        return joined
    if axis == 0 and rank == 2:  # column j joins the j-th item of every row long enough to have one
        rows = x.to_list()
        width = max((len(r) for r in rows), default=0)
        return _wrap(object_array([sep.join(r[j] for r in rows if len(r) > j) for j in range(width)]))
    if axis >= x.ragged_rank + 1:  # a uniform inner axis of the flat values
        return x.with_flat_values(reduce_join(x.flat_values, axis - x.ragged_rank, separator=sep))
    raise ValueError(f"tf.strings.reduce_join: axis {axis} of a ragged tensor of shape {x.shape} is not supported; "
                     "use the innermost axis, axis 0 of a 2-D ragged tensor, or None")
