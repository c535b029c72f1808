"""Products of ``keras.ops``: matmul, dot, tensordot, einsum, outer, inner, vdot, trace (NumPy's semantics).

Integer products accumulate in at least 32 bits (int8 @ int8 gives int32), as Keras' TensorFlow backend does.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops.convert import cast, convert_to_tensor, promote, static_ints
from tensorlet.keras_ops.numpy_reduce import sum as _sum
from tensorlet.keras_ops.numpy_shape import diagonal, expand_dims, ravel, reshape, squeeze, transpose
from tensorlet.ops.contraction import Einsum, parse
from tensorlet.ops.elementwise import Mul
from tensorlet.ops.linalg import MatMul


def _widen(ts: list[Tensor]) -> list[Tensor]:
    name = ts[0].dtype.name
    if name in ("bool", "int8", "int16", "uint8", "uint16"):
        return [cast(t, "int32") for t in ts]
    return ts


def matmul(x1: Any, x2: Any) -> Tensor:
    """The matrix product of the last two axes, broadcast over the others; a 1-D operand is a vector."""
    a, b = _widen(promote(x1, x2))
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("keras.ops.matmul: operands must have at least one dimension (use multiply for scalars)")
    va, vb = a.ndim == 1, b.ndim == 1
    a2 = expand_dims(a, 0) if va else a
    b2 = expand_dims(b, -1) if vb else b
    if a2.shape[-1] != b2.shape[-2]:
        raise ValueError(f"keras.ops.matmul: inner dimensions differ, shapes {tuple(a.shape)} and {tuple(b.shape)}")
    y = MatMul()(a2, b2)
    if va:
        y = squeeze(y, -2)
    if vb:
        y = squeeze(y, -1)
    return y


def tensordot(x1: Any, x2: Any, axes: Any = 2) -> Tensor:
    """Sum of products over ``axes`` (an int: the last of x1 with the first of x2; or two lists of axes)."""
    a, b = _widen(promote(x1, x2))
    if isinstance(axes, (int, np.integer)):
        ax_a = list(range(a.ndim - int(axes), a.ndim))
        ax_b = list(range(int(axes)))
    else:
        first, second = axes
        ax_a = [int(i) % a.ndim for i in static_ints(first, "axes")]
        ax_b = [int(i) % b.ndim for i in static_ints(second, "axes")]
    if [a.shape[i] for i in ax_a] != [b.shape[i] for i in ax_b]:
        raise ValueError(f"keras.ops.tensordot: summed axes differ in size, shapes {tuple(a.shape)} and "
                         f"{tuple(b.shape)}, axes {ax_a} and {ax_b}")
    free_a = [i for i in range(a.ndim) if i not in ax_a]
    free_b = [i for i in range(b.ndim) if i not in ax_b]
    k = int(np.prod([a.shape[i] for i in ax_a], dtype=np.int64))
    am = reshape(transpose(a, free_a + ax_a), (-1, k))
    bm = reshape(transpose(b, ax_b + free_b), (k, -1))
    return reshape(MatMul()(am, bm), tuple(a.shape[i] for i in free_a) + tuple(b.shape[i] for i in free_b))


def dot(x1: Any, x2: Any) -> Tensor:
    """NumPy's dot: a product with a scalar, the inner product of vectors, the matrix product, or the sum over
    the last axis of x1 and the second-to-last of x2."""
    a, b = _widen(promote(x1, x2))
    if a.ndim == 0 or b.ndim == 0:
        return Mul()(a, b)
    if b.ndim == 1:
        return tensordot(a, b, axes=([a.ndim - 1], [0]))
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 2]))


def einsum(subscripts: str, *operands: Any, **kwargs: Any) -> Tensor:
    """Einstein summation over the operands' labelled axes (``'ij,jk->ik'``; ellipses allowed)."""
    ts = _widen(promote(*operands))
    subs, out = parse(subscripts, len(ts))
    return Einsum(subs, out)(*ts)


def outer(x1: Any, x2: Any) -> Tensor:
    a, b = promote(x1, x2)
    return Mul()(expand_dims(ravel(a), 1), expand_dims(ravel(b), 0))


def inner(x1: Any, x2: Any) -> Tensor:
    """The sum of products over the last axes (a product with a scalar)."""
    a, b = _widen(promote(x1, x2))
    if a.ndim == 0 or b.ndim == 0:
        return Mul()(a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


def vdot(x1: Any, x2: Any) -> Tensor:
    return tensordot(ravel(convert_to_tensor(x1)), ravel(convert_to_tensor(x2)), axes=1)


def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The sum of the ``offset`` diagonal over axes ``axis1`` and ``axis2``."""
    return _sum(diagonal(x, offset, axis1, axis2), axis=-1)
