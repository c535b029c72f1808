"""Sequence / PyDataset: indexable batch sources for fit (``__len__`` batches, ``__getitem__(i)``)."""
from __future__ import annotations

from typing import Any


class PyDataset:
    """Base class for datasets yielding ``(x, y[, sample_weight])`` batches by index.

    Subclasses implement ``__len__`` (number of batches) and ``__getitem__(index)``; ``on_epoch_end`` runs
    after each epoch (shuffle there).
    """

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10) -> None:
        self.workers, self.use_multiprocessing, self.max_queue_size = workers, use_multiprocessing, max_queue_size

    def __len__(self) -> int:
        raise NotImplementedError("A PyDataset subclass must define __len__ (its number of batches)")

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError("A PyDataset subclass must define __getitem__(index) returning a batch")

    def on_epoch_end(self) -> None:
        pass

    def __iter__(self) -> Any:
        for i in range(len(self)):
            yield self[i]


Sequence = PyDataset
