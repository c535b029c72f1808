"""Unary elementwise primitives (exp, log, sqrt, tanh, sigmoid, cast, clip...), each with its gradient beside it."""
from __future__ import annotations

from typing import Any, Callable

from tensorlet.autodiff.function import Function
from tensorlet.backend import Array


class Neg(Function):
    """y = -x."""

    def forward(self, x: Any) -> Any:
        return -x

    def backward(self, dy: Any) -> Any:
        return -dy


class Abs(Function):
    """y = |x|; dy/dx = sign(x)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.abs(x)

    def backward(self, dy: Any) -> Any:
        return dy * self.xp.sign(self.saved[0])


class Exp(Function):
    """y = exp(x)."""

    def forward(self, x: Any) -> Any:
        y = self.xp.exp(x)
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        return dy * self.saved[0]


class Expm1(Function):
    """y = exp(x) - 1."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.expm1(x)

    def backward(self, dy: Any) -> Any:
        return dy * self.xp.exp(self.saved[0])


class Log(Function):
    """y = log(x); dy/dx = 1/x."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.log(x)

    def backward(self, dy: Any) -> Any:
        return dy / self.saved[0]


class Log1p(Function):
    """y = log(1 + x)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.log1p(x)

    def backward(self, dy: Any) -> Any:
        return dy / (1 + self.saved[0])


class Sqrt(Function):
    """y = sqrt(x); dy/dx = 1 / (2 y)."""

    def forward(self, x: Any) -> Any:
        y = self.xp.sqrt(x)
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        return dy * 0.5 / self.saved[0]


class Rsqrt(Function):
    """y = 1 / sqrt(x); dy/dx = -y^3 / 2."""

    def forward(self, x: Any) -> Any:
        y = 1 / self.xp.sqrt(x)
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        y = self.saved[0]
        return dy * -0.5 * y * y * y


class Reciprocal(Function):
    """y = 1 / x; dy/dx = -y^2."""

    def forward(self, x: Any) -> Any:
        y = 1 / x
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        y = self.saved[0]
        return -dy * y * y


class Square(Function):
    """y = x^2."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return x * x

    def backward(self, dy: Any) -> Any:
        return dy * 2 * self.saved[0]


class Sin(Function):
    """y = sin(x)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.sin(x)

    def backward(self, dy: Any) -> Any:
        return dy * self.xp.cos(self.saved[0])


class Cos(Function):
    """y = cos(x)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.cos(x)

    def backward(self, dy: Any) -> Any:
        return -dy * self.xp.sin(self.saved[0])


class Tan(Function):
    """y = tan(x); dy/dx = 1 + y^2."""

    def forward(self, x: Any) -> Any:
        y = self.xp.tan(x)
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        y = self.saved[0]
        return dy * (1 + y * y)


class Tanh(Function):
    """y = tanh(x); dy/dx = 1 - y^2."""

    def forward(self, x: Any) -> Any:
        y = self.xp.tanh(x)
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        y = self.saved[0]
        return dy * (1 - y * y)


class Sigmoid(Function):
    """y = 1 / (1 + exp(-x)); dy/dx = y (1 - y)."""

    def forward(self, x: Any) -> Any:
        y = sigmoid_array(x, self.xp)
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        y = self.saved[0]
        return dy * y * (1 - y)


def sigmoid_array(x: Array, xp: Any) -> Array:
    """A numerically stable logistic function on arrays of the array module ``xp``: tanh form, no overflow."""
    return 0.5 * (xp.tanh(0.5 * x) + 1)


class Identity(Function):
    """y = x."""

    def forward(self, x: Any) -> Any:
        return x.copy() if isinstance(x, self.xp.ndarray) else x

    def backward(self, dy: Any) -> Any:
        return dy


class StopGradient(Function):
    """y = x, with no gradient."""

    def forward(self, x: Any) -> Any:
        return x

    def backward(self, dy: Any) -> Any:
        return None


class Cast(Function):
    """y = x as another dtype; the gradient flows between floating types only."""

    def __init__(self, dtype: Any) -> None:
        self.dtype = dtype

    def forward(self, x: Any) -> Any:
        self.saved = (x.dtype,)
        xp = self.xp
        return xp.asarray(x).astype(self.dtype, copy=False) if xp.ndim(x) else xp.asarray(x, self.dtype)

    def backward(self, dy: Any) -> Any:
        src = self.saved[0]
        if src.kind not in "fc" or self.dtype.kind not in "fc":
            return None
        return dy.astype(src)


class NonDiffUnary(Function):
    """Floor, ceil, round, sign...: piecewise constant, so no gradient is defined (asking is an error)."""

    differentiable = False

    def __init__(self, pick: Callable[[Any], Any], name: str) -> None:
        self.pick, self.opname = pick, name  # pick(xp) gives the elementwise function, e.g. lambda xp: xp.floor

    @property
    def name(self) -> str:
        return self.opname

    def forward(self, x: Any) -> Any:
        return self.pick(self.xp)(x)


class ClipByValue(Function):
    """y = min(max(x, lo), hi); the gradient passes where lo <= x <= hi."""

    def __init__(self, lo: Any, hi: Any) -> None:
        self.lo, self.hi = lo, hi

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.clip(x, self.lo, self.hi)

    def backward(self, dy: Any) -> Any:
        x = self.saved[0]
        return dy * ((x >= self.lo) & (x <= self.hi))


