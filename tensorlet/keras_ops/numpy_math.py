"""Elementwise ``keras.ops``: arithmetic, comparisons, logic and unary maths, with Keras' dtype promotion.

Arithmetic promotes its operands to their Keras result type (``convert``); functions that are real-valued on
integers (``sqrt``, ``exp``, ``divide``...) compute in ``floatx()`` for integer inputs, as Keras does.
"""
from __future__ import annotations

import math
from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops.convert import as_floats, cast, convert_to_tensor, promote, result_type
from tensorlet.ops import rounding as R
from tensorlet.ops import trigonometry as T
from tensorlet.ops.elementwise import Add, Div, Maximum, Minimum, Mod, Mul, Pow, Select, Sub
from tensorlet.ops.special import Erf
from tensorlet.ops.unary import (
    Abs,
    Cos,
    Exp,
    Expm1,
    Log,
    Log1p,
    Neg,
    Reciprocal,
    Rsqrt,
    Sigmoid,
    Sin,
    Sqrt,
    Tan,
    Tanh,
)
from tensorlet.ops.unary import Square as _Square


# -- arithmetic --------------------------------------------------------------------------------------------------
def add(x1: Any, x2: Any) -> Tensor:
    """x1 + x2, broadcast."""
    return Add()(*promote(x1, x2))


def subtract(x1: Any, x2: Any) -> Tensor:
    """x1 - x2, broadcast."""
    return Sub()(*promote(x1, x2))


def multiply(x1: Any, x2: Any) -> Tensor:
    """x1 * x2, broadcast."""
    return Mul()(*promote(x1, x2))


def divide(x1: Any, x2: Any) -> Tensor:
    """x1 / x2 (true division; integers divide in floatx)."""
    return Div()(*promote(x1, x2, dtype=result_type(x1, x2, float)))


true_divide = divide


def divide_no_nan(x1: Any, x2: Any) -> Tensor:
    """x1 / x2, and 0 where x2 is 0."""
    a, b = promote(x1, x2, dtype=result_type(x1, x2, float))
    zero = R.Equal()(b, convert_to_tensor(0, b.dtype))
    safe = Select()(zero, convert_to_tensor(1, b.dtype), b)
    return Select()(zero, convert_to_tensor(0, a.dtype), Div()(a, safe))


def floor_divide(x1: Any, x2: Any) -> Tensor:
    """floor(x1 / x2) (no gradient)."""
    return R.FloorDivide()(*promote(x1, x2))


def mod(x1: Any, x2: Any) -> Tensor:
    """x1 mod x2, with the sign of x2 (as NumPy)."""
    a, b = promote(x1, x2)
    if a.dtype.name == "bool":
        a, b = cast(a, "int32"), cast(b, "int32")
    return Mod()(a, b)


def power(x1: Any, x2: Any) -> Tensor:
    """x1 ** x2."""
    return Pow()(*promote(x1, x2))


def maximum(x1: Any, x2: Any) -> Tensor:
    return Maximum()(*promote(x1, x2))


def minimum(x1: Any, x2: Any) -> Tensor:
    return Minimum()(*promote(x1, x2))


def negative(x: Any) -> Tensor:
    return Neg()(convert_to_tensor(x))


def absolute(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    return t if t.dtype.name == "bool" else Abs()(t)


abs = absolute  # noqa: A001 - Keras' name


def square(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    return _Square()(cast(t, "int32") if t.dtype.name == "bool" else t)


def sign(x: Any) -> Tensor:
    return R.Sign()(convert_to_tensor(x))


def clip(x: Any, x_min: Any, x_max: Any) -> Tensor:
    """x limited to [x_min, x_max] (bounds may be tensors); the gradient passes inside the bounds."""
    t = convert_to_tensor(x)
    if t.dtype.name == "bool":
        t = cast(t, "int32")
    lo, hi = convert_to_tensor(x_min, t.dtype.name), convert_to_tensor(x_max, t.dtype.name)
    return Minimum()(Maximum()(t, lo), hi)


def where(condition: Any, x1: Any = None, x2: Any = None) -> Any:
    """Elementwise ``x1 if condition else x2``; with only ``condition``, the indices of its true entries per axis."""
    c = cast(convert_to_tensor(condition), "bool")
    if x1 is None and x2 is None:
        from tensorlet.keras_ops.numpy_reduce import nonzero

        return nonzero(c)
    if x1 is None or x2 is None:
        raise ValueError("keras.ops.where: x1 and x2 must be given together (or neither)")
    return Select()(c, *promote(x1, x2))


# -- comparisons and logic ------------------------------------------------------------------------------------------
def equal(x1: Any, x2: Any) -> Tensor:
    return R.Equal()(*promote(x1, x2))


def not_equal(x1: Any, x2: Any) -> Tensor:
    return R.NotEqual()(*promote(x1, x2))


def less(x1: Any, x2: Any) -> Tensor:
    return R.Less()(*promote(x1, x2))


def less_equal(x1: Any, x2: Any) -> Tensor:
    return R.LessEqual()(*promote(x1, x2))


def greater(x1: Any, x2: Any) -> Tensor:
    return R.Greater()(*promote(x1, x2))


def greater_equal(x1: Any, x2: Any) -> Tensor:
    return R.GreaterEqual()(*promote(x1, x2))


def logical_and(x1: Any, x2: Any) -> Tensor:
    return R.LogicalAnd()(*promote(x1, x2, dtype="bool"))


def logical_or(x1: Any, x2: Any) -> Tensor:
    return R.LogicalOr()(*promote(x1, x2, dtype="bool"))


def logical_xor(x1: Any, x2: Any) -> Tensor:
    return R.LogicalXor()(*promote(x1, x2, dtype="bool"))


def logical_not(x: Any) -> Tensor:
    return R.LogicalNot()(cast(convert_to_tensor(x), "bool"))


def isnan(x: Any) -> Tensor:
    return R.IsNan()(as_floats(x))


def isinf(x: Any) -> Tensor:
    return R.IsInf()(as_floats(x))


def isfinite(x: Any) -> Tensor:
    return R.IsFinite()(as_floats(x))


def isclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False) -> Tensor:
    """|x1 - x2| <= atol + rtol |x2| (NaNs equal when ``equal_nan``)."""
    a, b = promote(x1, x2)
    close = less_equal(absolute(subtract(a, b)), add(atol, multiply(rtol, absolute(b))))
    if equal_nan and a.dtype.is_floating:
        close = logical_or(close, logical_and(isnan(a), isnan(b)))
    return close


# -- rounding ------------------------------------------------------------------------------------------------------
def floor(x: Any) -> Tensor:
    return R.Floor()(as_floats(x))


def ceil(x: Any) -> Tensor:
    return R.Ceil()(as_floats(x))


def trunc(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    return t if not t.dtype.is_floating else R.Trunc()(t)


def round(x: Any, decimals: int = 0) -> Tensor:  # noqa: A001 - Keras' name
    """Half to even, to ``decimals`` digits."""
    t = convert_to_tensor(x)
    return t if t.dtype.name in ("bool",) else R.Round(int(decimals))(t)


# -- unary maths ---------------------------------------------------------------------------------------------------
def sqrt(x: Any) -> Tensor:
    return Sqrt()(as_floats(x))


def rsqrt(x: Any) -> Tensor:
    return Rsqrt()(as_floats(x))


def reciprocal(x: Any) -> Tensor:
    return Reciprocal()(as_floats(x))


def exp(x: Any) -> Tensor:
    return Exp()(as_floats(x))


def exp2(x: Any) -> Tensor:
    """2 ** x, as exp(x ln 2)."""
    t = as_floats(x)
    return Exp()(Mul()(t, convert_to_tensor(math.log(2.0), t.dtype.name)))


def expm1(x: Any) -> Tensor:
    return Expm1()(as_floats(x))


def log(x: Any) -> Tensor:
    return Log()(as_floats(x))


def log1p(x: Any) -> Tensor:
    return Log1p()(as_floats(x))


def log2(x: Any) -> Tensor:
    t = as_floats(x)
    return Div()(Log()(t), convert_to_tensor(math.log(2.0), t.dtype.name))


def log10(x: Any) -> Tensor:
    t = as_floats(x)
    return Div()(Log()(t), convert_to_tensor(math.log(10.0), t.dtype.name))


def logaddexp(x1: Any, x2: Any) -> Tensor:
    """log(exp(x1) + exp(x2)), computed as max + log1p(exp(-|x1 - x2|))."""
    a, b = promote(x1, x2, dtype=result_type(x1, x2, float))
    return Add()(Maximum()(a, b), Log1p()(Exp()(Neg()(Abs()(Sub()(a, b))))))


def hypot(x1: Any, x2: Any) -> Tensor:
    a, b = promote(x1, x2, dtype=result_type(x1, x2, float))
    return Sqrt()(Add()(Mul()(a, a), Mul()(b, b)))


def sin(x: Any) -> Tensor:
    return Sin()(as_floats(x))


def cos(x: Any) -> Tensor:
    return Cos()(as_floats(x))


def tan(x: Any) -> Tensor:
    return Tan()(as_floats(x))


def arcsin(x: Any) -> Tensor:
    return T.Arcsin()(as_floats(x))


def arccos(x: Any) -> Tensor:
    return T.Arccos()(as_floats(x))


def arctan(x: Any) -> Tensor:
    return T.Arctan()(as_floats(x))


def arctan2(x1: Any, x2: Any) -> Tensor:
    return T.Arctan2()(*promote(x1, x2, dtype=result_type(x1, x2, float)))


def sinh(x: Any) -> Tensor:
    return T.Sinh()(as_floats(x))


def cosh(x: Any) -> Tensor:
    return T.Cosh()(as_floats(x))


def tanh(x: Any) -> Tensor:
    return Tanh()(as_floats(x))


def arcsinh(x: Any) -> Tensor:
    return T.Arcsinh()(as_floats(x))


def arccosh(x: Any) -> Tensor:
    return T.Arccosh()(as_floats(x))


def arctanh(x: Any) -> Tensor:
    return T.Arctanh()(as_floats(x))


def erf(x: Any) -> Tensor:
    return Erf()(as_floats(x))


def sigmoid(x: Any) -> Tensor:
    return Sigmoid()(as_floats(x))


def nan_to_num(x: Any, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> Tensor:
    """NaNs as ``nan``, infinities as ``posinf``/``neginf`` (the dtype's largest finite values by default)."""
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        return t
    dt = t.dtype.name
    big = t.dtype.max
    out = Select()(R.IsNan()(t), convert_to_tensor(nan, dt), t)
    pos = R.Equal()(out, convert_to_tensor(float("inf"), dt))
    out = Select()(pos, convert_to_tensor(big if posinf is None else posinf, dt), out)
    neg = R.Equal()(out, convert_to_tensor(float("-inf"), dt))
    return Select()(neg, convert_to_tensor(-big if neginf is None else neginf, dt), out)


def conj(x: Any) -> Tensor:
    """The complex conjugate (real tensors are returned as they are)."""
    t = convert_to_tensor(x)
    if t.dtype.is_complex:
        raise TypeError("keras.ops.conj: tensorlet's ops are real-valued; complex tensors are not supported")
    return t


conjugate = conj
