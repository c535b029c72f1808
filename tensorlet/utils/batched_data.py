"""BatchedData: in-memory samples served as batches, the stand-in for a ``tf.data.Dataset`` that the
``*_dataset_from_directory`` loaders return until tensorlet has tf.data.

It is indexable (``len`` batches, ``data[i]``), so ``fit``/``evaluate``/``predict`` read it as a Keras Sequence and
every epoch sees all batches (reshuffled each epoch when ``shuffle``); iterating gives ``(x, y)`` (or ``x``)
batches of Tensors, text as string tensors. The few Dataset methods courses chain on these loaders work:
``take``, ``skip``, ``map``, ``cache``, ``prefetch``, ``shuffle``, ``unbatch``/``as_numpy_iterator``.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from tensorlet.autodiff.tensor import _wrap


class BatchedData:
    """Batches of ``elements`` (a tuple of equally long NumPy arrays: inputs, then labels)."""

    def __init__(self, elements: tuple[np.ndarray, ...], batch_size: int | None, shuffle: bool = False,
                 seed: int | None = None, transform: Callable[..., Any] | None = None,
                 batch_range: tuple[int, int] | None = None, **attributes: Any) -> None:
        self.elements = elements
        self.batch_size = batch_size
        self.shuffle_each_epoch = shuffle
        self._rng = np.random.RandomState(seed)
        self._transform = transform
        n = len(elements[0])
        total = (n + batch_size - 1) // batch_size if batch_size else n
        self._range = batch_range or (0, total)
        self._order = np.arange(n)
        for key, value in attributes.items():  # class_names, file_paths...
            setattr(self, key, value)
        self._attributes = attributes

    # -- the Sequence protocol (what fit reads) -----------------------------------------------------------
    def __len__(self) -> int:
        return self._range[1] - self._range[0]

    def __getitem__(self, i: int) -> Any:
        if not 0 <= i < len(self):
            raise IndexError(f"batch index {i} out of range for {len(self)} batches")
        k = self._range[0] + i
        if self.batch_size:
            idx = self._order[k * self.batch_size:(k + 1) * self.batch_size]
            parts = tuple(_tensor(e[idx]) for e in self.elements)
        else:
            parts = tuple(_tensor(e[self._order[k]]) for e in self.elements)
        item = parts if len(parts) > 1 else parts[0]
        if self._transform is not None:
            item = self._transform(*item) if isinstance(item, tuple) else self._transform(item)
        return item

    def on_epoch_end(self) -> None:
        if self.shuffle_each_epoch:
            self._rng.shuffle(self._order)

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self)):
            yield self[i]

    # -- the Dataset methods courses use ----------------------------------------------------------------------
    def _copy(self, **changes: Any) -> BatchedData:
        args = dict(elements=self.elements, batch_size=self.batch_size, shuffle=self.shuffle_each_epoch,
                    transform=self._transform, batch_range=self._range, **self._attributes)
        args.update(changes)
        out = BatchedData(**args)
        out._order = self._order.copy()
        return out

    def take(self, count: int) -> BatchedData:
        start, stop = self._range
        return self._copy(batch_range=(start, stop if count < 0 else min(stop, start + int(count))))

    def skip(self, count: int) -> BatchedData:
        start, stop = self._range
        return self._copy(batch_range=(min(stop, start + int(count)), stop))

    def map(self, fn: Callable[..., Any], num_parallel_calls: Any = None, deterministic: Any = None) -> BatchedData:
        inner = self._transform
        if inner is None:
            return self._copy(transform=fn)

        def composed(*args: Any) -> Any:
            out = inner(*args)
            return fn(*out) if isinstance(out, tuple) else fn(out)

        return self._copy(transform=composed)

    def cache(self, filename: str = "") -> BatchedData:
        return self

    def prefetch(self, buffer_size: Any = None) -> BatchedData:
        return self

    def shuffle(self, buffer_size: int, seed: int | None = None, reshuffle_each_iteration: bool = True) -> BatchedData:
        out = self._copy(shuffle=bool(reshuffle_each_iteration))
        out._rng = np.random.RandomState(seed)
        out._rng.shuffle(out._order)
        return out

    def unbatch(self) -> list[Any]:
        """The samples one by one (a list; a Dataset would stay lazy)."""
        out = []
        for batch in self:
            parts = batch if isinstance(batch, tuple) else (batch,)
            for row in zip(*[np.asarray(p) for p in parts]):
                out.append(tuple(_tensor(np.asarray(v)) for v in row) if len(row) > 1 else _tensor(np.asarray(row[0])))
        return out

    def as_numpy_iterator(self) -> Iterator[Any]:
        for batch in self:
            yield tuple(np.asarray(p) for p in batch) if isinstance(batch, tuple) else np.asarray(batch)

    def __repr__(self) -> str:
        return f"<BatchedData: {len(self)} batches of {self.batch_size}, {len(self.elements)} element(s)>"


def _tensor(a: Any) -> Any:
    return _wrap(np.asarray(a))
