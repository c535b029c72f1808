"""Keras 2 backend maths: reductions with ``axis``/``keepdims``, elementwise functions, ``dot``/``batch_dot``."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.config import floatx
from tensorlet.ops import elementwise as E
from tensorlet.ops import linalg as L
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor


def _float(x: Any) -> Tensor:
    """Keras casts bool inputs of mean/std/var to floatx."""
    t = as_tensor(x)
    return E.cast(t, floatx()) if t.dtype.is_bool else t


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001 - Keras name
    return R.reduce_sum(x, axis=axis, keepdims=keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return R.reduce_mean(_float(x), axis=axis, keepdims=keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    return R.reduce_max(x, axis=axis, keepdims=keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    return R.reduce_min(x, axis=axis, keepdims=keepdims)


def prod(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return R.reduce_prod(x, axis=axis, keepdims=keepdims)


def var(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return R.reduce_variance(_float(x), axis=axis, keepdims=keepdims)


def std(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return R.reduce_std(_float(x), axis=axis, keepdims=keepdims)


def any(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    return R.reduce_any(E.cast(x, "bool"), axis=axis, keepdims=keepdims)


def all(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    return R.reduce_all(E.cast(x, "bool"), axis=axis, keepdims=keepdims)


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return R.reduce_logsumexp(x, axis=axis, keepdims=keepdims)


def cumsum(x: Any, axis: int = 0) -> Tensor:
    return R.cumsum(x, axis=axis)


def argmax(x: Any, axis: int = -1) -> Tensor:
    return R.argmax(x, axis=axis)


def argmin(x: Any, axis: int = -1) -> Tensor:
    return R.argmin(x, axis=axis)


square, exp, log, abs = E.square, E.exp, E.log, E.abs  # noqa: A001
sin, cos, sign, round = E.sin, E.cos, E.sign, E.round  # noqa: A001
maximum, minimum = E.maximum, E.minimum
equal, not_equal, greater, greater_equal, less, less_equal = (E.equal, E.not_equal, E.greater, E.greater_equal,
                                                               E.less, E.less_equal)


def sqrt(x: Any) -> Tensor:
    """sqrt(max(x, 0)): Keras 2's ``K.sqrt`` clips negative inputs to zero (gradient 0 there)."""
    return E.sqrt(E.maximum(x, 0.0))


def pow(x: Any, a: Any) -> Tensor:  # noqa: A001
    return E.pow(x, a)


def clip(x: Any, min_value: Any, max_value: Any) -> Tensor:
    """Clip to [min_value, max_value]; a max below the min is raised to it, as Keras does."""
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)) and max_value < min_value:
        max_value = min_value
    return E.clip_by_value(x, min_value, max_value)


def l2_normalize(x: Any, axis: Any = None) -> Tensor:
    """x / sqrt(max(sum(x^2, axis), 1e-12))."""
    ss = R.reduce_sum(E.square(x), axis=axis, keepdims=True)
    return E.multiply(x, E.rsqrt(E.maximum(ss, 1e-12)))


def dot(x: Any, y: Any) -> Tensor:
    """Keras' dot: a matrix product for 2-D inputs; for N-D, the last axis of x against the second-to-last of y
    (Theano's behaviour), e.g. (2, 3, 4) . (4, 5) -> (2, 3, 5) and (2, 3, 4) . (5, 4, 6) -> (2, 3, 5, 6)."""
    a, b = as_tensor(x), as_tensor(y)
    if a.ndim <= 2 and b.ndim <= 2:
        if a.ndim == 1 or b.ndim == 1:
            return R.reduce_sum(E.multiply(a, b), axis=-1) if a.ndim == b.ndim == 1 else _vector_dot(a, b)
        return L.matmul(a, b)
    ya = a._value.shape
    yb = b._value.shape
    perm = list(range(b.ndim))
    perm = [perm[-2]] + perm[:-2] + [perm[-1]]  # bring y's contracted axis first
    yt = S.reshape(S.transpose(b, perm), (yb[-2], -1))
    out = L.matmul(S.reshape(a, (-1, ya[-1])), yt)
    return S.reshape(out, tuple(ya[:-1]) + tuple(yb[:-2]) + tuple(yb[-1:]))


def _vector_dot(a: Tensor, b: Tensor) -> Tensor:
    if a.ndim == 1:
        return S.squeeze(L.matmul(S.expand_dims(a, 0), b), 0)
    return S.squeeze(L.matmul(a, S.expand_dims(b, -1)), -1)


def batch_dot(x: Any, y: Any, axes: Any = None) -> Tensor:
    """Per-sample dot product: contract ``axes`` (x's and y's) for each entry of the batch axis 0.

    2-D inputs give shape (batch, 1); otherwise the result holds x's remaining axes then y's, as in Keras 2.
    """
    a, b = as_tensor(x), as_tensor(y)
    if a.ndim < 2 or b.ndim < 2:
        raise ValueError(f"batch_dot: x and y must have at least 2 dimensions, got shapes {tuple(a.shape)} and "
                         f"{tuple(b.shape)}")
    if axes is None:
        axes = (a.ndim - 1, b.ndim - 2 if b.ndim > 2 else 1)
    if isinstance(axes, int):
        axes = (axes, axes)
    ax, ay = (int(v) % n for v, n in zip(axes, (a.ndim, b.ndim)))
    if ax == 0 or ay == 0:
        raise ValueError("batch_dot: cannot contract the batch axis 0")
    if a._value.shape[ax] != b._value.shape[ay]:
        raise ValueError(f"batch_dot: cannot contract axis {ax} of x (size {a._value.shape[ax]}) with axis {ay} of "
                         f"y (size {b._value.shape[ay]})")
    n = a._value.shape[0]
    rest_x = [i for i in range(1, a.ndim) if i != ax]
    rest_y = [i for i in range(1, b.ndim) if i != ay]
    xm = S.reshape(S.transpose(a, [0] + rest_x + [ax]), (n, -1, a._value.shape[ax]))
    ym = S.reshape(S.transpose(b, [0, ay] + rest_y), (n, b._value.shape[ay], -1))
    out = L.matmul(xm, ym)
    shape = [n] + [a._value.shape[i] for i in rest_x] + [b._value.shape[i] for i in rest_y]
    return S.reshape(out, shape if len(shape) > 1 else [n, 1])


def switch(condition: Any, then_expression: Any, else_expression: Any) -> Tensor:
    """Select between two tensors (or zero-argument callables) by a scalar or an elementwise condition."""
    then_value = then_expression() if callable(then_expression) else then_expression
    else_value = else_expression() if callable(else_expression) else else_expression
    cond = as_tensor(condition)
    if cond.ndim == 0:
        return as_tensor(then_value) if bool(cond._value) else as_tensor(else_value)
    then_t = as_tensor(then_value)
    while cond.ndim < then_t.ndim:
        cond = S.expand_dims(cond, -1)
    return E.where(S.broadcast_to(cond, then_t._value.shape), then_t, else_value)


def stop_gradient(variables: Any) -> Any:
    if isinstance(variables, (list, tuple)):
        return [E.stop_gradient(v) for v in variables]
    return E.stop_gradient(variables)
