"""``keras.ops.nn.depth_to_space`` and ``space_to_depth``: blocks of pixels moved between the spatial axes and the
channels (as ``tf.nn.depth_to_space``, the sub-pixel upsampling of super-resolution models), by reshapes and
transposes, so gradients and replay come from those."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops import numpy_shape as S
from tensorlet.keras_ops.convert import convert_to_tensor


def _check(op: str, t: Tensor, block_size: Any, data_format: str) -> tuple[int, bool]:
    if t.ndim != 4:
        raise ValueError(f"keras.ops.nn.{op}: x must be 4-D (a batch of images), got shape {tuple(t.shape)}")
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"keras.ops.nn.{op}: data_format must be 'channels_last' or 'channels_first', got "
                         f"{data_format!r}")
    b = int(block_size)
    if b < 2:
        raise ValueError(f"keras.ops.nn.{op}: block_size must be 2 or more, got {block_size}")
    return b, data_format == "channels_first"


def depth_to_space(x: Any, block_size: int, data_format: str = "channels_last") -> Tensor:
    """(N, H, W, C * b * b) -> (N, H * b, W * b, C): each pixel's channels spread over a b x b block.

    Raises:
        ValueError: for a tensor that is not 4-D, a block size below 2, or channels not divisible by b * b.
    """
    t = convert_to_tensor(x)
    b, first = _check("depth_to_space", t, block_size, data_format)
    if first:
        t = S.transpose(t, (0, 2, 3, 1))
    n, h, w, c = t.shape
    if c % (b * b):
        raise ValueError(f"keras.ops.nn.depth_to_space: {c} channels do not divide into blocks of {b} x {b}")
    out = S.reshape(t, (n, h, w, b, b, c // (b * b)))
    out = S.reshape(S.transpose(out, (0, 1, 3, 2, 4, 5)), (n, h * b, w * b, c // (b * b)))
    return S.transpose(out, (0, 3, 1, 2)) if first else out


def space_to_depth(x: Any, block_size: int, data_format: str = "channels_last") -> Tensor:
    """(N, H * b, W * b, C) -> (N, H, W, C * b * b): each b x b block of pixels stacked into the channels.

    Raises:
        ValueError: for a tensor that is not 4-D, a block size below 2, or a height or width not divisible by b.
    """
    t = convert_to_tensor(x)
    b, first = _check("space_to_depth", t, block_size, data_format)
    if first:
        t = S.transpose(t, (0, 2, 3, 1))
    n, h, w, c = t.shape
    if h % b or w % b:
        raise ValueError(f"keras.ops.nn.space_to_depth: height {h} and width {w} must be multiples of {b}")
    out = S.reshape(t, (n, h // b, b, w // b, b, c))
    out = S.reshape(S.transpose(out, (0, 1, 3, 2, 4, 5)), (n, h // b, w // b, b * b * c))
    return S.transpose(out, (0, 3, 1, 2)) if first else out
