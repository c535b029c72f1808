"""Flatten: collapse every axis but the batch axis."""
from __future__ import annotations

import math
from typing import Any

from tensorlet.layers.layer import Layer
from tensorlet.ops import shape as shape_ops


class Flatten(Layer):
    """Reshape ``(batch, d1, d2, ...)`` to ``(batch, d1 * d2 * ...)``."""

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs: Any) -> Any:
        x = inputs
        if self.data_format == "channels_first" and x.ndim > 2:
            x = shape_ops.transpose(x, (0,) + tuple(range(2, x.ndim)) + (1,))
        n = math.prod(x._value.shape[1:]) if x.ndim > 1 else 1
        return shape_ops.Reshape((-1, n))(x)

    def compute_output_shape(self, input_shape: Any) -> Any:
        rest = input_shape[1:]
        n = None if any(d is None for d in rest) else math.prod(rest) if rest else 1
        return (input_shape[0], n)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
