"""Elementwise ops: arithmetic, comparisons, logic and unary maths, each with its gradient beside it."""
from __future__ import annotations

from typing import Any, Callable

from tensorlet import backend
from tensorlet.autodiff import tape as _tape
from tensorlet.autodiff.context import state as _state
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.ops.convert import as_tensor, binary_operands, broadcast_error
from tensorlet.ops.nondifferentiable import nondifferentiable
from tensorlet.ops.unary import (  # noqa: F401  (the unary primitives, re-exported)
    Abs,
    Cast,
    ClipByValue,
    Cos,
    Exp,
    Expm1,
    Identity,
    Log,
    Log1p,
    Neg,
    NonDiffUnary,
    Reciprocal,
    Rsqrt,
    Sigmoid,
    Sin,
    Sqrt,
    Square,
    StopGradient,
    Tan,
    Tanh,
    sigmoid_array,
)


class Binary(Function):
    """A two-input elementwise op; turns NumPy broadcast failures into InvalidArgumentError."""

    op = "Binary"

    def __call__(self, a: Tensor, b: Tensor) -> Tensor:  # type: ignore[override]
        av, bv = a._value, b._value
        try:
            y = self.forward(av, bv)
        except ValueError:
            raise broadcast_error(self.op, av, bv) from None
        out = _wrap(y)
        if _state.tapes:
            _tape.record(self, (a, b), out)
        return out


class Add(Binary):
    """y = a + b."""

    op = "AddV2"

    def forward(self, a: Any, b: Any) -> Any:
        return a + b

    def backward(self, dy: Any) -> Any:
        return dy, dy


class Sub(Binary):
    """y = a - b."""

    op = "Sub"

    def forward(self, a: Any, b: Any) -> Any:
        return a - b

    def backward(self, dy: Any) -> Any:
        return dy, -dy


class Mul(Binary):
    """y = a * b."""

    op = "Mul"

    def forward(self, a: Any, b: Any) -> Any:
        self.saved = (a, b)
        return a * b

    def backward(self, dy: Any) -> Any:
        a, b = self.saved
        na, nb = self.needs_input_grad
        return (dy * b if na else None), (dy * a if nb else None)


class Div(Binary):
    """y = a / b (true division; integers give float64, as in TF)."""

    op = "RealDiv"

    def forward(self, a: Any, b: Any) -> Any:
        self.saved = (a, b)
        return a / b

    def backward(self, dy: Any) -> Any:
        a, b = self.saved
        na, nb = self.needs_input_grad
        return (dy / b if na else None), (-dy * a / (b * b) if nb else None)


class FloorDiv(Binary):
    op = "FloorDiv"
    differentiable = False

    def forward(self, a: Any, b: Any) -> Any:
        return a // b


class Mod(Binary):
    """y = a mod b (floored); dy/da = 1, dy/db = -floor(a / b)."""

    op = "FloorMod"

    def forward(self, a: Any, b: Any) -> Any:
        self.saved = (a, b)
        return self.xp.mod(a, b)

    def backward(self, dy: Any) -> Any:
        a, b = self.saved
        return dy, -dy * (a // b)


class Pow(Binary):
    """y = a ** b; dy/da = b a^(b-1), dy/db = y log(a) (0 where a <= 0)."""

    op = "Pow"

    def forward(self, a: Any, b: Any) -> Any:
        y = self.xp.power(a, b)
        self.saved = (a, b, y)
        return y

    def backward(self, dy: Any) -> Any:
        a, b, y = self.saved
        na, nb = self.needs_input_grad
        xp = self.xp
        da = dy * b * xp.power(a, b - 1) if na else None
        db = None
        if nb:
            with backend.current().errstate(divide="ignore", invalid="ignore"):
                db = dy * y * xp.where(a > 0, xp.log(xp.where(a > 0, a, 1)), 0)
        return da, db


class Maximum(Binary):
    """y = max(a, b); the gradient goes to a where a >= b."""

    op = "Maximum"

    def forward(self, a: Any, b: Any) -> Any:
        self.saved = (a, b)
        return self.xp.maximum(a, b)

    def backward(self, dy: Any) -> Any:
        a, b = self.saved
        m = a >= b
        return dy * m, dy * ~m


class Minimum(Binary):
    """y = min(a, b); the gradient goes to a where a <= b."""

    op = "Minimum"

    def forward(self, a: Any, b: Any) -> Any:
        self.saved = (a, b)
        return self.xp.minimum(a, b)

    def backward(self, dy: Any) -> Any:
        a, b = self.saved
        m = a <= b
        return dy * m, dy * ~m


class Compare(Binary):
    differentiable = False

    def __init__(self, pick: Callable[[Any], Any], op: str) -> None:
        self.pick, self.op = pick, op  # pick(xp) gives the comparison, e.g. lambda xp: xp.less

    def forward(self, a: Any, b: Any) -> Any:
        return self.pick(self.xp)(a, b)


class Select(Function):
    """y = where(cond, a, b); cond gets no gradient."""

    def forward(self, c: Any, a: Any, b: Any) -> Any:
        self.saved = (c,)
        return self.xp.where(c, a, b)

    def backward(self, dy: Any) -> Any:
        c = self.saved[0]
        xp = self.xp
        zero = xp.zeros((), dtype=dy.dtype)
        return None, xp.where(c, dy, zero), xp.where(c, zero, dy)


# -- public functions ------------------------------------------------------------------------------------
def add(x: Any, y: Any, name: Any = None) -> Tensor:
    return Add()(*binary_operands(x, y, "AddV2"))


def subtract(x: Any, y: Any, name: Any = None) -> Tensor:
    return Sub()(*binary_operands(x, y, "Sub"))


def multiply(x: Any, y: Any, name: Any = None) -> Tensor:
    return Mul()(*binary_operands(x, y, "Mul"))


def divide(x: Any, y: Any, name: Any = None) -> Tensor:
    return Div()(*binary_operands(x, y, "RealDiv"))


truediv = divide


def floordiv(x: Any, y: Any, name: Any = None) -> Tensor:
    return FloorDiv()(*binary_operands(x, y, "FloorDiv"))


floor_div = floordiv


def floormod(x: Any, y: Any, name: Any = None) -> Tensor:
    return Mod()(*binary_operands(x, y, "FloorMod"))


mod = floormod


def pow(x: Any, y: Any, name: Any = None) -> Tensor:  # noqa: A001 - TF spelling
    return Pow()(*binary_operands(x, y, "Pow"))


def maximum(x: Any, y: Any, name: Any = None) -> Tensor:
    return Maximum()(*binary_operands(x, y, "Maximum"))


def minimum(x: Any, y: Any, name: Any = None) -> Tensor:
    return Minimum()(*binary_operands(x, y, "Minimum"))


def _cmp(pick: Callable[[Any], Any], op: str) -> Any:
    def f(x: Any, y: Any, name: Any = None) -> Tensor:
        return Compare(pick, op)(*binary_operands(x, y, op))

    f.__name__ = op
    return f


equal = _cmp(lambda xp: xp.equal, "Equal")
not_equal = _cmp(lambda xp: xp.not_equal, "NotEqual")
less = _cmp(lambda xp: xp.less, "Less")
less_equal = _cmp(lambda xp: xp.less_equal, "LessEqual")
greater = _cmp(lambda xp: xp.greater, "Greater")
greater_equal = _cmp(lambda xp: xp.greater_equal, "GreaterEqual")
logical_and = _cmp(lambda xp: xp.logical_and, "LogicalAnd")
logical_or = _cmp(lambda xp: xp.logical_or, "LogicalOr")
logical_xor = _cmp(lambda xp: xp.logical_xor, "LogicalXor")


def logical_not(x: Any, name: Any = None) -> Tensor:
    return NonDiffUnary(lambda xp: xp.logical_not, "LogicalNot")(as_tensor(x))


def _unary(cls: type[Function]) -> Any:
    def f(x: Any, name: Any = None) -> Tensor:
        return cls()(as_tensor(x))

    f.__name__ = cls.__name__.lower()
    f.__doc__ = cls.__doc__
    return f


negative = _unary(Neg)
abs = _unary(Abs)  # noqa: A001
exp = _unary(Exp)
expm1 = _unary(Expm1)
log = _unary(Log)
log1p = _unary(Log1p)
sqrt = _unary(Sqrt)
rsqrt = _unary(Rsqrt)
reciprocal = _unary(Reciprocal)
square = _unary(Square)
sin = _unary(Sin)
cos = _unary(Cos)
tan = _unary(Tan)
tanh = _unary(Tanh)
sigmoid = _unary(Sigmoid)
identity = _unary(Identity)
stop_gradient = _unary(StopGradient)


def sign(x: Any, name: Any = None) -> Tensor:
    return NonDiffUnary(lambda xp: xp.sign, "Sign")(as_tensor(x))


def floor(x: Any, name: Any = None) -> Tensor:
    return NonDiffUnary(lambda xp: xp.floor, "Floor")(as_tensor(x))


def ceil(x: Any, name: Any = None) -> Tensor:
    return NonDiffUnary(lambda xp: xp.ceil, "Ceil")(as_tensor(x))


def round(x: Any, name: Any = None) -> Tensor:  # noqa: A001 - banker's rounding, as TF
    return NonDiffUnary(lambda xp: xp.round, "Round")(as_tensor(x))


def cast(x: Any, dtype: Any, name: Any = None) -> Tensor:
    """x converted to ``dtype``."""
    from tensorlet.dtypes import np_dtype

    t = as_tensor(x)
    npd = np_dtype(dtype)
    if t._value.dtype == npd:
        return t
    return Cast(npd)(t)


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: Any = None) -> Tensor:
    x = as_tensor(t)
    if isinstance(clip_value_min, Tensor) or isinstance(clip_value_max, Tensor):  # bounds computed in the step:
        return minimum(maximum(x, clip_value_min), clip_value_max)  # ops of their own, with gradients to them too
    lo = backend.asarray(getattr(clip_value_min, "_value", clip_value_min), dtype=x._value.dtype)
    hi = backend.asarray(getattr(clip_value_max, "_value", clip_value_max), dtype=x._value.dtype)
    return ClipByValue(lo, hi)(x)


def where(condition: Any, x: Any = None, y: Any = None, name: Any = None) -> Tensor:
    """Elementwise select, or (with only ``condition``) the int64 coordinates of true entries."""
    c = as_tensor(condition)
    if x is None and y is None:  # the coordinates of true entries, recomputed on each call in traced functions
        return nondifferentiable("Where", lambda xp, v: xp.argwhere(v).astype(xp.int64), c)
    if x is None or y is None:
        raise ValueError("where needs both x and y, or neither")
    a, b = binary_operands(x, y, "SelectV2")
    try:
        return Select()(c, a, b)
    except ValueError:
        raise broadcast_error("SelectV2", a._value, b._value) from None


def add_n(inputs: Any, name: Any = None) -> Tensor:
    out = as_tensor(inputs[0])
    for t in inputs[1:]:
        out = add(out, t)
    return out
