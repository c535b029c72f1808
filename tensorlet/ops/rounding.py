"""Piecewise-constant and predicate ops on the array module (floor, ceil, round, trunc, sign, isnan...).

They have no gradient: asking for one through them is an error naming the op (wrap the input in
``stop_gradient`` when none should flow).
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function


class _Piecewise(Function):
    differentiable = False


class Floor(_Piecewise):
    def forward(self, x: Any) -> Any:
        return self.xp.floor(x)


class Ceil(_Piecewise):
    def forward(self, x: Any) -> Any:
        return self.xp.ceil(x)


class Round(_Piecewise):
    """Half to even, as NumPy and Keras round; ``decimals`` digits after the point."""

    def __init__(self, decimals: int = 0) -> None:
        self.decimals = decimals

    def forward(self, x: Any) -> Any:
        return self.xp.round(x, self.decimals)


class Trunc(_Piecewise):
    def forward(self, x: Any) -> Any:
        return self.xp.trunc(x)


class Sign(_Piecewise):
    def forward(self, x: Any) -> Any:
        return self.xp.sign(x)


class IsNan(_Piecewise):
    def forward(self, x: Any) -> Any:
        return self.xp.isnan(x)


class IsInf(_Piecewise):
    def forward(self, x: Any) -> Any:
        return self.xp.isinf(x)


class IsFinite(_Piecewise):
    def forward(self, x: Any) -> Any:
        return self.xp.isfinite(x)


class LogicalNot(_Piecewise):
    def forward(self, x: Any) -> Any:
        return self.xp.logical_not(x)


class Equal(_Piecewise):
    def forward(self, a: Any, b: Any) -> Any:
        return self.xp.equal(a, b)


class NotEqual(_Piecewise):
    def forward(self, a: Any, b: Any) -> Any:
        return self.xp.not_equal(a, b)


class Less(_Piecewise):
    def forward(self, a: Any, b: Any) -> Any:
        return self.xp.less(a, b)


class LessEqual(_Piecewise):
    def forward(self, a: Any, b: Any) -> Any:
        return self.xp.less_equal(a, b)


class Greater(_Piecewise):
    def forward(self, a: Any, b: Any) -> Any:
        return self.xp.greater(a, b)


class GreaterEqual(_Piecewise):
    def forward(self, a: Any, b: Any) -> Any:
        return self.xp.greater_equal(a, b)


class LogicalAnd(_Piecewise):
    def forward(self, a: Any, b: Any) -> Any:
        return self.xp.logical_and(a, b)


class LogicalOr(_Piecewise):
    def forward(self, a: Any, b: Any) -> Any:
        return self.xp.logical_or(a, b)


class LogicalXor(_Piecewise):
    def forward(self, a: Any, b: Any) -> Any:
        return self.xp.logical_xor(a, b)


class FloorDivide(_Piecewise):
    def forward(self, a: Any, b: Any) -> Any:
        return self.xp.floor_divide(a, b)
