"""ZeroPadding2D, Cropping2D and UpSampling2D (channels_last by default)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.config import image_data_format
from tensorlet.layers.layer import InputSpec, Layer
from tensorlet.ops import shape as S
from tensorlet.ops.resize import METHODS, Resize2D


def _pairs(v: Any) -> tuple[tuple[int, int], tuple[int, int]]:
    if isinstance(v, int):
        return (v, v), (v, v)
    a, b = v
    a = (a, a) if isinstance(a, int) else tuple(a)
    b = (b, b) if isinstance(b, int) else tuple(b)
    return (int(a[0]), int(a[1])), (int(b[0]), int(b[1]))


class _Spatial2D(Layer):
    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = data_format or image_data_format()
        self.input_spec = InputSpec(ndim=4)

    def _hw(self) -> tuple[int, int]:
        return (1, 2) if self.data_format == "channels_last" else (2, 3)


class ZeroPadding2D(_Spatial2D):
    """Pad rows and columns with zeros: ``padding`` is an int, (h, w), or ((top, bottom), (left, right))."""

    def __init__(self, padding: int | tuple[Any, ...] = (1, 1), data_format: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(data_format, **kwargs)
        self.padding = _pairs(padding)

    def call(self, inputs: Any) -> Any:
        h, w = self._hw()
        p = [(0, 0)] * 4
        p[h], p[w] = self.padding
        return S.pad(inputs, p)

    def compute_output_shape(self, input_shape: Any) -> Any:
        s = list(input_shape)
        for ax, (a, b) in zip(self._hw(), self.padding):
            s[ax] = None if s[ax] is None else s[ax] + a + b
        return tuple(s)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"padding": [list(p) for p in self.padding], "data_format": self.data_format})
        return config


class Cropping2D(_Spatial2D):
    """Crop rows and columns: ``cropping`` is an int, (h, w), or ((top, bottom), (left, right))."""

    def __init__(self, cropping: int | tuple[Any, ...] = ((0, 0), (0, 0)), data_format: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(data_format, **kwargs)
        self.cropping = _pairs(cropping)

    def call(self, inputs: Any) -> Any:
        key: list[Any] = [slice(None)] * 4
        for ax, (a, b) in zip(self._hw(), self.cropping):
            n = inputs.shape[ax]
            if a + b >= n:
                raise ValueError(f'Layer "{self.name}": cropping {self.cropping} leaves nothing of an input of shape '
                                 f"{tuple(inputs.shape)}")
            key[ax] = slice(a, n - b)
        return S.getitem(inputs, tuple(key))

    def compute_output_shape(self, input_shape: Any) -> Any:
        s = list(input_shape)
        for ax, (a, b) in zip(self._hw(), self.cropping):
            s[ax] = None if s[ax] is None else s[ax] - a - b
        return tuple(s)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"cropping": [list(p) for p in self.cropping], "data_format": self.data_format})
        return config


class Repeat2D(Function):
    """Nearest-neighbour upsampling: y = repeat(x, (sh, sw)) on two axes; dx sums each block."""

    def __init__(self, axes: tuple[int, int], size: tuple[int, int]) -> None:
        self.axes, self.size = axes, size

    def forward(self, x: Any) -> Any:
        self.saved = (x.shape,)
        return x.repeat(self.size[0], axis=self.axes[0]).repeat(self.size[1], axis=self.axes[1])

    def backward(self, dy: Any) -> Any:
        shape = self.saved[0]
        (a, b), (sh, sw) = self.axes, self.size
        split = list(dy.shape)
        split[a:a + 1] = [shape[a], sh]
        split[b + 1:b + 2] = [shape[b], sw]
        return dy.reshape(split).sum(axis=(a + 1, b + 2))


class UpSampling2D(_Spatial2D):
    """Upsample rows and columns ``size`` times: 'nearest' repeats pixels; 'bilinear' and 'bicubic' interpolate
    with half-pixel centres, as ``tf.image.resize`` does."""

    def __init__(self, size: int | tuple[int, ...] = (2, 2), data_format: str | None = None,
                 interpolation: str = "nearest", **kwargs: Any) -> None:
        super().__init__(data_format, **kwargs)
        self.size = (size, size) if isinstance(size, int) else (int(size[0]), int(size[1]))
        if interpolation not in METHODS:
            raise ValueError(f"UpSampling2D: `interpolation` must be one of {list(METHODS)}, got {interpolation!r}")
        self.interpolation = interpolation

    def call(self, inputs: Any) -> Any:
        if self.interpolation == "nearest":
            return Repeat2D(self._hw(), self.size)(inputs)
        axes = self._hw()
        out_hw = (inputs.shape[axes[0]] * self.size[0], inputs.shape[axes[1]] * self.size[1])
        return Resize2D(axes, out_hw, self.interpolation)(inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        s = list(input_shape)
        for ax, k in zip(self._hw(), self.size):
            s[ax] = None if s[ax] is None else s[ax] * k
        return tuple(s)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"size": list(self.size), "data_format": self.data_format,
                       "interpolation": self.interpolation})
        return config
