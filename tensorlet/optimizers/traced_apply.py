"""``optimizer.apply_gradients`` inside a traced function: a step that updates the variables on every run.

Eagerly, ``Optimizer.apply`` updates the variables' arrays at once. While a trace records (a ``tf.function``
training step), it records an ``ApplyGradients`` step instead, whose inputs are the gradient tensors: each run of the
function then applies the gradients it computed, with the optimizer's state (iterations, moments, learning-rate
schedule) as it is at that moment.
"""
from __future__ import annotations

from typing import Any, Sequence

from tensorlet.autodiff.function import StatefulFunction
from tensorlet.autodiff.tensor import Tensor


class ApplyGradients(StatefulFunction):
    """One optimizer step on the given variables; the output is the optimizer's iteration count after it."""

    differentiable = False

    def __init__(self, optimizer: Any, variables: Sequence[Any], present: Sequence[bool]) -> None:
        self.optimizer, self.variables, self.present = optimizer, list(variables), list(present)

    def forward(self, *grads: Any) -> Any:
        it = iter(grads)
        self.optimizer.apply_gradient_arrays([next(it) if p else None for p in self.present], self.variables)
        return self.optimizer._iterations._value.copy()

    def peek(self, *grads: Any) -> Any:
        return self.optimizer._iterations._value + 1


def record_apply(optimizer: Any, grads: Sequence[Any], variables: Sequence[Any]) -> None:
    """Record the step (``grads`` aligned with ``variables``; None gradients are skipped on every run)."""
    from tensorlet.ops.convert import as_tensor

    present = [g is not None for g in grads]
    tensors = [g if isinstance(g, Tensor) else as_tensor(g) for g in grads if g is not None]
    ApplyGradients(optimizer, variables, present)(*tensors)
