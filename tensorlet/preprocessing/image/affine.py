"""Keras 2's single-image augmentation functions (``keras.preprocessing.image.apply_affine_transform``,
``random_rotation``, ``random_shift``, ``random_shear``, ``random_zoom``, channel and brightness shifts).

The affine transform composes, in this order, a rotation by ``theta`` degrees, a shift by ``(tx, ty)`` pixels
(``tx`` along the rows), a shear by ``shear`` degrees and a zoom ``(zx, zy)``, all about the image centre; the
composed matrix maps each output pixel to the input position it samples (``affine_sampling``). Random draws use
NumPy's global generator in the order Keras 2 makes them, so ``np.random.seed`` reproduces Keras' draws.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.preprocessing.image.affine_sampling import affine_transform


def transform_matrix_offset_center(matrix: np.ndarray, x: Any, y: Any) -> np.ndarray:
    """``matrix`` (3x3, homogeneous) conjugated so that it acts about the centre of an x-by-y image."""
    ox, oy = float(x) / 2 - 0.5, float(y) / 2 - 0.5
    to_center = np.array([[1, 0, ox], [0, 1, oy], [0, 0, 1]])
    back = np.array([[1, 0, -ox], [0, 1, -oy], [0, 0, 1]])
    return to_center @ matrix @ back


def _check_axes(x: np.ndarray, row_axis: int, col_axis: int, channel_axis: int) -> None:
    if len({row_axis, col_axis, channel_axis}) != 3:
        raise ValueError("'row_axis', 'col_axis', and 'channel_axis' must be distinct")
    if {row_axis, col_axis, channel_axis} != {0, 1, 2}:
        raise ValueError(f"Invalid axis' indices: {sorted({row_axis, col_axis, channel_axis} - {0, 1, 2})}")
    if x.ndim != 3:
        raise ValueError(f"Input arrays must be multi-channel 2D images (rank 3), got shape {x.shape}")
    if channel_axis not in (0, 2):
        raise ValueError("Channels are allowed and the first and last dimensions.")


def affine_matrix(theta: float = 0, tx: float = 0, ty: float = 0, shear: float = 0, zx: float = 1,
                  zy: float = 1) -> np.ndarray | None:
    """The composed 3x3 matrix (rotation, then shift, shear and zoom), or None for the identity."""
    parts = []
    if theta != 0:
        t = np.deg2rad(theta)
        parts.append(np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]]))
    if tx != 0 or ty != 0:
        parts.append(np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]))
    if shear != 0:
        s = np.deg2rad(shear)
        parts.append(np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]]))
    if zx != 1 or zy != 1:
        parts.append(np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]]))
    if not parts:
        return None
    m = parts[0]
    for p in parts[1:]:
        m = m @ p
    return m


def apply_affine_transform(x: Any, theta: float = 0, tx: float = 0, ty: float = 0, shear: float = 0,
                           zx: float = 1, zy: float = 1, row_axis: int = 1, col_axis: int = 2, channel_axis: int = 0,
                           fill_mode: str = "nearest", cval: float = 0.0, order: int = 1) -> np.ndarray:
    """Rotate (degrees), shift (pixels), shear (degrees) and zoom one rank-3 image about its centre.

    Args:
        x: the image; ``row_axis``, ``col_axis`` and ``channel_axis`` name its axes (channels first or last).
        fill_mode: ``"nearest"``, ``"constant"``, ``"reflect"`` or ``"wrap"`` (SciPy's meanings), also
            ``"mirror"``.
        cval: the value outside the image for ``"constant"``.
        order: spline order: 0 (nearest pixel) or 1 (bilinear) natively, 2-5 through SciPy.
    """
    x = np.asarray(x)
    _check_axes(x, row_axis, col_axis, channel_axis)
    m = affine_matrix(theta, tx, ty, shear, zx, zy)
    if m is None:
        return x
    h, w = x.shape[row_axis], x.shape[col_axis]
    m = transform_matrix_offset_center(m, h, w)
    if col_axis > row_axis:  # the matrix's first coordinate is the image's first spatial axis
        m[:, [0, 1]] = m[:, [1, 0]]
        m[[0, 1]] = m[[1, 0]]
    spatial = np.moveaxis(x, channel_axis, -1)  # (first spatial, second spatial, channels)
    out = affine_transform(spatial, m[:2, :2], m[:2, 2], order=order, mode=fill_mode, cval=cval)
    return np.moveaxis(out, -1, channel_axis)


def random_rotation(x: Any, rg: float, row_axis: int = 1, col_axis: int = 2, channel_axis: int = 0,
                    fill_mode: str = "nearest", cval: float = 0.0, interpolation_order: int = 1) -> np.ndarray:
    """Rotate by an angle drawn uniformly from [-rg, rg] degrees."""
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(x, theta=theta, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def random_shift(x: Any, wrg: float, hrg: float, row_axis: int = 1, col_axis: int = 2, channel_axis: int = 0,
                 fill_mode: str = "nearest", cval: float = 0.0, interpolation_order: int = 1) -> np.ndarray:
    """Shift by fractions of the height and width drawn from [-hrg, hrg] and [-wrg, wrg]."""
    h, w = np.shape(x)[row_axis], np.shape(x)[col_axis]
    tx = np.random.uniform(-hrg, hrg) * h
    ty = np.random.uniform(-wrg, wrg) * w
    return apply_affine_transform(x, tx=tx, ty=ty, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval, order=interpolation_order)


def random_shear(x: Any, intensity: float, row_axis: int = 1, col_axis: int = 2, channel_axis: int = 0,
                 fill_mode: str = "nearest", cval: float = 0.0, interpolation_order: int = 1) -> np.ndarray:
    """Shear by an angle drawn uniformly from [-intensity, intensity] degrees."""
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(x, shear=shear, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def random_zoom(x: Any, zoom_range: Any, row_axis: int = 1, col_axis: int = 2, channel_axis: int = 0,
                fill_mode: str = "nearest", cval: float = 0.0, interpolation_order: int = 1) -> np.ndarray:
    """Zoom by factors (one per axis) drawn uniformly from ``zoom_range = (lower, upper)``."""
    if len(zoom_range) != 2:
        raise ValueError(f"`zoom_range` should be a tuple or list of two floats. Received: {zoom_range}")
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(x, zx=zx, zy=zy, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def apply_channel_shift(x: Any, intensity: float, channel_axis: int = 0) -> np.ndarray:
    """Add ``intensity`` to every channel, clipped to the image's original range."""
    x = np.moveaxis(np.asarray(x), channel_axis, 0)
    lo, hi = np.min(x), np.max(x)
    shifted = np.stack([np.clip(channel + intensity, lo, hi) for channel in x], axis=0)
    return np.moveaxis(shifted, 0, channel_axis)


def random_channel_shift(x: Any, intensity_range: float, channel_axis: int = 0) -> np.ndarray:
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def apply_brightness_shift(x: Any, brightness: float, scale: bool = True) -> np.ndarray:
    """Scale brightness by ``brightness`` with Pillow's ``ImageEnhance.Brightness`` (as Keras 2), through an 8-bit
    image; values outside [0, 255] are stretched to it first (and back when ``scale`` is False)."""
    from tensorlet.image.pillow import pil_image
    from tensorlet.preprocessing.image.image_files import array_to_img, img_to_array

    pil_image()
    from PIL import ImageEnhance

    x = np.asarray(x)
    lo, hi = np.min(x), np.max(x)
    local_scale = lo < 0 or hi > 255
    img = array_to_img(x, scale=bool(local_scale or scale))
    out = img_to_array(ImageEnhance.Brightness(img).enhance(brightness))
    if not scale and local_scale:
        out = out / 255 * (hi - lo) + lo
    return out


def random_brightness(x: Any, brightness_range: Any, scale: bool = True) -> np.ndarray:
    if len(brightness_range) != 2:
        raise ValueError(f"`brightness_range should be tuple or list of two floats. Received: {brightness_range}")
    return apply_brightness_shift(x, np.random.uniform(brightness_range[0], brightness_range[1]), scale)


def flip_axis(x: Any, axis: int) -> np.ndarray:
    """``x`` reversed along ``axis``."""
    return np.flip(np.asarray(x), axis)
