"""Operand coercion with TensorFlow's rules: no silent promotion between tensors."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _to_array, _wrap
from tensorlet.errors import InvalidArgumentError


def as_tensor(x: Any, dtype: Any = None) -> Tensor:
    if isinstance(x, Tensor):
        return x
    return _wrap(_to_array(x, dtype))


def _like(x: Any, ref: Tensor, op: str) -> Tensor:
    """Convert a non-tensor operand to the tensor operand's dtype (a Python scalar adopts it)."""
    rd = ref._value.dtype
    if type(x) in (int, float, bool):  # Python scalars only: NumPy's float64 and bool_ keep their dtype
        if isinstance(x, float) and rd.kind in "iub":
            raise TypeError(f"Cannot convert {x!r} to EagerTensor of dtype {_name(rd)} (in {op})")
        return _wrap(backend.asarray(x, dtype=rd))
    if rd.kind == "O" and not isinstance(x, Tensor):  # str/bytes beside a string tensor: encoded as bytes
        return _wrap(_to_array(x))
    arr = backend.asarray(x._value if isinstance(x, Tensor) else x)
    if arr.dtype != rd:
        if arr.dtype.kind == rd.kind or (arr.dtype.kind in "iu" and rd.kind in "iu" and arr.ndim > 0):
            arr = arr.astype(rd)
        elif arr.dtype.kind in "iub" and rd.kind == "f" and not backend.is_ndarray(x):
            arr = arr.astype(rd)
        else:
            raise InvalidArgumentError(
                f"cannot compute {op} as input #1(zero-based) was expected to be a {_name(rd)} tensor but "
                f"is a {_name(arr.dtype)} tensor")
    return _wrap(arr)


def binary_operands(a: Any, b: Any, op: str) -> tuple[Tensor, Tensor]:
    """Two tensors of one dtype, or an InvalidArgumentError naming both dtypes."""
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if ta and tb:
        if a._value.dtype != b._value.dtype:
            raise InvalidArgumentError(
                f"cannot compute {op} as input #1(zero-based) was expected to be a {_name(a._value.dtype)} "
                f"tensor but is a {_name(b._value.dtype)} tensor (dtypes {_name(a._value.dtype)} and "
                f"{_name(b._value.dtype)} differ; cast one with tf.cast)")
        return a, b
    if ta:
        return a, _like(b, a, op)
    if tb:
        return _like(a, b, op), b
    a = as_tensor(a)
    return a, _like(b, a, op)


def _name(npd: Any) -> str:
    from tensorlet.dtypes import as_dtype

    try:
        return as_dtype(npd).name
    except TypeError:
        return str(npd)


def shape_str(shape: Any) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def broadcast_error(op: str, a: Any, b: Any) -> InvalidArgumentError:
    sa, sb = shape_str(getattr(a, "shape", ())), shape_str(getattr(b, "shape", ()))
    return InvalidArgumentError(f"Incompatible shapes: {sa} vs. {sb} [Op:{op}]")
