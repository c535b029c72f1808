"""Datasets built from values in memory: ``from_tensor_slices``, ``from_tensors``, ``range``, ``counter``,
``random``, and ``zip`` of datasets."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from tensorlet import dtypes as _dtypes
from tensorlet import tree
from tensorlet.data import cardinality as _card
from tensorlet.data import structure
from tensorlet.data.chunk import MAX_ROWS, Chunk, rows_per_chunk, single
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext
from tensorlet.data.seeds import base_seed, pass_rng
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.ragged.ragged_tensor_spec import RaggedTensorSpec
from tensorlet.tensor_spec import TensorSpec


class TensorSliceDataset(Dataset):
    """One element per slice of the first axis; chunks are views of the given arrays (no copy)."""

    _repr_name = "_TensorSliceDataset"

    def __init__(self, tensors: Any) -> None:
        element = structure.normalize(tensors, "from_tensor_slices")
        flat = tree.flatten(element)
        if not flat:
            raise ValueError("from_tensor_slices: the structure of tensors to slice has no tensor in it")
        sizes = [_leading(c) for c in flat]
        for size in sizes[1:]:
            if size != sizes[0]:
                raise ValueError(f"Dimensions {sizes[0]} and {size} are not compatible: from_tensor_slices needs "
                                 f"every component to have the same first dimension, got {sizes}")
        self._n = sizes[0]
        self._columns = [c if type(c) is np.ndarray else _ragged_rows(c) for c in flat]
        super().__init__([], tree.map_structure(_slice_spec, element))

    def _cardinality(self) -> int:
        return self._n

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        n, cols = self._n, self._columns
        step = rows_per_chunk(cols)
        for start in range(0, n, step):
            stop = min(n, start + step)
            yield Chunk(stop - start, [c[start:stop] for c in cols])

    def _indexed(self) -> Any:
        n, step = self._n, rows_per_chunk(self._columns)

        def index_chunks(ctx: IterContext) -> Iterator[np.ndarray]:
            for start in range(0, n, step):
                yield np.arange(start, min(n, start + step), dtype=np.int64)
        return self._columns, index_chunks


def _leading(component: Any) -> int:
    if isinstance(component, RaggedTensor):
        return component.nrows_int()
    if structure.is_dataset(component):
        raise TypeError("from_tensor_slices: a Dataset cannot be sliced; use Dataset.zip or flat_map")
    if component.ndim == 0:
        raise ValueError("Unbatching a tensor is only supported for rank >= 1 (from_tensor_slices got a scalar "
                         f"component {component!r})")
    return int(component.shape[0])


def _ragged_rows(rt: RaggedTensor) -> list[Any]:
    return [structure.to_component(rt[i]) for i in range(rt.nrows_int())]


def _slice_spec(component: Any) -> Any:
    if isinstance(component, RaggedTensor):
        shape = tuple(component.shape)[1:]
        return RaggedTensorSpec(shape, component.dtype, component.ragged_rank - 1, component.row_splits_dtype)
    return TensorSpec(component.shape[1:], _dtypes.as_dtype(component.dtype))


class TensorDataset(Dataset):
    """A single element."""

    _repr_name = "_TensorDataset"

    def __init__(self, tensors: Any) -> None:
        element = structure.normalize(tensors, "from_tensors")
        self._components = tree.flatten(element)
        super().__init__([], structure.spec_of_element(element))

    def _cardinality(self) -> int:
        return 1

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        yield single(self._components)


def _as_int(x: Any, what: str) -> int:
    value = x.numpy() if hasattr(x, "numpy") else x
    if isinstance(value, (float, np.floating)) and not float(value).is_integer():
        raise TypeError(f"{what} must be an integer, got {value!r}")
    return int(value)


class RangeDataset(Dataset):
    """``range(start, stop, step)`` as tensors of ``output_type`` (int64 by default)."""

    _repr_name = "_RangeDataset"

    def __init__(self, args: tuple[Any, ...], output_type: Any) -> None:
        if not 1 <= len(args) <= 3:
            raise TypeError(f"Dataset.range takes 1 to 3 positional arguments (stop, or start, stop[, step]), got "
                            f"{len(args)}")
        values = [_as_int(a, "Dataset.range argument") for a in args]
        start, stop, step = (0, values[0], 1) if len(values) == 1 else (values + [1])[:3]
        if step == 0:
            raise ValueError("Dataset.range: step must not be 0")
        self._range = range(start, stop, step)
        self._dtype = _dtypes.as_dtype(output_type)
        super().__init__([], TensorSpec((), self._dtype))

    def _cardinality(self) -> int:
        return len(self._range)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        r = self._range
        np_dtype = self._dtype.as_numpy_dtype
        for first in range(0, len(r), MAX_ROWS):
            part = r[first:first + MAX_ROWS]
            yield Chunk(len(part), [np.arange(part.start, part.stop, part.step, dtype=np.int64).astype(np_dtype)])


class CounterDataset(Dataset):
    """``start, start + step, ...`` without end (``tf.data.experimental.Counter``)."""

    _repr_name = "_CounterDataset"

    def __init__(self, start: Any = 0, step: Any = 1, dtype: Any = "int64") -> None:
        self._start, self._step = _as_int(start, "counter start"), _as_int(step, "counter step")
        self._dtype = _dtypes.as_dtype(dtype)
        super().__init__([], TensorSpec((), self._dtype))

    def _cardinality(self) -> int:
        return _card.INFINITE

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        value, step = self._start, self._step
        np_dtype = self._dtype.as_numpy_dtype
        offsets = np.arange(MAX_ROWS, dtype=np.int64) * step
        while True:
            yield Chunk(MAX_ROWS, [(offsets + value).astype(np_dtype)])
            value += step * MAX_ROWS


class RandomDataset(Dataset):
    """Uniform random int64 values in [0, 2**32) without end, as TensorFlow's random dataset draws them."""

    _repr_name = "_RandomDataset"

    def __init__(self, seed: int | None, rerandomize_each_iteration: bool) -> None:
        self._base = base_seed(seed)
        self._rerandomize = rerandomize_each_iteration
        self._passes = 0
        super().__init__([], TensorSpec((), _dtypes.int64))

    def _cardinality(self) -> int:
        return _card.INFINITE

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        rng = pass_rng(self._base, self._passes, self._rerandomize)
        self._passes += 1
        while True:
            yield Chunk(MAX_ROWS, [rng.integers(0, 2**32, size=MAX_ROWS, dtype=np.int64)])


class ZipDataset(Dataset):
    """Elements of several datasets side by side, in the structure the datasets were given in."""

    _repr_name = "_ZipDataset"

    def __init__(self, datasets: Any, repr_name: str | None = None) -> None:
        flat = tree.flatten(datasets)
        if not flat or not all(isinstance(d, Dataset) for d in flat):
            kinds = sorted({type(d).__name__ for d in flat if not isinstance(d, Dataset)})
            raise TypeError("The argument to `Dataset.zip()` must be a (nested) structure of `Dataset` objects"
                            + (f"; got {', '.join(kinds)}" if kinds else ""))
        self._datasets = flat
        if repr_name:
            self._repr_name = repr_name
        super().__init__(flat, tree.map_structure(lambda d: d.element_spec, datasets))

    def _cardinality(self) -> int:
        return _card.minimum([d._cardinality() for d in self._datasets])

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        return aligned_chunks([d._chunks(ctx) for d in self._datasets])


def aligned_chunks(streams: list[Iterator[Chunk]]) -> Iterator[Chunk]:
    """Chunks of several streams side by side (their columns concatenated), cut to the same lengths; ends with
    the shortest stream."""
    current: list[Chunk | None] = [None] * len(streams)
    offsets = [0] * len(streams)
    while True:
        for k, stream in enumerate(streams):
            while current[k] is None or offsets[k] >= current[k].n:  # type: ignore[union-attr]
                nxt = next(stream, None)
                if nxt is None:
                    return
                current[k], offsets[k] = nxt, 0
        take = min(c.n - o for c, o in zip(current, offsets))  # type: ignore[union-attr]
        columns: list[Any] = []
        for k, chunk in enumerate(current):
            o = offsets[k]
            columns.extend(c[o:o + take] for c in chunk.columns)  # type: ignore[union-attr]
            offsets[k] = o + take
        yield Chunk(take, columns)
