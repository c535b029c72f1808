"""Keras' image-file helpers: ``load_img``, ``save_img``, ``img_to_array`` and ``array_to_img``.

``load_img`` returns a Pillow image, as Keras does (so ``img.size``, ``plt.imshow(img)`` and ``img_to_array(img)``
work as in course code), converted to the colour mode and resized with Pillow's filters. Pillow is an optional
dependency: ``pip install 'tensorlet[image]'``.
"""
from __future__ import annotations

import io
import os
import pathlib
import warnings
from typing import Any

import numpy as np

from tensorlet.config import floatx, image_data_format
from tensorlet.image.pillow import pil_image

PIL_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")
COLOR_MODES = ("grayscale", "rgb", "rgba")


def _resampling(name: str) -> Any:
    Image = pil_image()
    if name not in PIL_INTERPOLATIONS:
        raise ValueError(f"Invalid interpolation method {name!r} specified. Supported methods are "
                         f"{', '.join(PIL_INTERPOLATIONS)}")
    filters = getattr(Image, "Resampling", Image)
    return getattr(filters, name.upper())


def _data_format(data_format: str | None) -> str:
    fmt = data_format or image_data_format()
    if fmt not in ("channels_first", "channels_last"):
        raise ValueError(f"Invalid data_format: {fmt!r}; expected 'channels_last' or 'channels_first'")
    return fmt


def aspect_crop_box(width: int, height: int, target_width: int, target_height: int) -> tuple[int, int, int, int]:
    """The largest centred (left, top, right, bottom) box of the target's aspect ratio."""
    crop_h = min(height, width * target_height // target_width)
    crop_w = min(width, height * target_width // target_height)
    top, left = (height - crop_h) // 2, (width - crop_w) // 2
    return left, top, left + crop_w, top + crop_h


def load_img(path: Any, grayscale: bool = False, color_mode: str = "rgb", target_size: Any = None,
             interpolation: str = "nearest", keep_aspect_ratio: bool = False) -> Any:
    """Load an image file as a Pillow image.

    Args:
        path: a path (str, bytes, ``pathlib.Path``) or an ``io.BytesIO``.
        color_mode: ``"rgb"``, ``"rgba"`` or ``"grayscale"`` (16-bit grayscale files keep their depth).
        target_size: ``(height, width)`` to resize to, or None.
        interpolation: Pillow's filter: ``"nearest"``, ``"bilinear"``, ``"bicubic"``, ``"hamming"``, ``"box"``,
            ``"lanczos"``.
        keep_aspect_ratio: crop the largest centred box of the target's aspect ratio before resizing.
    """
    Image = pil_image()
    if grayscale:
        warnings.warn('grayscale is deprecated. Please use color_mode = "grayscale"', stacklevel=2)
        color_mode = "grayscale"
    if isinstance(path, io.BytesIO):
        img = Image.open(path)
    elif isinstance(path, (str, bytes, os.PathLike)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as f:
            img = Image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode in ("rgba", "rgb"):
        if img.mode != color_mode.upper():
            img = img.convert(color_mode.upper())
    else:
        raise ValueError(f'color_mode must be "grayscale", "rgb", or "rgba", got {color_mode!r}')
    if target_size is not None:
        size = (int(target_size[1]), int(target_size[0]))
        if img.size != size:
            resample = _resampling(interpolation)
            if keep_aspect_ratio:
                img = img.resize(size, resample, box=aspect_crop_box(img.size[0], img.size[1], *size))
            else:
                img = img.resize(size, resample)
    return img


def img_to_array(img: Any, data_format: str | None = None, dtype: Any = None) -> np.ndarray:
    """A Pillow image (or array) as a float array ``(height, width, channels)`` (channels first if asked)."""
    fmt = _data_format(data_format)
    x = np.asarray(img, dtype=dtype or floatx())
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if fmt == "channels_first" else x
    if x.ndim == 2:
        return x.reshape((1,) + x.shape) if fmt == "channels_first" else x.reshape(x.shape + (1,))
    raise ValueError(f"Unsupported image shape: {x.shape}")


def array_to_img(x: Any, data_format: str | None = None, scale: bool = True, dtype: Any = None) -> Any:
    """A rank-3 array as a Pillow image; ``scale`` stretches its values to [0, 255] first."""
    Image = pil_image()
    fmt = _data_format(data_format)
    x = np.asarray(x, dtype=dtype or floatx())
    if x.ndim != 3:
        raise ValueError(f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}")
    if fmt == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        peak = np.max(x)
        if peak != 0:
            x /= peak
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return Image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return Image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:  # 16-bit and wider grayscale
            return Image.fromarray(x[:, :, 0].astype("int32"), "I")
        return Image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def save_img(path: Any, x: Any, data_format: str | None = None, file_format: str | None = None, scale: bool = True,
             **kwargs: Any) -> None:
    """Save an array as an image file (the format from ``file_format`` or the file name)."""
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format in ("jpg", "jpeg"):
        warnings.warn("The JPG format does not support RGBA images, converting to RGB.", stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)
