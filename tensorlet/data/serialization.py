"""Chunks of elements as bytes, for ``cache(filename)`` and ``Dataset.save`` (files only tensorlet reads).

Every value is a tag and length-prefixed parts: ``N`` a numeric array (NumPy's ``.npy`` format, no pickles),
``S`` a string array (shape, lengths, bytes), ``R`` a RaggedTensor (its row splits and flat values), ``L`` a list
column (its items).
"""
from __future__ import annotations

import io
import struct
from typing import Any

import numpy as np

from tensorlet.data.chunk import Chunk
from tensorlet.ragged.ragged_tensor import RaggedTensor


def _part(data: bytes) -> bytes:
    return struct.pack("<Q", len(data)) + data


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(arr), allow_pickle=False)
    return buf.getvalue()


def encode_value(value: Any) -> bytes:
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            flat = [bytes(v) for v in value.reshape(-1)]
            lengths = np.asarray([len(v) for v in flat], dtype=np.int64)
            return b"S" + _part(_npy(np.asarray(value.shape, np.int64))) + _part(_npy(lengths)) + \
                _part(b"".join(flat))
        return b"N" + _part(_npy(value))
    if isinstance(value, RaggedTensor):
        splits = [np.asarray(s._value) for s in value.nested_row_splits]
        out = b"R" + struct.pack("<I", len(splits)) + b"".join(_part(_npy(s)) for s in splits)
        return out + _part(encode_value(np.asarray(value.flat_values._value)))
    if isinstance(value, list):
        return b"L" + struct.pack("<Q", len(value)) + b"".join(_part(encode_value(v)) for v in value)
    raise TypeError(f"cannot write a {type(value).__name__} component to a file (datasets of datasets, from "
                    "window(), cannot be cached to a file or saved)")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        out = self.data[self.pos:self.pos + n]
        if len(out) != n:
            raise ValueError("truncated data")
        self.pos += n
        return out

    def part(self) -> bytes:
        (n,) = struct.unpack("<Q", self.take(8))
        return self.take(n)


def _load(data: bytes) -> np.ndarray:
    return np.load(io.BytesIO(data), allow_pickle=False)


def decode_value(data: bytes) -> Any:
    r = _Reader(data)
    tag = r.take(1)
    if tag == b"N":
        return _load(r.part())
    if tag == b"S":
        shape, lengths, blob = tuple(_load(r.part()).tolist()), _load(r.part()), r.part()
        out = np.empty(len(lengths), dtype=object)
        ends = np.cumsum(lengths)
        out[:] = [blob[e - n:e] for e, n in zip(ends.tolist(), lengths.tolist())]
        return out.reshape(shape)
    if tag == b"R":
        (levels,) = struct.unpack("<I", r.take(4))
        splits = [_load(r.part()) for _ in range(levels)]
        values: Any = decode_value(r.part())
        for s in reversed(splits):
            values = RaggedTensor.from_row_splits(values, s, validate=False)
        return values
    if tag == b"L":
        (n,) = struct.unpack("<Q", r.take(8))
        return [decode_value(r.part()) for _ in range(n)]
    raise ValueError(f"not a tensorlet dataset file (tag {tag!r})")


def encode_chunk(chunk: Chunk) -> bytes:
    return struct.pack("<QI", chunk.n, len(chunk.columns)) + b"".join(_part(encode_value(c)) for c in chunk.columns)


def decode_chunk(data: bytes) -> Chunk:
    r = _Reader(data)
    n, width = struct.unpack("<QI", r.take(12))
    return Chunk(n, [decode_value(r.part()) for _ in range(width)])
