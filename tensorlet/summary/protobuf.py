"""A tiny protobuf encoder for the few TensorBoard messages we write (Event, Summary, HistogramProto...)."""
from __future__ import annotations

import struct
from typing import Iterable


def varint(n: int) -> bytes:
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field: int, wire: int) -> bytes:
    return varint((field << 3) | wire)


def f_varint(field: int, n: int) -> bytes:
    return key(field, 0) + varint(n)


def f_double(field: int, x: float) -> bytes:
    return key(field, 1) + struct.pack("<d", x)


def f_float(field: int, x: float) -> bytes:
    return key(field, 5) + struct.pack("<f", x)


def f_bytes(field: int, data: bytes) -> bytes:
    return key(field, 2) + varint(len(data)) + data


def f_string(field: int, s: str) -> bytes:
    return f_bytes(field, s.encode("utf-8"))


def f_packed_doubles(field: int, values: Iterable[float]) -> bytes:
    return f_bytes(field, b"".join(struct.pack("<d", float(v)) for v in values))
