"""Image quality measures: ``psnr``, ``ssim`` and ``ssim_multiscale``, differentiable, as TensorFlow computes them.

SSIM compares local means, variances and covariance under an 11x11 Gaussian window (sigma 1.5), valid positions
only, with constants ``(k1 * max_val)^2`` and ``(k2 * max_val)^2``; the window is separable, so it runs as two
1-D depthwise convolutions. Inputs may be integer images (rescaled by ``convert_image_dtype``); the last three
axes are (height, width, channels) and leading axes broadcast.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor
from tensorlet.image.dtype_conversion import convert_image_dtype
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S
from tensorlet.ops.conv import pool2d
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.depthwise_conv import depthwise_conv2d
from tensorlet.ops.nn import relu

MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _pair(img1: Any, img2: Any, max_val: Any) -> tuple[Tensor, Tensor, Tensor]:
    """Both images and max_val as float32 (integer images rescaled), shapes checked as TF does."""
    a, b = as_tensor(img1), as_tensor(img2)
    sa, sb = tuple(a._value.shape), tuple(b._value.shape)
    if len(sa) < 3 or len(sb) < 3:
        raise ValueError(f"images must be at least three-dimensional (height, width, channels), got {sa} and {sb}")
    if sa[-3:] != sb[-3:]:
        raise ValueError(f"Two images are not compatible: {sa} and {sb} (the last three dimensions differ)")
    for d1, d2 in zip(reversed(sa[:-3]), reversed(sb[:-3])):
        if not (d1 == 1 or d2 == 1 or d1 == d2):
            raise ValueError(f"Two images are not compatible: {sa} and {sb}")
    mv = E.cast(as_tensor(max_val), a._value.dtype)
    return convert_image_dtype(a, "float32"), convert_image_dtype(b, "float32"), convert_image_dtype(mv, "float32")


def psnr(a: Any, b: Any, max_val: Any, name: Any = None) -> Tensor:
    """Peak signal-to-noise ratio in dB per image: ``20 log10(max_val) - 10 log10(mse)``."""
    x, y, mv = _pair(a, b, max_val)
    mse = R.reduce_mean(E.square(E.subtract(x, y)), axis=[-3, -2, -1])
    # Identical images give mse 0 and TF's +inf; the log reads 1 there so NumPy does not warn about log(0).
    exact = E.equal(mse, np.float32(0.0))
    log_mse = E.where(exact, np.float32(-np.inf), E.log(E.where(exact, np.float32(1.0), mse)))
    return E.subtract(20.0 * E.log(mv) / np.float32(math.log(10.0)), np.float32(10 / np.log(10)) * log_mse)


def _gaussian_taps(size: int, sigma: float) -> np.ndarray:
    coords = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-0.5 * coords ** 2 / sigma ** 2)
    return (g / g.sum()).astype(np.float32)


def _blur(x: Tensor, taps: np.ndarray) -> Tensor:
    """The Gaussian window's weighted mean over valid positions, for images of shape (..., H, W, C)."""
    shape = tuple(x._value.shape)
    flat = S.reshape(x, (-1,) + shape[-3:])
    c = shape[-1]
    k = backend.asarray(np.broadcast_to(taps[:, None, None, None], (len(taps), 1, c, 1)).copy())
    y = depthwise_conv2d(flat, k, padding="valid")
    y = depthwise_conv2d(y, S.reshape(k, (1, len(taps), c, 1)), padding="valid")
    return S.reshape(y, shape[:-3] + tuple(y._value.shape[1:]))


def _ssim_per_channel(x: Tensor, y: Tensor, max_val: Tensor, filter_size: int, filter_sigma: float, k1: float,
                      k2: float, index_map: bool = False) -> tuple[Tensor, Tensor]:
    h, w = x._value.shape[-3], x._value.shape[-2]
    if h < filter_size or w < filter_size:
        raise ValueError(f"ssim: the images ({h}x{w}) must be at least filter_size ({filter_size}) in height and "
                         "width")
    taps = _gaussian_taps(filter_size, filter_sigma)
    x, y = S.broadcast_to(x, _broadcast(x, y)), S.broadcast_to(y, _broadcast(x, y))
    c1 = E.square(k1 * max_val)
    c2 = E.square(k2 * max_val)
    mean_x, mean_y = _blur(x, taps), _blur(y, taps)
    num0 = mean_x * mean_y * 2.0
    den0 = E.square(mean_x) + E.square(mean_y)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = _blur(x * y, taps) * 2.0
    den1 = _blur(E.square(x) + E.square(y), taps)
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    if index_map:
        return luminance * cs, cs
    return R.reduce_mean(luminance * cs, axis=[-3, -2]), R.reduce_mean(cs, axis=[-3, -2])


def _broadcast(x: Tensor, y: Tensor) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(tuple(x._value.shape), tuple(y._value.shape)))


def ssim(img1: Any, img2: Any, max_val: Any, filter_size: int = 11, filter_sigma: float = 1.5, k1: float = 0.01,
         k2: float = 0.03, return_index_map: bool = False) -> Tensor:
    """Structural similarity per image (mean over positions and channels); 1 for identical images.

    Example:
        >>> import tensorlet as tf
        >>> float(tf.image.ssim(tf.ones([16, 16, 3]), tf.ones([16, 16, 3]), 1.0))
        1.0
    """
    x, y, mv = _pair(img1, img2, max_val)
    per_channel, _ = _ssim_per_channel(x, y, mv, int(filter_size), float(filter_sigma), k1, k2, return_index_map)
    return R.reduce_mean(per_channel, axis=[-1])


def ssim_multiscale(img1: Any, img2: Any, max_val: Any, power_factors: Any = MSSSIM_WEIGHTS, filter_size: int = 11,
                    filter_sigma: float = 1.5, k1: float = 0.01, k2: float = 0.03) -> Tensor:
    """Multi-scale SSIM: contrast-structure terms at successive 2x downsamplings, SSIM at the coarsest, combined
    with ``power_factors`` (odd sizes padded symmetrically before each 2x2 average)."""
    x, y, mv = _pair(img1, img2, max_val)
    heads = [tuple(t._value.shape[:-3]) for t in (x, y)]
    imgs = [x, y]
    mcs: list[Tensor] = []
    per_channel = None
    for k in range(len(power_factors)):
        if k > 0:
            flat = [S.reshape(t, (-1,) + tuple(t._value.shape[-3:])) for t in imgs]
            rem_h, rem_w = flat[0]._value.shape[1] % 2, flat[0]._value.shape[2] % 2
            if rem_h or rem_w:
                flat = [S.pad(t, [[0, 0], [0, rem_h], [0, rem_w], [0, 0]], mode="SYMMETRIC") for t in flat]
            down = [pool2d(t, 2, 2, "valid", mode="avg") for t in flat]
            imgs = [S.reshape(t, h + tuple(t._value.shape[1:])) for t, h in zip(down, heads)]
        per_channel, cs = _ssim_per_channel(imgs[0], imgs[1], mv, int(filter_size), float(filter_sigma), k1, k2)
        mcs.append(relu(cs))
    mcs.pop()
    assert per_channel is not None
    stacked = S.stack(mcs + [relu(per_channel)], axis=-1)
    weights = backend.asarray(np.asarray(power_factors, dtype=np.float32))
    return R.reduce_mean(R.reduce_prod(E.pow(stacked, weights), axis=[-1]), axis=[-1])
