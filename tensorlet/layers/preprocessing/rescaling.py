"""Rescaling: y = x * scale + offset."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.config import image_data_format
from tensorlet.layers.layer import Layer
from tensorlet.ops import elementwise as E


class Rescaling(Layer):
    """y = x * scale + offset (e.g. ``Rescaling(1/255)``); ``scale`` and ``offset`` may give one value per channel."""

    def __init__(self, scale: Any, offset: Any = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale = list(scale) if isinstance(scale, (list, tuple)) else scale
        self.offset = list(offset) if isinstance(offset, (list, tuple)) else offset

    def _per_channel(self, value: Any, ndim: int) -> Any:
        """A number, or one value per channel (a list), shaped to broadcast against the inputs."""
        v = backend.xp().asarray(value, dtype=self.dtype)
        if v.ndim and image_data_format() == "channels_first" and ndim > 2:
            v = v.reshape(v.shape + (1,) * (ndim - 2))
        return v

    def call(self, inputs: Any) -> Any:
        x = inputs
        if x.dtype.is_integer or x.dtype.name != self.dtype:
            x = E.cast(x, self.dtype)
        y = E.multiply(x, self._per_channel(self.scale, x.ndim))
        if isinstance(self.offset, (int, float)) and self.offset == 0:
            return y
        return E.add(y, self._per_channel(self.offset, x.ndim))

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"scale": self.scale, "offset": self.offset})
        return config
