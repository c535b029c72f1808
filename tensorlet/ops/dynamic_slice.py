"""DynamicSlice: a window of fixed size whose start is a tensor (``tf.slice`` with a computed ``begin``).

The start is an input of the op, not a constant baked into it, so a traced function that crops at a random or
computed offset crops at that replay's offset. The gradient places ``dy`` back at the window, zeros elsewhere.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function


class DynamicSlice(Function):
    """y = x[b0:b0+s0, b1:b1+s1, ...] for ``begin`` b (an integer vector input) and a fixed ``size`` s."""

    def __init__(self, size: tuple[int, ...]) -> None:
        self.size = tuple(int(s) for s in size)

    def _key(self, x: Any, begin: Any) -> tuple[slice, ...]:
        starts = [int(b) for b in begin.tolist()]
        for axis, (b, s, n) in enumerate(zip(starts, self.size, x.shape)):
            if b < 0 or b + s > n:
                raise ValueError(f"slice: window [{b}, {b + s}) of axis {axis} is outside its size {n}")
        return tuple(slice(b, b + s) for b, s in zip(starts, self.size))

    def forward(self, x: Any, begin: Any) -> Any:
        key = self._key(x, begin)
        self.saved = (x.shape, key)
        return x[key]

    def backward(self, dy: Any) -> Any:
        shape, key = self.saved
        dx = self.xp.zeros(shape, dtype=dy.dtype)
        dx[key] = dy
        return dx, None
