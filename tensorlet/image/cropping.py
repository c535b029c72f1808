"""Crops and pads: ``crop_to_bounding_box``, ``pad_to_bounding_box``, ``resize_with_crop_or_pad``,
``central_crop``, ``random_crop`` and ``stateless_random_crop``.

All are slices and zero-pads, so their gradients pass ``dy`` back to the kept pixels. Random crops draw their
offset as a tensor that feeds the slice (``ops.dynamic_slice``), so a traced function crops somewhere new on every
call (or, stateless, where its seed says).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.image.image_tensor import as_image, batched, host_int, host_value, unbatched
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.dynamic_slice import DynamicSlice


def crop_to_bounding_box(image: Any, offset_height: Any, offset_width: Any, target_height: Any,
                         target_width: Any) -> Tensor:
    """The window of size (target_height, target_width) whose top-left corner is (offset_height, offset_width)."""
    x, is_batch = batched(image)
    oh, ow = host_int(offset_height, "offset_height"), host_int(offset_width, "offset_width")
    th, tw = host_int(target_height, "target_height"), host_int(target_width, "target_width")
    height, width = x._value.shape[1:3]
    for ok, message in ((ow >= 0, "offset_width must be >= 0."), (oh >= 0, "offset_height must be >= 0."),
                        (tw > 0, "target_width must be > 0."), (th > 0, "target_height must be > 0."),
                        (width >= tw + ow, "width must be >= target + offset."),
                        (height >= th + oh, "height must be >= target + offset.")):
        if not ok:
            raise ValueError(f"crop_to_bounding_box: {message} (image {height}x{width}, offset ({oh}, {ow}), "
                             f"target {th}x{tw})")
    return unbatched(S.getitem(x, (slice(None), slice(oh, oh + th), slice(ow, ow + tw))), is_batch)


def pad_to_bounding_box(image: Any, offset_height: Any, offset_width: Any, target_height: Any,
                        target_width: Any) -> Tensor:
    """Zero-pad to (target_height, target_width), the image's top-left corner at (offset_height, offset_width)."""
    x, is_batch = batched(image)
    oh, ow = host_int(offset_height, "offset_height"), host_int(offset_width, "offset_width")
    th, tw = host_int(target_height, "target_height"), host_int(target_width, "target_width")
    height, width = x._value.shape[1:3]
    after_h, after_w = th - oh - height, tw - ow - width
    for ok, message in ((oh >= 0, "offset_height must be >= 0"), (ow >= 0, "offset_width must be >= 0"),
                        (after_w >= 0, "width must be <= target - offset"),
                        (after_h >= 0, "height must be <= target - offset")):
        if not ok:
            raise ValueError(f"pad_to_bounding_box: {message} (image {height}x{width}, offset ({oh}, {ow}), "
                             f"target {th}x{tw})")
    padded = S.pad(x, [[0, 0], [oh, after_h], [ow, after_w], [0, 0]])
    return unbatched(padded, is_batch)


def resize_with_crop_or_pad(image: Any, target_height: Any, target_width: Any) -> Tensor:
    """Centre-crop or zero-pad (each axis on its own) to exactly (target_height, target_width)."""
    x, is_batch = batched(image)
    th, tw = host_int(target_height, "target_height"), host_int(target_width, "target_width")
    if tw <= 0 or th <= 0:
        raise ValueError(f"resize_with_crop_or_pad: target_height and target_width must be > 0, got {th}, {tw}")
    height, width = x._value.shape[1:3]
    crop = crop_to_bounding_box(x, max((height - th) // 2, 0), max((width - tw) // 2, 0),
                                min(th, height), min(tw, width))
    padded = pad_to_bounding_box(crop, max((th - height) // 2, 0), max((tw - width) // 2, 0), th, tw)
    return unbatched(padded, is_batch)


def central_crop(image: Any, central_fraction: Any) -> Tensor:
    """The central ``central_fraction`` (in (0, 1]) of the image along height and width."""
    x = as_image(image)
    fraction = float(host_value(central_fraction))
    if fraction <= 0.0 or fraction > 1.0:
        raise ValueError(f"central_fraction must be within (0, 1], got {fraction}")
    if fraction == 1.0:
        return x
    if x._value.ndim not in (3, 4):
        raise ValueError(f"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {x._value.ndim}.")
    height, width = x._value.shape[-3:-1]
    top = int((float(height) - float(height) * fraction) / 2)
    left = int((float(width) - float(width) * fraction) / 2)
    key = (Ellipsis, slice(top, height - top), slice(left, width - left), slice(None))
    return S.getitem(x, key)


def _crop_size(value: Tensor, size: Any) -> tuple[int, ...]:
    shape = tuple(value._value.shape)
    sizes = np.asarray(host_value(size) if isinstance(size, Tensor) else size).reshape(-1)
    if len(sizes) != len(shape):
        raise ValueError(f"random_crop: size {sizes.tolist()} must have one entry per dimension of value "
                         f"(shape {list(shape)})")
    if any(int(s) > n or int(s) < 0 for s, n in zip(sizes, shape)):
        raise ValueError(f"Need value.shape >= size, got shape {list(shape)} and size {sizes.tolist()}")
    return tuple(int(s) for s in sizes)


def _crop_at(value: Tensor, size: tuple[int, ...], draws: Tensor) -> Tensor:
    """Crop ``value`` to ``size`` at offsets ``draws mod (shape - size + 1)`` (TF's rule for random crops)."""
    limit = np.asarray([n - s + 1 for n, s in zip(value._value.shape, size)], dtype=np.int64)
    offsets = E.floormod(E.cast(draws, "int64"), as_tensor(limit))
    return DynamicSlice(size)(value, offsets)


def random_crop(value: Any, size: Any, seed: Any = None, name: Any = None) -> Tensor:
    """A window of shape ``size`` at a uniformly random position (one draw per call, for any rank).

    Example:
        >>> import tensorlet as tf
        >>> tf.image.random_crop(tf.zeros([8, 8, 3]), [4, 4, 3]).shape
        TensorShape([4, 4, 3])
    """
    from tensorlet.random import uniform

    t = as_tensor(value)
    sizes = _crop_size(t, size)
    draws = uniform([len(sizes)], 0, 2**31 - 1, dtype="int32", seed=seed)
    return _crop_at(t, sizes, draws)


def stateless_random_crop(value: Any, size: Any, seed: Any, name: Any = None) -> Tensor:
    """``random_crop`` whose position is a function of ``seed`` (a shape [2] integer tensor)."""
    from tensorlet.stateless_random import stateless_uniform

    t = as_tensor(value)
    sizes = _crop_size(t, size)
    draws = stateless_uniform([len(sizes)], seed, 0, 2**31 - 1, dtype="int32")
    return _crop_at(t, sizes, draws)
