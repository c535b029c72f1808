"""``custom_gradient``: a function that supplies its own gradient."""
from __future__ import annotations

import functools
from typing import Any, Callable

from tensorlet import backend as _backend
from tensorlet.autodiff.context import host_reads_allowed, not_recording
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, _wrap


class _UserGradient(Function):
    """One call of the user's ``f``: forward runs it (unrecorded) and keeps its ``grad``; backward calls
    ``grad(dy)`` on Tensors. Being an op like any other, it replays in traced steps (``f`` runs on each replay)."""

    def __init__(self, f: Callable[..., Any], kwargs: dict[str, Any], n: int) -> None:
        self.f, self.kwargs, self.n = f, kwargs, n

    def forward(self, *xs: Any) -> Any:
        with not_recording(), host_reads_allowed():
            y, self.grad_fn = self.f(*[_wrap(x) for x in xs], **self.kwargs)
        return y._value if isinstance(y, Tensor) else _backend.asarray(y)

    def backward(self, dy: Any) -> Any:
        with not_recording():
            gs = self.grad_fn(_wrap(dy))
        if not isinstance(gs, (list, tuple)):
            gs = (gs,)
        if len(gs) != self.n:
            raise ValueError(f"custom_gradient: grad returned {len(gs)} gradients for {self.n} inputs")
        return tuple(None if g is None else _backend.asarray(getattr(g, "_value", g)) for g in gs)


def custom_gradient(f: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate ``f(*x) -> (y, grad)`` where ``grad(dy)`` returns one gradient per input.

    Example:
        >>> import tensorlet as tf
        >>> @custom_gradient
        ... def clip_grad(x):
        ...     def grad(dy):
        ...         return dy * 0.5
        ...     return x * 1.0, grad
        >>> x = tf.constant(3.0)
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = clip_grad(x)
        >>> float(tape.gradient(y, x))
        0.5
    """

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        inputs = tuple(a if isinstance(a, Tensor) else _wrap(_backend.asarray(a)) for a in args)
        return _UserGradient(f, kwargs, len(inputs))(*inputs)

    return wrapper
