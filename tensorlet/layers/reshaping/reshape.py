"""Reshape: give the non-batch axes a new shape (one entry may be -1)."""
from __future__ import annotations

import math
from typing import Any

from tensorlet.layers.layer import Layer
from tensorlet.ops import shape as shape_ops


class Reshape(Layer):
    """Reshape inputs to ``(batch,) + target_shape``."""

    def __init__(self, target_shape: tuple[int, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)
        if self.target_shape.count(-1) > 1:
            raise ValueError(f'Layer "{self.name}": at most one -1 is allowed in target_shape {self.target_shape}')

    def _resolve(self, input_shape: Any) -> tuple[int, ...]:
        rest = input_shape[1:]
        if any(d is None for d in rest):
            return self.target_shape
        n = math.prod(rest)
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if known == 0 or n % known:
                raise ValueError(f'Layer "{self.name}" (Reshape): cannot reshape input of shape {tuple(input_shape)} '
                                 f"({n} values per sample) to {self.target_shape}")
            return tuple(n // known if d == -1 else d for d in self.target_shape)
        if known != n:
            raise ValueError(f'Layer "{self.name}" (Reshape): total size of the new shape {self.target_shape} ({known}) '
                             f"must equal the input's size per sample {n} (input shape {tuple(input_shape)})")
        return self.target_shape

    def call(self, inputs: Any) -> Any:
        target = self._resolve(tuple(inputs.shape))
        return shape_ops.Reshape((-1,) + target)(inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return (input_shape[0],) + self._resolve(tuple(input_shape))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["target_shape"] = list(self.target_shape)
        return config
