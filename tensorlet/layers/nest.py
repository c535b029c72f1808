"""Nested inputs and shapes (tensors, lists, tuples, dicts) as layer calls see them: flatten, map, convert
NumPy and Python values to tensors, and tell symbolic (Functional) calls from eager ones."""
from __future__ import annotations

import numbers
from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, TensorShape, _wrap
from tensorlet.config import floatx
from tensorlet.layers.node import KerasTensor


def _flat(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)):
        return [y for v in x for y in _flat(v)]
    if isinstance(x, dict):
        return [y for v in x.values() for y in _flat(v)]
    return [x]


def _map(f: Any, x: Any) -> Any:
    if isinstance(x, list):
        return [_map(f, v) for v in x]
    if isinstance(x, tuple) and not _is_shape(x):
        return tuple(_map(f, v) for v in x)
    if isinstance(x, dict):
        return {k: _map(f, v) for k, v in x.items()}
    return f(x)


def _is_shape(x: Any) -> bool:
    return isinstance(x, TensorShape) or (isinstance(x, tuple) and all(
        d is None or isinstance(d, (int, numbers.Integral)) for d in x))


def _map_shape(f: Any, s: Any) -> Any:
    """Apply f to each shape in a (possibly nested) structure of shapes."""
    if _is_shape(s):
        return f(tuple(s))
    if isinstance(s, list) and all(d is None or isinstance(d, (int, numbers.Integral)) for d in s) and s:
        return f(tuple(s))
    if isinstance(s, dict):
        return {k: _map_shape(f, v) for k, v in s.items()}
    return type(s)(_map_shape(f, v) for v in s) if isinstance(s, (list, tuple)) else f(s)


def _first_shape(s: Any) -> tuple[Any, ...]:
    if _is_shape(s):
        return tuple(s)
    if isinstance(s, dict):
        return _first_shape(next(iter(s.values())))
    return _first_shape(s[0]) if s else ()


def _any_symbolic(x: Any) -> bool:
    if isinstance(x, KerasTensor):
        return True
    if isinstance(x, (list, tuple)):
        return any(_any_symbolic(v) for v in x)
    if isinstance(x, dict):
        return any(_any_symbolic(v) for v in x.values())
    return False


def _to_tensors(x: Any, dtype: Any = None) -> Any:
    """NumPy and Python inputs become tensors; float arrays take the layer's float dtype (else floatx)."""
    if isinstance(x, Tensor):
        return x
    if backend.is_ndarray(x):
        target = dtype if isinstance(dtype, str) and dtype.startswith("float") else floatx()
        if x.dtype.kind == "f" and x.dtype != target:
            x = x.astype(target)
        return _wrap(backend.asarray(x))
    if isinstance(x, (list, tuple)):
        if x and all(isinstance(v, (int, float)) for v in x):
            return _wrap(backend.asarray(x, dtype="float32"))
        return type(x)(_to_tensors(v, dtype) for v in x)
    if isinstance(x, dict):
        return {k: _to_tensors(v, dtype) for k, v in x.items()}
    if isinstance(x, (int, float)):
        return _wrap(backend.asarray(x, dtype="float32"))
    return x


def _shapes(x: Any) -> Any:
    if isinstance(x, Tensor):
        return tuple(x._value.shape)
    if isinstance(x, (list, tuple)):
        return [_shapes(v) for v in x]
    if isinstance(x, dict):
        return {k: _shapes(v) for k, v in x.items()}
    return None
