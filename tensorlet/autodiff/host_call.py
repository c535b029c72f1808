"""HostCall: Python code that a traced step must run on every replay, with the replay's values.

Metric objects accumulate on the host, ``tf.print`` prints, ``tf.py_function`` calls arbitrary Python: in a traced
function these must happen each time the function runs, not once while it is traced. Called while a trace records,
such code is recorded as one step (a ``StatefulFunction``) instead of running; each replay (and each eager call)
runs it on the step's input arrays, wrapped as Tensors. Its output is whatever the Python code returns (one array,
or the scalar 0 when it returns nothing), so a later step may consume it (``metric.result()`` inside a traced
function).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tensorlet.autodiff.context import host_reads_allowed, not_recording
from tensorlet.autodiff.context import state as _state
from tensorlet.autodiff.function import StatefulFunction
from tensorlet.autodiff.tensor import Tensor, _wrap


class HostCall(StatefulFunction):
    """Run ``fn(*tensors)`` on each replay; ``peek`` (while tracing) returns ``example``, an array of the output's
    shape and dtype, without running ``fn``."""

    differentiable = False

    def __init__(self, fn: Callable[..., Any], example: Any) -> None:
        self.fn = fn
        self.example = example

    def forward(self, *xs: Any) -> Any:
        with not_recording(), host_reads_allowed():
            out = self.fn(*[_wrap(x) for x in xs])
        return _as_array(out)

    def peek(self, *xs: Any) -> Any:
        return self.example


def _as_array(out: Any) -> Any:
    """The step's output: an array, or a list of arrays (picked apart by later steps)."""
    if out is None:
        return np.zeros((), np.float32)
    if isinstance(out, list):
        return [_as_array(o) for o in out]
    return out._value if isinstance(out, Tensor) else np.asarray(out)


def tracing() -> bool:
    """True while a trace records this thread's ops (a ``tf.function`` or ``fit``'s step being traced)."""
    return _state.tracing


def host_call(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any] | None = None,
              example: Callable[[], Any] | None = None) -> Any:
    """Run ``fn(*args, **kwargs)`` now, or, while tracing, record it to run on each replay.

    Tensor arguments (positional or keyword) become the step's inputs, so their replay values reach ``fn``; other
    arguments are bound as they are. ``example()`` gives an array shaped like the output (called at trace time;
    default: the scalar 0).
    """
    kwargs = kwargs or {}
    if not _state.tracing:
        return fn(*args, **kwargs)
    keys: list[Any] = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    keys += [k for k, v in kwargs.items() if isinstance(v, Tensor)]
    fixed_args, fixed_kwargs = list(args), dict(kwargs)

    def bound(*tensors: Tensor) -> Any:
        full_args, full_kwargs = list(fixed_args), dict(fixed_kwargs)
        for key, t in zip(keys, tensors):
            if isinstance(key, int):
                full_args[key] = t
            else:
                full_kwargs[key] = t
        return fn(*full_args, **full_kwargs)

    if example is not None:
        with not_recording(), host_reads_allowed():
            try:
                sample = _as_array(example())
            except Exception:  # noqa: BLE001 - e.g. a metric read before its first update: a scalar then
                sample = np.zeros((), np.float32)
    else:
        sample = np.zeros((), np.float32)
    inputs = [args[k] if isinstance(k, int) else kwargs[k] for k in keys]
    return HostCall(bound, sample)(*inputs)


def host_method(method: Callable[..., Any] | None = None, returns_value: bool | None = None) -> Any:
    """Wrap a method so that, inside a traced function, it runs on each replay (``host_call``).

    ``returns_value``: the method returns a tensor the traced code may use (``Metric.result``); its trace-time
    value, computed without effect, shapes the step's output.
    """
    import functools

    if method is None:
        return lambda m: host_method(m, returns_value)
    if returns_value is None:  # as a bare decorator: a method named result returns a value
        returns_value = method.__name__ == "result"
    assert method is not None

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not _state.tracing or getattr(self, "__dict__", {}).get("_constructing"):  # an object being made
            return method(self, *args, **kwargs)  # (inside a trace, its constructor runs once: so must this)
        example = (lambda: method(self, *args, **kwargs)) if returns_value else None
        return host_call(lambda *a, **k: method(self, *a, **k), args, kwargs, example)

    wrapper._host_method = True  # type: ignore[attr-defined]
    return wrapper
