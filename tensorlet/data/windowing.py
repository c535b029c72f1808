"""``window``, ``group_by_window`` and ``bucket_by_sequence_length``: elements gathered into small datasets.

A window is a (structure of) dataset(s) holding a few consecutive elements, one dataset per component, as in
TensorFlow; ``flat_map(lambda w: w.batch(n))`` turns windows into tensors.
"""
from __future__ import annotations

import bisect
from typing import Any, Callable, Iterator

import numpy as np

from tensorlet import tree
from tensorlet.autodiff.tensor import _wrap
from tensorlet.data import cardinality as _card
from tensorlet.data import structure
from tensorlet.data.chunk import Chunk, from_rows, row
from tensorlet.data.dataset import Dataset, positive_int
from tensorlet.data.element_function import ElementFunction
from tensorlet.data.iterator import IterContext
from tensorlet.data.mapping import first_components
from tensorlet.tensor_spec import TensorSpec


class ChunkDataset(Dataset):
    """A few elements held in memory as one chunk (each window, each group)."""

    _repr_name = "_VariantDataset"

    def __init__(self, chunk: Chunk, element_spec: Any) -> None:
        self._chunk = chunk
        super().__init__([], element_spec)

    def _cardinality(self) -> int:
        return self._chunk.n

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        if self._chunk.n:
            yield self._chunk


def _window_element(rows: list[list[Any]], flat_specs: list[Any], spec: Any) -> list[Any]:
    """The window of ``rows`` as one element's components: a dataset per component."""
    chunk = from_rows(rows, len(flat_specs))
    return [ChunkDataset(Chunk(chunk.n, [col]), s) for col, s in zip(chunk.columns, flat_specs)]


class WindowDataset(Dataset):
    _repr_name = "_WindowDataset"

    def __init__(self, input_dataset: Dataset, size: Any, shift: Any, stride: Any, drop_remainder: bool) -> None:
        self._input = input_dataset
        self._size = positive_int(size, "window: size")
        self._shift = self._size if shift is None else positive_int(shift, "window: shift")
        self._stride = positive_int(stride, "window: stride")
        self._drop = bool(drop_remainder)
        spec = input_dataset.element_spec
        self._flat_specs = tree.flatten(spec)
        super().__init__([input_dataset], tree.map_structure(structure.DatasetSpec, spec))

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return n
        if not self._drop:
            return -(-n // self._shift)
        span = (self._size - 1) * self._stride + 1
        return 0 if n < span else (n - span) // self._shift + 1

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        size, shift, stride = self._size, self._shift, self._stride
        span = (size - 1) * stride + 1
        buffered: list[list[Any]] = []  # elements from index `base` on
        base = 0
        start = 0  # the next window's first index
        seen = 0
        for chunk in self._input._chunks(ctx):
            for i in range(chunk.n):
                if seen >= start:
                    buffered.append(row(chunk, i))
                else:
                    seen += 1
                    base = seen
                    continue
                seen += 1
                while seen >= start + span:
                    picks = [buffered[start - base + k * stride] for k in range(size)]
                    yield self._emit(picks)
                    start += shift
                    drop = min(start - base, len(buffered))
                    del buffered[:drop]
                    base += drop
        if self._drop:
            return
        while start < seen:
            picks = [buffered[j - base] for j in range(start, seen, stride)][:size]
            yield self._emit(picks)
            start += shift
            drop = min(max(start - base, 0), len(buffered))
            del buffered[:drop]
            base += drop

    def _emit(self, rows: list[list[Any]]) -> Chunk:
        return Chunk(1, [[d] for d in _window_element(rows, self._flat_specs, self._spec)])


class GroupByWindowDataset(Dataset):
    """Groups of elements with the same key; each full group (or, at the end, what is left of each, by key)
    goes through ``reduce_func(key, group_dataset)``."""

    _repr_name = "_GroupByWindowDataset"

    def __init__(self, input_dataset: Dataset, key_func: Callable[..., Any], reduce_func: Callable[..., Any],
                 window_size: Any, window_size_func: Callable[..., Any] | None) -> None:
        if (window_size is None) == (window_size_func is None):
            raise ValueError("group_by_window: either the `window_size` argument or the `window_size_func` "
                             "argument must be specified, and not both.")
        self._input = input_dataset
        spec = input_dataset.element_spec
        self._key = ElementFunction(key_func, spec, "group_by_window key_func", first_components(input_dataset))
        key_spec = self._key.output_spec
        if not (isinstance(key_spec, TensorSpec) and key_spec.dtype.name == "int64" and
                (key_spec._unknown_rank or len(key_spec.shape) == 0)):
            raise ValueError(f"group_by_window: `key_func` must return a single tf.int64 scalar tensor, but its "
                             f"return type is {key_spec!r}.")
        self._window_size = None if window_size is None else positive_int(window_size, "group_by_window: "
                                                                                      "window_size")
        self._window_size_func = window_size_func
        self._reduce = reduce_func
        self._flat_specs = tree.flatten(spec)
        probe = reduce_func(_wrap(np.zeros((), np.int64)), ChunkDataset(Chunk(0, [[] for _ in self._flat_specs]),
                                                                         spec))
        if not isinstance(probe, Dataset):
            raise TypeError(f"group_by_window: `reduce_func` must return a Dataset, got {type(probe).__name__}")
        super().__init__([input_dataset], probe.element_spec)

    def _cardinality(self) -> int:
        return 0 if self._input._cardinality() == 0 else _card.UNKNOWN

    def _size_for(self, key: int) -> int:
        if self._window_size is not None:
            return self._window_size
        value = self._window_size_func(_wrap(np.asarray(key, np.int64)))  # type: ignore[misc]
        return positive_int(getattr(value, "numpy", lambda: value)(), "group_by_window: window_size_func result")

    def _flush(self, key: int, rows: list[list[Any]], ctx: IterContext) -> Iterator[Chunk]:
        chunk = from_rows(rows, len(self._flat_specs))
        group = ChunkDataset(chunk, self._input.element_spec)
        out = self._reduce(_wrap(np.asarray(key, np.int64)), group)
        if not isinstance(out, Dataset):
            raise TypeError(f"group_by_window: `reduce_func` must return a Dataset, got {type(out).__name__}")
        yield from out._chunks(ctx)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        groups: dict[int, list[list[Any]]] = {}
        sizes: dict[int, int] = {}
        for chunk in self._input._chunks(ctx):
            keys = np.asarray(self._key.apply_chunk(chunk).columns[0]).reshape(chunk.n)
            for i, key in enumerate(keys.tolist()):
                if key not in groups:
                    groups[key], sizes[key] = [], self._size_for(key)
                groups[key].append(row(chunk, i))
                if len(groups[key]) >= sizes[key]:
                    yield from self._flush(key, groups.pop(key), ctx)
        for key in sorted(groups):
            yield from self._flush(key, groups[key], ctx)


def bucket_by_sequence_length(dataset: Dataset, element_length_func: Callable[..., Any], bucket_boundaries: Any,
                              bucket_batch_sizes: Any, padded_shapes: Any, padding_values: Any,
                              pad_to_bucket_boundary: bool, no_padding: bool, drop_remainder: bool) -> Dataset:
    """Padded batches of elements whose lengths fall in the same bucket, as TensorFlow builds them: bucket ``i``
    holds lengths in ``[boundaries[i-1], boundaries[i])`` and batches ``bucket_batch_sizes[i]`` elements."""
    boundaries = [int(b) for b in bucket_boundaries]
    sizes = [int(b) for b in bucket_batch_sizes]
    if len(sizes) != len(boundaries) + 1:
        raise ValueError(f"bucket_by_sequence_length: len(bucket_batch_sizes) must equal len(bucket_boundaries) "
                         f"+ 1, got {len(sizes)} and {len(boundaries)}")
    if boundaries != sorted(boundaries):
        raise ValueError(f"bucket_by_sequence_length: bucket_boundaries must be sorted, got {boundaries}")
    spec = dataset.element_spec

    def bucket_of(*element: Any) -> Any:
        value = structure.call_with_element(element_length_func,
                                            element if type(spec) is tuple else element[0], spec)
        length = int(np.asarray(getattr(value, "_value", value)))
        return _wrap(np.asarray(bisect.bisect_right(boundaries, length), np.int64))

    def batch_bucket(bucket: Any, group: Dataset) -> Dataset:
        b = int(bucket.numpy())
        if no_padding:
            return group.batch(sizes[b], drop_remainder=drop_remainder)
        shapes = padded_shapes
        if pad_to_bucket_boundary:
            if b >= len(boundaries):
                from tensorlet.errors import InvalidArgumentError

                raise InvalidArgumentError("When pad_to_bucket_boundary=True, elements must have length < "
                                           f"max(bucket_boundaries) = {max(boundaries)}.")
            fill = boundaries[b] - 1
            base = padded_shapes if padded_shapes is not None else tree.map_structure(lambda s: s.shape, spec)
            shapes = tree.map_structure(lambda s: [fill if d is None else d for d in s] if s is not None else s,
                                        _shapes_as_lists(base, spec))
        return group.padded_batch(sizes[b], padded_shapes=shapes, padding_values=padding_values,
                                  drop_remainder=drop_remainder)

    def window_size(bucket: Any) -> int:
        return sizes[int(bucket.numpy())]

    grouped = GroupByWindowDataset(dataset, bucket_of, batch_bucket, None, window_size)
    grouped._repr_name = "_GroupByWindowDataset"
    return grouped


def _shapes_as_lists(shapes: Any, spec: Any) -> Any:
    """Padded shapes (at the element spec's leaves) as a structure of lists, one per component."""
    flat = structure.flatten_up_to(spec, shapes) if tree.is_nested(spec) else [shapes]
    lists = [ListShape(s) for s in flat]
    return tree.pack_sequence_as(spec, lists) if tree.is_nested(spec) else lists[0]


class ListShape(list):
    """A shape kept whole by ``tree.map_structure`` (a leaf, not a list of dimensions)."""

    _tree_leaf = True
