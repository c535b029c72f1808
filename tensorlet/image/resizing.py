"""``tf.image.resize`` and ``resize_with_pad``: every ``ResizeMethod``, ``antialias`` and
``preserve_aspect_ratio``, differentiable with respect to the images (see ``tensorlet.ops.resize`` for the
sampling rules, which are TensorFlow's).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.image.cropping import pad_to_bounding_box
from tensorlet.image.image_tensor import batched, host_int, host_size, unbatched
from tensorlet.ops import elementwise as E
from tensorlet.ops.resize import METHODS, Resize2D


class ResizeMethod:
    """The resize methods, by the strings ``tf.image.resize`` accepts."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


_V1_METHODS = {0: "bilinear", 1: "nearest", 2: "bicubic", 3: "area"}  # tf.compat.v1.image.ResizeMethod


def resize_method(method: Any) -> str:
    """A method name from a string (any case) or TF1's integer enum; a ValueError lists the valid ones."""
    if isinstance(method, (int, np.integer)) and not isinstance(method, bool) and int(method) in _V1_METHODS:
        return _V1_METHODS[int(method)]
    name = str(method).lower() if isinstance(method, str) else method
    if name == "nearest_neighbor":
        name = "nearest"
    if name not in METHODS:
        raise ValueError(f"Resize method is not implemented: {method!r}; expected one of {list(METHODS)}")
    return name


def _resized(images: Tensor, hw: tuple[int, int], method: str, antialias: bool) -> Tensor:
    """Resize a 4-D batch; floats come out as float32 (nearest keeps the input dtype), as in TF."""
    if hw[0] <= 0 or hw[1] <= 0:
        raise ValueError(f"resize: the output size must be positive, got {list(hw)}")
    if images._value.shape[1] == 0 or images._value.shape[2] == 0:
        raise ValueError(f"resize: the input images must be of non-zero size, got shape {tuple(images.shape)}")
    if method != "nearest" and images._value.dtype != np.float32:
        images = E.cast(images, "float32")
    return Resize2D((1, 2), hw, method, bool(antialias))(images)


def resize(images: Any, size: Any, method: Any = ResizeMethod.BILINEAR, preserve_aspect_ratio: bool = False,
           antialias: bool = False, name: Any = None) -> Tensor:
    """Resize images to ``size = (new_height, new_width)``.

    Args:
        images: ``(height, width, channels)`` or ``(batch, height, width, channels)``, any real dtype.
        size: two integers (a list, tuple or 1-D tensor).
        method: a ``ResizeMethod`` (``"bilinear"``, ``"nearest"``, ``"bicubic"``, ``"area"``, ``"lanczos3"``,
            ``"lanczos5"``, ``"gaussian"``, ``"mitchellcubic"``).
        preserve_aspect_ratio: fit inside ``size`` keeping the aspect ratio (the result may be smaller).
        antialias: low-pass filter when shrinking (bilinear, bicubic and the kernel methods).

    Returns:
        float32 images of the new size (``nearest`` keeps the input dtype), of the input's rank.

    Example:
        >>> import tensorlet as tf
        >>> tf.image.resize(tf.ones([4, 6, 3]), [2, 3]).shape
        TensorShape([2, 3, 3])
    """
    m = resize_method(method)
    x, is_batch = batched(images, "images")
    hw = host_size(size)
    if preserve_aspect_ratio:
        height, width = x._value.shape[1:3]
        scale = min(np.float32(hw[0]) / np.float32(height), np.float32(hw[1]) / np.float32(width))
        hw = (int(np.round(scale * np.float32(height))), int(np.round(scale * np.float32(width))))
    return unbatched(_resized(x, hw, m, antialias), is_batch)


def resize_with_pad(image: Any, target_height: Any, target_width: Any, method: Any = ResizeMethod.BILINEAR,
                    antialias: bool = False) -> Tensor:
    """Resize to fit inside (target_height, target_width) keeping the aspect ratio, then pad with zeros to that
    size, the image centred (TF's float32 arithmetic for the fitted size and offsets)."""
    m = resize_method(method)
    x, is_batch = batched(image)
    th, tw = host_int(target_height, "target_height"), host_int(target_width, "target_width")
    if th <= 0 or tw <= 0:
        raise ValueError(f"resize_with_pad: target_height and target_width must be > 0, got {th}, {tw}")
    f32 = np.float32
    height, width = (f32(v) for v in x._value.shape[1:3])
    ratio = max(width / f32(tw), height / f32(th))
    rh, rw = height / ratio, width / ratio
    resized = _resized(x, (int(np.floor(rh)), int(np.floor(rw))), m, antialias)
    ph = max(0, int(np.floor((f32(th) - rh) / f32(2))))
    pw = max(0, int(np.floor((f32(tw) - rw) / f32(2))))
    return unbatched(pad_to_bounding_box(resized, ph, pw, th, tw), is_batch)
