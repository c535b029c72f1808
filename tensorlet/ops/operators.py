"""Python operators on Tensor (``+ - * / // % ** @ == < [] ...``), bound to the ops that implement them."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, Variable, _wrap
from tensorlet.ops import elementwise as E
from tensorlet.ops import linalg, shape


def _eq(a: Tensor, b: Any) -> Any:
    if b is None:
        return False
    try:
        return E.equal(a, b)
    except (ValueError, TypeError):  # incompatible shapes or dtypes compare unequal, as TF2's __eq__
        return _wrap(backend.asarray(False))


def _ne(a: Tensor, b: Any) -> Any:
    if b is None:
        return True
    try:
        return E.not_equal(a, b)
    except (ValueError, TypeError):
        return _wrap(backend.asarray(True))


def bind() -> None:
    T: Any = Tensor
    T.__add__ = lambda a, b: E.add(a, b)
    T.__radd__ = lambda a, b: E.add(b, a)
    T.__sub__ = lambda a, b: E.subtract(a, b)
    T.__rsub__ = lambda a, b: E.subtract(b, a)
    T.__mul__ = lambda a, b: E.multiply(a, b)
    T.__rmul__ = lambda a, b: E.multiply(b, a)
    T.__truediv__ = lambda a, b: E.divide(a, b)
    T.__rtruediv__ = lambda a, b: E.divide(b, a)
    T.__floordiv__ = lambda a, b: E.floordiv(a, b)
    T.__rfloordiv__ = lambda a, b: E.floordiv(b, a)
    T.__mod__ = lambda a, b: E.floormod(a, b)
    T.__rmod__ = lambda a, b: E.floormod(b, a)
    T.__pow__ = lambda a, b: E.pow(a, b)
    T.__rpow__ = lambda a, b: E.pow(b, a)
    T.__matmul__ = linalg.matmul_operator
    T.__rmatmul__ = lambda a, b: linalg.matmul_operator(b, a)
    T.__neg__ = lambda a: E.negative(a)
    T.__pos__ = lambda a: a
    T.__abs__ = lambda a: E.abs(a)
    T.__eq__ = _eq
    T.__ne__ = _ne
    T.__lt__ = lambda a, b: E.less(a, b)
    T.__le__ = lambda a, b: E.less_equal(a, b)
    T.__gt__ = lambda a, b: E.greater(a, b)
    T.__ge__ = lambda a, b: E.greater_equal(a, b)
    T.__and__ = lambda a, b: E.logical_and(a, b)
    T.__rand__ = lambda a, b: E.logical_and(b, a)
    T.__or__ = lambda a, b: E.logical_or(a, b)
    T.__ror__ = lambda a, b: E.logical_or(b, a)
    T.__xor__ = lambda a, b: E.logical_xor(a, b)
    T.__invert__ = lambda a: E.logical_not(a)
    T.__getitem__ = lambda a, k: shape.getitem(a, k)
    V: Any = Variable
    V.read_value = lambda v: E.identity(v)
    from tensorlet.autodiff import tensor as _tensor
    from tensorlet.ops.state import traced_assign

    _tensor._traced_assign = traced_assign
