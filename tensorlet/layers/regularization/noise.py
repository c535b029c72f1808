"""Noise regularization: additive and multiplicative Gaussian noise, and alpha dropout for SELU networks.

Each layer is active in training only and is the identity at inference. The noise is drawn inside a
``Function``'s forward, so a traced training step draws fresh noise on every replay (as Dropout does).
"""
from __future__ import annotations

import math
from numbers import Real
from typing import Any

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.layers.layer import Layer
from tensorlet.layers.regularization.dropout import mask_shape
from tensorlet.ops.elementwise import cast
from tensorlet.ops.nn import SELU_ALPHA, SELU_SCALE
from tensorlet.random import host_rng

ALPHA_PRIME = -SELU_SCALE * SELU_ALPHA  # SELU's value at -inf (-1.7581): what alpha dropout sets dropped units to


def _standard_normal(rng: Any, shape: tuple[int, ...], dtype: Any) -> Any:
    """N(0, 1) draws in ``dtype``: float32 for 32-bit floats and narrower, so no float64 array is made for them."""
    from tensorlet.random import _rng

    xp = backend.xp()
    draw_dtype = xp.float64 if dtype.itemsize > 4 else xp.float32
    return xp.asarray(_rng(rng).standard_normal(shape, dtype=draw_dtype).astype(dtype, copy=False))


class AdditiveGaussianNoise(Function):
    """y = x + stddev * n with n ~ N(0, 1) drawn per call; dx = dy."""

    varies = True  # a new draw on every call

    def __init__(self, stddev: float, rng: Any = None) -> None:
        self.stddev, self.rng = stddev, rng

    def forward(self, x: Any) -> Any:
        noise = _standard_normal(self.rng, x.shape, x.dtype)
        noise *= x.dtype.type(self.stddev)
        return x + noise

    def backward(self, dy: Any) -> Any:
        return dy  # the noise does not depend on x


class MultiplicativeGaussianNoise(Function):
    """y = x * n with n ~ N(1, stddev^2) drawn per call; dx = dy * n."""

    varies = True  # a new draw on every call

    def __init__(self, stddev: float, rng: Any = None) -> None:
        self.stddev, self.rng = stddev, rng

    def forward(self, x: Any) -> Any:
        noise = _standard_normal(self.rng, x.shape, x.dtype)
        noise *= x.dtype.type(self.stddev)
        noise += x.dtype.type(1.0)
        self.saved = (noise,)
        return x * noise

    def backward(self, dy: Any) -> Any:
        return dy * self.saved[0]


class AlphaDropoutMask(Function):
    """y = a * (x * keep + alpha' * (1 - keep)) + b with keep ~ Bernoulli(1 - rate) per call; dx = dy * a * keep.

    a = ((1 - rate) * (1 + rate * alpha'^2)) ** -0.5 and b = -a * alpha' * rate restore zero mean and unit
    variance for inputs of zero mean and unit variance.
    """

    varies = True  # a new draw on every call

    def __init__(self, rate: float, rng: Any = None, noise_shape: Any = None) -> None:
        self.rate, self.rng, self.noise_shape = rate, rng, noise_shape

    def forward(self, x: Any) -> Any:
        from tensorlet.random import _rng

        rate = self.rate
        a = ((1.0 - rate) * (1.0 + rate * ALPHA_PRIME ** 2)) ** -0.5
        b = -a * ALPHA_PRIME * rate
        xp = self.xp
        keep = xp.asarray(_rng(self.rng).random(mask_shape(x.shape, self.noise_shape), dtype=xp.float32)) >= rate
        t = x.dtype.type
        scale = keep * t(a)  # a where kept, 0 where dropped
        offset = xp.where(keep, t(b), t(a * ALPHA_PRIME + b))  # b where kept, a alpha' + b else
        self.saved = (scale,)
        return x * scale + offset

    def backward(self, dy: Any) -> Any:
        return dy * self.saved[0]


def _check_rate(layer: str, rate: Any) -> float:
    if isinstance(rate, Real) and not isinstance(rate, bool) and 0 <= float(rate) < 1:
        return float(rate)
    raise ValueError(f"{layer}: invalid value received for argument `rate`. Expected a float value in [0, 1) "
                     f"(the fraction of units to drop). Received: rate={rate!r}")


class _NoiseLayer(Layer):
    """Shared by the noise layers: an optional seed for a reproducible noise sequence, and an unchanged shape."""

    def __init__(self, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.seed = seed
        self._rng = None if seed is None else host_rng(seed)

    def _float_input(self, x: Any) -> Any:
        """Integer inputs take the layer's float dtype (the noise is real-valued); float inputs keep theirs."""
        return x if x._value.dtype.kind == "f" else cast(x, self.dtype)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["seed"] = self.seed
        return config


class GaussianNoise(_NoiseLayer):
    """Add zero-centred Gaussian noise at training time only: y = x + n, n ~ N(0, stddev^2).

    Args:
        stddev: standard deviation of the noise, a float >= 0.
        seed: an int for a reproducible noise sequence.

    Example:
        >>> import numpy as np
        >>> layer = GaussianNoise(0.1, seed=0)
        >>> bool(np.all(np.asarray(layer(np.ones((2, 3)))) == 1.0))   # inference: the identity
        True
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        if not (isinstance(stddev, Real) and not isinstance(stddev, bool) and math.isfinite(stddev) and stddev >= 0):
            raise ValueError(f"GaussianNoise: invalid value received for argument `stddev`. Expected a finite float "
                             f">= 0 (the standard deviation of the noise). Received: stddev={stddev!r}")
        self.stddev: float = float(stddev)

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not training or self.stddev == 0:
            return inputs
        return AdditiveGaussianNoise(self.stddev, self._rng)(self._float_input(inputs))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["stddev"] = self.stddev
        return config


class GaussianDropout(_NoiseLayer):
    """Multiply by 1-centred Gaussian noise at training time only: y = x * n, n ~ N(1, rate / (1 - rate)).

    Args:
        rate: drop probability of the equivalent Dropout, in [0, 1); the noise has stddev sqrt(rate / (1 - rate)).
        seed: an int for a reproducible noise sequence.
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        self.rate = _check_rate("GaussianDropout", rate)

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        return MultiplicativeGaussianNoise(stddev, self._rng)(self._float_input(inputs))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["rate"] = self.rate
        return config


class AlphaDropout(_NoiseLayer):
    """Dropout for SELU networks, keeping the inputs' mean and variance: y = a * (x * keep + alpha' (1 - keep)) + b.

    Dropped units are set to SELU's negative saturation alpha' = -scale * alpha (about -1.7581), then an affine
    map (a, b, which depend on ``rate`` only) restores zero mean and unit variance. Training time only.

    Args:
        rate: fraction of the units to drop, in [0, 1).
        noise_shape: shape of the binary mask (None entries follow the input), as in Dropout.
        seed: an int for a reproducible mask sequence.
    """

    def __init__(self, rate: float, noise_shape: tuple[int | None, ...] | None = None,
                 seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        self.rate = _check_rate("AlphaDropout", rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not training or self.rate == 0:
            return inputs
        return AlphaDropoutMask(self.rate, self._rng, self.noise_shape)(self._float_input(inputs))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape})
        return config
