"""Random ops with TensorFlow's seed semantics, and a Generator object that layers can own.

After ``set_seed(s)`` the same program draws the same numbers: each random op without an op-level seed
takes the next seed from a global counter; an op-level ``seed=`` makes that op deterministic on its own.
"""
from __future__ import annotations

import random as _pyrandom
from typing import Any, Callable

import numpy as np

from tensorlet import backend, seeding
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.config import floatx
from tensorlet.dtypes import np_dtype


def set_seed(seed: int | None) -> None:
    """Set the global seed: random ops after this call draw reproducible sequences."""
    seeding.set_seed(seed)


get_state = seeding.get_state
set_state = seeding.set_state
get_global_seed = seeding.get_global_seed
_rng = seeding.rng


def host_rng(seed: int | None = None) -> np.random.Generator:
    """A NumPy generator seeded with ``seed`` (fresh entropy for None), for draws made on the host: the masks and
    augmentation parameters that layers and ops then move to the backend with ``backend.asarray``."""
    return np.random.default_rng(seed)


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, Tensor):
        shape = shape._value.tolist()
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)


class RandomDraw(Function):
    """Draws from a generator chosen by the seed rule at each call: eagerly, and on every replay of a traced
    function (its output varies between calls; nothing to differentiate)."""

    differentiable = False
    varies = True

    def __init__(self, draw: Callable[..., Any], seed: Any) -> None:
        self.draw, self.seed = draw, seed

    def forward(self, *xs: Any) -> Any:
        # NumPy's generators draw on the host; the result moves to the backend like any host data
        return self.xp.asarray(self.draw(_rng(self.seed), *[backend.to_numpy(x) for x in xs]))


def _draw(draw: Callable[..., Any], seed: Any, *inputs: Tensor) -> Tensor:
    return RandomDraw(draw, seed)(*inputs)


def normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None,
           name: Any = None) -> Tensor:
    s, d, m, sd = _shape(shape), np_dtype(dtype or floatx()), float(mean), float(stddev)
    return _draw(lambda r: r.normal(m, sd, s).astype(d), seed)


def uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = None, seed: Any = None,
            name: Any = None) -> Tensor:
    d, s = np_dtype(dtype or floatx()), _shape(shape)
    if d.kind in "iu":
        if maxval is None:
            raise ValueError("uniform with an integer dtype needs maxval")
        lo_i, hi_i = int(minval), int(maxval)
        return _draw(lambda r: r.integers(lo_i, hi_i, s).astype(d), seed)
    lo, hi = float(minval), 1.0 if maxval is None else float(maxval)
    return _draw(lambda r: r.uniform(lo, hi, s).astype(d), seed)


def truncated_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None,
                     name: Any = None) -> Tensor:
    """Normal draws, redrawn where more than two standard deviations from the mean."""
    s, d, m, sd = _shape(shape), np_dtype(dtype or floatx()), float(mean), float(stddev)

    def draw(r: np.random.Generator) -> Any:
        x = r.standard_normal(s)
        bad = np.abs(x) > 2
        while bad.any():
            x[bad] = r.standard_normal(int(bad.sum()))
            bad = np.abs(x) > 2
        return (x * sd + m).astype(d)

    return _draw(draw, seed)


def shuffle(value: Any, seed: Any = None, name: Any = None) -> Tensor:
    """``value`` with its first axis in a random order."""
    t = value if isinstance(value, Tensor) else _wrap(backend.asarray(value))
    return _draw(lambda r, v: v[r.permutation(len(v))], seed, t)


def categorical(logits: Any, num_samples: int, dtype: Any = None, seed: Any = None, name: Any = None) -> Tensor:
    """Draw class indices from unnormalized log-probabilities, one row per batch entry."""
    t = logits if isinstance(logits, Tensor) else _wrap(backend.asarray(logits, dtype="float32"))
    n, d = int(num_samples), np_dtype(dtype or "int64")

    def draw(r: np.random.Generator, z: Any) -> Any:
        z = z.astype(np.float64)
        p = np.exp(z - z.max(axis=-1, keepdims=True))
        p /= p.sum(axis=-1, keepdims=True)
        u = r.random((z.shape[0], n, 1))
        idx = (u > np.cumsum(p, axis=-1)[:, None, :]).sum(-1)
        return np.minimum(idx, z.shape[-1] - 1).astype(d)

    return _draw(draw, seed, t)


def poisson(shape: Any, lam: Any, dtype: Any = None, seed: Any = None, name: Any = None) -> Tensor:
    s, d = _shape(shape), np_dtype(dtype or floatx())
    lam_v = np.asarray(backend.to_numpy(getattr(lam, "_value", lam)))
    return _draw(lambda r: r.poisson(lam_v, s + lam_v.shape).astype(d), seed)


class Generator:
    """A random generator with its own state (``tf.random.Generator``); layers may own one."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = np.random.default_rng(seed)

    @classmethod
    def from_seed(cls, seed: int, alg: Any = None) -> Generator:
        return cls(seed)

    @classmethod
    def from_non_deterministic_state(cls, alg: Any = None) -> Generator:
        return cls(None)

    def normal(self, shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None) -> Tensor:
        return normal(shape, mean, stddev, dtype, seed=self)

    def uniform(self, shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = None) -> Tensor:
        return uniform(shape, minval, maxval, dtype, seed=self)

    def truncated_normal(self, shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None) -> Tensor:
        return truncated_normal(shape, mean, stddev, dtype, seed=self)

    def split(self, count: int = 1) -> list[Generator]:
        return [Generator(int(s)) for s in self._rng.integers(0, 2**31 - 1, count)]

    def make_seeds(self, count: int = 1) -> Tensor:
        """``count`` seeds for the stateless functions, as the columns of a ``(2, count)`` int64 tensor."""
        return _wrap(self._rng.integers(0, 2**63 - 1, (2, int(count)), dtype=np.int64))


def get_global_generator() -> Generator:
    g = Generator.__new__(Generator)
    g._rng = _rng(None)
    return g


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and tensorlet (``keras.utils.set_random_seed``)."""
    _pyrandom.seed(seed)
    np.random.seed(seed)
    set_seed(seed)


from tensorlet.stateless_random import (  # noqa: E402 - tf.random's stateless half lives in its own module
    fold_in,
    split,
    stateless_normal,
    stateless_truncated_normal,
    stateless_uniform,
)

__all__ = ["set_seed", "normal", "uniform", "truncated_normal", "shuffle", "categorical", "poisson",
           "Generator", "get_global_generator", "fold_in", "split", "stateless_normal", "stateless_truncated_normal",
           "stateless_uniform"]
