"""Dropout: zero a fraction of the inputs during training, scaling the rest by 1 / (1 - rate)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.layers.layer import Layer
from tensorlet.random import host_rng


def mask_shape(shape: tuple[int, ...], noise_shape: Any) -> tuple[int, ...]:
    """The shape of a mask for inputs of ``shape``: ``noise_shape``, whose None entries follow the input."""
    if noise_shape is None:
        return tuple(shape)
    return tuple(s if n is None else int(n) for s, n in zip(shape, noise_shape))


class DropoutMask(Function):
    """y = x * mask / (1 - rate) with a fresh Bernoulli mask per call; dx = dy * mask / (1 - rate)."""

    varies = True  # a new draw on every call

    def __init__(self, rate: float, rng: Any, noise_shape: Any = None) -> None:
        self.rate, self.rng, self.noise_shape = rate, rng, noise_shape

    def forward(self, x: Any) -> Any:
        from tensorlet.random import _rng

        shape = mask_shape(x.shape, self.noise_shape)
        keep = self.xp.asarray(_rng(self.rng).random(shape, dtype=self.xp.float32)) >= self.rate
        scale = x.dtype.type(1.0 / (1.0 - self.rate))
        mask = keep * scale
        self.saved = (mask,)
        return x * mask

    def backward(self, dy: Any) -> Any:
        return dy * self.saved[0]


class Dropout(Layer):
    """Randomly set a fraction ``rate`` of inputs to 0 at training time only.

    Args:
        rate: fraction of the units to drop, in [0, 1).
        noise_shape: shape of the binary mask (None entries follow the input).
        seed: an int for a reproducible mask sequence.
    """

    def __init__(self, rate: float, noise_shape: tuple[int | None, ...] | None = None,
                 seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        if not 0 <= float(rate) < 1:
            raise ValueError(f"Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                             f"Received: rate={rate}")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._rng = None if seed is None else host_rng(seed)

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not training or self.rate == 0:
            return inputs
        return DropoutMask(self.rate, self._rng, self.noise_shape)(inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config
