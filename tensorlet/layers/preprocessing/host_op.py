"""HostOp: a preprocessing computation on host data (strings, token tables) as a recorded, non-differentiable op.

A traced training or predict step replays recorded ops on each new batch, so a preprocessing layer inside a model
(TextVectorization on raw strings, a lookup, hashing) must run as an op too: its Python (table lookups, string
splitting) then reruns on every batch instead of being frozen into the plan as the first batch's constant.
"""
from __future__ import annotations

from typing import Any, Callable

from tensorlet.autodiff.function import Function


class HostOp(Function):
    """y = fn(*xs) on host arrays; no gradient (Keras' preprocessing layers have none)."""

    differentiable = False

    def __init__(self, fn: Callable[..., Any], name: str) -> None:
        self.fn, self.op_name = fn, name

    def forward(self, *xs: Any) -> Any:
        return self.fn(*xs)

    @property
    def name(self) -> str:
        return self.op_name
