"""``interleave`` and ``flat_map``: each element becomes a dataset, and their elements are read in turn.

TensorFlow's order: ``cycle_length`` datasets are open at once; ``block_length`` consecutive elements are read
from the current one before moving to the next; when one ends, its place in the cycle is filled with the dataset
of the next input element (and the cycle moves on). ``flat_map`` is the cycle of one: the datasets one after
another.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Iterator

from tensorlet import tree
from tensorlet.data import cardinality as _card
from tensorlet.data import structure
from tensorlet.data.chunk import MAX_ROWS, Chunk, from_rows
from tensorlet.data.dataset import Dataset, positive_int
from tensorlet.data.element_function import ElementFunction
from tensorlet.data.iterator import Iterator as DatasetIterator
from tensorlet.data.iterator import IterContext
from tensorlet.data.mapping import first_components


class InterleaveDataset(Dataset):
    _repr_name = "_InterleaveDataset"

    def __init__(self, input_dataset: Dataset, map_func: Callable[..., Any], cycle_length: Any = None,
                 block_length: Any = None, repr_name: str | None = None) -> None:
        what = "Dataset.flat_map" if repr_name == "_FlatMapDataset" else "Dataset.interleave"
        self._input = input_dataset
        self._fn = ElementFunction(map_func, input_dataset.element_spec, what, first_components(input_dataset))
        spec = self._fn.output_spec
        if not isinstance(spec, structure.DatasetSpec):
            raise TypeError(f"{what}: the `map_func` argument must return a `Dataset` object; it returns elements "
                            f"of spec {spec!r}")
        if cycle_length is None or int(cycle_length) == -1:  # AUTOTUNE: one per core, as TensorFlow picks it
            cycle_length = os.cpu_count() or 1
        self._cycle = positive_int(cycle_length, f"{what}: cycle_length")
        self._block = positive_int(1 if block_length is None else block_length, f"{what}: block_length")
        if repr_name:
            self._repr_name = repr_name
        super().__init__([input_dataset], spec.element_spec)

    def _cardinality(self) -> int:
        return 0 if self._input._cardinality() == 0 else _card.UNKNOWN

    def _datasets(self, ctx: IterContext) -> Iterator[Any]:
        from tensorlet.data.chunk import row

        for chunk in self._input._chunks(ctx):
            for i in range(chunk.n):
                yield self._fn.apply(row(chunk, i))[0]

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        if self._cycle == 1:  # flat_map: each dataset's chunks in turn
            for ds in self._datasets(ctx):
                yield from ds._chunks(ctx)
            return
        width = len(tree.flatten(self._spec))
        pending: list[list[Any]] = []
        for components in self._elements(ctx):
            pending.append(components)
            if len(pending) >= MAX_ROWS // 4:
                yield from_rows(pending, width)
                pending = []
        if pending:
            yield from_rows(pending, width)

    def _elements(self, ctx: IterContext) -> Iterator[list[Any]]:
        cycle, block = self._cycle, self._block
        inputs = self._datasets(ctx)
        open_: list[DatasetIterator | None] = [None] * cycle
        n_open, index, taken, end_of_input = 0, 0, 0, False
        while not end_of_input or n_open:
            it = open_[index]
            if it is not None:
                try:
                    components = it._next_components()
                except StopIteration:
                    open_[index] = None
                    n_open -= 1
                    index, taken = (index + 1) % cycle, 0
                    continue
                yield components
                taken += 1
                if taken == block:
                    index, taken = (index + 1) % cycle, 0
            elif not end_of_input:
                ds = next(inputs, None)
                if ds is None:
                    end_of_input = True
                else:
                    open_[index] = DatasetIterator(ds, ctx)
                    n_open += 1
            else:
                index, taken = (index + 1) % cycle, 0

