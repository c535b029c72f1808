"""``take``, ``skip``, ``repeat``, ``concatenate`` and ``shard``: which elements, and how many times."""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from tensorlet.data import cardinality as _card
from tensorlet.data import structure
from tensorlet.data.chunk import Chunk, slice_rows, take
from tensorlet.data.dataset import Dataset, check_dataset
from tensorlet.data.iterator import IterContext


def _count(value: Any, what: str) -> int:
    if hasattr(value, "numpy"):
        value = value.numpy()
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be an integer, got {type(value).__name__} {value!r}") from None
    if n < -1:
        raise ValueError(f"{what} must be >= -1 (-1: all), got {n}")
    return n


class TakeDataset(Dataset):
    _repr_name = "_TakeDataset"

    def __init__(self, input_dataset: Dataset, count: Any) -> None:
        self._input = input_dataset
        self._count = _count(count, "take: count")
        super().__init__([input_dataset], input_dataset.element_spec)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if self._count == -1:
            return n
        if n == _card.UNKNOWN:
            return _card.UNKNOWN
        return self._count if n == _card.INFINITE else min(n, self._count)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        return _take(self._input._chunks(ctx), self._count, lambda c: c.n, slice_rows)

    def _indexed(self) -> Any:
        inner = self._input._indexed()
        if inner is None:
            return None
        columns, indices = inner
        return columns, lambda ctx: _take(indices(ctx), self._count, len, lambda a, i, j: a[i:j])


class SkipDataset(Dataset):
    _repr_name = "_SkipDataset"

    def __init__(self, input_dataset: Dataset, count: Any) -> None:
        self._input = input_dataset
        self._count = _count(count, "skip: count")
        super().__init__([input_dataset], input_dataset.element_spec)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return 0 if self._count == -1 and n == _card.INFINITE else n
        return 0 if self._count == -1 else max(0, n - self._count)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        return _skip(self._input._chunks(ctx), self._count, lambda c: c.n, slice_rows)

    def _indexed(self) -> Any:
        inner = self._input._indexed()
        if inner is None:
            return None
        columns, indices = inner
        return columns, lambda ctx: _skip(indices(ctx), self._count, len, lambda a, i, j: a[i:j])


class RepeatDataset(Dataset):
    _repr_name = "_RepeatDataset"

    def __init__(self, input_dataset: Dataset, count: Any) -> None:
        self._input = input_dataset
        self._count = -1 if count is None else _count(count, "repeat: count")
        super().__init__([input_dataset], input_dataset.element_spec)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if self._count == -1:
            return 0 if n == 0 else (_card.UNKNOWN if n == _card.UNKNOWN else _card.INFINITE)
        if n < 0:
            return n if self._count else 0
        return n * self._count

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        return _repeat(lambda: self._input._chunks(ctx), self._count, lambda c: c.n)

    def _indexed(self) -> Any:
        inner = self._input._indexed()
        if inner is None:
            return None
        columns, indices = inner
        return columns, lambda ctx: _repeat(lambda: indices(ctx), self._count, len)


class ConcatenateDataset(Dataset):
    _repr_name = "_ConcatenateDataset"

    def __init__(self, first: Dataset, second: Any) -> None:
        check_dataset(second, "concatenate: dataset")
        spec = structure.most_specific_compatible(first.element_spec, second.element_spec, "concatenate")
        self._first, self._second = first, second
        super().__init__([first, second], spec)

    def _cardinality(self) -> int:
        return _card.add(self._first._cardinality(), self._second._cardinality())

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        yield from self._first._chunks(ctx)
        yield from self._second._chunks(ctx)


class ShardDataset(Dataset):
    _repr_name = "_ShardDataset"

    def __init__(self, input_dataset: Dataset, num_shards: Any, index: Any) -> None:
        shards, idx = int(num_shards), int(index)
        if shards < 1:
            raise ValueError(f"shard: num_shards must be >= 1, got {shards}")
        if not 0 <= idx < shards:
            raise ValueError(f"shard: index must be in [0, num_shards={shards}), got {idx}")
        self._input, self._shards, self._index = input_dataset, shards, idx
        super().__init__([input_dataset], input_dataset.element_spec)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._shards + (1 if n % self._shards > self._index else 0)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        offset = 0  # position of the chunk's first element in the input
        shards, index = self._shards, self._index
        for chunk in self._input._chunks(ctx):
            first = (index - offset) % shards
            picks = np.arange(first, chunk.n, shards)
            offset += chunk.n
            if picks.size:
                yield take(chunk, picks)


# The selections work alike on chunks and on arrays of row numbers (``Dataset._indexed``): ``size`` and ``cut``
# say how to measure and slice a piece.
def _take(pieces: Iterator[Any], count: int, size: Callable[[Any], int], cut: Callable[[Any, int, int], Any]
          ) -> Iterator[Any]:
    if count == -1:
        yield from pieces
        return
    left = count
    if left == 0:
        return
    for piece in pieces:
        n = size(piece)
        if n >= left:
            yield cut(piece, 0, left)
            return
        left -= n
        yield piece


def _skip(pieces: Iterator[Any], count: int, size: Callable[[Any], int], cut: Callable[[Any, int, int], Any]
          ) -> Iterator[Any]:
    left = count
    for piece in pieces:
        n = size(piece)
        if left == -1:
            continue
        if left >= n:
            left -= n
            continue
        yield cut(piece, left, n) if left else piece
        left = 0


def _repeat(start: Callable[[], Iterator[Any]], count: int, size: Callable[[Any], int]) -> Iterator[Any]:
    done = 0
    while count == -1 or done < count:
        produced = False
        for piece in start():
            produced = produced or size(piece) > 0
            yield piece
        done += 1
        if not produced:
            return  # an empty dataset repeated without end is empty, not a hang (as in TensorFlow)
