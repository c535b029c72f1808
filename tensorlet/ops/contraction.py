"""Einstein summation (``keras.ops.einsum``): one op for any number of operands, its gradients einsums too.

The gradient for operand k is the einsum of the output gradient with the other operands, written to operand k's
subscripts: labels found nowhere else (summed within operand k alone) are broadcast back, and a label repeated in
operand k (a diagonal, ``'ii->i'``) gets the gradient on that diagonal through an identity-matrix factor.
Ellipses stay ellipses, and the tape sums a broadcast ellipsis back to the operand's shape.
"""
from __future__ import annotations

import string
from typing import Any

from tensorlet.autodiff.function import Function


def parse(equation: str, n_operands: int) -> tuple[list[str], str]:
    """Operand subscripts and output subscripts, the output made explicit (``'ij,jk'`` -> ``'ik'``).

    Raises:
        ValueError: when the number of subscripts does not match the operands.
    """
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    subs = lhs.split(",")
    if len(subs) != n_operands:
        raise ValueError(f"einsum: the equation {equation!r} has {len(subs)} operand subscript(s), "
                         f"{n_operands} operand(s) were given")
    if not arrow:
        letters = [c for s in subs for c in s if c.isalpha()]
        rhs = ("..." if any("..." in s for s in subs) else "") + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1))
    return subs, rhs


def _labels(sub: str) -> list[str]:
    """Subscript labels, the ellipsis as one '...' item."""
    out, i = [], 0
    while i < len(sub):
        if sub.startswith("...", i):
            out.append("...")
            i += 3
        else:
            out.append(sub[i])
            i += 1
    return out


class Einsum(Function):
    """y = einsum(equation, *operands)."""

    def __init__(self, subs: list[str], out: str) -> None:
        self.subs, self.out = subs, out
        self.equation = ",".join(subs) + "->" + out

    def forward(self, *xs: Any) -> Any:
        self.saved = xs
        return self.xp.einsum(self.equation, *xs)

    def backward(self, dy: Any) -> Any:
        xs, xp = self.saved, self.xp
        grads = []
        for k, need in enumerate(self.needs_input_grad):
            grads.append(self._grad(xp, k, dy, xs) if need else None)
        return tuple(grads)

    def _grad(self, xp: Any, k: int, dy: Any, xs: tuple[Any, ...]) -> Any:
        fresh = iter(c for c in string.ascii_letters if c not in set(self.equation))
        subs, out = self.subs, self.out
        if "..." in self.equation and "..." not in subs[k]:  # ellipsis dims summed away: name them explicitly
            subs, out = _spell_ellipsis(subs, out, xs, dy.ndim, fresh)
        target = _labels(subs[k])
        others = [(subs[j], xs[j]) for j in range(len(xs)) if j != k]
        available = set(_labels(out)) | {c for s, _ in others for c in _labels(s)}
        repeated = {c for c in target if target.count(c) > 1}
        out_labels: list[str | None] = []
        extra_subs, extra_ops, seen = [], [], set()
        for c in target:
            if c == "..." or c not in seen and (c in available or c in repeated):
                out_labels.append(c)
            elif c in seen:  # a repeated label: a fresh label tied to the first by an identity matrix
                new = next(fresh)
                n = xs[k].shape[target.index(c)]
                extra_subs.append(c + new)
                extra_ops.append(xp.eye(n, dtype=dy.dtype))
                out_labels.append(new)
            else:
                out_labels.append(None)  # summed within this operand alone: broadcast back below
            seen.add(c)
        kept = [c for c in out_labels if c is not None]
        equation = ",".join([out] + [s for s, _ in others] + extra_subs) + "->" + "".join(kept)
        g = xp.einsum(equation, dy, *[x for _, x in others], *extra_ops)
        if None in out_labels:
            g = xp.broadcast_to(g.reshape(_placeholder_shape(g, out_labels)), xs[k].shape)
        return g


def _spell_ellipsis(subs: list[str], out: str, xs: tuple[Any, ...], out_ndim: int,
                    fresh: Any) -> tuple[list[str], str]:
    """The equation with each ellipsis written as explicit labels, right-aligned as broadcasting aligns them."""
    counts = [x.ndim - sum(1 for c in _labels(s) if c != "...") for s, x in zip(subs, xs)]
    width = max([c for s, c in zip(subs, counts) if "..." in s] + [out_ndim - sum(1 for c in _labels(out) if c != "...")])
    letters = "".join(next(fresh) for _ in range(width))
    spelled = [s.replace("...", letters[width - c:]) if "..." in s else s for s, c in zip(subs, counts)]
    return spelled, out.replace("...", letters)


def _placeholder_shape(g: Any, out_labels: list[Any]) -> tuple[int, ...]:
    """``g``'s shape with a 1 inserted where a label was summed away (the ellipsis keeps its dimensions)."""
    dims, i = [], 0
    for c in out_labels:
        if c is None:
            dims.append(1)
        elif c == "...":
            ell = g.ndim - sum(1 for d in out_labels if d is not None and d != "...")
            dims.extend(g.shape[i:i + ell])
            i += ell
        else:
            dims.append(g.shape[i])
            i += 1
    return tuple(dims)
