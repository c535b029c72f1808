"""Attention: dot-product (Luong-style) attention over ``[query, value]`` or ``[query, value, key]``."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.layers import masking
from tensorlet.layers.layer import Layer, _to_tensors
from tensorlet.layers.node import KerasTensor, Node
from tensorlet.layers.regularization.dropout import DropoutMask
from tensorlet.ops import attention as A
from tensorlet.ops import elementwise as E
from tensorlet.ops import linalg
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S


class Attention(Layer):
    """Dot-product attention: ``softmax(scores(query, key)) @ value``.

    Scores are ``query @ key^T`` (times a learned ``scale`` with ``use_scale``), or with ``score_mode="concat"``
    ``concat_score_weight * sum(tanh(scale * (query_i + key_j)))``. Masked value steps get no weight; the output
    at masked query steps is 0 and carries the query's mask.

    Args:
        use_scale: learn a scalar ``scale`` (initialized to 1).
        score_mode: "dot" or "concat".
        dropout: dropout rate on the attention weights (training only).
        seed: an int for reproducible dropout.

    Call arguments: ``inputs = [query (B, Tq, dim), value (B, Tv, dim)]`` or ``[query, value, key]``, ``mask =
    [query_mask, value_mask]`` (taken from the inputs' Keras masks when omitted), ``training``,
    ``return_attention_scores``, ``use_causal_mask``.

    Example:
        >>> q, v = np.ones((2, 3, 4), "float32"), np.ones((2, 5, 4), "float32")
        >>> Attention()([q, v]).shape
        TensorShape([2, 3, 4])
    """

    def __init__(self, use_scale: bool = False, score_mode: str = "dot", dropout: float = 0.0,
                 seed: int | None = None, causal: bool | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(f'{type(self).__name__}: `score_mode` must be "dot" or "concat". Received: '
                             f"score_mode={score_mode!r}")
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(f"{type(self).__name__}: `dropout` must be in [0, 1). Received: dropout={dropout!r}")
        self.use_scale, self.score_mode, self.dropout, self.seed = bool(use_scale), score_mode, float(dropout), seed
        self.causal = bool(causal) if causal is not None else None  # Keras 2's init-time use_causal_mask
        self._rng = None if seed is None else backend.xp().random.default_rng(seed)
        self.supports_masking = True

    def _check_inputs(self, inputs: Any, mask: Any = None) -> None:
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)) or not 2 <= len(inputs) <= 3:
            raise ValueError(f'Layer "{self.name}" ({name}) must be called on a list of inputs, [query, value] or '
                             f"[query, value, key]. Received: {type(inputs).__name__} of length "
                             f"{len(inputs) if isinstance(inputs, (list, tuple)) else 1}")
        if mask is not None and (not isinstance(mask, (list, tuple)) or not 2 <= len(mask) <= 3):
            raise ValueError(f'Layer "{self.name}" ({name}): `mask` must be a list [query_mask, value_mask]. '
                             f"Received: mask={mask!r}")

    def build(self, input_shape: Any) -> None:
        self._check_inputs(input_shape)
        self.scale = self.add_weight(name="scale", shape=(), initializer="ones") if self.use_scale else None
        self.concat_score_weight = (self.add_weight(name="concat_score_weight", shape=(), initializer="ones")
                                    if self.score_mode == "concat" else None)
        self.built = True

    def _calculate_scores(self, query: Any, key: Any) -> Any:
        """(B, Tq, dim), (B, Tv, dim) -> scores (B, Tq, Tv)."""
        if self.score_mode == "dot":
            scores = linalg.matmul(query, key, transpose_b=True)
            return scores if self.scale is None else E.multiply(scores, self.scale)
        pairs = E.add(S.expand_dims(query, -2), S.expand_dims(key, -3))
        if self.scale is not None:
            pairs = E.multiply(self.scale, pairs)
        return E.multiply(self.concat_score_weight, R.reduce_sum(E.tanh(pairs), axis=-1))

    def call(self, inputs: Any, mask: Any = None, training: Any = None, return_attention_scores: bool = False,
             use_causal_mask: bool = False) -> Any:
        self._check_inputs(inputs, mask)
        q, v = inputs[0], _to_tensors(inputs[1], self.dtype)
        k = _to_tensors(inputs[2], self.dtype) if len(inputs) > 2 else v
        q_mask, v_mask = (mask[0], mask[1]) if mask else (None, None)
        scores = self._calculate_scores(q, k)
        causal = A.causal_mask(scores._value.shape[-2], scores._value.shape[-1]) \
            if (use_causal_mask or self.causal) else None
        score_mask = A.merge_attention_masks(value_mask=v_mask, causal=causal)
        weights = A.masked_softmax(scores, score_mask)
        kept = DropoutMask(self.dropout, self._rng)(weights) if training and self.dropout > 0 else weights
        out = linalg.matmul(kept, v)
        if q_mask is not None:  # masked query steps give 0
            out = E.multiply(out, S.expand_dims(E.cast(q_mask, out.dtype), -1))
        return (out, weights) if return_attention_scores else out

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def compute_output_shape(self, input_shape: Any) -> Any:
        return tuple(input_shape[0][:-1]) + (input_shape[1][-1],)

    def _call_symbolic(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        self._check_inputs(inputs)
        shapes = [tuple(t.shape) for t in inputs]
        self._maybe_build(shapes)
        outputs: Any = KerasTensor(self.compute_output_shape(shapes), self.dtype)
        if kwargs.get("return_attention_scores"):
            key = shapes[2] if len(shapes) > 2 else shapes[1]
            outputs = (outputs, KerasTensor(tuple(shapes[0][:-1]) + (key[-2],), self.dtype))
        Node(self, inputs, outputs, args, kwargs)
        masking.attach_symbolic_masks(self, inputs, outputs, kwargs)
        return outputs

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode, "dropout": self.dropout,
                       "seed": self.seed})
        if self.causal is not None:
            config["causal"] = self.causal
        return config
