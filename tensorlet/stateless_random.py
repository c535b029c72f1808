"""Stateless random draws (``tf.random.stateless_uniform`` and kin): the numbers are a pure function of a
``seed`` tensor of two integers, the shape and the dtype.

The seed is an input of the op, so a traced function (``Dataset.map``, ``tf.function``) draws from each call's
own seed, and the same seed always gives the same numbers. The generator is NumPy's Philox keyed by the seed
(TensorFlow also uses a Philox counter generator, but its bit stream is not reproduced: only the rule "same seed,
same numbers" is).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.config import floatx
from tensorlet.dtypes import np_dtype
from tensorlet.ops.convert import as_tensor


def _generator(seed: np.ndarray, salt: int = 0) -> np.random.Generator:
    s = np.asarray(seed).reshape(-1)
    if s.shape != (2,) or s.dtype.kind not in "iu":
        raise ValueError(f"seed must be a shape [2] integer tensor, got shape {tuple(s.shape)} and dtype {s.dtype}")
    key = (int(s[0]) & 0xFFFFFFFFFFFFFFFF, int(s[1]) & 0xFFFFFFFFFFFFFFFF)
    return np.random.Generator(np.random.Philox(key=[key[0], key[1] ^ (salt * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF)]))


class StatelessDraw(Function):
    """Draw ``draw(generator)`` from the generator keyed by the seed input (same seed, same output)."""

    differentiable = False

    def __init__(self, draw: Any, salt: int = 0) -> None:
        self.draw, self.salt = draw, salt

    def forward(self, seed: Any) -> Any:
        from tensorlet import backend

        return self.xp.asarray(self.draw(_generator(backend.to_numpy(seed), self.salt)))


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)


def _seed(seed: Any) -> Tensor:
    t = as_tensor(seed if isinstance(seed, Tensor) else np.asarray(seed, dtype=np.int64))
    if tuple(t._value.shape) != (2,) or t._value.dtype.kind not in "iu":
        raise ValueError(f"seed must be a shape [2] integer tensor, got shape {tuple(t._value.shape)} "
                         f"and dtype {t._value.dtype}")
    return t


def stateless_uniform(shape: Any, seed: Any, minval: Any = 0, maxval: Any = None, dtype: Any = None,
                      name: Any = None, alg: Any = None) -> Tensor:
    """Uniform numbers in [minval, maxval) determined by ``seed`` (two integers)."""
    s, d = _shape(shape), np_dtype(dtype or floatx())
    if d.kind in "iu":
        if maxval is None and minval is None:
            info = np.iinfo(d)
            return StatelessDraw(lambda g: g.integers(info.min, info.max, s, dtype=d, endpoint=True))(_seed(seed))
        if maxval is None:
            raise ValueError("stateless_uniform with an integer dtype needs maxval")
        lo, hi = int(minval), int(maxval)
        return StatelessDraw(lambda g: g.integers(lo, hi, s).astype(d))(_seed(seed))
    lo_f, hi_f = float(minval), 1.0 if maxval is None else float(maxval)
    return StatelessDraw(lambda g: g.uniform(lo_f, hi_f, s).astype(d))(_seed(seed))


def stateless_normal(shape: Any, seed: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,
                     name: Any = None, alg: Any = None) -> Tensor:
    s, d, m, sd = _shape(shape), np_dtype(dtype or floatx()), float(mean), float(stddev)
    return StatelessDraw(lambda g: g.normal(m, sd, s).astype(d))(_seed(seed))


def stateless_truncated_normal(shape: Any, seed: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,
                               name: Any = None, alg: Any = None) -> Tensor:
    s, d, m, sd = _shape(shape), np_dtype(dtype or floatx()), float(mean), float(stddev)

    def draw(g: np.random.Generator) -> np.ndarray:
        x = g.standard_normal(s)
        bad = np.abs(x) > 2
        while bad.any():
            x[bad] = g.standard_normal(int(bad.sum()))
            bad = np.abs(x) > 2
        return (x * sd + m).astype(d)

    return StatelessDraw(draw)(_seed(seed))


def split(seed: Any, num: int = 2, alg: Any = None) -> Tensor:
    """``num`` new seeds (a ``(num, 2)`` int64 tensor) derived from ``seed`` (``tf.random.split``)."""
    n = int(num)
    return StatelessDraw(lambda g: g.integers(0, 2**63 - 1, (n, 2), dtype=np.int64), salt=1)(_seed(seed))


def fold_in(seed: Any, data: Any, alg: Any = None) -> Tensor:
    """A new seed derived from ``seed`` and an integer ``data`` (``tf.random.fold_in``)."""
    k = int(data.numpy() if isinstance(data, Tensor) else data)
    return StatelessDraw(lambda g: g.integers(0, 2**63 - 1, (2,), dtype=np.int64), salt=2 + k)(_seed(seed))
