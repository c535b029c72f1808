"""ImageLoadingDataset: the ``map(load_image)`` step of ``image_dataset_from_directory``, decoding on threads.

Keras maps ``tf.io.read_file``, ``tf.image.decode_image`` and ``tf.image.resize`` over a dataset of file paths
with ``num_parallel_calls=AUTOTUNE``. This dataset does that map on the host: its input yields paths (and labels),
and it yields the decoded, resized images (and the labels unchanged). Each slice of a chunk is decoded on a shared
pool of threads (Pillow's decoders and NumPy's loops release the GIL), the next slice while the current one is
consumed, so ``take(1)`` costs one slice and a full pass keeps both cores busy. The results come in input order
whatever thread finishes first (a shuffled dataset gives the same batches for the same seed).

Each image is written straight into its place in the slice's batch array, and each thread resizes in a
workspace of its own that it keeps between images (fresh temporaries would cost page faults that, for a photo,
are as costly as its resize).
"""
from __future__ import annotations

import concurrent.futures
import os
import threading
from typing import Any, Callable, Iterator

import numpy as np

from tensorlet.data.chunk import Chunk
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext
from tensorlet.dtypes import np_dtype
from tensorlet.ops.resize import Workspace

SLICE = 32  # images decoded per task batch: one Keras batch

_POOL: concurrent.futures.ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
_WORKSPACES = threading.local()  # one resize workspace per loading thread


def _pool() -> concurrent.futures.ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2),
                                                          thread_name_prefix="tensorlet-images")
    return _POOL


class ImageLoadingDataset(Dataset):
    """``input_dataset`` of paths, or of ``(path, label)``: images of ``image_spec``, labels kept.
    ``load(path, out, workspace)`` writes one image into ``out``."""

    _repr_name = "_ParallelMapDataset"

    def __init__(self, input_dataset: Dataset, load: Callable[[str, np.ndarray, Workspace], Any],
                 image_spec: Any) -> None:
        self._input, self._load = input_dataset, load
        self._shape, self._dtype = tuple(image_spec.shape), np_dtype(image_spec.dtype)
        spec = input_dataset.element_spec
        self._labelled = isinstance(spec, tuple)
        super().__init__([input_dataset], (image_spec, spec[1]) if self._labelled else image_spec)

    def _cardinality(self) -> int:
        return self._input._cardinality()

    def _load_into(self, path: Any, out: np.ndarray) -> None:
        work = getattr(_WORKSPACES, "work", None)
        if work is None:
            work = _WORKSPACES.work = Workspace()
        self._load(os.fsdecode(path), out, work)

    def _submit(self, chunk: Chunk, start: int) -> tuple[Chunk, int, np.ndarray, list[concurrent.futures.Future[None]]]:
        stop = min(chunk.n, start + SLICE)
        paths = chunk.columns[0][start:stop]
        images = np.empty((len(paths),) + self._shape, self._dtype)
        pool = _pool()
        return chunk, start, images, [pool.submit(self._load_into, p, images[i]) for i, p in enumerate(paths)]

    def _slices(self, ctx: IterContext) -> Iterator[tuple[Chunk, int]]:
        for chunk in self._input._chunks(ctx):
            for start in range(0, chunk.n, SLICE):
                yield chunk, start

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        pending = None
        for chunk, start in self._slices(ctx):
            submitted = self._submit(chunk, start)  # decodes while the previous slice is handed out
            if pending is not None:
                yield self._finish(*pending)
            pending = submitted
        if pending is not None:
            yield self._finish(*pending)

    def _finish(self, chunk: Chunk, start: int, images: np.ndarray,
                futures: list[concurrent.futures.Future[None]]) -> Chunk:
        for f in futures:
            f.result()  # in order: the first failing file's error is raised
        n = len(futures)
        if not self._labelled:
            return Chunk(n, [images])
        labels = chunk.columns[1]
        return Chunk(n, [images, labels[start:start + n]])
