"""Chunk: a run of consecutive dataset elements, stored column by column.

Datasets pass elements along in chunks rather than one by one, so that the Python cost of a pipeline is paid per
chunk (a few hundred elements) instead of per element: ``from_tensor_slices`` hands out views of its arrays,
``batch`` cuts a batch out of one chunk without copying, ``shuffle`` moves rows with fancy indexing, and a ``map``
whose function is elementwise runs once per chunk on whole columns.

A chunk holds ``n`` elements as one column per component (in ``tree.flatten`` order of the element spec). A
column is either a NumPy array whose first axis runs over the ``n`` elements (every element of the same shape and
dtype), or a Python list of ``n`` per-element values (arrays of different shapes, RaggedTensors, Datasets).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

ROW_BYTES_TARGET = 1 << 22  # sources cut chunks of about 4 MiB ...
MAX_ROWS = 1024             # ... and at most this many elements


class Chunk:
    __slots__ = ("n", "columns")

    def __init__(self, n: int, columns: list[Any]) -> None:
        self.n = n
        self.columns = columns

    def __repr__(self) -> str:
        kinds = ", ".join(f"array{c.shape}" if type(c) is np.ndarray else f"list[{len(c)}]" for c in self.columns)
        return f"Chunk(n={self.n}, columns=[{kinds}])"


def rows_per_chunk(arrays: Sequence[Any]) -> int:
    """How many elements a source puts in one chunk, given its full arrays (first axis = elements)."""
    row_bytes = sum(int(a[:1].nbytes) for a in arrays if type(a) is np.ndarray) or 8
    return int(max(1, min(MAX_ROWS, ROW_BYTES_TARGET // row_bytes)))


def row(chunk: Chunk, i: int) -> list[Any]:
    """The components of element ``i`` (a dense one as an array view, a 0-d array for a scalar)."""
    return [c[i, ...] if type(c) is np.ndarray else c[i] for c in chunk.columns]


def rows(chunk: Chunk) -> list[list[Any]]:
    n = chunk.n
    cols = chunk.columns
    if len(cols) == 1:
        c = cols[0]
        if type(c) is np.ndarray:
            return [[c[i, ...]] for i in range(n)]
        return [[v] for v in c]
    return [row(chunk, i) for i in range(n)]


def single(components: Sequence[Any]) -> Chunk:
    """A chunk of one element."""
    return Chunk(1, [c[None] if type(c) is np.ndarray else [c] for c in components])


def from_rows(elements: Sequence[Sequence[Any]], width: int) -> Chunk:
    """A chunk of the given elements (each a sequence of ``width`` components); dense columns are stacked when
    every element agrees on shape and dtype."""
    columns: list[Any] = []
    for j in range(width):
        values = [e[j] for e in elements]
        columns.append(stack_or_list(values))
    return Chunk(len(elements), columns)


def stack_or_list(values: list[Any]) -> Any:
    first = values[0] if values else None
    if type(first) is np.ndarray:
        shape, dtype = first.shape, first.dtype
        if all(type(v) is np.ndarray and v.shape == shape and v.dtype == dtype for v in values):
            return np.stack(values)
    return values


def as_list(column: Any) -> list[Any]:
    if type(column) is np.ndarray:
        return [column[i, ...] for i in range(column.shape[0])]
    return column


def slice_rows(chunk: Chunk, start: int, stop: int) -> Chunk:
    if start == 0 and stop >= chunk.n:
        return chunk
    return Chunk(min(stop, chunk.n) - start, [c[start:stop] for c in chunk.columns])


def take(chunk: Chunk, index: Any) -> Chunk:
    """The elements at ``index`` (an integer array), in that order."""
    cols = []
    for c in chunk.columns:
        if type(c) is np.ndarray:
            cols.append(c[index])
        else:
            cols.append([c[i] for i in index.tolist()])
    return Chunk(len(index), cols)


def concat(chunks: Sequence[Chunk]) -> Chunk:
    if len(chunks) == 1:
        return chunks[0]
    width = len(chunks[0].columns)
    cols: list[Any] = []
    for j in range(width):
        parts = [ch.columns[j] for ch in chunks]
        if all(type(p) is np.ndarray for p in parts) and len({(p.shape[1:], p.dtype) for p in parts}) == 1:
            cols.append(np.concatenate(parts))
        else:
            merged: list[Any] = []
            for p in parts:
                merged.extend(as_list(p))
            cols.append(stack_or_list(merged) if merged and type(merged[0]) is np.ndarray else merged)
    return Chunk(sum(ch.n for ch in chunks), cols)


def split_by_size(chunks_iter: Any, size: int, drop_remainder: bool) -> Any:
    """Regroup a stream of chunks into runs of exactly ``size`` elements (the last one shorter unless
    ``drop_remainder``); a run inside one incoming chunk is a view of it."""
    pending: list[Chunk] = []
    have = 0
    for chunk in chunks_iter:
        start = 0
        n = chunk.n
        while start < n:
            need = size - have
            if not pending and n - start >= size:
                yield slice_rows(chunk, start, start + size)
                start += size
                continue
            part = slice_rows(chunk, start, min(n, start + need))
            pending.append(part)
            have += part.n
            start += part.n
            if have == size:
                yield concat(pending)
                pending, have = [], 0
    if pending and not drop_remainder:
        yield concat(pending)
