"""``rejection_resample``: reshape the class distribution of a dataset towards ``target_dist``.

TensorFlow's scheme, with its formulas: with ``p`` the initial class distribution (given, or estimated while
reading from counts smoothed by 10 per class and updated every 32 elements) and ``t`` the target, let
``r_i = t_i / p_i``. Elements are drawn from the original data with probability ``m = min(r)``, and otherwise from a
copy of the data filtered by rejection, class ``i`` accepted with probability ``(r_i - m) / (max(r) - m)``. Both
streams read the input separately. Elements come out as ``(class, element)`` pairs.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from tensorlet.data import structure
from tensorlet.data.chunk import Chunk, take
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext
from tensorlet.data.seeds import base_seed, pass_rng

_SMOOTHING, _ESTIMATION_BATCH = 10, 32


def _probabilities(initial: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, float]:
    """Per-class acceptance probabilities of the filtered stream, and the probability of the original one."""
    ratio = target / (initial + np.finfo(np.float32).tiny)
    low, high = float(ratio.min()), float(ratio.max())
    accept = (ratio - low) / (high - low) if high > low else np.zeros_like(ratio)
    return accept, low


def _estimates(classes: Iterator[int], n: int) -> Iterator[np.ndarray]:
    """The running estimate of the class distribution for each element (updated per block of 32 classes)."""
    counts = np.full(n, _SMOOTHING, dtype=np.int64)
    block: list[int] = []
    for c in classes:
        block.append(c)
        if len(block) == _ESTIMATION_BATCH:
            counts += np.bincount(block, minlength=n)[:n]
            yield from [counts / counts.sum()] * len(block)
            block = []
    if block:
        counts += np.bincount(block, minlength=n)[:n]
        yield from [counts / counts.sum()] * len(block)


class _Rejection(Dataset):
    """The filtered stream: each (class, element) kept with its class's acceptance probability."""

    _repr_name = "_FilterDataset"

    def __init__(self, with_class: Dataset, target: np.ndarray, initial: np.ndarray | None, seed: int | None
                 ) -> None:
        self._input, self._target, self._initial = with_class, target, initial
        self._base = base_seed(seed)
        self._passes = 0
        super().__init__([with_class], with_class.element_spec)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        rng = pass_rng(self._base, self._passes, True)
        self._passes += 1
        n = len(self._target)
        estimate = _estimates(self._classes(ctx), n) if self._initial is None else None
        for chunk in self._input._chunks(ctx):
            classes = np.asarray(chunk.columns[0]).reshape(chunk.n).astype(np.int64)
            if estimate is None:
                accept = _probabilities(self._initial, self._target)[0][classes]  # type: ignore[arg-type]
            else:
                accept = np.asarray([_probabilities(next(estimate), self._target)[0][c] for c in classes])
            keep = np.flatnonzero(rng.random(chunk.n) < accept)
            if keep.size:
                yield take(chunk, keep)

    def _classes(self, ctx: IterContext) -> Iterator[int]:
        for chunk in self._input._chunks(ctx):
            yield from np.asarray(chunk.columns[0]).reshape(-1).astype(np.int64).tolist()


def rejection_resample(dataset: Dataset, class_func: Callable[..., Any], target_dist: Any, initial_dist: Any,
                       seed: int | None) -> Dataset:
    target = np.asarray(getattr(target_dist, "_value", target_dist), dtype=np.float32).reshape(-1)
    initial = None if initial_dist is None else \
        np.asarray(getattr(initial_dist, "_value", initial_dist), dtype=np.float32).reshape(-1)
    if initial is not None and initial.shape != target.shape:
        raise ValueError(f"rejection_resample: initial_dist has {initial.size} classes, target_dist {target.size}")
    spec = dataset.element_spec

    def add_class(*element: Any) -> Any:
        value = element if type(spec) is tuple else element[0]
        return structure.call_with_element(class_func, value, spec), value

    with_class = dataset.map(add_class)
    filtered = _Rejection(with_class, target, initial, seed)
    if initial is not None:
        m = _probabilities(initial, target)[1]
        if m >= 1:
            return with_class
        if m <= 0:
            return filtered
        return Dataset.sample_from_datasets([with_class, filtered], [m, 1 - m], seed, stop_on_empty_dataset=True)
    classes = with_class.map(lambda c, _: c)
    weights = _EstimatedWeights(classes, target)
    return Dataset.sample_from_datasets([with_class, filtered], weights, seed, stop_on_empty_dataset=True)


class _EstimatedWeights(Dataset):
    """``(m, 1 - m)`` per element, from the running estimate of the class distribution."""

    _repr_name = "_MapDataset"

    def __init__(self, classes: Dataset, target: np.ndarray) -> None:
        from tensorlet.tensor_spec import TensorSpec

        self._classes_ds, self._target = classes, target
        super().__init__([classes], TensorSpec((2,), "float32"))

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        def classes() -> Iterator[int]:
            for chunk in self._classes_ds._chunks(ctx):
                yield from np.asarray(chunk.columns[0]).reshape(-1).astype(np.int64).tolist()
        pending: list[np.ndarray] = []
        for estimate in _estimates(classes(), len(self._target)):
            m = _probabilities(estimate, self._target)[1]
            pending.append(np.asarray([m, 1 - m], np.float32))
            if len(pending) == 256:
                yield Chunk(len(pending), [np.stack(pending)])
                pending = []
        if pending:
            yield Chunk(len(pending), [np.stack(pending)])



