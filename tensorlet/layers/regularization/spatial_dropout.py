"""SpatialDropout2D: drop whole feature maps (channels) instead of single values."""
from __future__ import annotations

from typing import Any

from tensorlet.config import image_data_format
from tensorlet.layers.regularization.dropout import Dropout, DropoutMask


class SpatialDropout2D(Dropout):
    """Dropout with one mask value per (sample, channel), shared over height and width."""

    def __init__(self, rate: float, data_format: str | None = None, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = data_format or image_data_format()

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not training or self.rate == 0:
            return inputs
        n, *_ = inputs.shape
        c_last = self.data_format == "channels_last"
        noise = (None, 1, 1, None) if c_last else (None, None, 1, 1)
        return DropoutMask(self.rate, self._rng, noise)(inputs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("noise_shape", None)
        config.pop("trainable", None)  # Keras 3's SpatialDropout constructors take no `trainable`
        config["data_format"] = self.data_format
        return config
