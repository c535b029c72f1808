"""File sources: ``TextLineDataset``, ``TFRecordDataset`` and ``Dataset.list_files``.

A file dataset reads its files at each iteration, one after another, or ``num_parallel_reads`` at a time with
their elements interleaved one by one (TensorFlow's deterministic parallel read order).
"""
from __future__ import annotations

import gzip
import os
from typing import Any, Callable, Iterator

import numpy as np

from tensorlet import dtypes as _dtypes
from tensorlet.autodiff.tensor import Tensor
from tensorlet.data.chunk import MAX_ROWS, Chunk
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext
from tensorlet.errors import InvalidArgumentError, NotFoundError
from tensorlet.io import tfrecord
from tensorlet.tensor_spec import TensorSpec


def filenames_of(filenames: Any, what: str) -> Any:
    """A list of file names, or a dataset of them (read at each iteration)."""
    if isinstance(filenames, Dataset):
        spec = filenames.element_spec
        if not (isinstance(spec, TensorSpec) and spec.dtype.name == "string" and
                (spec._unknown_rank or len(spec.shape) == 0)):
            raise TypeError(f"{what}: a dataset of filenames must have scalar tf.string elements, got {spec!r}")
        return filenames
    if isinstance(filenames, Tensor):
        filenames = filenames.numpy()
    if isinstance(filenames, (str, bytes, os.PathLike)):
        filenames = [filenames]
    names = [os.fsdecode(f) for f in np.asarray(filenames, dtype=object).reshape(-1).tolist()]
    if not names:
        raise ValueError(f"{what}: `filenames` must contain at least one file name")
    return names


def _object_chunk(values: list[Any]) -> Chunk:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return Chunk(len(values), [out])


class _FileDataset(Dataset):
    """Reads each file with ``_read(path)`` (a generator of bytes elements)."""

    def __init__(self, filenames: Any, compression_type: Any, num_parallel_reads: Any, what: str) -> None:
        self._files = filenames_of(filenames, what)
        self._compression = tfrecord.compression_kind(compression_type)
        n = 1 if num_parallel_reads is None else int(num_parallel_reads)
        self._parallel = max(1, os.cpu_count() or 1) if n == -1 else max(1, n)
        super().__init__([self._files] if isinstance(self._files, Dataset) else [], TensorSpec((), "string"))

    def _read(self, path: str) -> Iterator[bytes]:
        raise NotImplementedError

    def _names(self, ctx: IterContext) -> Iterator[str]:
        if isinstance(self._files, Dataset):
            for chunk in self._files._chunks(ctx):
                yield from (os.fsdecode(v) for v in np.asarray(chunk.columns[0]).reshape(-1).tolist())
        else:
            yield from self._files

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        if self._parallel == 1:
            for path in self._names(ctx):
                pending: list[bytes] = []
                for item in self._read(path):
                    pending.append(item)
                    if len(pending) == MAX_ROWS:
                        yield _object_chunk(pending)
                        pending = []
                if pending:
                    yield _object_chunk(pending)
            return
        pending = []
        for item in _round_robin(self._names(ctx), self._read, self._parallel):
            pending.append(item)
            if len(pending) == MAX_ROWS:
                yield _object_chunk(pending)
                pending = []
        if pending:
            yield _object_chunk(pending)


def _round_robin(names: Iterator[str], read: Callable[[str], Iterator[bytes]], cycle: int) -> Iterator[bytes]:
    """One element from each of ``cycle`` open files in turn; an ended file's place goes to the next file."""
    open_: list[Iterator[bytes] | None] = [None] * cycle
    index, n_open, end = 0, 0, False
    while not end or n_open:
        it = open_[index]
        if it is not None:
            item = next(it, None)
            if item is None:
                open_[index], n_open = None, n_open - 1
            else:
                yield item
            index = (index + 1) % cycle
        elif not end:
            name = next(names, None)
            if name is None:
                end = True
            else:
                open_[index], n_open = read(name), n_open + 1
        else:
            index = (index + 1) % cycle


def _open_text(path: str, compression: str) -> Any:
    if not os.path.exists(path):
        raise NotFoundError(f"{path}; No such file or directory")
    if compression == "GZIP":
        return gzip.open(path, "rb")
    return tfrecord.open_for_reading(path, compression)


class TextLineDataset(_FileDataset):
    """``tf.data.TextLineDataset(filenames)``: the lines of text files, without their line ends (``\\n`` or
    ``\\r\\n``), as scalar strings.

    Example:
        >>> import os, tempfile, tensorlet as tf
        >>> path = os.path.join(tempfile.mkdtemp(), "lines.txt")
        >>> tf.io.write_file(path, "first\\nsecond\\n")
        >>> [line.numpy() for line in tf.data.TextLineDataset(path)]
        [b'first', b'second']
    """

    _repr_name = "TextLineDatasetV2"

    def __init__(self, filenames: Any, compression_type: Any = None, buffer_size: Any = None,
                 num_parallel_reads: Any = None, name: Any = None) -> None:
        super().__init__(filenames, compression_type, num_parallel_reads, "TextLineDataset")

    def _read(self, path: str) -> Iterator[bytes]:
        with _open_text(path, self._compression) as f:
            for line in f:
                if line.endswith(b"\n"):
                    line = line[:-2] if line.endswith(b"\r\n") else line[:-1]
                yield line


class TFRecordDataset(_FileDataset):
    """``tf.data.TFRecordDataset(filenames)``: the records of TFRecord files, as scalar strings (parse them with
    ``tf.io.parse_single_example`` in a ``map``)."""

    _repr_name = "TFRecordDatasetV2"

    def __init__(self, filenames: Any, compression_type: Any = None, buffer_size: Any = None,
                 num_parallel_reads: Any = None, name: Any = None) -> None:
        super().__init__(filenames, compression_type, num_parallel_reads, "TFRecordDataset")

    def _read(self, path: str) -> Iterator[bytes]:
        return tfrecord.read_records(path, self._compression)


class FixedLengthRecordDataset(_FileDataset):
    """``tf.data.FixedLengthRecordDataset``: records of ``record_bytes`` bytes each, after a header."""

    _repr_name = "FixedLengthRecordDatasetV2"

    def __init__(self, filenames: Any, record_bytes: int, header_bytes: int | None = None,
                 footer_bytes: int | None = None, buffer_size: Any = None, compression_type: Any = None,
                 num_parallel_reads: Any = None, name: Any = None) -> None:
        self._record, self._header, self._footer = int(record_bytes), int(header_bytes or 0), int(footer_bytes or 0)
        if self._record < 1:
            raise ValueError(f"FixedLengthRecordDataset: record_bytes must be >= 1, got {record_bytes}")
        super().__init__(filenames, compression_type, num_parallel_reads, "FixedLengthRecordDataset")

    def _read(self, path: str) -> Iterator[bytes]:
        with _open_text(path, self._compression) as f:
            data = f.read()
        body = data[self._header:len(data) - self._footer]
        for start in range(0, len(body) - self._record + 1, self._record):
            yield body[start:start + self._record]


def list_files(file_pattern: Any, shuffle: bool | None, seed: int | None) -> Dataset:
    from tensorlet.data.sources import TensorSliceDataset
    from tensorlet.io.file_io import matching_files

    names = matching_files(file_pattern).numpy()
    if names.size == 0:
        pattern = file_pattern.numpy() if isinstance(file_pattern, Tensor) else file_pattern
        raise InvalidArgumentError(f"Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized "
                                   f"data: b'No files matched pattern: {pattern}'")
    ds: Dataset = TensorSliceDataset(_dtypes.string_array(names))
    if shuffle is None or shuffle:
        ds = ds.shuffle(max(len(names), 1), seed=seed)
    return ds




