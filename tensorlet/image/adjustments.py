"""Photometric adjustments: brightness, contrast, gamma, saturation, hue, and per-image standardisation.

As in TensorFlow, integer images are converted to float32 in [0, 1], adjusted, and converted back (brightness,
contrast and gamma saturating at the integer range). The factors may be tensors: they are inputs of the ops, so
a traced function applies each call's value. Everything is composed of differentiable ops (TensorFlow itself has
no gradient for contrast, saturation and hue; these have one).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.image.color import hsv_to_rgb, rgb_to_hsv
from tensorlet.image.dtype_conversion import convert_image_dtype
from tensorlet.image.image_tensor import as_image
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor


def _to_float(image: Any) -> tuple[Tensor, Any]:
    """The image in float (float16/32/64 kept, integers to float32 in [0, 1]) and its original dtype."""
    x = as_tensor(image)
    dtype = x._value.dtype
    return (x if dtype.kind == "f" else convert_image_dtype(x, "float32")), dtype


def _factor(value: Any, like: Tensor) -> Tensor:
    """A scalar factor (number or tensor) in the image's float dtype."""
    if isinstance(value, Tensor):
        return E.cast(value, like._value.dtype)
    return _wrap(backend.asarray(value, dtype=like._value.dtype))  # a Python number, at the image's precision


def adjust_brightness(image: Any, delta: Any) -> Tensor:
    """Add ``delta`` to every channel (on [0, 1] intensities for integer images, then saturate)."""
    x, dtype = _to_float(image)
    return convert_image_dtype(E.add(x, _factor(delta, x)), dtype, saturate=True)


def adjust_contrast(images: Any, contrast_factor: Any) -> Tensor:
    """Scale each channel's distance from its per-image mean: ``(x - mean) * factor + mean``."""
    x, dtype = _to_float(as_image(images, "images"))
    mean = R.reduce_mean(x, axis=[-3, -2], keepdims=True)
    adjusted = E.add(E.multiply(E.subtract(x, mean), _factor(contrast_factor, x)), mean)
    return convert_image_dtype(adjusted, dtype, saturate=True)


def adjust_gamma(image: Any, gamma: Any = 1, gain: Any = 1) -> Tensor:
    """``gain * x ** gamma`` (gamma >= 0)."""
    x, dtype = _to_float(image)
    if not isinstance(gamma, Tensor) and float(gamma) < 0:
        raise ValueError(f"Gamma should be a non-negative real number, got {gamma}")
    adjusted = E.multiply(_factor(gain, x), E.pow(x, _factor(gamma, x)))
    return convert_image_dtype(adjusted, dtype, saturate=True)


def _rgb(image: Any, fn: str) -> tuple[Tensor, Any]:
    x, dtype = _to_float(image)
    if x._value.ndim < 1 or x._value.shape[-1] != 3:
        raise ValueError(f"{fn}: images must have 3 channels (RGB) in the last dimension, got shape "
                         f"{tuple(x._value.shape)}")
    return x, dtype


def adjust_saturation(image: Any, saturation_factor: Any, name: Any = None) -> Tensor:
    """Multiply the HSV saturation by ``saturation_factor`` (clipped to [0, 1])."""
    x, dtype = _rgb(image, "adjust_saturation")
    hsv = rgb_to_hsv(x)
    s = E.clip_by_value(E.multiply(S.getitem(hsv, (Ellipsis, 1)), _factor(saturation_factor, x)), 0.0, 1.0)
    out = hsv_to_rgb(S.stack([S.getitem(hsv, (Ellipsis, 0)), s, S.getitem(hsv, (Ellipsis, 2))], axis=-1))
    return convert_image_dtype(out, dtype)


def adjust_hue(image: Any, delta: Any, name: Any = None) -> Tensor:
    """Rotate the HSV hue by ``delta`` (a fraction of a turn, in [-1, 1])."""
    if not isinstance(delta, Tensor) and not -1 <= float(delta) <= 1:
        raise ValueError(f"delta must be in the interval [-1, 1], got {delta}")
    x, dtype = _rgb(image, "adjust_hue")
    hsv = rgb_to_hsv(x)
    h = E.floormod(E.add(S.getitem(hsv, (Ellipsis, 0)), _factor(delta, x)), 1.0)
    out = hsv_to_rgb(S.stack([h, S.getitem(hsv, (Ellipsis, 1)), S.getitem(hsv, (Ellipsis, 2))], axis=-1))
    return convert_image_dtype(out, dtype)


def per_image_standardization(image: Any) -> Tensor:
    """``(x - mean) / max(stddev, 1 / sqrt(N))`` per image, over its N = height * width * channels values;
    float32 output."""
    x = E.cast(as_image(image), "float32")
    n = math.prod(x._value.shape[-3:])
    mean = R.reduce_mean(x, axis=[-1, -2, -3], keepdims=True)
    std = R.reduce_std(x, axis=[-1, -2, -3], keepdims=True)
    floor = np.float32(1.0 / math.sqrt(n)) if n else np.float32(np.inf)
    return E.divide(E.subtract(x, mean), E.maximum(std, floor))
