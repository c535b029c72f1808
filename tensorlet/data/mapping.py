"""``map``, ``filter`` and ``take_while``: a function applied to each element (see ``element_function``)."""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from tensorlet.data import cardinality as _card
from tensorlet.data.chunk import Chunk, slice_rows, take
from tensorlet.data.dataset import Dataset
from tensorlet.data.element_function import ElementFunction
from tensorlet.data.iterator import Iterator as DatasetIterator
from tensorlet.data.iterator import IterContext
from tensorlet.tensor_spec import TensorSpec


def first_components(dataset: Dataset) -> Callable[[], list[Any] | None]:
    """A function giving the components of ``dataset``'s first element (a separate pass), or None if empty."""
    def peek() -> list[Any] | None:
        try:
            return DatasetIterator(dataset)._next_components()
        except StopIteration:
            return None
    return peek


class MapDataset(Dataset):
    _repr_name = "_MapDataset"

    def __init__(self, input_dataset: Dataset, fn: Callable[..., Any], parallel: bool = False) -> None:
        self._input = input_dataset
        self._fn = ElementFunction(fn, input_dataset.element_spec, "Dataset.map", first_components(input_dataset))
        if parallel:
            self._repr_name = "_ParallelMapDataset"
        super().__init__([input_dataset], self._fn.output_spec)

    def _cardinality(self) -> int:
        return self._input._cardinality()

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        fn = self._fn
        drop = ctx.ignore_errors
        for chunk in self._input._chunks(ctx):
            try:
                out = fn.apply_chunk(chunk)
            except Exception:
                if drop:
                    out = fn.apply_chunk(chunk, drop_errors=True)  # again element by element, keeping the good ones
                else:
                    good, error = fn.apply_until_error(chunk)
                    if good.n:
                        yield good
                    raise error from None
            if out.n:
                yield out


class FilterDataset(Dataset):
    """The elements whose predicate is True; with ``stop``, the elements before the first False
    (``take_while``)."""

    _repr_name = "_FilterDataset"

    def __init__(self, input_dataset: Dataset, predicate: Callable[..., Any], stop: bool = False) -> None:
        what = "Dataset.take_while" if stop else "Dataset.filter"
        self._input = input_dataset
        self._fn = ElementFunction(predicate, input_dataset.element_spec, what, first_components(input_dataset))
        spec = self._fn.output_spec
        if not (isinstance(spec, TensorSpec) and spec.dtype.name == "bool" and
                (spec._unknown_rank or len(spec.shape) == 0)):
            raise ValueError(f"Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its "
                             f"return type is {spec!r}.")
        self._stop = stop
        if stop:
            self._repr_name = "_TakeWhileDataset"
        super().__init__([input_dataset], input_dataset.element_spec)

    def _mask(self, chunk: Chunk, ctx: IterContext) -> tuple[Chunk, np.ndarray]:
        if not ctx.ignore_errors:
            return chunk, np.asarray(self._fn.apply_chunk(chunk).columns[0], dtype=bool).reshape(chunk.n)
        keep, flags = [], []
        cols = chunk.columns
        for i in range(chunk.n):
            try:
                flag = self._fn.apply([c[i, ...] if type(c) is np.ndarray else c[i] for c in cols])[0]
            except Exception:  # noqa: BLE001 - ignore_errors() drops the element
                continue
            keep.append(i)
            flags.append(bool(flag))
        index = np.asarray(keep, dtype=np.int64)
        return take(chunk, index), np.asarray(flags, dtype=bool)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        for chunk in self._input._chunks(ctx):
            chunk, mask = self._mask(chunk, ctx)
            if self._stop:
                stops = np.flatnonzero(~mask)
                if stops.size:
                    if stops[0]:
                        yield slice_rows(chunk, 0, int(stops[0]))
                    return
                yield chunk
                continue
            if mask.all():
                yield chunk
            elif mask.any():
                yield take(chunk, np.flatnonzero(mask))

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        return 0 if n == 0 else _card.UNKNOWN
