"""``keras.random``: draws with Keras 3's seed semantics, and ``SeedGenerator``.

- ``seed=None``: the global stream (reproducible after ``keras.utils.set_random_seed``), a new draw each call;
- an integer seed: the same draw every call (Keras 3's rule; TensorFlow's ``tf.random`` differs on purpose);
- a ``SeedGenerator``: reproducible from its seed, and it advances with each draw.

Draws are ops whose output varies, so a traced function draws anew on every replay (a ``SeedGenerator`` advances
on replays, not while tracing). The numbers themselves are NumPy's (PCG64), not Keras' backends'.
"""
from __future__ import annotations

import random as _pyrandom
from typing import Any, Callable

import numpy as np

from tensorlet import backend, seeding
from tensorlet.autodiff.function import StatefulFunction
from tensorlet.autodiff.tensor import Tensor, Variable
from tensorlet.keras_ops.convert import as_floats, cast, convert_to_tensor, standardize_dtype, static_ints


class SeedGenerator:
    """A seed that advances with every draw (``keras.random.SeedGenerator``).

    Args:
        seed: an int (reproducible draws); None picks one from the global stream.
        name: a name for the state variable.

    Example:
        >>> import tensorlet.keras as keras
        >>> gen = keras.random.SeedGenerator(42)
        >>> a = keras.random.normal((2,), seed=gen)
        >>> b = keras.random.normal((2,), seed=gen)
        >>> bool((a.numpy() != b.numpy()).all())
        True
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs: Any) -> None:
        if seed is None:
            seed = int(seeding.rng(None).integers(0, 2**31 - 1))
        elif not isinstance(seed, (int, np.integer)):
            raise ValueError(f"SeedGenerator: seed must be an integer or None, got {type(seed).__name__}: {seed!r}")
        self._initial_seed = int(seed)
        self.name = name or "seed_generator"
        self.state = Variable(np.array([self._initial_seed, 0], dtype=np.int64), trainable=False,
                              name=f"{self.name}_state")

    def next(self, ordered: bool = True) -> Tensor:
        """The current seed pair, then advance (eagerly)."""
        current = self.state.read_value()
        self.state._value[1] += 1
        return current

    def _rng(self, advance: bool) -> np.random.Generator:
        seed, counter = (int(v) for v in self.state._value)
        if advance:
            self.state._value[1] += 1
        return np.random.default_rng([seed & 0xFFFFFFFF, counter])

    def get_config(self) -> dict[str, Any]:
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SeedGenerator:
        return cls(**config)


class Draw(StatefulFunction):
    """Random values from ``draw(generator, *inputs)``; replays draw anew (and advance a SeedGenerator: an effect
    the trace itself leaves to the replays). No gradient flows through a draw."""

    differentiable = False

    def __init__(self, draw: Callable[..., Any], seed: Any) -> None:
        self.draw, self.seed = draw, seed
        self.varies = not isinstance(seed, (int, np.integer))

    def _generator(self, advance: bool) -> np.random.Generator:
        seed = self.seed
        if isinstance(seed, SeedGenerator):
            return seed._rng(advance)
        if seed is None:
            return seeding.rng(None)
        return np.random.default_rng(int(seed) & 0xFFFFFFFF)

    def forward(self, *xs: Any) -> Any:
        return self._run(True, xs)

    def peek(self, *xs: Any) -> Any:
        return self._run(False, xs)

    def _run(self, advance: bool, xs: tuple[Any, ...]) -> Any:
        """The draw, made on the host with NumPy's generator, handed to the array backend."""
        host = [backend.to_numpy(x) for x in xs]
        return backend.asarray(self.draw(self._generator(advance), *host))


def _check_seed(seed: Any) -> Any:
    if seed is None or isinstance(seed, (SeedGenerator, int, np.integer)) and not isinstance(seed, bool):
        return seed
    raise ValueError(f"seed must be None, an integer or a keras.random.SeedGenerator, got {type(seed).__name__}: "
                     f"{seed!r}")


def _float(dtype: Any) -> np.dtype:
    name = standardize_dtype(dtype)
    if np.dtype(name).kind != "f":
        raise ValueError(f"This random function draws floats; dtype {name!r} is not a float dtype")
    return np.dtype(name)


def normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None) -> Tensor:
    """Draws from N(mean, stddev^2)."""
    s, d, m, sd = static_ints(shape, "shape"), _float(dtype), float(mean), float(stddev)
    return Draw(lambda r: (r.standard_normal(s) * sd + m).astype(d), _check_seed(seed))()


def uniform(shape: Any, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None, seed: Any = None) -> Tensor:
    """Draws from U[minval, maxval) (floats; ``randint`` draws integers)."""
    name = standardize_dtype(dtype)
    if np.dtype(name).kind != "f":
        raise ValueError(f"keras.random.uniform draws floats; for dtype {name!r} use keras.random.randint")
    s, d, lo, hi = static_ints(shape, "shape"), np.dtype(name), float(minval), float(maxval)
    return Draw(lambda r: r.uniform(lo, hi, s).astype(d), _check_seed(seed))()


def randint(shape: Any, minval: int, maxval: int, dtype: Any = "int32", seed: Any = None) -> Tensor:
    """Integers uniform in [minval, maxval)."""
    s, d, lo, hi = static_ints(shape, "shape"), np.dtype(standardize_dtype(dtype)), int(minval), int(maxval)
    if hi <= lo:
        raise ValueError(f"keras.random.randint: maxval ({hi}) must be greater than minval ({lo})")
    return Draw(lambda r: r.integers(lo, hi, s).astype(d), _check_seed(seed))()


def truncated_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,
                     seed: Any = None) -> Tensor:
    """Normal draws, redrawn where more than two standard deviations from the mean."""
    s, d, m, sd = static_ints(shape, "shape"), _float(dtype), float(mean), float(stddev)

    def draw(r: np.random.Generator) -> Any:
        x = r.standard_normal(s)
        bad = np.abs(x) > 2
        while bad.any():
            x[bad] = r.standard_normal(int(bad.sum()))
            bad = np.abs(x) > 2
        return (x * sd + m).astype(d)

    return Draw(draw, _check_seed(seed))()


def dropout(inputs: Any, rate: float, noise_shape: Any = None, seed: Any = None) -> Tensor:
    """``inputs`` with a fraction ``rate`` of entries zeroed and the rest scaled by 1 / (1 - rate); the mask has
    ``noise_shape`` (broadcast against the inputs). The gradient flows through the kept entries."""
    from tensorlet.keras_ops.numpy_math import multiply

    x = as_floats(inputs)
    if not 0 <= float(rate) < 1:
        raise ValueError(f"keras.random.dropout: rate must be in [0, 1), got {rate}")
    if float(rate) == 0:
        return x
    keep = 1.0 - float(rate)
    shape = tuple(x.shape) if noise_shape is None else tuple(
        x.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape))
    d = np.dtype(x.dtype.as_numpy_dtype)
    mask = Draw(lambda r: ((r.random(shape) < keep) / keep).astype(d), _check_seed(seed))()
    return multiply(x, mask)


def shuffle(x: Any, axis: int = 0, seed: Any = None) -> Tensor:
    """``x`` with its entries along ``axis`` in a random order (the gradient follows the permutation)."""
    from tensorlet.ops.indexing import Take

    t = convert_to_tensor(x)
    ax = int(axis) % t.ndim
    n = t.shape[ax]
    order = Draw(lambda r: r.permutation(n).astype(np.int32), _check_seed(seed))()
    return Take(ax)(t, order)


def categorical(logits: Any, num_samples: int, dtype: Any = "int32", seed: Any = None) -> Tensor:
    """``num_samples`` class indices per row of unnormalized log-probabilities (batch, classes)."""
    z = as_floats(logits)
    if z.ndim != 2:
        raise ValueError(f"keras.random.categorical expects logits of shape (batch, classes), got {tuple(z.shape)}")
    n, d = int(num_samples), np.dtype(standardize_dtype(dtype))

    def draw(r: np.random.Generator, v: Any) -> Any:
        v = np.asarray(v, dtype=np.float64)
        p = np.exp(v - v.max(axis=-1, keepdims=True))
        p /= p.sum(axis=-1, keepdims=True)
        u = r.random((v.shape[0], n, 1))
        idx = (u > np.cumsum(p, axis=-1)[:, None, :]).sum(-1)
        return np.minimum(idx, v.shape[-1] - 1).astype(d)

    return Draw(draw, _check_seed(seed))(z)


def gamma(shape: Any, alpha: Any, dtype: Any = None, seed: Any = None) -> Tensor:
    """Draws from Gamma(alpha, 1)."""
    s, d = static_ints(shape, "shape"), _float(dtype)
    a = cast(convert_to_tensor(alpha), "float64")
    return Draw(lambda r, av: r.standard_gamma(av, s).astype(d), _check_seed(seed))(a)


def beta(shape: Any, alpha: Any, beta: Any, dtype: Any = None, seed: Any = None) -> Tensor:
    """Draws from Beta(alpha, beta)."""
    s, d = static_ints(shape, "shape"), _float(dtype)
    a, b = cast(convert_to_tensor(alpha), "float64"), cast(convert_to_tensor(beta), "float64")
    return Draw(lambda r, av, bv: r.beta(av, bv, s).astype(d), _check_seed(seed))(a, b)


def binomial(shape: Any, counts: Any, probabilities: Any, dtype: Any = None, seed: Any = None) -> Tensor:
    """Draws from Binomial(counts, probabilities), as floats (``floatx()``) unless ``dtype`` says otherwise."""
    s, d = static_ints(shape, "shape"), np.dtype(standardize_dtype(dtype))
    c = cast(convert_to_tensor(counts), "float64")
    p = cast(convert_to_tensor(probabilities), "float64")
    return Draw(lambda r, cv, pv: r.binomial(cv.astype(np.int64), pv, s).astype(d), _check_seed(seed))(c, p)


def set_random_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy and tensorlet's global stream (``keras.utils.set_random_seed``)."""
    _pyrandom.seed(seed)
    np.random.seed(seed)
    seeding.set_seed(seed)
