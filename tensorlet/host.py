"""Ops that run Python on the host: ``tf.print``, ``tf.py_function`` and ``tf.numpy_function``.

Eagerly they run at once. Inside a traced function (``tf.function``) they run on every call of the function, with
that call's values, not once while it is traced (``autodiff.host_call``).
"""
from __future__ import annotations

import sys
from typing import Any, Callable

import numpy as np

from tensorlet import dtypes as _dtypes
from tensorlet.autodiff.context import host_reads_allowed, not_recording
from tensorlet.autodiff.host_call import host_call, tracing
from tensorlet.autodiff.tensor import Tensor, _wrap


def print(*inputs: Any, output_stream: Any = None, summarize: int = 3, sep: str = " ", end: str = "\n",
          name: Any = None) -> None:  # noqa: A001 - tf.print
    """Print tensors and Python values, formatted as TensorFlow prints them (to stderr by default).

    Arrays longer than ``2 * summarize`` show their first and last ``summarize`` entries per axis (-1: all).

    Example:
        >>> import sys, tensorlet as tf
        >>> tf.print(tf.constant([1.5, 2.25, 3.0]), "done", output_stream=sys.stdout)
        [1.5 2.25 3] done
    """
    flat: list[Tensor] = []
    template = _template(inputs, flat)

    def emit(*tensors: Tensor) -> None:
        it = iter(tensors)
        text = sep.join(_render(part, it, summarize) for part in template)
        stream = output_stream if output_stream is not None else sys.stderr
        if isinstance(stream, str):  # "file://path" as TF accepts
            with open(stream[len("file://"):] if stream.startswith("file://") else stream, "a") as f:
                f.write(text + end)
        else:
            stream.write(text + end)

    host_call(emit, tuple(flat))


def _template(x: Any, flat: list[Tensor]) -> Any:
    """Replace tensors by a marker (collected in ``flat``), keeping containers as they are."""
    if isinstance(x, Tensor):
        flat.append(x)
        return _Slot()
    if isinstance(x, dict):
        return {k: _template(v, flat) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(_template(v, flat) for v in x) if not hasattr(x, "_fields") else x
    return x


class _Slot:
    pass


def _render(part: Any, tensors: Any, summarize: int, top: bool = True) -> str:
    if isinstance(part, _Slot):
        return format_array(np.asarray(next(tensors)._value), summarize)
    if isinstance(part, dict):
        return "{" + ", ".join(f"{k!r}: {_render(v, tensors, summarize, False)}" for k, v in part.items()) + "}"
    if isinstance(part, (list, tuple)):
        body = ", ".join(_render(v, tensors, summarize, False) for v in part)
        return f"[{body}]" if isinstance(part, list) else f"({body}{',' if len(part) == 1 else ''})"
    if isinstance(part, np.ndarray):
        return format_array(part, summarize)
    return str(part) if top else repr(part)


def format_scalar(v: Any) -> str:
    """One value as TensorFlow's summaries write it: the shortest of 6 (float32) or 15 (float64) significant
    digits that reads back exactly, else 9 or 17; booleans as 1/0; strings in double quotes."""
    if isinstance(v, (bytes, str)):
        return '"' + (v.decode("utf-8", "backslashreplace") if isinstance(v, bytes) else v) + '"'
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, np.floating) or isinstance(v, float):
        kind = np.float64 if isinstance(v, float) or v.dtype == np.float64 else np.float32
        short, full = (15, 17) if kind is np.float64 else (6, 9)
        text = f"{float(v):.{short}g}"
        if np.isfinite(v) and kind(float(text)) != kind(v):
            text = f"{float(v):.{full}g}"
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(text, text)
    if isinstance(v, (np.complexfloating, complex)):
        return f"({format_scalar(np.float64(v.real))},{format_scalar(np.float64(v.imag))})"
    return str(v.item() if isinstance(v, np.generic) else v)


def format_array(a: np.ndarray, summarize: int = 3) -> str:
    """A whole array in TensorFlow's ``tf.print`` layout: ``[[0 1 ... 8 9]\\n [10 11 ... 18 19]]``."""
    if a.ndim == 0:
        return format_scalar(a[()])
    return _format_axis(a, summarize, 1)


def _format_axis(a: np.ndarray, summarize: int, depth: int) -> str:
    n = a.shape[0]
    if summarize >= 0 and n > 2 * summarize:
        idx: list[int | None] = list(range(summarize)) + [None] + list(range(n - summarize, n))
    else:
        idx = list(range(n))
    if a.ndim == 1:
        return "[" + " ".join("..." if i is None else format_scalar(a[i]) for i in idx) + "]"
    rows = ["..." if i is None else _format_axis(a[i], summarize, depth + 1) for i in idx]
    joiner = "\n" * (a.ndim - 1) + " " * depth
    return "[" + joiner.join(rows) + "]"


def py_function(func: Callable[..., Any], inp: Any, Tout: Any, name: Any = None) -> Any:
    """Call ``func`` on eager tensors and return its result as tensors of ``Tout`` (not differentiable here).

    In a traced function, ``func`` runs on every call, and once more while tracing to learn the outputs' shapes.
    """
    from tensorlet.autodiff.host_call import HostCall
    from tensorlet.autodiff.traced_gradient import Pick

    args = tuple(inp) if isinstance(inp, (list, tuple)) else (inp,)
    tensors = tuple(a if isinstance(a, Tensor) else _wrap(np.asarray(a)) for a in args)
    single = not isinstance(Tout, (list, tuple))
    touts = [Tout] if single else list(Tout)

    def call(*ts: Tensor) -> list[Any]:
        out = func(*ts)
        outs = [out] if single else list(out)
        if len(outs) != len(touts):
            raise ValueError(f"py_function: {getattr(func, '__name__', 'func')} returned {len(outs)} values for "
                             f"Tout of length {len(touts)}")
        return [_dtypes.string_array(getattr(o, "_value", o)) if _dtypes.as_dtype(t).name == "string" else
                np.asarray(getattr(o, "_value", o), dtype=_dtypes.np_dtype(t)) for o, t in zip(outs, touts)]

    if tracing():
        with not_recording(), host_reads_allowed():
            example = call(*tensors)
        bundle = HostCall(call, example)(*tensors)
        results = [Pick(i)(bundle) for i in range(len(touts))]
    else:
        results = [_wrap(a) for a in call(*tensors)]
    return results[0] if single else results


def numpy_function(func: Callable[..., Any], inp: Any, Tout: Any, stateful: bool = True, name: Any = None) -> Any:
    """Like ``py_function``, but ``func`` receives NumPy arrays."""
    return py_function(lambda *ts: func(*[t.numpy() for t in ts]), inp, Tout, name=name)
