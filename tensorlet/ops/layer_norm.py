"""Layer normalization as one op: y = (x - mean) / sqrt(var + epsilon) * gamma + beta over some axes of x.

Composed of elementwise ops and reductions it takes about eight forward and twenty backward passes over x (each
op's output, its gradient and the tape's sums for the broadcast statistics); here the forward is six passes and
the backward eight, with the standard gradient written out:
``dx = rstd * (g - mean(g) - xhat * mean(g * xhat))`` with ``g = dy * gamma`` and ``xhat = (x - mean) * rstd``.

Normalizing over the last axes (a Transformer's features, LayerNormalization's default) the op sees x as rows
of a matrix and takes its row sums as matrix-vector products (``rows @ ones``) and its sums of products as
``einsum("ij,ij->i")``: NumPy's own reductions along a short contiguous axis cost a loop call per row (for
(8192, 64) float32: 230 us a sum, against 24 us for the product and 121 us for the einsum of a variance).
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

    def _width(self, x: Any) -> int:
        """The row width when ``axes`` are x's last axes (and x holds floats), else 0."""
        n = len(self.axes)
        if self.axes != tuple(range(x.ndim - n, x.ndim)) or x.dtype.kind != "f" or x.size == 0:
            return 0
        width = 1
        for d in x.shape[x.ndim - n:]:
            width *= d
        return width

    def forward(self, x: Any, *params: Any) -> Any:
        xp, axes = self.xp, self.axes
        gamma = params[0] if self.has_gamma else None
        beta = params[-1] if self.has_beta else None
        self.width = width = self._width(x)  # the backward pass takes the same path
        if width:
            return self._forward_rows(x, width, gamma, beta)
        xhat = xp.subtract(x, x.mean(axis=axes, keepdims=True))
        var = xp.square(xhat).mean(axis=axes, keepdims=True)
        rstd = 1.0 / xp.sqrt(var + self.epsilon)
        xhat *= rstd
        self.saved = (xhat, rstd, gamma)
        y = xhat * gamma if gamma is not None else xhat.copy()
        if beta is not None:
            y += beta
        return y

    def _forward_rows(self, x: Any, width: int, gamma: Any, beta: Any) -> Any:
        xp = self.xp
        rows = x.reshape(-1, width)
        ones = xp.ones(width, dtype=x.dtype)
        inv = x.dtype.type(1.0 / width)
        mean = rows.dot(ones)
        mean *= inv
        xhat = xp.subtract(rows, mean[:, None])
        var = xp.einsum("ij,ij->i", xhat, xhat)
        var *= inv
        var += x.dtype.type(self.epsilon)
        rstd = xp.reciprocal(xp.sqrt(var, out=var), out=var)[:, None]
        xhat *= rstd
        g = None if gamma is None else gamma.reshape(width)
        self.saved = (xhat, rstd, g, (x.shape, ones, None if gamma is None else gamma.shape,
                                      None if beta is None else beta.shape))
        y = xhat * g if g is not None else xhat.copy()
        if beta is not None:
            y += beta.reshape(width)
        return y.reshape(x.shape)

    def _backward_rows(self, dy: Any) -> Any:
        xhat, rstd, gamma, (shape, ones, gamma_shape, beta_shape) = self.saved
        xp = self.xp
        dy2 = dy.reshape(xhat.shape)
        grads: list[Any] = []
        if self.has_gamma:
            grads.append(xp.einsum("ij,ij->j", dy2, xhat).reshape(gamma_shape) if self.needs_input_grad[1] else None)
        if self.has_beta:
            grads.append(xp.ones(dy2.shape[0], dtype=dy2.dtype).dot(dy2).reshape(beta_shape)
                         if self.needs_input_grad[-1] else None)
        dx = None
        if self.needs_input_grad[0]:
            inv = dy2.dtype.type(1.0 / xhat.shape[1])
            g = dy2 * gamma if gamma is not None else dy2.copy()
            m1 = g.dot(ones)
            m1 *= inv
            m2 = xp.einsum("ij,ij->i", g, xhat)
            m2 *= inv
            g -= m1[:, None]
            g -= xhat * m2[:, None]
            g *= rstd
            dx = g.reshape(shape)
        return (dx, *grads) if grads else dx

    def backward(self, dy: Any) -> Any:
        if self.width:
            return self._backward_rows(dy)
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
