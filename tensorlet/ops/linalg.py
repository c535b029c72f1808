"""Matrix products and norms."""
from __future__ import annotations

import math
from typing import Any

from tensorlet.autodiff import tape as _tape
from tensorlet.autodiff.context import state as _state
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.errors import InvalidArgumentError
from tensorlet.ops.convert import binary_operands, shape_str
from tensorlet.ops.elementwise import abs as _abs
from tensorlet.ops.elementwise import sqrt, square
from tensorlet.ops.reduction import reduce_max, reduce_sum


def _t(x: Any) -> Any:
    return x.swapaxes(-1, -2)


class MatMul(Function):
    """y = a @ b (batched, optional transposes); da = dy @ b^T, db = a^T @ dy."""

    def __init__(self, transpose_a: bool = False, transpose_b: bool = False) -> None:
        self.ta, self.tb = transpose_a, transpose_b

    def forward(self, a: Any, b: Any) -> Any:
        self.saved = (a, b)
        if self.ta or self.tb:
            return self.xp.matmul(_t(a) if self.ta else a, _t(b) if self.tb else b)
        xp = self.xp
        return xp.dot(a, b) if a.ndim == 2 == b.ndim else xp.matmul(a, b)  # dot: the cheapest 2-D call

    def backward(self, dy: Any) -> Any:
        a, b = self.saved
        na, nb = self.needs_input_grad
        da = db = None
        if na:
            bb = b if self.tb else _t(b)  # (b^T when not transposed)
            da = dy @ bb
            if self.ta:
                da = _t(da)
        if nb:
            aa = a if self.ta else _t(a)
            db = aa @ dy
            if self.tb:
                db = _t(db)
        return da, db

    def __call__(self, a: Tensor, b: Tensor) -> Tensor:  # type: ignore[override]
        av, bv = a._value, b._value
        if av.ndim < 2 or bv.ndim < 2:
            raise InvalidArgumentError(f"In[0] and In[1] must be at least rank 2 for matmul, got shapes "
                                       f"{shape_str(av.shape)} and {shape_str(bv.shape)}")
        ka = av.shape[-2] if self.ta else av.shape[-1]
        kb = bv.shape[-1] if self.tb else bv.shape[-2]
        if ka != kb:
            raise InvalidArgumentError(f"Matrix size-incompatible: In[0]: {shape_str(av.shape)}, In[1]: "
                                       f"{shape_str(bv.shape)} (inner dimensions {ka} and {kb} differ)")
        try:
            y = self.forward(av, bv)
        except ValueError:
            raise InvalidArgumentError(f"Incompatible batch shapes for matmul: {shape_str(av.shape)} vs. "
                                       f"{shape_str(bv.shape)}") from None
        out = _wrap(y)
        if _state.tapes:
            _tape.record(self, (a, b), out)
        return out


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False, adjoint_a: bool = False,
           adjoint_b: bool = False, name: Any = None, **kwargs: Any) -> Tensor:
    """Matrix product of the last two axes, batched over the leading ones."""
    x, y = binary_operands(a, b, "MatMul")
    return MatMul(transpose_a or adjoint_a, transpose_b or adjoint_b)(x, y)


def matmul_operator(a: Any, b: Any) -> Tensor:
    """``a @ b`` for tensors: ``matmul`` without the keyword handling (the operator is called per op)."""
    return MatMul()(*binary_operands(a, b, "MatMul"))


def norm(tensor: Any, ord: Any = "euclidean", axis: Any = None, keepdims: bool = False,  # noqa: A002
         name: Any = None) -> Tensor:
    """Vector norms (1, 2/euclidean, inf) and the Frobenius norm, composed from primitives."""
    if ord in ("euclidean", "fro", 2, 2.0):
        return sqrt(reduce_sum(square(tensor), axis=axis, keepdims=keepdims))
    if ord in (1, 1.0):
        return reduce_sum(_abs(tensor), axis=axis, keepdims=keepdims)
    if ord in (math.inf, "inf"):
        return reduce_max(_abs(tensor), axis=axis, keepdims=keepdims)
    raise ValueError(f"norm: unsupported ord {ord!r}; expected 'euclidean', 'fro', 1, 2 or np.inf")


def matvec(a: Any, b: Any, transpose_a: bool = False, name: Any = None) -> Tensor:
    from tensorlet.ops.shape import expand_dims, squeeze

    return squeeze(matmul(a, expand_dims(b, -1), transpose_a=transpose_a), -1)

