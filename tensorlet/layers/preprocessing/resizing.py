"""Resizing and CenterCrop: images to a fixed (height, width), differentiably.

Both take batches ``(N, H, W, C)`` or single images ``(H, W, C)`` (channels first with
``data_format="channels_first"``). Resizing samples with half-pixel centres, as ``tf.image.resize`` does
(ops/resize.py); ``crop_to_aspect_ratio`` first cuts the largest centred window of the target's aspect ratio,
``pad_to_aspect_ratio`` first pads both sides with ``fill_value`` to that ratio. CenterCrop cuts the centred
window, and resizes as ``smart_resize`` does when the image is smaller than the target.
"""
from __future__ import annotations

from typing import Any

from tensorlet.config import image_data_format
from tensorlet.layers.layer import Layer
from tensorlet.ops import shape as S
from tensorlet.ops.resize import METHODS, Resize2D


def _size(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"`{name}` must be a positive int. Received: {name}={value!r}")
    return value


class _FixedSize(Layer):
    def __init__(self, height: int, width: int, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.height, self.width = _size("height", height), _size("width", width)
        self.data_format = data_format or image_data_format()
        if self.data_format not in ("channels_last", "channels_first"):
            raise ValueError(f"`data_format` must be 'channels_last' or 'channels_first', got {data_format!r}")

    def _hw_axes(self, ndim: int) -> tuple[int, int]:
        if ndim not in (3, 4):
            raise ValueError(f'Layer "{self.name}" ({type(self).__name__}) expects images of rank 3 (H, W, C) or 4 '
                             f"(N, H, W, C), got rank {ndim}")
        return (ndim - 2, ndim - 1) if self.data_format == "channels_first" else (ndim - 3, ndim - 2)

    def _crop(self, x: Any, axes: tuple[int, int], top: int, left: int, h: int, w: int) -> Any:
        key: list[Any] = [slice(None)] * x.ndim
        key[axes[0]], key[axes[1]] = slice(top, top + h), slice(left, left + w)
        return S.getitem(x, tuple(key))

    def _crop_to_ratio(self, x: Any, axes: tuple[int, int]) -> Any:
        """The largest centred window of the target's aspect ratio (``smart_resize``'s crop)."""
        h, w = x.shape[axes[0]], x.shape[axes[1]]
        ch = max(min(h, int(w * self.height / self.width)), 1)
        cw = max(min(w, int(h * self.width / self.height)), 1)
        return self._crop(x, axes, (h - ch) // 2, (w - cw) // 2, ch, cw)

    def _resize(self, x: Any, axes: tuple[int, int], method: str) -> Any:
        if (x.shape[axes[0]], x.shape[axes[1]]) == (self.height, self.width):
            return x
        return Resize2D(axes, (self.height, self.width), method)(x)

    def compute_output_shape(self, input_shape: Any) -> Any:
        s = list(input_shape)
        a, b = self._hw_axes(len(s))
        s[a], s[b] = self.height, self.width
        return tuple(s)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "data_format": self.data_format})
        return config


class Resizing(_FixedSize):
    """Resize images to (height, width).

    Args:
        height, width: the output size.
        interpolation: ``"bilinear"`` (default), ``"nearest"`` or ``"bicubic"``.
        crop_to_aspect_ratio: cut the largest centred window of the target's aspect ratio first (no distortion).
        pad_to_aspect_ratio: pad both sides with ``fill_value`` to the target's aspect ratio first.
        fill_mode: ``"constant"`` only (Keras' only mode for padding).
        fill_value: the padding value.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Example:
        >>> import numpy as np
        >>> Resizing(2, 2)(np.ones((1, 4, 6, 3), "float32")).shape
        TensorShape([1, 2, 2, 3])
    """

    def __init__(self, height: int, width: int, interpolation: str = "bilinear", crop_to_aspect_ratio: bool = False,
                 pad_to_aspect_ratio: bool = False, fill_mode: str = "constant", fill_value: float = 0.0,
                 antialias: bool = False, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(height, width, data_format, **kwargs)
        if interpolation not in METHODS:
            raise ValueError(f"Resizing: `interpolation` must be one of {list(METHODS)}, got {interpolation!r}")
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Resizing: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True")
        if fill_mode != "constant":
            raise ValueError(f"Resizing: `fill_mode` must be 'constant', got {fill_mode!r}")
        if antialias:
            raise ValueError("Resizing: antialias=True is not supported by tensorlet; resize without it, or in "
                             "several halving steps")
        self.interpolation, self.fill_mode, self.fill_value = interpolation, fill_mode, float(fill_value)
        self.crop_to_aspect_ratio, self.pad_to_aspect_ratio = bool(crop_to_aspect_ratio), bool(pad_to_aspect_ratio)
        self.antialias = False

    def _pad_to_ratio(self, x: Any, axes: tuple[int, int]) -> Any:
        h, w = x.shape[axes[0]], x.shape[axes[1]]
        top = (max(h, int(w * self.height / self.width)) - h) // 2  # the same band on both sides, as Keras
        left = (max(w, int(h * self.width / self.height)) - w) // 2
        pads = [[0, 0] for _ in range(x.ndim)]
        pads[axes[0]], pads[axes[1]] = [top, top], [left, left]
        return S.pad(x, pads, constant_values=self.fill_value) if top or left else x

    def call(self, inputs: Any) -> Any:
        from tensorlet.ops import elementwise as E

        if isinstance(inputs, (list, tuple)):  # a list of same-sized images (sklearn's load_sample_images)
            from tensorlet.ops.convert import as_tensor

            inputs = as_tensor(inputs)
        x = inputs if inputs.dtype.name == self.dtype else E.cast(inputs, self.dtype)
        axes = self._hw_axes(x.ndim)
        if self.crop_to_aspect_ratio:
            x = self._crop_to_ratio(x, axes)
        elif self.pad_to_aspect_ratio:
            x = self._pad_to_ratio(x, axes)
        return self._resize(x, axes, self.interpolation)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                       "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                       "fill_value": self.fill_value, "antialias": self.antialias})
        return config


class CenterCrop(_FixedSize):
    """Cut the central (height, width) window; an image smaller than that is first cropped to the target's
    aspect ratio and resized (bilinear), as ``smart_resize`` does.

    Example:
        >>> import numpy as np
        >>> CenterCrop(2, 2)(np.arange(16, dtype="float32").reshape(1, 4, 4, 1)).numpy().ravel().tolist()
        [5.0, 6.0, 9.0, 10.0]
    """

    def call(self, inputs: Any) -> Any:
        from tensorlet.ops import elementwise as E

        if isinstance(inputs, (list, tuple)):  # a list of same-sized images (sklearn's load_sample_images)
            from tensorlet.ops.convert import as_tensor

            inputs = as_tensor(inputs)
        x = inputs if inputs.dtype.name == self.dtype else E.cast(inputs, self.dtype)
        axes = self._hw_axes(x.ndim)
        h, w = x.shape[axes[0]], x.shape[axes[1]]
        if h >= self.height and w >= self.width:
            return self._crop(x, axes, (h - self.height) // 2, (w - self.width) // 2, self.height, self.width)
        return self._resize(self._crop_to_ratio(x, axes), axes, "bilinear")
