"""The bitwise functions of ``keras.ops``: ``bitwise_and``, ``bitwise_or``, ``bitwise_xor``, ``bitwise_invert``
(``bitwise_not``) and the shifts (``left_shift``/``bitwise_left_shift``, ``right_shift``/``bitwise_right_shift``),
on integer tensors (bools for and, or, xor, invert), with Keras' dtype promotion."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops.convert import convert_to_tensor, promote
from tensorlet.ops.bitwise import BitwiseBinary, BitwiseInvert


def _integers(op: str, *tensors: Tensor, bools: bool = True) -> None:
    for t in tensors:
        name = t.dtype.name
        if t.dtype.is_floating or t.dtype.is_complex or (name == "bool" and not bools) or name == "string":
            kinds = "integer or bool" if bools else "integer"
            raise ValueError(f"keras.ops.{op} needs {kinds} tensors, got dtype {name}")


def _binary(op: str, name: str, x: Any, y: Any, bools: bool = True) -> Tensor:
    a, b = promote(x, y)
    _integers(name, a, b, bools=bools)
    return BitwiseBinary(op)(a, b)


def bitwise_and(x: Any, y: Any) -> Tensor:
    return _binary("and", "bitwise_and", x, y)


def bitwise_or(x: Any, y: Any) -> Tensor:
    return _binary("or", "bitwise_or", x, y)


def bitwise_xor(x: Any, y: Any) -> Tensor:
    return _binary("xor", "bitwise_xor", x, y)


def bitwise_invert(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    _integers("bitwise_invert", t)
    return BitwiseInvert()(t)


bitwise_not = bitwise_invert


def left_shift(x: Any, y: Any) -> Tensor:
    """x * 2**y for integers (bits shifted left)."""
    return _binary("left_shift", "left_shift", x, y, bools=False)


def right_shift(x: Any, y: Any) -> Tensor:
    """x // 2**y for integers (bits shifted right)."""
    return _binary("right_shift", "right_shift", x, y, bools=False)


bitwise_left_shift, bitwise_right_shift = left_shift, right_shift
