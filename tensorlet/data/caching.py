"""``cache``: keep the elements of the first complete pass, in memory or in a file, and serve later passes from
there without running the pipeline above (no file read again, no ``map`` call again).

In memory, the cache holds the chunks as they came (a ``from_tensor_slices`` source's chunks are views of its
arrays, so caching it costs nothing). With a filename, the elements go to ``<filename>.data-00000-of-00001``
(renamed from a temporary file when the pass completes) and ``<filename>.index`` marks a complete cache; a later
run of the program reads it. A pass that stops early (``take``) keeps nothing, as in TensorFlow.
"""
from __future__ import annotations

import json
import os
import threading
from typing import Any, Iterator

from tensorlet import tf_logging
from tensorlet.data.chunk import Chunk
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext
from tensorlet.data.serialization import decode_chunk, encode_chunk
from tensorlet.summary.record_framing import frame, read_frames

_PARTIAL = ("The calling iterator did not fully read the dataset being cached. In order to avoid unexpected "
            "truncation of the dataset, the partially cached contents of the dataset will be discarded. This can "
            "happen if you have an input pipeline similar to `dataset.cache().take(k).repeat()`. You should use "
            "`dataset.take(k).cache().repeat()` instead.")


class CacheDataset(Dataset):
    _repr_name = "CacheDataset"

    def __init__(self, input_dataset: Dataset, filename: Any) -> None:
        if hasattr(filename, "numpy"):
            filename = filename.numpy()
        self._input = input_dataset
        self._filename = os.fsdecode(filename) if filename else ""
        self._memory: list[Chunk] | None = None
        self._lock = threading.Lock()
        self.source_passes = 0  # how many passes read the input (the first, or more if it was never completed)
        super().__init__([input_dataset], input_dataset.element_spec)

    def _cardinality(self) -> int:
        return self._input._cardinality()

    @property
    def _data_path(self) -> str:
        return self._filename + ".data-00000-of-00001"

    @property
    def _index_path(self) -> str:
        return self._filename + ".index"

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        if self._filename:
            return self._file_chunks(ctx)
        return self._memory_chunks(ctx)

    def _memory_chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        cached = self._memory
        if cached is not None:
            yield from cached
            return
        self.source_passes += 1
        kept: list[Chunk] = []
        complete = False
        try:
            for chunk in self._input._chunks(ctx):
                kept.append(chunk)
                yield chunk
            complete = True
        finally:
            if complete:
                with self._lock:
                    if self._memory is None:
                        self._memory = kept
            elif kept:
                tf_logging.warning(_PARTIAL)

    def _file_chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        if os.path.exists(self._index_path) and os.path.exists(self._data_path):
            with open(self._data_path, "rb") as f:
                for record in read_frames(f, self._data_path):
                    yield decode_chunk(record)
            return
        self.source_passes += 1
        directory = os.path.dirname(self._filename)
        if directory:
            os.makedirs(directory, exist_ok=True)
        temp = f"{self._data_path}.tmp-{os.getpid()}-{threading.get_ident()}"
        count = 0
        complete = False
        try:
            with open(temp, "wb") as out:
                for chunk in self._input._chunks(ctx):
                    out.write(frame(encode_chunk(chunk)))
                    count += chunk.n
                    yield chunk
            complete = True
        finally:
            if complete:
                os.replace(temp, self._data_path)
                with open(self._index_path, "w") as f:
                    json.dump({"format": "tensorlet cache 1", "elements": count,
                               "element_spec": repr(self._spec)}, f)
            else:
                if os.path.exists(temp):
                    os.remove(temp)
                if count:
                    tf_logging.warning(_PARTIAL)
