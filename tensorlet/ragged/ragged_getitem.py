"""``rt[key]``: rows by int or slice, then (for a slice of rows) a slice within each row, as TF allows.

An int picks one row (a Tensor, or a RaggedTensor one level down) and the rest of the key indexes into it. A
slice of rows keeps a RaggedTensor; after it, a slice of the ragged axis crops every row, while an int on a
ragged axis is refused as TF refuses it (rows may be too short).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.ragged.ragged_tensor import RaggedTensor


def _row_int(rt: RaggedTensor, key: Any) -> int:
    i = int(key)
    n = rt.nrows_int()
    if not -n <= i < n:
        raise IndexError(f"Row key {i} out of bounds for a RaggedTensor with {n} rows")
    return i + n if i < 0 else i


def _take_values(values: Tensor | RaggedTensor, start: int, stop: int) -> Tensor | RaggedTensor:
    if isinstance(values, RaggedTensor):
        return _gather_rows(values, np.arange(start, stop))
    return _wrap(values._value[start:stop])


def _gather_rows(rt: RaggedTensor, rows: np.ndarray) -> RaggedTensor:
    starts, limits = rt._splits[:-1][rows], rt._splits[1:][rows]
    lengths = limits - starts
    if len(rows) and np.all(np.diff(rows) == 1):  # a contiguous run: one slice of the values
        values = _take_values(rt._values, int(starts[0]), int(limits[-1]))
    else:
        items = np.concatenate([np.arange(a, b) for a, b in zip(starts, limits)]) if len(rows) else np.arange(0)
        values = _gather_values(rt._values, items)
    return RaggedTensor._make(values, np.concatenate([[0], np.cumsum(lengths)]), rt._splits_dtype)


def _gather_values(values: Tensor | RaggedTensor, items: np.ndarray) -> Tensor | RaggedTensor:
    if isinstance(values, RaggedTensor):
        return _gather_rows(values, items)
    return _wrap(values._value[items])


def _crop_rows(rt: RaggedTensor, key: slice, rest: tuple[Any, ...]) -> RaggedTensor:
    """Apply the slice ``key`` inside every row (then ``rest`` inside the kept items)."""
    picks = [np.arange(a, b)[key] for a, b in zip(rt._splits[:-1], rt._splits[1:])]
    items = np.concatenate(picks) if picks else np.arange(0)
    values = _gather_values(rt._values, items.astype(np.int64))
    if rest:
        values = _index_values(values, rest)
    return RaggedTensor._make(values, np.concatenate([[0], np.cumsum([len(p) for p in picks])]), rt._splits_dtype)


def _index_values(values: Tensor | RaggedTensor, rest: tuple[Any, ...]) -> Any:
    """Index every item of ``values`` by ``rest`` (the axes after a ragged one)."""
    if isinstance(values, RaggedTensor):
        if not isinstance(rest[0], slice):
            raise ValueError("Cannot index into an inner ragged dimension.")
        return _crop_rows(values, rest[0], rest[1:])
    return _wrap(values._value[(slice(None),) + rest])


def getitem(rt: RaggedTensor, key: Any) -> Any:
    if not isinstance(key, tuple):
        key = (key,)
    if any(k is Ellipsis or k is None for k in key):
        raise TypeError("RaggedTensor indexing supports ints and slices, not Ellipsis or tf.newaxis")
    first, rest = key[0], key[1:]
    if isinstance(first, Tensor):
        first = first.numpy().item()
    if isinstance(first, (int, np.integer)):
        i = _row_int(rt, first)
        row: Any = _take_values(rt._values, int(rt._splits[i]), int(rt._splits[i + 1]))
        return row[rest] if rest else row
    if not isinstance(first, slice):
        raise TypeError(f"RaggedTensor indices must be ints or slices, got {type(first).__name__}")
    picked = _gather_rows(rt, np.arange(rt.nrows_int())[first])
    if not rest:
        return picked
    if not isinstance(rest[0], slice):
        raise ValueError("Cannot index into an inner ragged dimension.")
    return _crop_rows(picked, rest[0], rest[1:])
