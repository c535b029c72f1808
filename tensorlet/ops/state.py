"""Assignments to variables as ops, for traced functions: ``v.assign(x)`` inside a ``tf.function`` must assign on
every run of the function, not once while it is traced.

Eagerly, ``Variable.assign`` writes into the variable's array directly (no op). While a trace records, it calls
``traced_assign`` instead, which records an ``Assign`` step (a ``StatefulFunction``: its effect happens on each
replay, never during the trace).
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import StatefulFunction
from tensorlet.autodiff.tensor import Tensor, Variable
from tensorlet.ops.convert import as_tensor


class Assign(StatefulFunction):
    """v = x, v = v + x or v = v - x, in place; the output is the variable's new value."""

    differentiable = False

    def __init__(self, variable: Variable, mode: str) -> None:
        self.variable, self.mode = variable, mode

    def forward(self, x: Any) -> Any:
        w = self.variable._value
        xp = self.xp
        if self.mode == "assign":
            xp.copyto(w, x, casting="unsafe")
        elif self.mode == "add":
            xp.add(w, x, out=w, casting="unsafe")
        else:
            xp.subtract(w, x, out=w, casting="unsafe")
        return w

    def peek(self, x: Any) -> Any:
        w = self.variable._value
        new = x if self.mode == "assign" else (w + x if self.mode == "add" else w - x)
        return self.xp.asarray(new).astype(w.dtype, copy=True).reshape(w.shape)


def traced_assign(variable: Variable, value: Any, mode: str) -> Tensor:
    """Record ``variable <- value`` (mode "assign", "add" or "sub") on the trace recording in this thread."""
    x = as_tensor(value) if isinstance(value, Tensor) else as_tensor(value, variable.dtype)
    if mode == "assign" and tuple(x._value.shape) != tuple(variable._value.shape):
        raise ValueError(f"Cannot assign a value of shape {tuple(x._value.shape)} to variable '{variable.name}' "
                         f"of shape {tuple(variable._value.shape)}")
    return Assign(variable, mode)(x)
