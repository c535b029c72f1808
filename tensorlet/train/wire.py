"""Reading the protobuf wire format (the few messages tensorlet parses: ``tf.train.Example`` and TensorProto).

Writing uses ``summary.protobuf``. A reader yields ``(field number, wire type, value)``: an int for a varint, the
bytes of a length-delimited field, the raw 4 or 8 bytes of a fixed-width one.
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np


class DecodeError(ValueError):
    """Bytes that are not a valid serialized message."""


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise DecodeError("truncated varint")
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise DecodeError("varint too long")


def fields(data: bytes) -> Iterator[tuple[int, int, Any]]:
    pos, end = 0, len(data)
    while pos < end:
        tag, pos = read_varint(data, pos)
        field, wire = tag >> 3, tag & 7
        if field == 0:
            raise DecodeError("field number 0")
        if wire == 0:
            value, pos = read_varint(data, pos)
            yield field, wire, value
        elif wire == 1:
            if pos + 8 > end:
                raise DecodeError("truncated fixed64")
            yield field, wire, data[pos:pos + 8]
            pos += 8
        elif wire == 2:
            length, pos = read_varint(data, pos)
            if pos + length > end:
                raise DecodeError("truncated length-delimited field")
            yield field, wire, data[pos:pos + length]
            pos += length
        elif wire == 5:
            if pos + 4 > end:
                raise DecodeError("truncated fixed32")
            yield field, wire, data[pos:pos + 4]
            pos += 4
        else:
            raise DecodeError(f"unsupported wire type {wire}")


def signed64(n: int) -> int:
    return n - (1 << 64) if n >= 1 << 63 else n


def packed_varints(data: bytes) -> list[int]:
    out, pos = [], 0
    while pos < len(data):
        v, pos = read_varint(data, pos)
        out.append(signed64(v))
    return out


def packed_floats(data: bytes) -> list[float]:
    if len(data) % 4:
        raise DecodeError("packed floats of a length that is not a multiple of 4")
    return np.frombuffer(data, dtype="<f4").astype(np.float32).tolist()
