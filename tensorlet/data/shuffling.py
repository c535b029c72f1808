"""``shuffle``: TensorFlow's buffer semantics, with the element moves vectorized per chunk.

TensorFlow fills a buffer with the first ``buffer_size`` elements; each output is then a uniform draw from the
buffer, whose slot is refilled with the next input element; when the input ends, the rest of the buffer comes out
in random order. So the i-th output is one of the first ``i + buffer_size`` inputs, and a buffer smaller than the
dataset shuffles only locally (``shuffle(1)`` changes nothing).

Here the draws for a whole incoming chunk are made at once: output ``j`` takes slot ``s[j]``, which holds either
what it held before the chunk or, if an earlier input of this chunk was written there, the latest such input.
Sorting the slots (stably) finds that earlier writer for every output, so a chunk costs a few NumPy calls instead
of a Python step per element, with the same distribution as drawing one by one. The buffer holds copies of at
most ``buffer_size`` elements and nothing else: memory is bounded by the buffer, as in TensorFlow.

When the input only selects rows of in-memory arrays (``from_tensor_slices``, possibly through ``repeat``,
``take``, ``skip``), the buffer holds row numbers instead of rows and each output chunk is gathered from the
arrays once: the same draws, one copy of each element instead of two (into the buffer, out of it), and a buffer
of integers.
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from tensorlet.data.chunk import MAX_ROWS, Chunk, as_list, concat, slice_rows
from tensorlet.data.dataset import Dataset, positive_int
from tensorlet.data.iterator import IterContext
from tensorlet.data.seeds import base_seed, pass_rng


class ShuffleDataset(Dataset):
    _repr_name = "_ShuffleDataset"

    def __init__(self, input_dataset: Dataset, buffer_size: Any, seed: int | None,
                 reshuffle_each_iteration: bool | None) -> None:
        self._input = input_dataset
        if hasattr(buffer_size, "numpy"):
            buffer_size = buffer_size.numpy()
        self._buffer_size = positive_int(buffer_size, "shuffle: buffer_size")
        self._base = base_seed(seed)
        self._reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        self._passes = 0
        super().__init__([input_dataset], input_dataset.element_spec)

    def _cardinality(self) -> int:
        return self._input._cardinality()

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        rng = pass_rng(self._base, self._passes, self._reshuffle)
        self._passes += 1
        indexed = self._input._indexed()
        if indexed is not None:  # rows of in-memory arrays: shuffle their row numbers, gather each chunk once
            columns, index_chunks = indexed
            numbers = (Chunk(len(a), [a]) for a in index_chunks(ctx))
            for out in _shuffled(numbers, self._buffer_size, rng):
                idx = out.columns[0]
                yield Chunk(out.n, [c.take(idx, axis=0) if type(c) is np.ndarray else [c[i] for i in idx.tolist()]
                                    for c in columns])
            return
        yield from _shuffled(self._input._chunks(ctx), self._buffer_size, rng)


def _shuffled(chunks: Iterator[Chunk], size: int, rng: np.random.Generator) -> Iterator[Chunk]:
    buffer = ShuffleBuffer(size, rng)
    for chunk in chunks:
        out = buffer.push(chunk)
        if out is not None:
            yield out
    yield from buffer.drain()


class ShuffleBuffer:
    """At most ``size`` elements; ``push`` returns what comes out while a chunk goes in."""

    def __init__(self, size: int, rng: np.random.Generator) -> None:
        self.size, self.rng = size, rng
        self.filling: list[Chunk] = []  # the first elements, kept as they came until the buffer is full
        self.count = 0
        self.columns: list[Any] | None = None

    def push(self, chunk: Chunk) -> Chunk | None:
        start = 0
        if self.columns is None:
            room = self.size - self.count
            part = slice_rows(chunk, 0, room)
            self.filling.append(part)
            self.count += part.n
            start = part.n
            if self.count < self.size:
                return None
            filled = concat(self.filling)
            # one chunk is the input's own arrays (a view of a source, perhaps): copy; a concatenation is new
            self.columns = [_own(c) for c in filled.columns] if len(self.filling) == 1 else filled.columns
            self.filling = []
        if start >= chunk.n:
            return None
        return self._exchange(slice_rows(chunk, start, chunk.n))

    def _exchange(self, incoming: Chunk) -> Chunk:
        k = incoming.n
        slots = self.rng.integers(0, self.size, size=k)
        order = np.argsort(slots, kind="stable")
        ordered = slots[order]
        same = ordered[1:] == ordered[:-1]
        earlier = np.full(k, -1, dtype=np.int64)  # the input of this chunk written to the slot last, if any
        earlier[order[1:][same]] = order[:-1][same]
        from_input = earlier >= 0
        any_input = bool(from_input.any())
        last = np.ones(k, dtype=bool)
        last[:-1] = ~same
        writers, written = order[last], ordered[last]
        out_columns: list[Any] = []
        assert self.columns is not None
        for j, (buf, new) in enumerate(zip(self.columns, incoming.columns)):
            if type(buf) is np.ndarray and type(new) is np.ndarray and buf.shape[1:] == new.shape[1:] \
                    and buf.dtype == new.dtype:
                out: Any = buf.take(slots, axis=0)  # one gather; the few slots refilled within the chunk fixed below
                if any_input:
                    out[from_input] = new[earlier[from_input]]
                buf[written] = new[writers]
            else:
                buf = self.columns[j] = as_list(buf) if type(buf) is np.ndarray else buf
                rows = as_list(new)
                out = [rows[e] if e >= 0 else buf[s] for s, e in zip(slots.tolist(), earlier.tolist())]
                for s, w in zip(written.tolist(), writers.tolist()):
                    buf[s] = rows[w]
            out_columns.append(out)
        return Chunk(k, out_columns)

    def drain(self) -> Iterator[Chunk]:
        if self.columns is None:
            if not self.filling:
                return
            columns = concat(self.filling).columns
            self.filling = []
        else:
            columns = self.columns
        order = self.rng.permutation(self.count)
        self.columns, self.count = None, 0
        for start in range(0, len(order), MAX_ROWS):
            idx = order[start:start + MAX_ROWS]
            yield Chunk(len(idx), [c[idx] if type(c) is np.ndarray else [c[i] for i in idx.tolist()]
                                   for c in columns])


def _own(column: Any) -> Any:
    """A buffer column that the shuffle may write into (never a view of its input)."""
    return column.copy() if type(column) is np.ndarray else list(column)
