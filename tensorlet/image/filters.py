"""Finite differences on images: ``image_gradients``, ``sobel_edges`` and ``total_variation`` (differentiable)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.depthwise_conv import depthwise_conv2d

_SOBEL = np.array([[[-1, -2, -1], [0, 0, 0], [1, 2, 1]],   # d/dy
                   [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]])  # d/dx


def image_gradients(image: Any) -> tuple[Tensor, Tensor]:
    """(dy, dx): forward differences ``I[y+1, x] - I[y, x]`` and ``I[y, x+1] - I[y, x]`` of a 4-D batch, zero
    in the last row / column."""
    x = as_tensor(image)
    if x._value.ndim != 4:
        raise ValueError(f"image_gradients expects a 4D tensor [batch_size, h, w, d], not {tuple(x._value.shape)}.")
    dy = S.getitem(x, (slice(None), slice(1, None))) - S.getitem(x, (slice(None), slice(None, -1)))
    dx = S.getitem(x, (slice(None), slice(None), slice(1, None))) - \
        S.getitem(x, (slice(None), slice(None), slice(None, -1)))
    return S.pad(dy, [[0, 0], [0, 1], [0, 0], [0, 0]]), S.pad(dx, [[0, 0], [0, 0], [0, 1], [0, 0]])


def sobel_edges(image: Any) -> Tensor:
    """Sobel responses (dy, dx) of each channel of a 4-D batch, edges reflected: shape (N, H, W, C, 2)."""
    x = as_tensor(image)
    if x._value.ndim != 4:
        raise ValueError(f"sobel_edges expects a 4D tensor [batch_size, h, w, d], not {tuple(x._value.shape)}.")
    if x._value.dtype.kind != "f":
        raise TypeError(f"sobel_edges needs floating-point images, got {x._value.dtype}")
    c = x._value.shape[-1]
    padded = S.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    k = np.transpose(_SOBEL, (1, 2, 0))[:, :, None, :]  # (3, 3, 1, 2)
    kernel = backend.asarray(np.tile(k, (1, 1, c, 1)), dtype=x._value.dtype)
    out = depthwise_conv2d(padded, kernel, padding="valid")  # (N, H, W, C * 2), channel-major
    return S.reshape(out, tuple(x._value.shape) + (2,))


def total_variation(images: Any, name: Any = None) -> Tensor:
    """Sum of absolute differences between neighbouring pixels, per image (a scalar for one image)."""
    x = as_tensor(images)
    rank = x._value.ndim
    if rank not in (3, 4):
        raise ValueError("'images' must be either 3 or 4-dimensional.")
    h, w = rank - 3, rank - 2
    key = [slice(None)] * rank

    def shifted(axis: int, start: slice) -> Tensor:
        k = list(key)
        k[axis] = start
        return S.getitem(x, tuple(k))

    d1 = shifted(h, slice(1, None)) - shifted(h, slice(None, -1))
    d2 = shifted(w, slice(1, None)) - shifted(w, slice(None, -1))
    axes = None if rank == 3 else [1, 2, 3]
    return R.reduce_sum(E.abs(d1), axis=axes) + R.reduce_sum(E.abs(d2), axis=axes)
