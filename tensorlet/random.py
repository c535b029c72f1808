"""Random ops with TensorFlow's seed semantics, and a Generator object that layers can own.

After ``set_seed(s)`` the same program draws the same numbers: each random op without an op-level seed
takes the next seed from a global counter; an op-level ``seed=`` makes that op deterministic on its own.
"""
from __future__ import annotations

import random as _pyrandom
from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.config import floatx
from tensorlet.dtypes import np_dtype

_global_seed: int | None = None
_op_counter = 0
_op_seed_counts: dict[int, int] = {}
_fallback = np.random.default_rng()


def set_seed(seed: int | None) -> None:
    """Set the global seed: random ops after this call draw reproducible sequences."""
    global _global_seed, _op_counter, _fallback
    _global_seed = None if seed is None else int(seed)
    _op_counter = 0
    _op_seed_counts.clear()
    _fallback = np.random.default_rng(seed)


def get_state() -> tuple[Any, ...]:
    """A snapshot of the global random state (tensorlet's counters and NumPy's global generator)."""
    return (_global_seed, _op_counter, dict(_op_seed_counts), np.random.get_state())


def set_state(state: tuple[Any, ...]) -> None:
    global _global_seed, _op_counter
    _global_seed, _op_counter, counts, np_state = state
    _op_seed_counts.clear()
    _op_seed_counts.update(counts)
    np.random.set_state(np_state)


def get_global_seed() -> int | None:
    return _global_seed


def host_rng(seed: int | None = None) -> np.random.Generator:
    """A NumPy generator seeded with ``seed`` (fresh entropy for None), for draws made on the host: the masks and
    augmentation parameters that layers and ops then move to the backend with ``backend.asarray``."""
    return np.random.default_rng(seed)


def _rng(seed: Any = None) -> np.random.Generator:
    """A NumPy generator for one op call, following the global/op-level seed rules."""
    global _op_counter
    if isinstance(seed, Generator):
        return seed._rng
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        if _global_seed is None:  # follow NumPy's global state, so np.random.seed alone also reproduces
            return np.random.default_rng(np.random.randint(0, 2**31 - 1))
        _op_counter += 1
        return np.random.default_rng((_global_seed, _op_counter))
    seed = int(seed)
    n = _op_seed_counts.get(seed, 0)
    _op_seed_counts[seed] = n + 1
    return np.random.default_rng((_global_seed if _global_seed is not None else 87654321, seed, n))


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, Tensor):
        shape = shape._value.tolist()
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)


def _host(array: Any) -> Tensor:
    """A tensor from host draws (made by NumPy's generators), moved to the active backend."""
    return _wrap(backend.asarray(array))


def normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None,
           name: Any = None) -> Tensor:
    r = _rng(seed)
    return _host(r.normal(float(mean), float(stddev), _shape(shape)).astype(np_dtype(dtype or floatx())))


def uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = None, seed: Any = None,
            name: Any = None) -> Tensor:
    d = np_dtype(dtype or floatx())
    r = _rng(seed)
    if d.kind in "iu":
        if maxval is None:
            raise ValueError("uniform with an integer dtype needs maxval")
        return _host(r.integers(int(minval), int(maxval), _shape(shape)).astype(d))
    hi = 1.0 if maxval is None else float(maxval)
    return _host(r.uniform(float(minval), hi, _shape(shape)).astype(d))


def truncated_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None,
                     name: Any = None) -> Tensor:
    """Normal draws, redrawn where more than two standard deviations from the mean."""
    r = _rng(seed)
    s = _shape(shape)
    x = r.standard_normal(s)
    bad = np.abs(x) > 2
    while bad.any():
        x[bad] = r.standard_normal(int(bad.sum()))
        bad = np.abs(x) > 2
    return _host((x * float(stddev) + float(mean)).astype(np_dtype(dtype or floatx())))


def shuffle(value: Any, seed: Any = None, name: Any = None) -> Tensor:
    v = backend.asarray(getattr(value, "_value", value))
    return _wrap(v[backend.asarray(_rng(seed).permutation(len(v)))])


def categorical(logits: Any, num_samples: int, dtype: Any = None, seed: Any = None, name: Any = None) -> Tensor:
    """Draw class indices from unnormalized log-probabilities, one row per batch entry."""
    z = np.asarray(backend.to_numpy(getattr(logits, "_value", logits)), dtype=np.float64)
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    r = _rng(seed)
    u = r.random((z.shape[0], int(num_samples), 1))
    idx = (u > np.cumsum(p, axis=-1)[:, None, :]).sum(-1)
    return _host(np.minimum(idx, z.shape[-1] - 1).astype(np_dtype(dtype or "int64")))


def poisson(shape: Any, lam: Any, dtype: Any = None, seed: Any = None, name: Any = None) -> Tensor:
    return _host(_rng(seed).poisson(lam, _shape(shape)).astype(np_dtype(dtype or floatx())))


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


def get_global_generator() -> Generator:
    g = Generator.__new__(Generator)
    g._rng = _rng(None)
    return g


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and tensorlet (``keras.utils.set_random_seed``)."""
    _pyrandom.seed(seed)
    np.random.seed(seed)
    set_seed(seed)


__all__ = ["set_seed", "normal", "uniform", "truncated_normal", "shuffle", "categorical", "poisson",
           "Generator", "get_global_generator"]
