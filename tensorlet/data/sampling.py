"""``sample_from_datasets`` and ``choose_from_datasets``: each element taken from one of several datasets,
chosen at random by weights, or by a dataset of indices."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from tensorlet import tree
from tensorlet.data import cardinality as _card
from tensorlet.data import structure
from tensorlet.data.chunk import MAX_ROWS, Chunk, from_rows
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import Iterator as DatasetIterator
from tensorlet.data.iterator import IterContext
from tensorlet.data.seeds import base_seed, pass_rng
from tensorlet.errors import InvalidArgumentError
from tensorlet.tensor_spec import TensorSpec


def _datasets(datasets: Any, what: str) -> list[Dataset]:
    items = list(datasets) if isinstance(datasets, (list, tuple)) else None
    if not items or not all(isinstance(d, Dataset) for d in items):
        raise TypeError(f"{what}: `datasets` must be a non-empty list of tf.data.Dataset objects, got {datasets!r}")
    return items


def _common_spec(datasets: list[Dataset], what: str) -> Any:
    spec = datasets[0].element_spec
    for d in datasets[1:]:
        spec = structure.most_specific_compatible(spec, d.element_spec, what)
    return spec


def _rows_to_chunks(rows: Iterator[list[Any]], width: int) -> Iterator[Chunk]:
    pending: list[list[Any]] = []
    for r in rows:
        pending.append(r)
        if len(pending) >= MAX_ROWS // 4:
            yield from_rows(pending, width)
            pending = []
    if pending:
        yield from_rows(pending, width)


class SampleFromDatasets(Dataset):
    _repr_name = "_DirectedInterleaveDataset"

    def __init__(self, datasets: Any, weights: Any, seed: int | None, stop_on_empty_dataset: bool,
                 rerandomize_each_iteration: bool | None) -> None:
        what = "sample_from_datasets"
        self._datasets = _datasets(datasets, what)
        n = len(self._datasets)
        self._weights_dataset: Dataset | None = None
        if isinstance(weights, Dataset):
            self._weights_dataset = weights
            self._weights = None
        elif weights is None:
            self._weights = np.full(n, 1.0 / n)
        else:
            w = np.asarray(getattr(weights, "_value", weights), dtype=np.float64).reshape(-1)
            if w.shape != (n,):
                raise ValueError(f"{what}: got {w.size} weights for {n} datasets")
            if (w < 0).any() or w.sum() <= 0:
                raise ValueError(f"{what}: weights must be non-negative and not all zero, got {w.tolist()}")
            self._weights = w
        self._stop = bool(stop_on_empty_dataset)
        self._base = base_seed(seed)
        self._rerandomize = bool(rerandomize_each_iteration)
        self._passes = 0
        super().__init__(self._datasets, _common_spec(self._datasets, what))

    def _cardinality(self) -> int:
        counts = [d._cardinality() for d in self._datasets]
        if all(c == _card.INFINITE for c in counts):
            return _card.INFINITE
        return _card.UNKNOWN

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        rng = pass_rng(self._base, self._passes, self._rerandomize)
        self._passes += 1
        return _rows_to_chunks(self._rows(ctx, rng), len(tree.flatten(self._spec)))

    def _rows(self, ctx: IterContext, rng: np.random.Generator) -> Iterator[list[Any]]:
        its = [DatasetIterator(d, ctx) for d in self._datasets]
        alive = np.ones(len(its), dtype=bool)
        weight_it = DatasetIterator(self._weights_dataset, ctx) if self._weights_dataset is not None else None
        weights: Any = self._weights
        while alive.any():
            if weight_it is not None:
                try:
                    weights = np.asarray(weight_it._next_components()[0], dtype=np.float64).reshape(-1)
                except StopIteration:
                    return
            w = np.where(alive, weights, 0.0)
            if w.sum() <= 0:
                return
            k = int(rng.choice(len(its), p=w / w.sum()))
            try:
                yield its[k]._next_components()
            except StopIteration:
                if self._stop:
                    return
                alive[k] = False


class ChooseFromDatasets(Dataset):
    _repr_name = "_DirectedInterleaveDataset"

    def __init__(self, datasets: Any, choice_dataset: Any, stop_on_empty_dataset: bool) -> None:
        what = "choose_from_datasets"
        self._datasets = _datasets(datasets, what)
        spec = getattr(choice_dataset, "element_spec", None)
        if not (isinstance(choice_dataset, Dataset) and isinstance(spec, TensorSpec) and spec.dtype.name == "int64"
                and not spec._unknown_rank and len(spec.shape) == 0):
            raise TypeError("Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar of type "
                            f"`tf.int64`; got {spec!r}.")
        self._choices = choice_dataset
        self._stop = bool(stop_on_empty_dataset)
        super().__init__(self._datasets + [choice_dataset], _common_spec(self._datasets, what))

    def _cardinality(self) -> int:
        n = self._choices._cardinality()
        return n if n in (0, _card.INFINITE) and all(d._cardinality() == _card.INFINITE
                                                     for d in self._datasets) else _card.UNKNOWN

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        return _rows_to_chunks(self._rows(ctx), len(tree.flatten(self._spec)))

    def _rows(self, ctx: IterContext) -> Iterator[list[Any]]:
        its = [DatasetIterator(d, ctx) for d in self._datasets]
        done = [False] * len(its)
        for chunk in self._choices._chunks(ctx):
            for k in np.asarray(chunk.columns[0]).reshape(-1).tolist():
                if not 0 <= k < len(its):
                    raise InvalidArgumentError(f"Selector index out of range: {k} >= {len(its)}")
                if done[k]:
                    continue
                try:
                    yield its[k]._next_components()
                except StopIteration:
                    if self._stop:
                        return
                    done[k] = True
