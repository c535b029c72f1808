"""Colour-space conversions: grayscale, HSV, YIQ and YUV, on the last axis of float (or integer) images.

HSV follows TensorFlow's definitions: ``v = max(r, g, b)``, ``s = (v - min) / v`` (0 for black), and the hue a
fraction of a turn in [0, 1) (0 for greys). The conversions are composed of differentiable ops; divisions are
guarded so that greys and black give zero gradients rather than NaN.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor
from tensorlet.image.dtype_conversion import convert_image_dtype
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.creation import ones_like
from tensorlet.ops.linalg import matmul

_GRAY_WEIGHTS = (0.2989, 0.587, 0.114)
_RGB_TO_YIQ = ((0.299, 0.59590059, 0.2115), (0.587, -0.27455667, -0.52273617), (0.114, -0.32134392, 0.31119955))
_YIQ_TO_RGB = ((1, 1, 1), (0.95598634, -0.27201283, -1.10674021), (0.6208248, -0.64720424, 1.70423049))
_RGB_TO_YUV = ((0.299, -0.14714119, 0.61497538), (0.587, -0.28886916, -0.51496512), (0.114, 0.43601035, -0.10001026))
_YUV_TO_RGB = ((1, 1, 1), (0, -0.394642334, 2.03206185), (1.13988303, -0.58062185, 0))


def _channels(x: Tensor, expected: int, fn: str) -> None:
    if x._value.ndim < 1 or x._value.shape[-1] != expected:
        raise ValueError(f"{fn}: the last dimension of the images must be {expected}, got shape "
                         f"{tuple(x._value.shape)}")


def _float(x: Tensor, fn: str) -> Tensor:
    if x._value.dtype.kind != "f":
        raise TypeError(f"{fn} needs floating-point images (float16, float32, float64), got {x._value.dtype}; "
                        "convert with tf.image.convert_image_dtype first")
    return x


def _working(x: Tensor) -> Tensor:
    """Float images keep float32/float64; integer and float16 ones are converted to float32 (TF's rule)."""
    return x if x._value.dtype in (np.float32, np.float64) else convert_image_dtype(x, "float32")


def rgb_to_grayscale(images: Any, name: Any = None) -> Tensor:
    """Luma ``0.2989 r + 0.587 g + 0.114 b`` as a single channel, in the input's dtype."""
    x = as_tensor(images)
    _channels(x, 3, "rgb_to_grayscale")
    work = _working(x)
    w = backend.asarray(np.asarray(_GRAY_WEIGHTS), dtype=work._value.dtype)
    gray = R.reduce_sum(E.multiply(work, w), axis=-1, keepdims=True)
    return convert_image_dtype(gray, x._value.dtype)


def grayscale_to_rgb(images: Any, name: Any = None) -> Tensor:
    """Repeat the single channel three times."""
    x = as_tensor(images)
    if x._value.ndim < 2:
        raise ValueError(f"grayscale_to_rgb: images must be at least two-dimensional, got shape "
                         f"{tuple(x._value.shape)}")
    _channels(x, 1, "grayscale_to_rgb")
    return S.tile(x, [1] * (x._value.ndim - 1) + [3])


def _split(x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    return S.getitem(x, (Ellipsis, 0)), S.getitem(x, (Ellipsis, 1)), S.getitem(x, (Ellipsis, 2))


def _safe(denominator: Tensor, ok: Tensor) -> Tensor:
    """The denominator where ``ok``, 1 elsewhere (the quotient there is discarded)."""
    return E.where(ok, denominator, ones_like(denominator))


def rgb_to_hsv(images: Any, name: Any = None) -> Tensor:
    """RGB in [0, 1] to HSV, each in [0, 1]."""
    x = _float(as_tensor(images), "rgb_to_hsv")
    _channels(x, 3, "rgb_to_hsv")
    r, g, b = _split(x)
    v = R.reduce_max(x, axis=-1)
    spread = v - R.reduce_min(x, axis=-1)
    s = E.where(v > 0, spread / _safe(v, v > 0), v * 0)
    has_hue = spread > 0
    norm = 1.0 / (6.0 * _safe(spread, has_hue))
    h = E.where(E.equal(r, v), norm * (g - b),
                E.where(E.equal(g, v), norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0))
    h = E.where(has_hue, h, h * 0)
    h = E.where(h < 0, h + 1.0, h)
    return S.stack([h, s, v], axis=-1)


def hsv_to_rgb(images: Any, name: Any = None) -> Tensor:
    """HSV (each in [0, 1]) to RGB."""
    x = _float(as_tensor(images), "hsv_to_rgb")
    _channels(x, 3, "hsv_to_rgb")
    h, s, v = _split(x)
    dh = h * 6.0
    dr = E.clip_by_value(E.abs(dh - 3.0) - 1.0, 0.0, 1.0)
    dg = E.clip_by_value(2.0 - E.abs(dh - 2.0), 0.0, 1.0)
    db = E.clip_by_value(2.0 - E.abs(dh - 4.0), 0.0, 1.0)
    grey = 1.0 - s
    return S.stack([(grey + s * dr) * v, (grey + s * dg) * v, (grey + s * db) * v], axis=-1)


def _linear(images: Any, kernel: tuple[tuple[float, ...], ...], fn: str) -> Tensor:
    x = _float(as_tensor(images), fn)
    _channels(x, 3, fn)
    return matmul(x, backend.asarray(np.asarray(kernel), dtype=x._value.dtype))


def rgb_to_yiq(images: Any) -> Tensor:
    """RGB to YIQ (NTSC): Y in [0, 1], I in [-0.5957, 0.5957], Q in [-0.5226, 0.5226]."""
    return _linear(images, _RGB_TO_YIQ, "rgb_to_yiq")


def yiq_to_rgb(images: Any) -> Tensor:
    return _linear(images, _YIQ_TO_RGB, "yiq_to_rgb")


def rgb_to_yuv(images: Any) -> Tensor:
    """RGB to YUV: Y in [0, 1], U in [-0.436, 0.436], V in [-0.615, 0.615]."""
    return _linear(images, _RGB_TO_YUV, "rgb_to_yuv")


def yuv_to_rgb(images: Any) -> Tensor:
    return _linear(images, _YUV_TO_RGB, "yuv_to_rgb")
