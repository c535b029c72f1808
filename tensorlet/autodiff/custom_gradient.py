"""``custom_gradient``: a function that supplies its own gradient, and ``function`` (tf.function)."""
from __future__ import annotations

import functools
from typing import Any, Callable

from tensorlet import backend as _backend
from tensorlet.autodiff import tape as _tape
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, _wrap


class _UserGradient(Function):
    """Backward calls the user's ``grad(dy)`` on Tensors and returns its arrays."""

    def __init__(self, grad_fn: Callable[..., Any], n: int) -> None:
        self.grad_fn, self.n = grad_fn, n

    def forward(self, *xs: Any) -> Any:
        raise RuntimeError("_UserGradient is recorded, never run forward")

    def backward(self, dy: Any) -> Any:
        gs = self.grad_fn(_wrap(dy))
        if not isinstance(gs, (list, tuple)):
            gs = (gs,)
        if len(gs) != self.n:
            raise ValueError(f"custom_gradient: grad returned {len(gs)} gradients for {self.n} inputs")
        return tuple(None if g is None else _backend.asarray(getattr(g, "_value", g)) for g in gs)


def custom_gradient(f: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate ``f(*x) -> (y, grad)`` where ``grad(dy)`` returns one gradient per input.

    Example:
        >>> @custom_gradient
        ... def clip_grad(x):
        ...     def grad(dy):
        ...         return dy * 0.5
        ...     return x * 1.0, grad
    """

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        saved = list(_tape._recording_tapes)
        _tape._recording_tapes.clear()
        try:
            y, grad_fn = f(*args, **kwargs)
        finally:
            _tape._recording_tapes.extend(saved)
        inputs = tuple(a if isinstance(a, Tensor) else _wrap(_backend.asarray(a)) for a in args)
        out = y if isinstance(y, Tensor) else _wrap(_backend.asarray(y))
        out = _wrap(out._value)
        if _tape._recording_tapes:
            _tape.record(_UserGradient(grad_fn, len(inputs)), inputs, out)
        return out

    return wrapper


def function(func: Callable[..., Any] | None = None, input_signature: Any = None, autograph: bool = True,
             jit_compile: Any = None, reduce_retracing: bool = False, experimental_compile: Any = None,
             **kwargs: Any) -> Any:
    """``tf.function``: accepted as a decorator (bare or with arguments); the function runs eagerly.

    tensorlet has no graph mode for user functions: the body runs as written, which gives the same results.
    ``Model.fit`` traces its own training step (see ``tensorlet.autodiff.plan``).
    """
    if func is None:
        return lambda f: function(f, input_signature=input_signature)

    @functools.wraps(func)
    def wrapper(*a: Any, **k: Any) -> Any:
        return func(*a, **k)

    wrapper.python_function = func  # type: ignore[attr-defined]
    return wrapper
