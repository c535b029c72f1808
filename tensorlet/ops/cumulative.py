"""Cumulative product (``keras.ops.cumprod``) with its gradient beside it (cumsum lives in ``reduction``)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function


class Cumprod(Function):
    """y_i = prod_{j<=i} x_j along ``axis``; dx_j = sum_{i>=j} dy_i y_i / x_j, computed without dividing by x
    (zeros allowed): dx_j = sum_{i>=j} dy_i prod_{k<=i, k!=j} x_k, as a reverse cumsum of dy * (prefix before
    j) * (product from j+1 to i)."""

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.cumprod(x, axis=self.axis)

    def backward(self, dy: Any) -> Any:
        xp, x, ax = self.xp, self.saved[0], self.axis
        xm = xp.moveaxis(x, ax, -1)
        gm = xp.moveaxis(dy, ax, -1)
        n = xm.shape[-1]
        dx = xp.zeros_like(xm)
        for j in range(n):  # O(n^2) along the axis, exact with zeros; cumprod axes are short in practice
            before = xp.prod(xm[..., :j], axis=-1, keepdims=True)
            after = xp.cumprod(xm[..., j + 1:], axis=-1)
            terms = xp.concatenate([xp.ones_like(xm[..., :1]), after], axis=-1) * before
            dx[..., j] = xp.sum(gm[..., j:] * terms, axis=-1)
        return xp.moveaxis(dx, -1, ax)
