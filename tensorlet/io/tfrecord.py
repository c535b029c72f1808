"""TFRecord files: ``tf.io.TFRecordWriter`` and the record reader behind ``tf.data.TFRecordDataset``.

The framing (length, data, masked CRC-32C of each) is the one TensorBoard event files use
(``summary.record_framing``); a file may be GZIP or ZLIB compressed as a whole, as TensorFlow writes them.
"""
from __future__ import annotations

import gzip
import io
import os
import zlib
from typing import IO, Any, Iterator

from tensorlet.errors import DataLossError
from tensorlet.summary.record_framing import CorruptRecordError, frame, read_frames

_COMPRESSIONS = ("", "GZIP", "ZLIB")


class TFRecordOptions:
    """``tf.io.TFRecordOptions``: the compression of a TFRecord file (``""``, ``"GZIP"`` or ``"ZLIB"``)."""

    def __init__(self, compression_type: Any = None, flush_mode: Any = None, input_buffer_size: Any = None,
                 output_buffer_size: Any = None, window_bits: Any = None, compression_level: Any = None,
                 compression_method: Any = None, mem_level: Any = None, compression_strategy: Any = None) -> None:
        self.compression_type = compression_kind(compression_type)
        self.compression_level = compression_level

    @classmethod
    def get_compression_type_string(cls, options: Any) -> str:
        return compression_kind(options)


def compression_kind(value: Any) -> str:
    """``None``, ``""``, ``"GZIP"``, ``"ZLIB"`` or TFRecordOptions, as the compression name."""
    if isinstance(value, TFRecordOptions):
        return value.compression_type
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, bytes):
        value = value.decode()
    kind = (value or "").upper()
    if kind not in _COMPRESSIONS:
        raise ValueError(f"Unsupported compression_type {value!r}: use '' (none), 'GZIP' or 'ZLIB'")
    return kind


class _ZlibReader(io.RawIOBase):
    """A readable stream of a ZLIB-compressed file."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw, self._z, self._buf = raw, zlib.decompressobj(), b""

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._buf) < n:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                self._buf += self._z.flush()
                break
            self._buf += self._z.decompress(chunk)
        if n < 0:
            out, self._buf = self._buf, b""
        else:
            out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_for_reading(path: str, compression: str) -> IO[bytes]:
    if compression == "GZIP":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    return _ZlibReader(raw) if compression == "ZLIB" else raw  # type: ignore[return-value]


def read_records(path: Any, compression: Any = None) -> Iterator[bytes]:
    """The records of a TFRecord file, in order; DataLossError on a damaged record."""
    path = os.fspath(path.decode() if isinstance(path, bytes) else path)
    if not os.path.exists(path):
        from tensorlet.errors import NotFoundError

        raise NotFoundError(f"{path}; No such file or directory")
    with open_for_reading(path, compression_kind(compression)) as f:
        try:
            yield from read_frames(f, path)
        except (CorruptRecordError, OSError, zlib.error, EOFError) as e:
            raise DataLossError(f"{e}") from e


class TFRecordWriter:
    """``tf.io.TFRecordWriter(path, options=None)``: write records (bytes) to a TFRecord file.

    Example:
        >>> import os, tempfile, tensorlet as tf
        >>> path = os.path.join(tempfile.mkdtemp(), "data.tfrecord")
        >>> with tf.io.TFRecordWriter(path) as w:
        ...     w.write(b"first")
        ...     w.write(b"second")
        >>> [r.numpy() for r in tf.data.TFRecordDataset(path)]
        [b'first', b'second']
    """

    def __init__(self, path: Any, options: Any = None) -> None:
        self.path = os.fspath(path)
        kind = compression_kind(options)
        self._raw: Any = open(self.path, "wb")  # noqa: SIM115 - kept open until close()
        level = getattr(options, "compression_level", None)
        level = 6 if level is None else int(level)
        if kind == "GZIP":
            self._file: Any = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=level if level >= 0 else 6)
        else:
            self._file = self._raw
        self._zlib = zlib.compressobj(level) if kind == "ZLIB" else None

    def write(self, record: Any) -> None:
        if self._file is None:
            raise ValueError(f"TFRecordWriter for {self.path} is closed")
        if hasattr(record, "numpy"):
            record = record.numpy()
        if isinstance(record, str):
            record = record.encode("utf-8")
        data = frame(bytes(record))
        self._file.write(self._zlib.compress(data) if self._zlib is not None else data)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is None:
            return
        if self._zlib is not None:
            self._file.write(self._zlib.flush())
        if self._file is not self._raw:
            self._file.close()
        self._raw.close()
        self._file = None

    def __enter__(self) -> TFRecordWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass
