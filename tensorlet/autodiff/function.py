"""Function: one differentiable primitive, forward and backward side by side.

A subclass implements ``forward(*arrays) -> array`` and ``backward(dy) -> grad or tuple of grads`` on raw
backend arrays. ``needs_input_grad`` tells ``backward`` which input gradients are wanted, so an expensive
one (the first layer's input gradient, say) can be skipped by returning None. Broadcasting is undone by
the tape, never here.
"""
from __future__ import annotations

from typing import Any

from tensorlet import backend as _backend
from tensorlet.autodiff.context import state as _state
from tensorlet.autodiff.tensor import Tensor, _wrap


class NotDifferentiableError(LookupError):
    """Raised when a gradient is asked through an op that has none."""


class Function:
    """Base of every primitive op.

    Example:
        >>> class Exp(Function):
        ...     def forward(self, x):
        ...         y = self.xp.exp(x)
        ...         self.saved = (y,)
        ...         return y
        ...     def backward(self, dy):
        ...         (y,) = self.saved
        ...         return dy * y   # d/dx exp(x) = exp(x)
    """

    __slots__ = ("saved", "needs_input_grad", "__dict__")
    saved: Any                          # what forward keeps for backward
    needs_input_grad: tuple[bool, ...]  # set before each backward call
    differentiable = True
    varies = False  # True for ops whose output differs between calls on the same inputs (random draws, state)

    def save_for_backward(self, *arrays: Any) -> None:
        self.saved = arrays

    xp: Any = None  # the active backend's array module, kept current by the backend (_track_backend below)

    def forward(self, *xs: Any) -> Any:
        raise NotImplementedError

    def backward(self, dy: Any) -> Any:
        raise NotDifferentiableError(
            f"No gradient is defined for operation '{self.name}': it is not differentiable. "
            "Wrap the input in tf.stop_gradient() if no gradient should flow through it.")

    def __call__(self, *inputs: Tensor) -> Tensor:
        """Run forward on the inputs' arrays, wrap the result, and record it on active tapes."""
        out = _wrap(self.forward(*[t._value for t in inputs]))
        tapes = _state.tapes
        if tapes:
            for tape in tapes:  # inlined tape.record: this runs for every op
                tape._maybe_record(self, inputs, out)
        return out

    @property
    def name(self) -> str:
        return type(self).__name__



def _track_backend(backend: Any) -> None:
    Function.xp = backend.xp


_backend.on_switch(_track_backend)


class StatefulFunction(Function):
    """An op with an effect beyond its output: it updates state (a variable's array) in place.

    A trace runs a step once to record it and every replay runs it again, so the effect belongs to the replays
    alone. While this thread traces, calling the op records it and computes its output with ``peek``, which has no
    effect; eager calls and replays run ``forward``, which applies it.
    """

    varies = True

    def peek(self, *xs: Any) -> Any:
        raise NotImplementedError

    def __call__(self, *inputs: Tensor) -> Tensor:
        if not _state.tracing:
            return super().__call__(*inputs)
        out = _wrap(self.peek(*[t._value for t in inputs]))
        for tape in _state.tapes:
            tape._maybe_record(self, inputs, out)
        return out


def apply(fn: Function, *inputs: Tensor) -> Tensor:
    return fn(*inputs)
