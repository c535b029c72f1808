"""``batch``, ``unbatch``, ``ragged_batch`` and ``rebatch``.

A batch is cut out of the incoming chunks (``chunk.split_by_size``): when its elements lie in one chunk of a
``from_tensor_slices`` source, the batch is a view of the source arrays, with no copy.
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from tensorlet import tree
from tensorlet.autodiff.tensor import Tensor
from tensorlet.data import cardinality as _card
from tensorlet.data import structure
from tensorlet.data.chunk import Chunk, as_list, concat, row, split_by_size
from tensorlet.data.dataset import Dataset, positive_int
from tensorlet.data.iterator import IterContext
from tensorlet.errors import InvalidArgumentError
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.ragged.ragged_tensor_spec import RaggedTensorSpec
from tensorlet.sparse.sparse_tensor import SparseTensor
from tensorlet.sparse.sparse_tensor import stack as sparse_stack
from tensorlet.sparse.sparse_tensor import unstack as sparse_unstack
from tensorlet.tensor_spec import TensorSpec


def batch_cardinality(n: int, size: int, drop_remainder: bool) -> int:
    if n < 0:
        return n
    return n // size if drop_remainder else -(-n // size)


class BatchDataset(Dataset):
    _repr_name = "_BatchDataset"

    def __init__(self, input_dataset: Dataset, batch_size: Any, drop_remainder: bool) -> None:
        self._input = input_dataset
        self._size = positive_int(batch_size, "batch: batch_size")
        self._drop = bool(drop_remainder)
        spec = input_dataset.element_spec
        self._ragged = [isinstance(s, RaggedTensorSpec) for s in tree.flatten(spec)]
        super().__init__([input_dataset], structure.batched(spec, self._size if self._drop else None))

    def _cardinality(self) -> int:
        return batch_cardinality(self._input._cardinality(), self._size, self._drop)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        spec = self._input.element_spec
        ragged = self._ragged
        for part in split_by_size(self._input._chunks(ctx), self._size, self._drop):
            yield Chunk(1, [stack_component(col, j, spec, ragged[j]) for j, col in enumerate(part.columns)])


def stack_component(column: Any, index: int, spec: Any, ragged: bool) -> Any:
    """One component of a batch, as a chunk column of one element: the stacked array with a leading axis of 1,
    or a one-item list holding a RaggedTensor."""
    if ragged:
        return [ragged_stack(as_list(column))]
    if type(column) is not np.ndarray and column and isinstance(column[0], SparseTensor):
        return [sparse_stack(column)]
    if type(column) is np.ndarray:
        return column[None]
    first = column[0]
    for i, value in enumerate(column):
        if not isinstance(value, np.ndarray) or value.shape != first.shape:
            shape = getattr(value, "shape", None)
            raise InvalidArgumentError(
                f"Cannot batch tensors with different shapes in component {index}. First element had shape "
                f"{list(first.shape)} and element {i} had shape {list(shape) if shape is not None else shape}. "
                f"The dataset's element_spec is {spec!r}: use padded_batch() to pad the elements to a common "
                "shape, or ragged_batch() for RaggedTensor batches.")
    return np.stack(column)[None]


def ragged_stack(rows: list[Any], row_splits_dtype: Any = None) -> RaggedTensor:
    """A RaggedTensor with one row per item of ``rows`` (arrays of any length along their first axis, or
    RaggedTensors)."""
    lengths = np.asarray([_nrows(r) for r in rows], dtype=np.int64)
    if rows and all(isinstance(r, RaggedTensor) for r in rows):
        values: Any = _concat_ragged(rows)
    else:
        arrays = [r._value if hasattr(r, "_value") else np.asarray(r) for r in rows]
        if arrays and any(a.shape[1:] != arrays[0].shape[1:] for a in arrays):
            return _ragged_nested(arrays, row_splits_dtype)
        values = np.concatenate(arrays) if arrays else np.zeros((0,), np.float32)
    rt = RaggedTensor.from_row_lengths(values, lengths, validate=False)
    return rt.with_row_splits_dtype(row_splits_dtype) if row_splits_dtype is not None else rt


def _ragged_nested(arrays: list[np.ndarray], row_splits_dtype: Any) -> RaggedTensor:
    """Rows of rank >= 2 that differ beyond their first axis: every axis becomes ragged."""
    return ragged_stack([_as_ragged(a) for a in arrays], row_splits_dtype)


def _as_ragged(a: np.ndarray) -> Any:
    if a.ndim <= 1:
        return a
    return ragged_stack([_as_ragged(a[i]) for i in range(a.shape[0])])


def _nrows(r: Any) -> int:
    if isinstance(r, RaggedTensor):
        return r.nrows_int()
    if isinstance(r, SparseTensor):
        return int(r._shape[0])
    shape = r.shape
    if len(shape) == 0:
        raise InvalidArgumentError("A ragged batch needs elements of rank >= 1, got a scalar")
    return int(shape[0])


def _concat_ragged(rows: list[RaggedTensor]) -> RaggedTensor:
    values = [r.values for r in rows]
    lengths = np.concatenate([np.diff(r._splits) for r in rows])
    if all(isinstance(v, RaggedTensor) for v in values):
        inner: Any = _concat_ragged(values)  # type: ignore[arg-type]
    else:
        inner = np.concatenate([v._value for v in values if isinstance(v, Tensor)])
    return RaggedTensor.from_row_lengths(inner, lengths, validate=False)


class RaggedBatchDataset(Dataset):
    """``ragged_batch``: components whose shape is not fully known are batched as RaggedTensors."""

    _repr_name = "_DenseToRaggedDataset"

    def __init__(self, input_dataset: Dataset, batch_size: Any, drop_remainder: bool, row_splits_dtype: Any
                 ) -> None:
        self._input = input_dataset
        self._size = positive_int(batch_size, "ragged_batch: batch_size")
        self._drop = bool(drop_remainder)
        self._splits_dtype = row_splits_dtype
        flat = tree.flatten(input_dataset.element_spec)
        self._ragged = [isinstance(s, RaggedTensorSpec) or (isinstance(s, TensorSpec) and not s._unknown_rank
                        and len(s.shape) > 0 and not s.shape.is_fully_defined()) for s in flat]
        as_ragged = [RaggedTensorSpec(s.shape, s.dtype, len(s.shape) - 1 if isinstance(s, TensorSpec) else
                                      s.ragged_rank, row_splits_dtype) if r and isinstance(s, TensorSpec) else s
                     for s, r in zip(flat, self._ragged)]
        spec = tree.pack_sequence_as(input_dataset.element_spec, as_ragged)
        super().__init__([input_dataset], structure.batched(spec, self._size if self._drop else None))

    def _cardinality(self) -> int:
        return batch_cardinality(self._input._cardinality(), self._size, self._drop)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        spec = self._input.element_spec
        for part in split_by_size(self._input._chunks(ctx), self._size, self._drop):
            cols = []
            for j, col in enumerate(part.columns):
                if self._ragged[j]:
                    cols.append([ragged_stack(as_list(col), self._splits_dtype)])
                else:
                    cols.append(stack_component(col, j, spec, False))
            yield Chunk(1, cols)


class UnbatchDataset(Dataset):
    _repr_name = "_UnbatchDataset"

    def __init__(self, input_dataset: Dataset) -> None:
        self._input = input_dataset
        spec = input_dataset.element_spec
        super().__init__([input_dataset], structure.unbatched(spec))
        firsts = [None if s._unknown_rank or not len(s.shape) else s.shape[0] for s in tree.flatten(spec)]
        self._known_batch = firsts[0] if firsts and all(f is not None and f == firsts[0] for f in firsts) else None

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n == _card.INFINITE or (n >= 0 and self._known_batch is not None):
            return n if n < 0 else n * self._known_batch  # type: ignore[operator]
        return 0 if n == 0 else _card.UNKNOWN

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        for chunk in self._input._chunks(ctx):
            yield from unbatch_chunk(chunk, self._input.element_spec)


def unbatch_chunk(chunk: Chunk, spec: Any) -> Iterator[Chunk]:
    """The elements of every batch in ``chunk``, as chunks."""
    cols = chunk.columns
    if all(type(c) is np.ndarray for c in cols):
        widths = {c.shape[1] for c in cols}
        if len(widths) == 1:
            b = widths.pop()
            if b * chunk.n:
                yield Chunk(chunk.n * b, [c.reshape((chunk.n * b,) + c.shape[2:]) for c in cols])
            return
    for i in range(chunk.n):
        components = row(chunk, i)
        sizes = [_nrows(c) for c in components]
        if any(s != sizes[0] for s in sizes):
            raise InvalidArgumentError(
                f"Input element must have the same batch size in each component. Component 0 has batch size "
                f"{sizes[0]} but component {sizes.index(next(s for s in sizes if s != sizes[0]))} has batch size "
                f"{next(s for s in sizes if s != sizes[0])}. The dataset's element_spec is {spec!r}.")
        if sizes[0]:
            yield Chunk(sizes[0], [c if type(c) is np.ndarray else sparse_unstack(c) if isinstance(c, SparseTensor)
                                   else _ragged_rows(c) for c in components])


def _ragged_rows(rt: RaggedTensor) -> list[Any]:
    return [structure.to_component(rt[i]) for i in range(rt.nrows_int())]


class RebatchDataset(Dataset):
    """``rebatch``: the elements of the input's batches, cut again into batches of the given size(s)."""

    _repr_name = "_RebatchDataset"

    def __init__(self, input_dataset: Dataset, batch_size: Any, drop_remainder: bool) -> None:
        spec = input_dataset.element_spec
        for s in tree.flatten(spec):
            if not s._unknown_rank and len(s.shape) == 0:
                raise ValueError("Invalid `batch_sizes`. Expected dataset with rank of >= 1 but found a dataset "
                                 "with scalar elements. Fix the issue by adding the `batch` transformation to the "
                                 "dataset.")
        sizes = list(batch_size) if isinstance(batch_size, (list, tuple)) else [batch_size]
        self._sizes = [positive_int(s, "rebatch: batch_size") for s in sizes]
        self._drop = bool(drop_remainder)
        self._input = input_dataset
        fixed = self._sizes[0] if self._drop and len(set(self._sizes)) == 1 else None
        self._ragged = [isinstance(s, RaggedTensorSpec) for s in tree.flatten(spec)]
        super().__init__([input_dataset], tree.map_structure(lambda s: _with_batch(s, fixed), spec))

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        return n if n in (0, _card.INFINITE) else _card.UNKNOWN

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        spec = self._input.element_spec
        elements = (part for chunk in self._input._chunks(ctx) for part in unbatch_chunk(chunk, spec))
        ragged = self._ragged
        sizes, k = self._sizes, 0
        pending: list[Chunk] = []
        have = 0
        for chunk in elements:
            start = 0
            while start < chunk.n:
                need = sizes[k % len(sizes)] - have
                part = Chunk(min(need, chunk.n - start), [c[start:start + need] for c in chunk.columns])
                pending.append(part)
                have += part.n
                start += part.n
                if have == sizes[k % len(sizes)]:
                    yield _batch_of(concat(pending), spec, ragged)
                    pending, have, k = [], 0, k + 1
        if pending and not self._drop:
            yield _batch_of(concat(pending), spec, ragged)


def _batch_of(part: Chunk, spec: Any, ragged: list[bool]) -> Chunk:
    return Chunk(1, [stack_component(col, j, spec, ragged[j]) for j, col in enumerate(part.columns)])


def _with_batch(spec: Any, size: int | None) -> Any:
    if spec._unknown_rank:
        return spec
    shape = (size,) + tuple(spec.shape)[1:]
    if isinstance(spec, RaggedTensorSpec):
        return RaggedTensorSpec(shape, spec.dtype, spec.ragged_rank, spec.row_splits_dtype)
    return TensorSpec(shape, spec.dtype)
