"""A ``tf.data`` iterator in a ``tf.train.Checkpoint``: its position, as TensorFlow's checkpoint guide saves
``iterator=iter(dataset)`` beside the model and optimizer.

TensorFlow stores the iterator's internal state (``iterator/.ATTRIBUTES/ITERATOR_STATE``). tensorlet stores how
many elements the iterator has produced, as an int64 variable ``iterator/position/.ATTRIBUTES/VARIABLE_VALUE``;
restoring skips that many elements of the iterator's pass (a new pass when it has already produced elements).
Restoring into a fresh iterator, as the guide does, reproduces TensorFlow's result for deterministic pipelines and
shuffles with a fixed ``seed``; otherwise a shuffle continues from the same position in a new order.
"""
from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Variable


class IteratorPosition(Variable):
    """The number of elements an iterator has produced; assigning it (a checkpoint restore) moves the iterator."""

    def __init__(self, iterator: Any) -> None:
        super().__init__(np.int64(0), trainable=False, name="position", dtype="int64")
        self._iterator = weakref.ref(iterator)

    def sync(self, consumed: int) -> None:
        """Record the iterator's position (before a save); does not move the iterator."""
        Variable.assign(self, np.int64(consumed))

    def assign(self, value: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Any:
        out = super().assign(value, use_locking, name, read_value)
        iterator = self._iterator()
        if iterator is not None:
            position = int(np.asarray(self.numpy()))
            if position < 0:
                raise ValueError(f"tf.data iterator checkpoint: the position must be 0 or more, got {position}")
            iterator._seek(position)
        return out
