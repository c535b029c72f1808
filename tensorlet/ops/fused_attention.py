"""Scaled dot-product attention as one op, computed a batch row or a few at a time.

Composed from ops, attention writes its (B, H, T, S) scores and then passes over them about five times forward
(maximum, subtraction, exponential, sum, division) and as often backward, each pass reading and writing the whole
array: for a batch of 64 sequences of 128 tokens and 4 heads, 16 MiB a pass, more than the CPU's cache holds, so
each pass runs at memory speed. This op works block by block, a block being as many batch rows as fit in
``BLOCK_BYTES`` of scores, so every pass after the first product reads what is already in cache, and it makes
fewer passes:

- the weights ``exp(scores)`` stay unnormalized; a column of ones appended to v makes the one product with them
  give each row's sum as well, and the division is done on the (T, dv) results;
- no shift by the row maxima where the scores are known to lie within ``RANGE`` (from the vectors' norms, or the
  block's extremes);
- backward, each row's ``sum_j p_ij dp_ij`` is ``dout_i . out_i`` (``dp = dout v^T``, ``out = p v``), computed on
  the small (B, H, T, dv) arrays and subtracted inside the dp product (the gradient extended by it, v by ones).

The unnormalized weights are written once (the backward pass needs them) and read once.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops.convert import as_tensor

BLOCK_BYTES = 1 << 18  # scores computed together, at most (at least one batch row): measured best of 2^18-2^21
RANGE = 30.0  # unshifted weights within exp(+-30): their sums, and gradients over them, stay far inside float32


def _rows(shape: tuple[int, ...], itemsize: int) -> int:
    per_row = itemsize
    for d in shape[1:]:
        per_row *= d
    return max(1, BLOCK_BYTES // per_row)


class ScaledDotProductAttention(Function):
    """``softmax(scale * q k^T, masked) v`` of heads-first arrays: q (B, H, T, d), k (B, H, S, d), v (B, H, S, dv)
    and, if given, a boolean mask broadcastable to (B, H, T, S) (True: attend; a masked score becomes ``fill``, so
    a row masked entirely attends uniformly). The mask gets no gradient."""

    def __init__(self, scale: float, fill: float = -1e9) -> None:
        self.scale, self.fill = float(scale), float(fill)

    def _mask_block(self, mask: Any, start: int, stop: int) -> Any:
        return mask if mask.shape[0] == 1 else mask[start:stop]

    def forward(self, q: Any, k: Any, v: Any, mask: Any = None) -> Any:
        xp = self.xp
        batch, heads, steps, _ = q.shape
        keys, width = k.shape[2], v.shape[3]
        qs = q * q.dtype.type(self.scale) if self.scale != 1.0 else q
        kt = xp.ascontiguousarray(k.swapaxes(-1, -2))  # measured 1.5x faster products than through a view
        # scores within +-RANGE need no shift by their row's maximum (exp cannot overflow, nor a row's sum vanish):
        # known for every block when the longest query times the longest key is within it (|q . k| <= |q| |k|),
        # else checked per block, whose extremes cost a tenth of the row maxima; float16 always shifts
        direct = q.dtype.itemsize >= 4 and mask is None
        bounded = direct and _longest(qs, xp) * _longest(k, xp) <= RANGE
        weights = xp.empty((batch, heads, steps, keys), dtype=q.dtype)  # exp(scores), not normalized
        # v with a column of ones: one product gives each row's weighted values and its sum of weights
        v1 = xp.empty(v.shape[:3] + (width + 1,), dtype=q.dtype)
        v1[..., :width] = v
        v1[..., width] = 1
        acc = xp.empty((batch, heads, steps, width + 1), dtype=q.dtype)
        if mask is not None:
            while mask.ndim < 4:
                mask = mask[None]
            blocked = xp.logical_not(mask)
        rows = _rows(weights.shape, weights.dtype.itemsize)
        for start in range(0, batch, rows):
            stop = min(batch, start + rows)
            s = weights[start:stop]
            xp.matmul(qs[start:stop], kt[start:stop], out=s)
            if mask is not None:
                xp.copyto(s, s.dtype.type(self.fill), where=self._mask_block(blocked, start, stop))
            if not (bounded or direct and s.max() <= RANGE and s.min() >= -RANGE):
                s -= s.max(axis=-1, keepdims=True)
            xp.exp(s, out=s)
            xp.matmul(s, v1[start:stop], out=acc[start:stop])
        sums = acc[..., width:]
        # the softmax's division, on the (T, dv) results instead of the (T, S) weights, written in (B, T, H, dv)
        # order: the layers turn the result back to that layout, which is then contiguous for the next product
        out = _time_major(xp, acc.shape[:3] + (width,), q.dtype)
        xp.divide(acc[..., :width], sums, out=out)
        self.saved = (qs, k, v1, weights, sums, out, None if mask is None else blocked)
        return out

    def backward(self, dy: Any) -> Any:
        qs, k, v1, weights, sums, out, blocked = self.saved
        xp = self.xp
        need_q, need_k, need_v = self.needs_input_grad[:3]
        batch, width = weights.shape[0], out.shape[3]
        dq: Any = _time_major(xp, qs.shape, dy.dtype) if need_q else None  # (B, T, H, d) order, as the output
        dk: Any = _time_major(xp, k.shape, dy.dtype) if need_k else None
        dv: Any = _time_major(xp, v1.shape[:3] + (width,), dy.dtype) if need_v else None
        rows = _rows(weights.shape, weights.dtype.itemsize)
        # with p = w / sums, every product with p is one with the weights w and g = dy / sums; g is extended by
        # minus each row's sum of p * dp (over sums), so that its product with v1 = [v, 1] is dp - that sum
        g = xp.empty(dy.shape[:3] + (width + 1,), dtype=dy.dtype)
        xp.divide(dy, sums, out=g[..., :width])
        if need_q or need_k:
            g[..., width] = -xp.einsum("bhtd,bhtd->bht", g[..., :width], out)
            work = xp.empty((min(rows, batch),) + weights.shape[1:], dtype=dy.dtype)
            v1t = xp.ascontiguousarray(v1.swapaxes(-1, -2))
        for start in range(0, batch, rows):
            stop = min(batch, start + rows)
            w, gb = weights[start:stop], g[start:stop]
            if need_v:
                xp.matmul(w.swapaxes(-1, -2), gb[..., :width], out=dv[start:stop])
            if not (need_q or need_k):
                continue
            ds = work[:stop - start]
            xp.matmul(gb, v1t[start:stop], out=ds)  # (dp - sum(p * dp)) / sums
            ds *= w  # the gradient of the scaled scores: p * (dp - sum(p * dp))
            if blocked is not None:  # a masked score is a constant: no gradient reaches q or k through it
                xp.copyto(ds, 0, where=self._mask_block(blocked, start, stop))
            if need_q:
                xp.matmul(ds, k[start:stop], out=dq[start:stop])
            if need_k:
                xp.matmul(ds.swapaxes(-1, -2), qs[start:stop], out=dk[start:stop])
        if need_q and self.scale != 1.0:
            dq *= dq.dtype.type(self.scale)
        return dq, dk, dv, None


def _time_major(xp: Any, shape: tuple[int, ...], dtype: Any) -> Any:
    """An uninitialized (B, H, T, d) array laid out as (B, T, H, d) (a transposed view)."""
    b, h, t, d = shape
    return xp.empty((b, t, h, d), dtype=dtype).transpose(0, 2, 1, 3)


def _longest(x: Any, xp: Any) -> float:
    """The largest Euclidean norm of x's last-axis vectors."""
    return float(xp.sqrt(xp.einsum("...i,...i->...", x, x).max()))


def scaled_dot_product_attention(query: Any, key: Any, value: Any, mask: Any = None, scale: float = 1.0,
                                 fill: float = -1e9) -> Tensor:
    """``softmax(scale * query key^T) value`` of heads-first (B, H, T, d), (B, H, S, d), (B, H, S, dv) tensors,
    with an optional boolean ``mask`` broadcastable to (B, H, T, S) (True: attend). The probabilities are not
    returned: where they are needed (``return_attention_scores``, dropout on them) use
    ``ops.attention.dot_product_attention``."""
    q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
    qs, ks, vs = q._value.shape, k._value.shape, v._value.shape
    if len(qs) != 4 or len(ks) != 4 or len(vs) != 4 or qs[:2] != ks[:2] or ks[:3] != vs[:3] or qs[3] != ks[3]:
        from tensorlet.errors import InvalidArgumentError

        raise InvalidArgumentError(f"scaled_dot_product_attention expects query (B, H, T, d), key (B, H, S, d) and "
                                   f"value (B, H, S, dv), got shapes {list(qs)}, {list(ks)} and {list(vs)}")
    op = ScaledDotProductAttention(scale, fill)
    if mask is None:
        return op(q, k, v)
    m = as_tensor(mask)
    if m._value.dtype != bool:
        from tensorlet.ops import elementwise as E

        m = E.cast(m, "bool")
    return op(q, k, v, m)
