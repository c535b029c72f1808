"""Inverse trigonometric and hyperbolic functions, each with its derivative beside it (``keras.ops.arcsin``...)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function


class Arcsin(Function):
    """y = arcsin(x); dy/dx = 1 / sqrt(1 - x^2)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.arcsin(x)

    def backward(self, dy: Any) -> Any:
        x = self.saved[0]
        return dy / self.xp.sqrt(1 - x * x)


class Arccos(Function):
    """y = arccos(x); dy/dx = -1 / sqrt(1 - x^2)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.arccos(x)

    def backward(self, dy: Any) -> Any:
        x = self.saved[0]
        return -dy / self.xp.sqrt(1 - x * x)


class Arctan(Function):
    """y = arctan(x); dy/dx = 1 / (1 + x^2)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.arctan(x)

    def backward(self, dy: Any) -> Any:
        x = self.saved[0]
        return dy / (1 + x * x)


class Sinh(Function):
    """y = sinh(x); dy/dx = cosh(x)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.sinh(x)

    def backward(self, dy: Any) -> Any:
        return dy * self.xp.cosh(self.saved[0])


class Cosh(Function):
    """y = cosh(x); dy/dx = sinh(x)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.cosh(x)

    def backward(self, dy: Any) -> Any:
        return dy * self.xp.sinh(self.saved[0])


class Arcsinh(Function):
    """y = arcsinh(x); dy/dx = 1 / sqrt(x^2 + 1)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.arcsinh(x)

    def backward(self, dy: Any) -> Any:
        x = self.saved[0]
        return dy / self.xp.sqrt(x * x + 1)


class Arccosh(Function):
    """y = arccosh(x); dy/dx = 1 / sqrt(x^2 - 1)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.arccosh(x)

    def backward(self, dy: Any) -> Any:
        x = self.saved[0]
        return dy / self.xp.sqrt(x * x - 1)


class Arctanh(Function):
    """y = arctanh(x); dy/dx = 1 / (1 - x^2)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.arctanh(x)

    def backward(self, dy: Any) -> Any:
        x = self.saved[0]
        return dy / (1 - x * x)


class Arctan2(Function):
    """y = arctan2(a, b), the angle of (b, a); dy/da = b / (a^2 + b^2), dy/db = -a / (a^2 + b^2)."""

    def forward(self, a: Any, b: Any) -> Any:
        self.saved = (a, b)
        return self.xp.arctan2(a, b)

    def backward(self, dy: Any) -> Any:
        a, b = self.saved
        r = a * a + b * b
        return dy * b / r, -dy * a / r
