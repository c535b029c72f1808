"""``tf.ragged.constant``: a RaggedTensor from nested Python lists."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.autodiff.tensor import constant as _dense_constant
from tensorlet.dtypes import np_dtype
from tensorlet.ragged.ragged_tensor import RaggedTensor


def _is_list(x: Any) -> bool:
    return isinstance(x, (list, tuple)) or (isinstance(x, np.ndarray) and x.ndim > 0)


def _depths(x: Any, depth: int, scalars: set[int], lists: list[int]) -> None:
    if _is_list(x):
        lists[0] = max(lists[0], depth + 1)
        for item in x:
            _depths(item, depth + 1, scalars, lists)
    else:
        scalars.add(depth)


def _scalar_depth(pylist: Any) -> int:
    """How many lists enclose each scalar (all must agree); for lists without scalars, the deepest nesting."""
    scalars: set[int] = set()
    lists = [0]
    _depths(pylist, 0, scalars, lists)
    if len(scalars) > 1:
        raise ValueError("all scalar values must have the same nesting depth")
    return scalars.pop() if scalars else lists[0]


def _dense(items: Any, dtype: Any) -> Tensor:
    if dtype is None and _is_list(items) and not len(items):
        dtype = "float32"  # TF's default for an empty list
    try:
        return _dense_constant(items, dtype=dtype)
    except ValueError:
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None


def constant(pylist: Any, dtype: Any = None, ragged_rank: int | None = None, inner_shape: Any = None,
             name: Any = None, row_splits_dtype: Any = "int64") -> Any:
    """A RaggedTensor from nested lists; the innermost uniform part becomes the flat values.

    Args:
        pylist: nested lists (or tuples) of scalars; all scalars at the same depth.
        dtype: the element dtype; default as ``tf.constant`` infers it (int32, float32, string, bool), float32 when
            there are no scalars.
        ragged_rank: how many axes after the first are ragged (default: all but the ``inner_shape`` ones).
        inner_shape: the uniform shape of the innermost items.
        row_splits_dtype: int64 (default) or int32.

    Returns:
        A RaggedTensor, or a Tensor when ``pylist`` is a scalar or a flat list (ragged rank 0).

    Example:
        >>> constant([[1, 2], [3]])
        <tf.RaggedTensor [[1, 2], [3]]>
        >>> constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1).shape
        TensorShape([2, None, 2])
    """
    if isinstance(pylist, (Tensor, RaggedTensor)):
        raise TypeError("tf.ragged.constant expects nested Python lists; use RaggedTensor.from_tensor for a Tensor")
    depth = _scalar_depth(pylist)
    inner = tuple(inner_shape) if inner_shape is not None else None
    if ragged_rank is None:
        ragged_rank = max(depth - 1 - (len(inner) if inner is not None else 0), 0)
    if not 0 <= ragged_rank < max(depth, 1):
        raise ValueError(f"tf.ragged.constant: ragged_rank={ragged_rank} must be in [0, {max(depth - 1, 0)}] for a "
                         f"list of nesting depth {depth}")
    if ragged_rank == 0:
        return _dense(pylist, dtype)
    level_lengths = []
    items: list[Any] = list(pylist)
    for _ in range(ragged_rank):
        level_lengths.append([len(x) for x in items])
        items = [y for x in items for y in x]
    if not items:
        expected_inner = inner if inner is not None else (0,) * max(depth - 1 - ragged_rank, 0)
        values = _wrap(np.zeros((0,) + expected_inner, dtype=np_dtype(dtype) if dtype is not None else np.float32))
    else:
        values = _dense(items, dtype)
    if inner is not None and tuple(values.shape[1:]) != inner:
        raise ValueError(f"tf.ragged.constant: inner values have shape {tuple(values.shape[1:])}, expected "
                         f"inner_shape {inner}")
    result: Any = values
    for lengths in reversed(level_lengths):
        splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        result = RaggedTensor._make(result, splits, row_splits_dtype)
    return result


def map_flat_values(op: Any, *args: Any, **kwargs: Any) -> Any:
    """Apply ``op`` to the flat values of the RaggedTensor arguments (all with one row partition)."""
    ragged = [a for a in list(args) + list(kwargs.values()) if isinstance(a, RaggedTensor)]
    if not ragged:
        return op(*args, **kwargs)
    flat = [a.flat_values if isinstance(a, RaggedTensor) else a for a in args]
    flat_kw = {k: v.flat_values if isinstance(v, RaggedTensor) else v for k, v in kwargs.items()}
    return ragged[0].with_flat_values(op(*flat, **flat_kw))
