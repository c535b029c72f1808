"""``convert_image_dtype``: images between integer and float representations, rescaling as TF does.

Floats hold intensities in [0, 1]; an integer dtype holds them in [0, MAX]. Integer to float multiplies by
``1 / MAX`` (in the target float type); float to integer multiplies by ``MAX + 0.5`` and truncates; integer to
integer shifts by the ratio of the ranges. ``saturate=True`` clamps to the target's range before a cast.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor
from tensorlet.dtypes import as_dtype, np_dtype
from tensorlet.ops import elementwise as E
from tensorlet.ops.convert import as_tensor


def _bounds(src: np.dtype, dst: np.dtype) -> tuple[Any, Any]:
    """The range of ``dst`` values, expressed in ``src`` and representable there (TF's saturate_cast rule)."""
    lo, hi = np.iinfo(dst).min if dst.kind in "iu" else np.finfo(dst).min, \
        np.iinfo(dst).max if dst.kind in "iu" else np.finfo(dst).max
    if src.kind == "f":
        finfo = np.finfo(src)
        lo_s = np.asarray(max(float(lo), float(finfo.min)), src)
        hi_s = np.asarray(min(float(hi), float(finfo.max)), src)
        if float(hi_s) > hi:  # MAX rounds up in the float type: step back one float
            hi_s = np.nextafter(hi_s, np.asarray(0, src))
        if float(lo_s) < lo:
            lo_s = np.nextafter(lo_s, np.asarray(0, src))
        return lo_s, hi_s
    info = np.iinfo(src)
    return max(lo, info.min), min(hi, info.max)


def saturate_cast(value: Any, dtype: Any) -> Tensor:
    """``value`` clamped to ``dtype``'s range, then cast."""
    t = as_tensor(value)
    src, dst = t._value.dtype, np_dtype(dtype)
    if src == dst:
        return t
    lo, hi = _bounds(src, dst)
    xp = backend.xp()
    if src.kind in "iu" or src.kind == "f":
        t = E.clip_by_value(t, xp.asarray(lo, dtype=src), xp.asarray(hi, dtype=src))
    return E.cast(t, dst)


def convert_image_dtype(image: Any, dtype: Any, saturate: bool = False, name: Any = None) -> Tensor:
    """Convert ``image`` to ``dtype``, rescaling values to the target's convention.

    Args:
        image: an image tensor of any shape (integer or floating point).
        dtype: the target dtype.
        saturate: clamp before casting, so that out-of-range values saturate instead of wrapping.

    Example:
        >>> import tensorlet as tf
        >>> tf.image.convert_image_dtype(tf.constant([[[0, 255]]], tf.uint8), tf.float32).numpy()
        array([[[0., 1.]]], dtype=float32)
    """
    t = as_tensor(image)
    target = as_dtype(dtype)
    src, dst = t._value.dtype, np_dtype(target)
    if dst.kind not in "iuf":
        raise AttributeError("dtype must be either floating point or integer")
    if src.kind not in "iuf":
        raise AttributeError("image dtype must be either floating point or integer")
    if src == dst:
        return E.identity(t)
    if src.kind in "iu" and dst.kind in "iu":
        scale_in, scale_out = int(np.iinfo(src).max), int(np.iinfo(dst).max)
        if scale_in > scale_out:
            scaled = E.floordiv(t, backend.asarray((scale_in + 1) // (scale_out + 1), dtype=src))
            return saturate_cast(scaled, dst) if saturate else E.cast(scaled, dst)
        cast = saturate_cast(t, dst) if saturate else E.cast(t, dst)
        return E.multiply(cast, backend.asarray((scale_out + 1) // (scale_in + 1), dtype=dst))
    if src.kind == "f" and dst.kind == "f":
        return E.cast(t, dst)
    if src.kind in "iu":  # integer -> float
        return E.multiply(E.cast(t, dst), backend.asarray(1.0 / np.iinfo(src).max, dtype=dst))
    scaled = E.multiply(t, backend.asarray(np.iinfo(dst).max + 0.5, dtype=src))  # float -> integer
    return saturate_cast(scaled, dst) if saturate else _cast_truncating(scaled, dst)


def _cast_truncating(t: Tensor, dst: np.dtype) -> Tensor:
    """A float-to-integer cast; values beyond the integer range wrap as C's would instead of warning."""
    with np.errstate(invalid="ignore", over="ignore"):
        return E.cast(t, dst)
