"""A public finite-difference gradient checker (float64, central differences, through GradientTape)."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.tape import GradientTape
from tensorlet.autodiff.tensor import Tensor, Variable


def numerical_gradient(f: Callable[..., Any], inputs: Sequence[np.ndarray], index: int, eps: float = 1e-6,
                       seed: np.ndarray | None = None) -> np.ndarray:
    """d sum(seed * f(inputs)) / d inputs[index] by central differences."""
    x = inputs[index]
    grad = np.zeros_like(x, dtype=np.float64)
    flat = x.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = _value(f, inputs, seed)
        flat[i] = old - eps
        down = _value(f, inputs, seed)
        flat[i] = old
        grad.reshape(-1)[i] = (up - down) / (2 * eps)
    return grad


def _value(f: Callable[..., Any], inputs: Sequence[np.ndarray], seed: np.ndarray | None) -> float:
    out = f(*[Variable(a) for a in inputs])
    v = np.asarray(backend.to_numpy(out._value if isinstance(out, Tensor) else out), dtype=np.float64)
    return float(np.sum(v * seed) if seed is not None else np.sum(v))


def gradcheck(f: Callable[..., Any], inputs: Sequence[Any], eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-4, name: str | None = None, seed: int = 0) -> None:
    """Assert that the tape's gradients of ``f(*inputs)`` match central finite differences.

    ``inputs`` are arrays (converted to float64 Variables); the output is reduced with fixed random weights,
    so every output element matters. Raises AssertionError naming the op, the input and the largest error.

    Example:
        >>> import tensorlet as tf
        >>> gradcheck(lambda x: tf.exp(x), [np.array([0.5, -1.0])])
    """
    arrays = [np.array(a, dtype=np.float64, copy=True) for a in inputs]
    variables = [Variable(a) for a in arrays]
    with GradientTape() as tape:
        out = f(*variables)
    out_arr = np.asarray(backend.to_numpy(out._value), dtype=np.float64)
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, out_arr.shape)
    grads = tape.gradient(out, variables, output_gradients=weights.astype(out._value.dtype))
    label = name or getattr(f, "__name__", "function")
    for k, (g, a) in enumerate(zip(grads, arrays)):
        numeric = numerical_gradient(f, arrays, k, eps, weights)
        analytic = np.zeros_like(a) if g is None else np.asarray(backend.to_numpy(g._value), dtype=np.float64)
        err = np.abs(analytic - numeric)
        bound = atol + rtol * np.abs(numeric)
        if not np.all(err <= bound):
            worst = int(np.argmax(err - bound))
            raise AssertionError(
                f"gradcheck failed for {label}, input {k} (shape {a.shape}): max error {err.max():.3g} "
                f"(analytic {analytic.reshape(-1)[worst]:.6g} vs numeric {numeric.reshape(-1)[worst]:.6g})")
