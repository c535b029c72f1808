"""The maths shared by the attention layers: masked softmax, causal and padding masks, dot-product attention.

All of it is composed from existing differentiable ops (no new primitive, no hand-written backward).
"""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.ops import elementwise as E
from tensorlet.ops import linalg
from tensorlet.ops import nn as nn_ops
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S


def large_negative(dtype: Any) -> float:
    """The score given to masked positions: -1e9, or -3e4 where float16 cannot hold it (Keras' values)."""
    return -3e4 if str(getattr(dtype, "name", dtype)) == "float16" else -1e9


def masked_softmax(x: Tensor, mask: Any = None, axis: Any = -1) -> Tensor:
    """softmax(x) over ``axis`` (an int or several axes), where ``mask`` (broadcastable to x; True or > 0.5 keeps)
    sends the masked positions to a large negative score first. A row masked entirely comes out uniform, as in
    tf.keras 2."""
    if mask is not None:
        m = mask if isinstance(mask, Tensor) else _wrap(backend.xp().asarray(mask))
        if m.dtype.name != "bool":
            m = E.greater(E.cast(m, x.dtype), 0.5)
        x = E.where(m, x, large_negative(x.dtype))
    if isinstance(axis, (list, tuple)):
        if len(axis) > 1:  # exp(x - logsumexp(x)) over the joint axes
            return E.exp(E.subtract(x, R.reduce_logsumexp(x, axis=list(axis), keepdims=True)))
        axis = axis[0]
    return nn_ops.softmax(x, axis=axis)


def causal_mask(query_length: int, key_length: int) -> Tensor:
    """A (1, T, S) boolean mask: query step i sees key steps j <= i."""
    xp = backend.xp()
    return _wrap(xp.tril(xp.ones((query_length, key_length), dtype=bool))[None])


def sliding_window_mask(query_length: int, key_length: int, window: int) -> Tensor:
    """A (1, T, S) boolean band: query step i sees key steps with |i - j| < window."""
    xp = backend.xp()
    rows = xp.arange(query_length)[:, None]
    cols = xp.arange(key_length)[None, :]
    return _wrap((xp.abs(rows - cols) < window)[None])


def merge_attention_masks(query_mask: Any = None, value_mask: Any = None, key_mask: Any = None,
                          attention_mask: Any = None, causal: Tensor | None = None,
                          window: Tensor | None = None) -> Tensor | None:
    """One boolean (B, T, S) mask (or a broadcastable one) from the padding masks of query (B, T), value and key
    (B, S), a causal or sliding-window mask (1, T, S) and an explicit ``attention_mask``: their AND."""
    parts = []
    if query_mask is not None:
        parts.append(S.expand_dims(_as_bool(query_mask), -1))
    for m in (value_mask, key_mask):
        if m is not None:
            parts.append(S.expand_dims(_as_bool(m), -2))
    parts += [m for m in (causal, window) if m is not None]
    if attention_mask is not None:
        parts.insert(0, _as_bool(attention_mask))
    if not parts:
        return None
    out = parts[0]
    for m in parts[1:]:
        out = E.logical_and(out, m)
    return out


def _as_bool(m: Any) -> Tensor:
    t = m if isinstance(m, Tensor) else _wrap(backend.xp().asarray(m))
    return t if t.dtype.name == "bool" else E.cast(t, "bool")


def dot_product_attention(query: Tensor, key: Tensor, value: Tensor, mask: Any = None, scale: float = 1.0,
                          dropout: Any = None) -> tuple[Tensor, Tensor]:
    """Heads-first attention: query (B, H, T, d), key (B, H, S, d), value (B, H, S, v), mask broadcastable to
    (B, H, T, S). Returns ``softmax(scale * q k^T) v`` (B, H, T, v) and the probabilities (B, H, T, S);
    ``dropout(probs)`` (a callable) drops probabilities before the product."""
    if scale != 1.0:
        query = E.multiply(query, scale)
    probs = masked_softmax(linalg.matmul(query, key, transpose_b=True), mask)
    kept = probs if dropout is None else dropout(probs)
    return linalg.matmul(kept, value), probs
