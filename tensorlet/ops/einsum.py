"""einsum: products and sums over named axes (``tf.einsum``), with its gradient written as einsums too."""
from __future__ import annotations

import string
from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops.convert import as_tensor


def parse_equation(equation: str, ndims: list[int]) -> tuple[list[str], str]:
    """Input and output subscripts of ``equation``, with ``...`` spelled out as letters the equation does not use
    (the implicit output, without ``->``, is NumPy's: the letters used once, sorted)."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(ndims):
        raise ValueError(f"einsum: the equation {equation!r} has {len(inputs)} operand(s), but {len(ndims)} "
                         "tensor(s) were given")
    free = [c for c in string.ascii_letters if c not in eq]
    n_ellipsis = max([n - (len(s) - 3) for s, n in zip(inputs, ndims) if "..." in s], default=0)
    spelled = "".join(free[:n_ellipsis])
    expanded = []
    for s, n in zip(inputs, ndims):
        if "..." in s:
            k = n - (len(s) - 3)
            s = s.replace("...", spelled[n_ellipsis - k:])
        if len(s) != n:
            raise ValueError(f"einsum: operand subscripts {s!r} do not match an operand of rank {n} "
                             f"(equation {equation!r})")
        expanded.append(s)
    if arrow:
        out = rhs.replace("...", spelled)
    else:
        letters = "".join(expanded)
        out = spelled + "".join(sorted(c for c in set(letters) if letters.count(c) == 1 and c not in spelled))
    return expanded, out


class Einsum(Function):
    """y = einsum(equation, x_1, ..., x_n); dx_i = einsum(dy and the other operands -> the subscripts of x_i),
    broadcast over the axes x_i alone summed (a letter that appears nowhere else)."""

    def __init__(self, inputs: list[str], output: str) -> None:
        self.inputs, self.output = inputs, output
        self.equation = ",".join(inputs) + "->" + output
        self.contracted = _matrix_product(inputs, output)

    def forward(self, *xs: Any) -> Any:
        self.saved = xs
        k = self.contracted
        if k is not None and xs[0].shape[xs[0].ndim - k:] == xs[1].shape[:k]:
            # x (free..., summed...) times w (summed..., free...): one GEMM
            x, w = xs
            m = x.ndim - k
            y = x.reshape(-1, _prod(x.shape[m:])) @ w.reshape(_prod(w.shape[:k]), -1)
            return y.reshape(x.shape[:m] + w.shape[k:])
        return self.xp.einsum(self.equation, *xs, optimize=len(xs) > 1)

    def backward(self, dy: Any) -> Any:
        xs = self.saved
        xp = self.xp
        k = self.contracted
        if k is not None and xs[0].shape[xs[0].ndim - k:] == xs[1].shape[:k]:
            # dx = dy w^T, dw = x^T dy, on the matrix views
            x, w = xs
            m = x.ndim - k
            inner = _prod(x.shape[m:])
            x2, w2 = x.reshape(-1, inner), w.reshape(inner, -1)
            dy2 = dy.reshape(x2.shape[0], w2.shape[1])
            need_x, need_w = self.needs_input_grad
            return ((dy2 @ w2.T).reshape(x.shape) if need_x else None,
                    (x2.T @ dy2).reshape(w.shape) if need_w else None)
        grads: list[Any] = []
        for i, need in enumerate(self.needs_input_grad):
            if not need:
                grads.append(None)
                continue
            target = self.inputs[i]
            if len(set(target)) != len(target):
                raise ValueError(f"einsum: no gradient for an operand with a repeated subscript ({target!r} in "
                                 f"{self.equation!r})")
            others = [(s, x) for j, (s, x) in enumerate(zip(self.inputs, xs)) if j != i]
            known = set(self.output).union(*[set(s) for s, _ in others])
            kept = "".join(c for c in target if c in known)
            subs = ",".join([self.output] + [s for s, _ in others]) + "->" + kept
            g = xp.einsum(subs, dy, *[x for _, x in others], optimize=bool(others))
            if kept != target:  # an axis summed away in forward: its gradient is the same along it
                shape = tuple(xs[i].shape[target.index(c)] if c in kept else 1 for c in target)
                g = xp.broadcast_to(g.reshape(shape), xs[i].shape)
            grads.append(g.astype(xs[i].dtype, copy=False))
        return tuple(grads) if len(grads) > 1 else grads[0]


def _matrix_product(inputs: list[str], output: str) -> int | None:
    """How many trailing axes of the first operand are summed with the same leading axes of the second, when the
    equation is a matrix product of reshaped operands (``abc,cde->abde``: 1); else None."""
    if len(inputs) != 2:
        return None
    a, b = inputs
    if len(set(a)) != len(a) or len(set(b)) != len(b) or len(set(output)) != len(output):
        return None
    k = len([c for c in a if c in b])
    if k == 0 or k == len(a) or k == len(b) or a[len(a) - k:] != b[:k] or output != a[:len(a) - k] + b[k:]:
        return None
    return k


def _prod(shape: tuple[int, ...]) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """Tensor contraction over named axes, as ``tf.einsum`` and ``numpy.einsum`` spell it.

    Example:
        >>> import tensorlet as tf
        >>> tf.einsum("ij,jk->ik", tf.ones((2, 3)), tf.ones((3, 4))).shape
        TensorShape([2, 4])
    """
    tensors = [as_tensor(x) for x in inputs]
    subs, out = parse_equation(equation, [t.ndim for t in tensors])
    return Einsum(subs, out)(*tensors)
