"""``keras.ops.image``: resize, extract_patches, affine_transform and rgb_to_grayscale on image batches
(``channels_last`` by default), each differentiable with respect to the images."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops.convert import as_floats, cast, convert_to_tensor, host_constant
from tensorlet.keras_ops.nn import _channels_last, _restore, _tuple
from tensorlet.keras_ops.numpy_shape import expand_dims, squeeze
from tensorlet.keras_ops.products import tensordot
from tensorlet.ops.affine import AffineTransform
from tensorlet.ops.conv import Conv2D
from tensorlet.ops.resize import METHODS, Resize2D
from tensorlet.ops.shape import GetItem, Pad


def _batched(images: Any, data_format: Any) -> tuple[Tensor, bool, bool]:
    x = as_floats(images)
    if x.ndim not in (3, 4):
        raise ValueError(f"Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images), got "
                         f"shape {tuple(x.shape)}")
    single = x.ndim == 3
    if single:
        x = expand_dims(x, 0)
    x, first = _channels_last(x, data_format)
    return x, single, first


def _unbatched(y: Tensor, single: bool, first: bool) -> Tensor:
    y = _restore(y, first)
    return squeeze(y, 0) if single else y


def resize(images: Any, size: Any, interpolation: str = "bilinear", antialias: bool = False,
           crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False, fill_mode: str = "constant",
           fill_value: float = 0.0, data_format: Any = None) -> Tensor:
    """Images resized to ``size`` (height, width) with ``interpolation`` nearest, bilinear or bicubic (half-pixel
    centres, as TensorFlow's), optionally centre-cropped or padded to the target aspect ratio first.

    Raises:
        ValueError: for another interpolation, or ``antialias`` when shrinking (not provided).
    """
    if interpolation not in METHODS:
        raise ValueError(f"keras.ops.image.resize: interpolation must be one of {METHODS}, got {interpolation!r}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True")
    x, single, first = _batched(images, data_format)
    oh, ow = _tuple(size, 2)
    h, w = x.shape[1], x.shape[2]
    if antialias and (oh < h or ow < w):
        raise ValueError("keras.ops.image.resize: antialias=True when shrinking is not provided by tensorlet")
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        target = ow / oh
        if crop_to_aspect_ratio:
            ch, cw = min(h, int(round(w / target))), min(w, int(round(h * target)))
            top, left = (h - ch) // 2, (w - cw) // 2
            x = GetItem((slice(None), slice(top, top + ch), slice(left, left + cw)), True, True)(x)
        else:
            ph, pw = max(h, int(round(w / target))), max(w, int(round(h * target)))
            top, left = (ph - h) // 2, (pw - w) // 2
            x = Pad([(0, 0), (top, ph - h - top), (left, pw - w - left), (0, 0)], "constant", float(fill_value))(x)
    return _unbatched(Resize2D((1, 2), (oh, ow), interpolation)(x), single, first)


def extract_patches(images: Any, size: Any, strides: Any = None, dilation_rate: Any = 1, padding: str = "valid",
                    data_format: Any = None) -> Tensor:
    """Patches of ``size`` (height, width) flattened into the last axis in (row, column, channel) order, as a
    convolution with an identity kernel."""
    x, single, first = _batched(images, data_format)
    kh, kw = _tuple(size, 2)
    c = x.shape[-1]
    kernel = np.zeros((kh, kw, c, kh * kw * c), dtype=np.dtype(x.dtype.as_numpy_dtype))
    for i in range(kh):
        for j in range(kw):
            for ch in range(c):
                kernel[i, j, ch, (i * kw + j) * c + ch] = 1
    sh, sw = _tuple(strides, 2) if strides is not None else (kh, kw)
    dh, dw = _tuple(dilation_rate, 2)
    y = Conv2D((sh, sw), str(padding).lower(), (dh, dw))(x, host_constant(kernel))
    return _unbatched(y, single, first)


def affine_transform(images: Any, transform: Any, interpolation: str = "bilinear", fill_mode: str = "constant",
                     fill_value: float = 0, data_format: Any = None) -> Tensor:
    """Images resampled through projective transforms [a0, a1, a2, b0, b1, b2, c0, c1], one per image (or one for
    all): output pixel (x, y) takes input ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1."""
    x, single, first = _batched(images, data_format)
    t = cast(convert_to_tensor(transform), "float64")
    if t.ndim == 1:
        t = expand_dims(t, 0)
    if t.shape[-1] != 8:
        raise ValueError(f"keras.ops.image.affine_transform: transform must have 8 entries per image, got shape "
                         f"{tuple(t.shape)}")
    y = AffineTransform(interpolation, fill_mode, float(fill_value))(x, t)
    return _unbatched(y, single, first)


def rgb_to_grayscale(images: Any, data_format: Any = None) -> Tensor:
    """0.2989 R + 0.5870 G + 0.1140 B, keeping a channel axis of size 1."""
    x, single, first = _batched(images, data_format)
    weights = host_constant(np.array([0.2989, 0.5870, 0.1140], dtype=np.dtype(x.dtype.as_numpy_dtype)))
    y = expand_dims(tensordot(x, weights, axes=1), -1)
    return _unbatched(y, single, first)
