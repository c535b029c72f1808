"""SpatialDropout1D and SpatialDropout2D: drop whole feature maps (channels) instead of single values."""
from __future__ import annotations

from typing import Any

from tensorlet.config import image_data_format
from tensorlet.layers.input_spec import InputSpec
from tensorlet.layers.regularization.dropout import Dropout, DropoutMask


class SpatialDropout1D(Dropout):
    """Dropout of whole channels of (batch, steps, channels) inputs: y = x * m[:, None, :] / (1 - rate).

    One mask value m per (sample, channel), shared over the steps, in training only.

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        seed: an int for a reproducible mask sequence.
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(rate, seed=seed, **kwargs)  # a Keras 2 config's `noise_shape` lands in Dropout, unused
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not training or self.rate == 0:
            return inputs
        return DropoutMask(self.rate, self._rng, (None, 1, None))(inputs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("noise_shape", None)
        config.pop("trainable", None)  # Keras 3's SpatialDropout constructors take no `trainable`
        return config


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
