"""``keras.ops.linalg``: norms, inverse, determinant, solve, Cholesky, QR, SVD, eigendecompositions, over batches of
matrices in the last two axes (NumPy's conventions: ``svd`` returns U, s, V^T; ``qr`` the reduced Q, R)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops.convert import as_floats, axes, cast, promote
from tensorlet.keras_ops.numpy_math import absolute, power, sqrt
from tensorlet.keras_ops.numpy_reduce import max as _max
from tensorlet.keras_ops.numpy_reduce import min as _min
from tensorlet.keras_ops.numpy_reduce import sum as _sum
from tensorlet.keras_ops.numpy_shape import expand_dims, squeeze, swapaxes, tril, triu
from tensorlet.ops import decompositions as D


def _square_matrices(op: str, t: Tensor) -> None:
    if t.ndim < 2 or t.shape[-1] != t.shape[-2]:
        raise ValueError(f"keras.ops.{op} expects square matrices in the last two axes, got shape {tuple(t.shape)}")


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A002
    """Vector norms (``ord`` None/2, 1, inf, -inf, 0, p) over one axis, matrix norms ('fro', 'nuc', 1, -1, inf,
    -inf, 2, -2) over two; ``axis=None`` means the whole tensor (a matrix norm for 2-D ``x`` with ``ord``)."""
    t = as_floats(x)
    ax = axes(axis, t.ndim)
    if ax is None:
        if ord is None:
            return sqrt(_sum(t * t, axis=None, keepdims=keepdims))
        if t.ndim == 1:
            ax = (0,)
        elif t.ndim == 2:
            ax = (0, 1)
        else:
            raise ValueError(f"keras.ops.norm: ord={ord!r} needs axis for a tensor of rank {t.ndim}")
    if len(ax) == 1:
        return _vector_norm(t, ord, ax[0], keepdims)
    if len(ax) == 2:
        return _matrix_norm(t, ord, ax, keepdims)
    raise ValueError(f"keras.ops.norm: axis must name one or two axes, got {axis!r}")


def _vector_norm(t: Tensor, ord: Any, ax: int, keepdims: bool) -> Tensor:  # noqa: A002
    a = absolute(t)
    if ord is None or ord == 2:
        return sqrt(_sum(t * t, axis=ax, keepdims=keepdims))
    if ord == 1:
        return _sum(a, axis=ax, keepdims=keepdims)
    if ord == np.inf:
        return _max(a, axis=ax, keepdims=keepdims)
    if ord == -np.inf:
        return _min(a, axis=ax, keepdims=keepdims)
    if ord == 0:
        from tensorlet.keras_ops.numpy_math import not_equal

        return _sum(cast(not_equal(t, 0.0), t.dtype.name), axis=ax, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"keras.ops.norm: ord={ord!r} is a matrix norm; a vector norm takes a number")
    return power(_sum(power(a, float(ord)), axis=ax, keepdims=keepdims), 1.0 / float(ord))


def _matrix_norm(t: Tensor, ord: Any, ax: tuple[int, ...], keepdims: bool) -> Tensor:  # noqa: A002
    r, c = ax
    if ord is None or ord == "fro":
        return sqrt(_sum(t * t, axis=ax, keepdims=keepdims))
    if ord in ("nuc", 2, -2):
        from tensorlet.keras_ops.numpy_shape import moveaxis

        s = D.SingularValues()(moveaxis(t, (r, c), (-2, -1)))
        out = _sum(s, axis=-1) if ord == "nuc" else (_max(s, axis=-1) if ord == 2 else _min(s, axis=-1))
        if keepdims:
            for kept in sorted(ax):
                out = expand_dims(out, kept)
        return out
    if ord in (1, -1, np.inf, -np.inf):
        a = absolute(t)
        summed_axis, other = (r, c) if ord in (1, -1) else (c, r)
        sums = _sum(a, axis=summed_axis, keepdims=True)
        pick = _max if ord in (1, np.inf) else _min
        out = pick(sums, axis=other, keepdims=True)
        return out if keepdims else squeeze(out, ax)
    raise ValueError(f"keras.ops.norm: unknown matrix norm ord={ord!r}")


def inv(x: Any) -> Tensor:
    t = as_floats(x)
    _square_matrices("inv", t)
    return D.Inverse()(t)


def det(x: Any) -> Tensor:
    t = as_floats(x)
    _square_matrices("det", t)
    return D.Determinant()(t)


def slogdet(x: Any) -> tuple[Tensor, Tensor]:
    """(sign, log |det|) of square matrices."""
    t = as_floats(x)
    _square_matrices("slogdet", t)
    return D.SignOfDeterminant()(t), D.LogAbsDeterminant()(t)


def logdet(x: Any) -> Tensor:
    """log det of positive definite matrices (log |det| here)."""
    return slogdet(x)[1]


def solve(a: Any, b: Any) -> Tensor:
    """x with a x = b; ``b`` of shape (..., M) or (..., M, K)."""
    ta, tb = promote(as_floats(a), b, dtype=as_floats(a).dtype.name)
    _square_matrices("solve", ta)
    vector = tb.ndim == ta.ndim - 1
    x = D.Solve()(ta, expand_dims(tb, -1) if vector else tb)
    return squeeze(x, -1) if vector else x


def solve_triangular(a: Any, b: Any, lower: bool = False) -> Tensor:
    """x with a x = b, reading only ``a``'s lower (``lower``) or upper triangle."""
    ta = as_floats(a)
    return solve(tril(ta) if lower else triu(ta), b)


def cholesky(x: Any, upper: bool = False) -> Tensor:
    """The lower Cholesky factor L (A = L L^T), or its transpose with ``upper``."""
    t = as_floats(x)
    _square_matrices("cholesky", t)
    lower = D.Cholesky()(t)
    return swapaxes(lower, -1, -2) if upper else lower


def qr(x: Any, mode: str = "reduced") -> tuple[Tensor, Tensor]:
    """(Q, R) with x = Q R; ``mode`` 'reduced' (differentiable for tall matrices) or 'complete'."""
    t = as_floats(x)
    if mode == "reduced":
        return D.QrQ()(t), D.QrR()(t)
    if mode == "complete":
        return D.QrComplete(0)(t), D.QrComplete(1)(t)
    raise ValueError(f"keras.ops.qr: mode must be 'reduced' or 'complete', got {mode!r}")


def svd(x: Any, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    """(U, s, V^T), or s alone without ``compute_uv``; s has a gradient, U and V^T do not."""
    t = as_floats(x)
    s = D.SingularValues()(t)
    if not compute_uv:
        return s
    return D.SingularVectors(0, bool(full_matrices))(t), s, D.SingularVectors(2, bool(full_matrices))(t)


def eig(x: Any) -> tuple[Tensor, Tensor]:
    """(eigenvalues, eigenvectors) of general square matrices (complex; no gradient)."""
    t = as_floats(x)
    _square_matrices("eig", t)
    return D.Eig(0)(t), D.Eig(1)(t)


def eigh(x: Any) -> tuple[Tensor, Tensor]:
    """(eigenvalues ascending, eigenvectors as columns) of symmetric matrices, from their lower triangle."""
    t = as_floats(x)
    _square_matrices("eigh", t)
    return D.EighValues()(t), D.EighVectors()(t)

