"""Random initializers: normal, truncated normal, uniform, variance scaling (Glorot, He, LeCun), orthogonal."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from tensorlet import random as _random
from tensorlet.initializers.initializer import Initializer, _compute_fans, _dtype, _shape

# The standard deviation of a unit normal truncated to [-2, 2]; dividing by it restores the target variance.
_TRUNCATED_STD = 0.87962566103423978

class RandomInitializer(Initializer):
    """Base class of the random initializers: holds the seed and hands out generators.

    Args:
        seed: None (draw through ``tensorlet.random``), an int (same values at every call), or a
            ``tensorlet.random.Generator`` / NumPy ``Generator`` (next values at every call).
    """

    def __init__(self, seed: Any = None) -> None:
        if not (seed is None or isinstance(seed, (int, np.integer, _random.Generator, np.random.Generator))):
            raise ValueError(f"{type(self).__name__}: seed must be None, an int or a Generator, got {seed!r}")
        if isinstance(seed, bool):
            raise ValueError(f"{type(self).__name__}: seed must be None, an int or a Generator, got {seed!r}")
        self.seed = int(seed) if isinstance(seed, (int, np.integer)) else seed

    def _generator(self) -> np.random.Generator:
        if isinstance(self.seed, int):
            return np.random.default_rng(self.seed)
        return _random._rng(self.seed)

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed if isinstance(self.seed, int) else None}


def _truncated_normal(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Unit normal draws, redrawn where they fall outside [-2, 2]."""
    x = rng.standard_normal(shape)
    bad = np.abs(x) > 2
    while bad.any():
        x[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(x) > 2
    return x


class RandomNormal(RandomInitializer):
    """Normal draws: w ~ N(mean, stddev^2).

    Args:
        mean: mean of the distribution.
        stddev: standard deviation of the distribution.
        seed: see ``RandomInitializer``.
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None) -> None:
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        s, d = _shape(shape), _dtype(dtype, "RandomNormal")
        return (self._generator().standard_normal(s) * self.stddev + self.mean).astype(d)

    def get_config(self) -> dict[str, Any]:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class TruncatedNormal(RandomInitializer):
    """Normal draws truncated to two standard deviations: w ~ N(mean, stddev^2) restricted to |w - mean| <= 2 stddev.

    Args:
        mean: mean of the (untruncated) distribution.
        stddev: standard deviation of the (untruncated) distribution.
        seed: see ``RandomInitializer``.
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None) -> None:
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        s, d = _shape(shape), _dtype(dtype, "TruncatedNormal")
        return (_truncated_normal(self._generator(), s) * self.stddev + self.mean).astype(d)

    def get_config(self) -> dict[str, Any]:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(RandomInitializer):
    """Uniform draws: w ~ U[minval, maxval) (integers in [minval, maxval) for an integer dtype).

    Args:
        minval: lower bound.
        maxval: upper bound (excluded).
        seed: see ``RandomInitializer``.
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: Any = None) -> None:
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        s, d = _shape(shape), _dtype(dtype, "RandomUniform", float_only=False)
        if d.kind in "iu":
            return self._generator().integers(int(self.minval), int(self.maxval), s).astype(d)
        if d.kind != "f":
            raise ValueError(f"RandomUniform cannot produce values of dtype {d.name}")
        return self._generator().uniform(self.minval, self.maxval, s).astype(d)

    def get_config(self) -> dict[str, Any]:
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


class VarianceScaling(RandomInitializer):
    """Draws scaled to the weight's fans: Var(w) = scale / n, with n = fan_in, fan_out or their mean.

    ``truncated_normal`` draws from a normal truncated to two standard deviations, with stddev
    sqrt(scale / n) / 0.8796 so that the truncated draws keep the target variance; ``untruncated_normal``
    uses stddev sqrt(scale / n); ``uniform`` uses U[-limit, limit] with limit = sqrt(3 scale / n).

    Args:
        scale: positive scaling factor.
        mode: 'fan_in', 'fan_out' or 'fan_avg'.
        distribution: 'truncated_normal', 'untruncated_normal' or 'uniform' ('normal' means truncated_normal).
        seed: see ``RandomInitializer``.
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal",
                 seed: Any = None) -> None:
        super().__init__(seed)
        if not scale > 0:
            raise ValueError(f"VarianceScaling: scale must be positive, got scale={scale!r}")
        if mode not in _MODES:
            raise ValueError(f"VarianceScaling: invalid mode {mode!r}; expected one of {', '.join(_MODES)}")
        dist = str(distribution).lower()
        dist = "truncated_normal" if dist == "normal" else dist
        if dist not in _DISTRIBUTIONS:
            raise ValueError(f"VarianceScaling: invalid distribution {distribution!r}; expected one of "
                             f"{', '.join(_DISTRIBUTIONS)}")
        self.scale, self.mode, self.distribution = scale, mode, dist

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        s, d = _shape(shape), _dtype(dtype, type(self).__name__)
        fan_in, fan_out = _compute_fans(s)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        rng = self._generator()
        if self.distribution == "truncated_normal":
            w = _truncated_normal(rng, s) * (math.sqrt(variance) / _TRUNCATED_STD)
        elif self.distribution == "untruncated_normal":
            w = rng.standard_normal(s) * math.sqrt(variance)
        else:
            limit = math.sqrt(3.0 * variance)
            w = rng.uniform(-limit, limit, s)
        return w.astype(d)

    def get_config(self) -> dict[str, Any]:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                **super().get_config()}


class _PresetVarianceScaling(VarianceScaling):
    """A VarianceScaling with fixed arguments; only the seed is configurable."""

    _preset: tuple[float, str, str] = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed: Any = None) -> None:
        scale, mode, distribution = self._preset
        super().__init__(scale, mode, distribution, seed)

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed if isinstance(self.seed, int) else None}


class GlorotUniform(_PresetVarianceScaling):
    """Glorot (Xavier) uniform: w ~ U[-limit, limit], limit = sqrt(6 / (fan_in + fan_out))."""

    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_PresetVarianceScaling):
    """Glorot (Xavier) normal: truncated normal with stddev sqrt(2 / (fan_in + fan_out))."""

    _preset = (1.0, "fan_avg", "truncated_normal")


class HeUniform(_PresetVarianceScaling):
    """He uniform: w ~ U[-limit, limit], limit = sqrt(6 / fan_in)."""

    _preset = (2.0, "fan_in", "uniform")


class HeNormal(_PresetVarianceScaling):
    """He normal: truncated normal with stddev sqrt(2 / fan_in)."""

    _preset = (2.0, "fan_in", "truncated_normal")


class LecunUniform(_PresetVarianceScaling):
    """LeCun uniform: w ~ U[-limit, limit], limit = sqrt(3 / fan_in)."""

    _preset = (1.0, "fan_in", "uniform")


class LecunNormal(_PresetVarianceScaling):
    """LeCun normal: truncated normal with stddev sqrt(1 / fan_in)."""

    _preset = (1.0, "fan_in", "truncated_normal")


class Orthogonal(RandomInitializer):
    """A random orthogonal matrix: w = gain Q, Q from the QR decomposition of a normal draw (sign-corrected).

    A shape of rank > 2 is treated as a (prod(shape[:-1]), shape[-1]) matrix; rows or columns, whichever
    are fewer, are orthonormal.

    Args:
        gain: multiplicative factor.
        seed: see ``RandomInitializer``.
    """

    def __init__(self, gain: float = 1.0, seed: Any = None) -> None:
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        s, d = _shape(shape), _dtype(dtype, "Orthogonal")
        if len(s) < 2:
            raise ValueError(f"Orthogonal initializer needs a shape of rank >= 2, got shape={s}")
        rows, cols = math.prod(s[:-1]), s[-1]
        a = self._generator().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q = q * np.where(np.diag(r) < 0, -1.0, 1.0)  # makes the decomposition unique, so Q is uniformly spread
        if rows < cols:
            q = q.T
        return (self.gain * q).reshape(s).astype(d)

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain, **super().get_config()}
