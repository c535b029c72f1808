"""``prefetch``: elements and their order unchanged; a background thread only when the options ask for one.

Measured (``benchmarks/data_pipeline.py``, W1 fed by ``from_tensor_slices.shuffle(10000).batch(64).prefetch``, 9
paired runs on 2 shared cores): with the thread, 1.10x the arrays' CPU time and 1.09x their wall time; without
it, 1.02x and 1.01x. The pipeline's Python (shuffle draws, batch cuts) holds the GIL, so a second thread mostly
adds handoffs and contention; the earlier experiment of gathering batches in a helper thread
(benchmarks/README.md) found the same. So ``prefetch`` is a pass-through by default, and runs the pipeline
above it in a thread when ``tf.data.Options().threading.private_threadpool_size`` is 2 or more (a pipeline whose
``map`` spends its time in NumPy calls that release the GIL, or in file reads, may gain).

In the thread, chunks are handed over through a bounded queue and taken in order; an exception raised above is
re-raised to the consumer, with its traceback, when it reaches the element that failed; abandoning the iteration
stops the thread. Random draws inside a ``map`` then interleave with the training loop's own draws in a different
order than without the thread.
"""
from __future__ import annotations

import queue
import threading
from typing import Any, Iterator

from tensorlet.data.chunk import Chunk
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext

PREFETCH_THREADS = [True]  # False: never a thread, whatever the options say
_END = object()


class PrefetchDataset(Dataset):
    _repr_name = "_PrefetchDataset"

    def __init__(self, input_dataset: Dataset, buffer_size: Any) -> None:
        if hasattr(buffer_size, "numpy"):
            buffer_size = buffer_size.numpy()
        size = int(buffer_size)
        if size < -1:
            raise ValueError(f"prefetch: buffer_size must be >= 0 or tf.data.AUTOTUNE (-1), got {size}")
        self._input = input_dataset
        self._size = 2 if size == -1 else size  # AUTOTUNE: two chunks ahead
        super().__init__([input_dataset], input_dataset.element_spec)

    def _cardinality(self) -> int:
        return self._input._cardinality()

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        if self._size == 0 or not PREFETCH_THREADS[0] or not ctx.threads:
            return self._input._chunks(ctx)
        return _prefetched(self._input._chunks(ctx), self._size)


def _prefetched(source: Iterator[Chunk], size: int) -> Iterator[Chunk]:
    handoff: queue.Queue[Any] = queue.Queue(maxsize=max(1, size))
    stop = threading.Event()

    def produce() -> None:
        try:
            for chunk in source:
                while not stop.is_set():
                    try:
                        handoff.put(chunk, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            item: Any = _END
        except BaseException as e:  # noqa: BLE001 - handed to the consumer, which re-raises it
            item = e
        finally:
            close = getattr(source, "close", None)
            if close is not None and stop.is_set():
                close()
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    worker = threading.Thread(target=produce, name="tensorlet-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = handoff.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)
