"""Ops without a gradient (argmax, argsort, one-hot, comparisons of shapes...), given by a function of arrays.

They are recorded like any other op, so that a traced function recomputes them from each call's inputs instead of
freezing the values of the call it was traced on. Their outputs carry no gradient (integer indices, masks).
"""
from __future__ import annotations

from typing import Any, Callable

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor


class NonDifferentiable(Function):
    """y = compute(xp, *xs), named ``op`` in errors; asking for its gradient raises the engine's clear error."""

    differentiable = False

    def __init__(self, op: str, compute: Callable[..., Any]) -> None:
        self.op, self.compute = op, compute

    def forward(self, *xs: Any) -> Any:
        return self.compute(self.xp, *xs)

    @property
    def name(self) -> str:
        return self.op


def nondifferentiable(op: str, compute: Callable[..., Any], *inputs: Tensor) -> Tensor:
    """Run ``compute(xp, *arrays)`` on the inputs' arrays as a recorded op named ``op``."""
    return NonDifferentiable(op, compute)(*inputs)
