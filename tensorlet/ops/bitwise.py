"""Bitwise ops on integer (and bool) tensors: and, or, xor, invert and the shifts. Their data are op inputs, so a
traced function replays them on new values; they have no gradient."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function

_BINARY = {"and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor", "left_shift": "left_shift",
           "right_shift": "right_shift"}


class BitwiseBinary(Function):
    """``x <op> y`` elementwise, ``op`` one of and, or, xor, left_shift, right_shift (broadcast)."""

    differentiable = False

    def __init__(self, op: str) -> None:
        if op not in _BINARY:
            raise ValueError(f"BitwiseBinary: op must be one of {', '.join(_BINARY)}, got {op!r}")
        self.op = op

    def forward(self, x: Any, y: Any) -> Any:
        return getattr(self.xp, _BINARY[self.op])(x, y).astype(x.dtype)


class BitwiseInvert(Function):
    """~x elementwise (logical not for bools)."""

    differentiable = False

    def forward(self, x: Any) -> Any:
        return self.xp.invert(x)
