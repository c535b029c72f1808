"""TensorFlow's DType objects: ``tensorlet.int32``, ``tensorlet.float32`` ...

``as_dtype`` accepts a DType, a name string, a NumPy dtype or a Python type, and raises a TypeError
listing the valid names for anything else.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np


class DType:
    """A tensor element type; compares equal to its name and its NumPy dtype."""

    __slots__ = ("name", "as_numpy_dtype", "_np")

    def __init__(self, name: str, np_type: Any) -> None:
        self.name = name
        self.as_numpy_dtype = np_type
        self._np = np.dtype(np_type)

    @property
    def is_floating(self) -> builtins.bool:
        return self._np.kind == "f"

    @property
    def is_integer(self) -> builtins.bool:
        return self._np.kind in "iu"

    @property
    def is_unsigned(self) -> builtins.bool:
        return self._np.kind == "u"

    @property
    def is_bool(self) -> builtins.bool:
        return self._np.kind == "b"

    @property
    def is_complex(self) -> builtins.bool:
        return self._np.kind == "c"

    @property
    def size(self) -> int:
        return self._np.itemsize

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def min(self) -> Any:
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self) -> Any:
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"

    def __eq__(self, other: object) -> builtins.bool:
        if isinstance(other, DType):
            return self.name == other.name
        try:
            return as_dtype(other).name == self.name  # type: ignore[arg-type]
        except TypeError:
            return False

    def __ne__(self, other: object) -> builtins.bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.name)

    def __reduce__(self) -> Any:
        return (as_dtype, (self.name,))


float16 = half = DType("float16", np.float16)
float32 = DType("float32", np.float32)
float64 = double = DType("float64", np.float64)
int8 = DType("int8", np.int8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
uint8 = DType("uint8", np.uint8)
uint16 = DType("uint16", np.uint16)
uint32 = DType("uint32", np.uint32)
uint64 = DType("uint64", np.uint64)
bool = DType("bool", np.bool_)  # noqa: A001 - TensorFlow's public spelling
complex64 = DType("complex64", np.complex64)
complex128 = DType("complex128", np.complex128)
string = DType("string", np.object_)

_ALL = [float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool,
        complex64, complex128, string]
_BY_NAME = {d.name: d for d in _ALL}
_BY_NAME.update({"half": float16, "double": float64, "float": float32, "int": int32, "bool_": bool})
_BY_NP = {d._np: d for d in _ALL if d is not string}
_PY = {float: float32, int: int32, type(True): bool, complex: complex128, str: string}

VALID_NAMES = sorted(d.name for d in _ALL)


def as_dtype(value: Any) -> DType:
    """Convert a DType, name, NumPy dtype or Python type to a DType."""
    if isinstance(value, DType):
        return value
    if isinstance(value, str):
        d = _BY_NAME.get(value)
        if d is None:
            raise TypeError(f"Unknown dtype {value!r}; valid names are: {', '.join(VALID_NAMES)}")
        return d
    if isinstance(value, type) and value in _PY:
        return _PY[value]
    try:
        npd = np.dtype(value)
    except TypeError:
        raise TypeError(
            f"Cannot convert {value!r} to a dtype; valid names are: {', '.join(VALID_NAMES)}"
        ) from None
    if npd.kind in "USO":  # string tensors hold bytes objects, as TF's .numpy() gives them
        return string
    d = _BY_NP.get(npd)
    if d is None:
        raise TypeError(f"Unsupported dtype {npd}; valid names are: {', '.join(VALID_NAMES)}")
    return d


def string_array(value: Any) -> np.ndarray:
    """An object array of ``bytes`` (str encoded as UTF-8): the storage of a ``tf.string`` tensor."""
    arr = np.asarray(value, dtype=object)
    out = np.empty(arr.size, dtype=object)
    out[:] = [v.encode("utf-8") if type(v) is str else _as_bytes(v) for v in arr.reshape(-1).tolist()]
    return out.reshape(arr.shape)


def _as_bytes(v: Any) -> bytes:
    if isinstance(v, bytes):  # np.bytes_ too
        return bytes(v)
    if isinstance(v, str):
        return v.encode("utf-8")
    raise TypeError(f"Cannot convert {v!r} of type {type(v).__name__} to a tf.string element; expected str or bytes")


def np_dtype(value: Any) -> Any:
    """The NumPy dtype for a DType-like value."""
    return as_dtype(value)._np


__all__ = ["DType", "as_dtype", "np_dtype", "string_array", "VALID_NAMES"] + [d.name for d in _ALL]
