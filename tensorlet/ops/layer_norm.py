"""Layer normalization as one op: y = (x - mean) / sqrt(var + epsilon) * gamma + beta over some axes of x.

Composed of elementwise ops and reductions it takes about eight forward and twenty backward passes over x (each
op's output, its gradient and the tape's sums for the broadcast statistics); here the forward is six passes and
the backward eight, with the standard gradient written out:
``dx = rstd * (g - mean(g) - xhat * mean(g * xhat))`` with ``g = dy * gamma`` and ``xhat = (x - mean) * rstd``.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops.convert import as_tensor


class LayerNorm(Function):
    """Normalize ``x`` over ``axes``, then scale by ``gamma`` and shift by ``beta`` (each optional, shaped to
    broadcast against x: the sizes of x on ``axes``, 1 elsewhere). Inputs: x, then gamma and beta if present."""

    def __init__(self, axes: tuple[int, ...], epsilon: float, has_gamma: bool, has_beta: bool) -> None:
        self.axes, self.epsilon = axes, epsilon
        self.has_gamma, self.has_beta = has_gamma, has_beta

    def forward(self, x: Any, *params: Any) -> Any:
        xp, axes = self.xp, self.axes
        gamma = params[0] if self.has_gamma else None
        beta = params[-1] if self.has_beta else None
        xhat = xp.subtract(x, x.mean(axis=axes, keepdims=True))
        var = xp.square(xhat).mean(axis=axes, keepdims=True)
        rstd = 1.0 / xp.sqrt(var + self.epsilon)
        xhat *= rstd
        self.saved = (xhat, rstd, gamma)
        y = xhat * gamma if gamma is not None else xhat.copy()
        if beta is not None:
            y += beta
        return y

    def backward(self, dy: Any) -> Any:
        xhat, rstd, gamma = self.saved
        xp, axes = self.xp, self.axes
        others = tuple(i for i in range(dy.ndim) if i not in axes)  # the axes gamma and beta broadcast over
        g = dy * gamma if gamma is not None else dy.copy()
        gx = g * xhat
        m2 = gx.mean(axis=axes, keepdims=True)
        grads: list[Any] = []
        if self.has_gamma:
            grads.append(xp.multiply(dy, xhat).sum(axis=others, keepdims=True) if self.needs_input_grad[1] else None)
        if self.has_beta:
            grads.append(dy.sum(axis=others, keepdims=True) if self.needs_input_grad[-1] else None)
        dx = None
        if self.needs_input_grad[0]:
            g -= g.mean(axis=axes, keepdims=True)
            xp.multiply(xhat, m2, out=gx)
            g -= gx
            g *= rstd
            dx = g
        return (dx, *grads) if grads else dx


def layer_norm(x: Any, axes: tuple[int, ...], epsilon: float, gamma: Any = None, beta: Any = None) -> Tensor:
    """(x - mean) / sqrt(var + epsilon) * gamma + beta over ``axes`` (non-negative ints); gamma and beta None or
    broadcastable to x with size 1 off ``axes``."""
    params = [as_tensor(p) for p in (gamma, beta) if p is not None]
    return LayerNorm(tuple(axes), float(epsilon), gamma is not None, beta is not None)(as_tensor(x), *params)
