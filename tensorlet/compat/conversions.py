"""``tf.compat``'s conversion helpers: bytes/text, dimension values and forward-compatibility dates."""
from __future__ import annotations

import datetime
import numbers
import os
from contextlib import contextmanager
from typing import Any, Iterator

bytes_or_text_types = (bytes, str)
integral_types = (numbers.Integral,)
real_types = (numbers.Real,)
complex_types = (numbers.Complex,)


def as_bytes(bytes_or_text: Any, encoding: str = "utf-8") -> bytes:
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"tf.compat.as_bytes: expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text: Any, encoding: str = "utf-8") -> str:
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, (bytes, bytearray)):
        return bytes(bytes_or_text).decode(encoding)
    raise TypeError(f"tf.compat.as_text: expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text


def as_str_any(value: Any, encoding: str = "utf-8") -> str:
    return as_str(value, encoding) if isinstance(value, (bytes, bytearray)) else str(value)


def path_to_str(path: Any) -> Any:
    return os.fspath(path) if hasattr(path, "__fspath__") else path


def dimension_value(dimension: Any) -> Any:
    """The int (or None) of a dimension, whether a plain int or a Dimension-like object with ``.value``."""
    return getattr(dimension, "value", dimension)


def dimension_at_index(shape: Any, index: int) -> Any:
    return dimension_value(tuple(shape)[index])


_HORIZON = datetime.date(2023, 11, 1)  # the TF 2.15 release horizon


def forward_compatible(year: int, month: int, day: int) -> bool:
    return _HORIZON > datetime.date(year, month, day)


@contextmanager
def forward_compatibility_horizon(year: int, month: int, day: int) -> Iterator[None]:
    global _HORIZON
    previous, _HORIZON = _HORIZON, datetime.date(year, month, day)
    try:
        yield
    finally:
        _HORIZON = previous
