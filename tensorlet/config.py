"""The documented globals: floatx, epsilon and image data format.

The seed lives in ``tensorlet.random`` and the array backend in ``tensorlet.backend``.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"


def floatx() -> str:
    return _FLOATX


def set_floatx(value: str) -> None:
    global _FLOATX
    if value not in ("float16", "float32", "float64", "bfloat16"):
        raise ValueError(f"Unknown floatx type: {value!r}; expected float16, float32 or float64")
    _FLOATX = str(value)


def epsilon() -> float:
    return _EPSILON


def set_epsilon(value: float) -> None:
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    return _IMAGE_DATA_FORMAT


def set_image_data_format(value: str) -> None:
    global _IMAGE_DATA_FORMAT
    if value not in ("channels_last", "channels_first"):
        raise ValueError(f"image_data_format must be 'channels_last' or 'channels_first', got {value!r}")
    _IMAGE_DATA_FORMAT = value


@contextmanager
def using_floatx(value: str) -> Iterator[None]:
    previous = floatx()
    set_floatx(value)
    try:
        yield
    finally:
        set_floatx(previous)
