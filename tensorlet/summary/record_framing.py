"""TFRecord framing: each record is ``length (uint64 LE), masked CRC of the length, data, masked CRC of the data``.

TensorBoard event files and ``tf.io.TFRecordWriter`` files share it; ``read_frames`` checks both CRCs, as
TensorFlow's reader does.
"""
from __future__ import annotations

import struct
from typing import IO, Iterator

from tensorlet.summary.crc32c import masked_crc32c


class CorruptRecordError(ValueError):
    """A record whose length or data does not match its CRC, or that ends early."""


def frame(data: bytes) -> bytes:
    """``data`` framed as one record."""
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc32c(header)) + data + struct.pack("<I", masked_crc32c(data))


def read_frames(stream: IO[bytes], where: str = "the file") -> Iterator[bytes]:
    """The records of ``stream`` in order; CorruptRecordError at a damaged or truncated record."""
    offset = 0
    while True:
        header = stream.read(12)
        if not header:
            return
        if len(header) < 12:
            raise CorruptRecordError(f"truncated record at offset {offset} of {where}")
        (length,) = struct.unpack("<Q", header[:8])
        if struct.unpack("<I", header[8:])[0] != masked_crc32c(header[:8]):
            raise CorruptRecordError(f"corrupted record at offset {offset} of {where} (length CRC mismatch)")
        body = stream.read(length + 4)
        if len(body) < length + 4:
            raise CorruptRecordError(f"truncated record at offset {offset} of {where}")
        data = body[:length]
        if struct.unpack("<I", body[length:])[0] != masked_crc32c(data):
            raise CorruptRecordError(f"corrupted record at offset {offset} of {where} (data CRC mismatch)")
        offset += 12 + length + 4
        yield data
