"""Iterating a Dataset: ``iter(ds)`` (eager Tensors), ``as_numpy_iterator`` (NumPy values) and ``Optional``.

Each ``iter(ds)`` starts a new pass over the pipeline (a fresh shuffle order, a new read of the files). Elements
travel through the pipeline in chunks (``data.chunk``); the iterator cuts one element at a time out of the
current chunk and wraps its dense components as Tensors.

Iterating a dataset inside a traced function (``tf.function``) cannot be recorded into a plan: the elements would
be frozen into it. Such a function runs eagerly instead (its ``tf.function`` says why, once).
"""
from __future__ import annotations

from typing import Any
from typing import Iterator as _PyIterator

import numpy as np

from tensorlet.autodiff.context import state as _context
from tensorlet.autodiff.plan import mark_untraceable
from tensorlet.data import structure
from tensorlet.data.chunk import Chunk


class IterContext:
    """What one pass over a pipeline asks of every dataset in it (set by the transformations downstream)."""

    __slots__ = ("ignore_errors", "log_errors", "threads")

    def __init__(self, ignore_errors: bool = False, log_errors: bool = False, threads: bool = False) -> None:
        self.ignore_errors = ignore_errors
        self.log_errors = log_errors
        self.threads = threads  # prefetch may run the pipeline above it in a thread

    @staticmethod
    def of(dataset: Any) -> IterContext:
        """The context of a pass over ``dataset``, from its options."""
        size = dataset.options().threading.private_threadpool_size
        return IterContext(threads=isinstance(size, int) and size > 1)


def _untraceable() -> None:
    mark_untraceable("a tf.data.Dataset is iterated inside it (its elements cannot be recorded into a plan)")


class Iterator:
    """``tf.data.Iterator``: what ``iter(dataset)`` returns.

    Example:
        >>> import tensorlet as tf
        >>> it = iter(tf.data.Dataset.range(3))
        >>> next(it).numpy(), it.get_next().numpy()
        (np.int64(0), np.int64(1))
    """

    def __init__(self, dataset: Any, ctx: IterContext | None = None) -> None:
        if _context.tracing:
            _untraceable()
        self._spec = dataset.element_spec
        self._pack = structure.packer(self._spec)
        self._dataset, self._ctx = dataset, ctx
        self._source: _PyIterator[Chunk] | None = dataset._chunks(ctx if ctx is not None else IterContext.of(dataset))
        self._chunk: Chunk | None = None
        self._pos = 0
        self._n = 0
        self._consumed = 0  # elements produced so far (what a tf.train.Checkpoint saves)
        self._position: Any = None

    @property
    def element_spec(self) -> Any:
        return self._spec

    def __iter__(self) -> Iterator:
        return self

    def _next_components(self) -> list[Any]:
        if _context.tracing:
            _untraceable()
        while self._pos >= self._n:
            if self._source is None:
                raise StopIteration
            try:
                chunk = next(self._source)
            except StopIteration:
                self._source = None
                self._chunk = None
                raise
            self._chunk, self._pos, self._n = chunk, 0, chunk.n
        i = self._pos
        self._pos = i + 1
        self._consumed += 1
        return [c[i, ...] if type(c) is np.ndarray else c[i] for c in self._chunk.columns]  # type: ignore[union-attr]

    def __next__(self) -> Any:
        return self._pack([structure.public(c) for c in self._next_components()])

    def get_next(self) -> Any:
        """The next element; ``tf.errors.OutOfRangeError`` at the end (``next()`` raises StopIteration)."""
        try:
            return next(self)
        except StopIteration:
            from tensorlet.errors import OutOfRangeError

            raise OutOfRangeError("End of sequence") from None

    def get_next_as_optional(self) -> Optional:
        try:
            return Optional(next(self), self._spec)
        except StopIteration:
            return Optional(None, self._spec, has_value=False)

    def _next_chunk(self) -> Chunk | None:
        """The rest of the current chunk, or the next one (for consumers that take elements in bulk)."""
        if _context.tracing:
            _untraceable()
        if self._pos < self._n and self._chunk is not None:
            from tensorlet.data.chunk import slice_rows

            rest = slice_rows(self._chunk, self._pos, self._n)
            self._pos = self._n
            self._consumed += rest.n
            return rest
        if self._source is None:
            return None
        for chunk in self._source:
            if chunk.n:
                self._consumed += chunk.n
                return chunk
        self._source = None
        return None

    # -- tf.train.Checkpoint (data/iterator_checkpoint.py) --------------------------------------------------------
    def _checkpoint_children(self) -> list[tuple[str, Any]]:
        from tensorlet.data.iterator_checkpoint import IteratorPosition

        if self._position is None:
            self._position = IteratorPosition(self)
        self._position.sync(self._consumed)
        return [("position", self._position)]

    def _seek(self, position: int) -> None:
        """Skip to element ``position`` of a pass over the dataset (a checkpoint restore): the iterator's own pass
        when it has produced nothing yet, else a new one (which a shuffle orders anew, as a new epoch)."""
        ds = self._dataset
        if self._consumed or self._source is None:  # a fresh iterator keeps its pass (and its shuffle order)
            self._source = ds._chunks(self._ctx if self._ctx is not None else IterContext.of(ds))
        self._chunk, self._pos, self._n, self._consumed = None, 0, 0, 0
        while self._consumed < position and self._source is not None:
            if self._pos >= self._n:
                chunk = next(self._source, None)
                if chunk is None:
                    self._source = None
                    break
                if self._consumed + chunk.n <= position:  # skip a whole chunk
                    self._consumed += chunk.n
                    continue
                self._chunk, self._pos, self._n = chunk, 0, chunk.n
            step = min(self._n - self._pos, position - self._consumed)
            self._pos += step
            self._consumed += step


class NumpyIterator:
    """What ``as_numpy_iterator()`` returns: elements with NumPy arrays (scalars as NumPy scalars, strings as
    ``bytes``) in place of Tensors."""

    def __init__(self, dataset: Any) -> None:
        self._iterator = Iterator(dataset)

    def __iter__(self) -> NumpyIterator:
        return self

    def __next__(self) -> Any:
        it = self._iterator
        return it._pack([_to_numpy(c) for c in it._next_components()])

    def __repr__(self) -> str:
        return f"NumpyIterator(iterator={self._iterator!r})"


def _to_numpy(component: Any) -> Any:
    if type(component) is np.ndarray:
        return component[()] if component.ndim == 0 else component
    if structure.is_dataset(component):
        return NumpyIterator(component)
    return component.numpy()


class Optional:
    """``tf.experimental.Optional``: a value that may be missing (``get_next_as_optional``)."""

    def __init__(self, value: Any, element_spec: Any, has_value: bool = True) -> None:
        self._value, self._spec, self._has = value, element_spec, has_value

    def has_value(self) -> Any:
        from tensorlet.autodiff.tensor import constant

        return constant(self._has)

    def get_value(self) -> Any:
        if not self._has:
            from tensorlet.errors import InvalidArgumentError

            raise InvalidArgumentError("The optional does not have a value")
        return self._value

    @property
    def element_spec(self) -> Any:
        return self._spec

    @staticmethod
    def empty(element_spec: Any) -> Optional:
        return Optional(None, element_spec, has_value=False)

    @staticmethod
    def from_value(value: Any) -> Optional:
        return Optional(value, structure.spec_of_element(structure.normalize(value)))
