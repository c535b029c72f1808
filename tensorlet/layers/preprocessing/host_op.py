"""HostOp: a preprocessing computation on host data (strings, token tables) as a recorded, non-differentiable op.

A traced training or predict step replays recorded ops on each new batch, so a preprocessing layer inside a model
(TextVectorization on raw strings, a lookup, hashing) must run as an op too: its Python (table lookups, string
splitting) then reruns on every batch instead of being frozen into the plan as the first batch's constant.
"""
from __future__ import annotations

from typing import Any, Callable

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, _note_host_read
from tensorlet.preprocessing import host


class HostOp(Function):
    """y = fn(*xs) on host arrays (NumPy, whatever the backend; the result goes back to the backend); no gradient
    (Keras' preprocessing layers have none).

    ``shape_follows_data``: the output's shape depends on the values (TextVectorization pads each batch to its
    longest text). A step traced on one batch would then replay the next batch with the first one's shapes, so
    such an op marks the trace unusable (as reading a value back to Python does) and the step runs eagerly.
    """

    differentiable = False

    def __init__(self, fn: Callable[..., Any], name: str, shape_follows_data: bool = False) -> None:
        self.fn, self.op_name, self.shape_follows_data = fn, name, shape_follows_data

    def forward(self, *xs: Any) -> Any:
        return host.to_backend(self.fn(*[host.to_host(x) for x in xs]))

    def __call__(self, *inputs: Tensor) -> Tensor:
        out = super().__call__(*inputs)
        if self.shape_follows_data:
            _note_host_read(out)
        return out

    @property
    def name(self) -> str:
        return self.op_name
