"""Keras 3's conversion and dtype rules, as its TensorFlow backend applies them.

``convert_to_tensor``: Python floats become ``floatx()`` (float32), Python ints int32, bools bool; NumPy arrays keep
their dtype. Promotion between operands (``result_type``) follows Keras' lattice: bool < unsigned < signed < float,
a signed and an unsigned integer meet at the signed type wide enough for both (int8 and uint8 give int16; anything
with uint64 gives float32), floats meet at the wider one, and Python scalars are weak: an int keeps the other
operand's dtype, a float keeps a float dtype and turns integers into ``floatx()``. (TensorFlow's own ``tf.add``
refuses mixed dtypes; ``keras.ops.add`` promotes.)
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _to_array, _wrap
from tensorlet.config import floatx
from tensorlet.dtypes import as_dtype
from tensorlet.ops.unary import Cast

_WEAK_INT, _WEAK_FLOAT, _WEAK_BOOL = "weak_int", "weak_float", "weak_bool"
_NAMES = {np.dtype(n): n for n in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                                   "float16", "float32", "float64", "complex64", "complex128")}


def standardize_dtype(dtype: Any) -> str:
    """A dtype's name (``'float32'``); None gives ``floatx()``."""
    if dtype is None:
        return floatx()
    if dtype is int:
        return "int32"
    if dtype is float:
        return floatx()
    if dtype is bool:
        return "bool"
    return as_dtype(dtype).name


def _kind_of(x: Any) -> str:
    if isinstance(x, Tensor):
        return _NAMES.get(x._value.dtype) or x.dtype.name
    if isinstance(x, (np.ndarray, np.generic)):
        return as_dtype(x.dtype).name
    if isinstance(x, bool):
        return _WEAK_BOOL
    if isinstance(x, int):
        return _WEAK_INT
    if isinstance(x, float):
        return _WEAK_FLOAT
    if isinstance(x, str):
        return standardize_dtype(x)
    if isinstance(x, type) and x in (int, float, bool):
        return {int: _WEAK_INT, float: _WEAK_FLOAT, bool: _WEAK_BOOL}[x]
    if isinstance(x, (list, tuple)):
        return convert_to_tensor(x).dtype.name
    return standardize_dtype(x)


def _bits(name: str) -> int:
    return np.dtype(name).itemsize * 8


def _join(a: str, b: str) -> str:
    if a == b:
        return a
    if a == "bool":
        return b
    if b == "bool":
        return a
    ka, kb = np.dtype(a).kind, np.dtype(b).kind
    if ka == "f" or kb == "f":
        if ka == kb:
            return a if _bits(a) >= _bits(b) else b
        return a if ka == "f" else b
    if ka == kb:
        return a if _bits(a) >= _bits(b) else b
    signed, unsigned = (a, b) if ka == "i" else (b, a)
    if _bits(unsigned) == 64:
        return "float32"
    return f"int{min(64, max(_bits(signed), 2 * _bits(unsigned)))}"


def result_type(*values: Any) -> str:
    """The dtype Keras gives an op on ``values`` (tensors, arrays, Python scalars or dtypes)."""
    return _result_type(tuple(_kind_of(v) for v in values))


@functools.lru_cache(maxsize=512)
def _result_type(kinds: tuple[str, ...]) -> str:
    strong = [k for k in kinds if not k.startswith("weak_")]
    if not strong:
        if _WEAK_FLOAT in kinds:
            return floatx()
        return "int32" if _WEAK_INT in kinds else "bool"
    out = strong[0]
    for k in strong[1:]:
        out = _join(out, k)
    if out == "uint64":
        out = "uint32"
    if _WEAK_FLOAT in kinds and np.dtype(out).kind != "f":
        return floatx()
    if _WEAK_INT in kinds and out == "bool":
        return "int32"
    return out


def float_type(dtype: str) -> str:
    """``dtype`` when it is a float, else ``floatx()`` (the dtype of sqrt, mean, divide... on integers)."""
    return dtype if np.dtype(dtype).kind in "fc" else floatx()


def cast(t: Tensor, dtype: Any) -> Tensor:
    """``t`` in ``dtype`` (an op, so that replays cast their new values)."""
    if isinstance(dtype, str) and _NAMES.get(t._value.dtype) == dtype:
        return t
    name = standardize_dtype(dtype)
    if t.dtype.name == name:
        return t
    return Cast(np.dtype(as_dtype(name).as_numpy_dtype))(t)


def convert_to_tensor(x: Any, dtype: Any = None, sparse: Any = None, ragged: Any = None) -> Tensor:
    """A tensor from ``x`` with Keras' rules (see the module docstring); tensors are cast to ``dtype`` when given.

    Lists holding tensors are stacked with an op, so the tensors stay inputs of a traced function.
    """
    if isinstance(x, Tensor):
        return x if dtype is None else cast(x, dtype)
    if isinstance(x, (list, tuple)) and _holds_tensor(x):
        from tensorlet.keras_ops.numpy_shape import stack

        t = stack([convert_to_tensor(v) for v in x])
        return t if dtype is None else cast(t, dtype)
    if dtype is None:
        if isinstance(x, bool):
            dtype = "bool"
        elif isinstance(x, int):
            dtype = "int32"
        elif isinstance(x, float):
            dtype = floatx()
        elif isinstance(x, (list, tuple)):
            arr = np.asarray(x)
            dtype = floatx() if arr.dtype.kind == "f" else ("int32" if arr.dtype.kind in "iu" else None)
    if dtype is None:
        return _wrap(_to_array(x))
    return _wrap(_to_array(x, standardize_dtype(dtype)))


def host_constant(array: Any) -> Tensor:
    """A tensor holding a host (NumPy) array built from static values, moved to the array backend."""
    return _wrap(backend.asarray(array))


def _holds_tensor(x: Any) -> bool:
    return any(isinstance(v, Tensor) or (isinstance(v, (list, tuple)) and _holds_tensor(v)) for v in x)


def promote(*values: Any, dtype: str | None = None) -> list[Tensor]:
    """``values`` as tensors of one dtype: ``dtype``, or the Keras result type of all of them."""
    if dtype is None and isinstance(values[0], Tensor):  # the common case: tensors of one dtype already
        first = values[0]._value.dtype
        for v in values[1:]:
            if not isinstance(v, Tensor) or v._value.dtype != first:
                break
        else:
            return list(values)
    target = dtype or result_type(*values)
    return [convert_to_tensor(v, target) if not isinstance(v, Tensor) else cast(v, target) for v in values]


def as_floats(x: Any) -> Tensor:
    """``x`` as a tensor of a float dtype (integers and bools become ``floatx()``)."""
    if isinstance(x, Tensor) and x._value.dtype.kind == "f":
        return x
    t = convert_to_tensor(x)
    return cast(t, float_type(t.dtype.name))


def axes(axis: Any, ndim: int) -> tuple[int, ...] | None:
    """A normalized tuple of non-negative axes, or None (all axes) for ``axis=None``.

    Raises:
        ValueError: for an axis outside ``[-ndim, ndim)``.
    """
    return None if axis is None else given_axes(axis, ndim)


def given_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """``axes`` of an axis argument that is not None (an int, a sequence of ints or an integer Tensor).

    Raises:
        ValueError: for an axis outside ``[-ndim, ndim)``.
    """
    if isinstance(axis, Tensor):
        axis = np.asarray(axis._value).tolist()
    items = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in items:
        a = int(a)
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(f"axis {a} is out of bounds for a tensor of rank {ndim}")
        out.append(a % max(ndim, 1))
    return tuple(out)


def static_ints(x: Any, what: str) -> tuple[int, ...]:
    """A shape-like argument as Python ints (a shape is static in a traced function, as in Keras).

    Raises:
        TypeError: naming ``what`` when ``x`` is not a sequence of integers.
    """
    if isinstance(x, Tensor):
        x = np.asarray(x._value).tolist()
    if isinstance(x, (int, np.integer)):
        return (int(x),)
    try:
        return tuple(int(getattr(v, "_value", v)) for v in x)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be an integer or a sequence of integers, got {x!r}") from None
