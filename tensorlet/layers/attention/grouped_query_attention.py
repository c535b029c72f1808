"""GroupQueryAttention (Ainslie et al., 2023): query heads share fewer key/value heads (Keras 3)."""
from __future__ import annotations

import math
from typing import Any

from tensorlet import constraints, initializers, regularizers
from tensorlet.layers.activation_layers import Softmax
from tensorlet.layers.attention.query_value import QueryValueAttention, as_input
from tensorlet.layers.regularization.dropout import Dropout
from tensorlet.ops import attention as A
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S
from tensorlet.ops.fused_attention import scaled_dot_product_attention


class GroupedQueryAttention(QueryValueAttention):
    """Grouped-query attention: ``num_query_heads`` query heads, each group of ``num_query_heads //
    num_key_value_heads`` of them attending with one shared key/value head.

    Weights (Keras 3 layout, EinsumDense sublayers ``query``, ``key``, ``value``, ``attention_output``): query kernel
    ``(dim, num_query_heads, head_dim)``, key and value kernels ``(dim, num_key_value_heads, head_dim)``, biases
    without the first axis, output kernel ``(num_query_heads, head_dim, dim)`` and bias ``(dim,)``.

    Args:
        head_dim: the size of each head.
        num_query_heads: the number of query heads.
        num_key_value_heads: the number of key and value heads (divides ``num_query_heads``).
        dropout, use_bias, use_gate, sliding_window, initializers, regularizers, constraints, seed: as in
        ``MultiHeadAttention``.

    Call arguments: those of ``MultiHeadAttention``; the scores are (B, num_query_heads, T, S).

    Keras 3 names the class GroupedQueryAttention and exports it (and writes its configs) as GroupQueryAttention.

    Example:
        >>> gqa = GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
        >>> gqa(np.zeros((2, 5, 8), "float32"), np.zeros((2, 3, 8), "float32")).shape
        TensorShape([2, 5, 8])
    """

    _keras_class_name = "GroupQueryAttention"  # the class name Keras 3 writes in configs

    def __init__(self, head_dim: int, num_query_heads: int, num_key_value_heads: int, dropout: float = 0.0,
                 use_bias: bool = True, sliding_window: int | None = None, flash_attention: Any = None,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, use_gate: bool = False,
                 seed: int | None = None, **kwargs: Any) -> None:
        for arg, v in (("head_dim", head_dim), ("num_query_heads", num_query_heads),
                       ("num_key_value_heads", num_key_value_heads)):
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                raise ValueError(f"GroupQueryAttention: `{arg}` must be a positive integer. Received: {arg}={v!r}")
        if num_query_heads % num_key_value_heads:
            raise ValueError(f"GroupQueryAttention: `num_query_heads` ({num_query_heads}) must be divisible by "
                             f"`num_key_value_heads` ({num_key_value_heads})")
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(f"GroupQueryAttention: `dropout` must be in [0, 1). Received: dropout={dropout!r}")
        if sliding_window is not None and (not isinstance(sliding_window, int) or sliding_window <= 0):
            raise ValueError(f"GroupQueryAttention: `sliding_window` must be None or a positive integer. "
                             f"Received: sliding_window={sliding_window!r}")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.head_dim, self.num_query_heads, self.num_key_value_heads = head_dim, num_query_heads, num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout, self.use_bias, self.use_gate = float(dropout), bool(use_bias), bool(use_gate)
        self.sliding_window = sliding_window
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._scale = 1.0 / math.sqrt(float(head_dim))

    def build(self, query_shape: Any, value_shape: Any = None, key_shape: Any = None) -> None:
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(f'Layer "{self.name}" (GroupQueryAttention): the last axes of query and value must be '
                             f"equal, got query_shape={tuple(query_shape)} and value_shape={tuple(value_shape)}")
        self.feature_dim = query_shape[-1]
        q_heads, kv_heads, d = self.num_query_heads, self.num_key_value_heads, self.head_dim
        self._query_dense = self._dense("bqm,muh->bquh", (None, q_heads, d), "uh", "query", query_shape)
        self._key_dense = self._dense("bkm,mvh->bkvh", (None, kv_heads, d), "vh", "key", key_shape)
        if self.use_gate:
            self._gate_dense = self._dense("bqm,muh->bquh", (None, q_heads, d), "uh", "gate", query_shape,
                                           activation="sigmoid")
        self._value_dense = self._dense("bkm,mvh->bkvh", (None, kv_heads, d), "vh", "value", value_shape)
        self._softmax_layer = Softmax(axis=-1, name="softmax", dtype=self.dtype)  # a group of Keras weight files
        self._dropout_layer = Dropout(self.dropout, seed=self.seed, name="dropout", dtype=self.dtype)
        self._output_dense = self._dense("bquh,uhm->bqm", (None, self.feature_dim), "m", "attention_output",
                                         (None, None, q_heads, d))
        self.built = True

    def _keras_weight_children(self) -> list[tuple[str, Any]]:  # the groups of Keras 3 weight files
        children = [("_query_dense", self._query_dense), ("_key_dense", self._key_dense),
                    ("_value_dense", self._value_dense), ("_output_dense", self._output_dense)]
        if self.use_gate:
            children.append(("_gate_dense", self._gate_dense))
        return children + [("_softmax", self._softmax_layer), ("_dropout_layer", self._dropout_layer)]

    def call(self, query: Any, value: Any, key: Any = None, query_mask: Any = None, value_mask: Any = None,
             key_mask: Any = None, attention_mask: Any = None, return_attention_scores: bool = False,
             training: Any = None, use_causal_mask: bool = False) -> Any:
        value = as_input(value, self.dtype)
        key = value if key is None else as_input(key, self.dtype)
        mask = self._attention_mask(query, value, query_mask, value_mask, key_mask, attention_mask,
                                    use_causal_mask, self.sliding_window)
        q = S.transpose(self._query_dense(query), (0, 2, 1, 3))  # (B, heads, T, d)
        k, v = (S.transpose(self._repeat(t), (0, 2, 1, 3)) for t in (self._key_dense(key), self._value_dense(value)))

        def dropout(p: Any) -> Any:
            return self._dropout_layer(p, training=training) if self.dropout > 0 else p

        heads_mask = None if mask is None else S.expand_dims(mask, -3)
        if not return_attention_scores and self.dropout == 0:  # the probabilities stay inside the fused op
            out = scaled_dot_product_attention(q, k, v, mask=heads_mask, scale=self._scale,
                                               fill=A.large_negative(q.dtype))
        else:
            out, scores = A.dot_product_attention(q, k, v, heads_mask, scale=self._scale, dropout=dropout)
        out = S.transpose(out, (0, 2, 1, 3))
        if self.use_gate:
            out = E.multiply(out, self._gate_dense(query))
        out = self._output_dense(out)
        return (out, scores) if return_attention_scores else out

    def _repeat(self, x: Any) -> Any:
        """(B, S, kv_heads, d) -> (B, S, query_heads, d), each key/value head repeated for its query group."""
        if self.num_repeats == 1:
            return x
        b, s, h, d = x._value.shape
        return S.reshape(S.tile(S.expand_dims(x, 3), (1, 1, 1, self.num_repeats, 1)), (b, s, h * self.num_repeats, d))

    def compute_output_shape(self, query_shape: Any, value_shape: Any = None, key_shape: Any = None) -> Any:
        return tuple(query_shape)

    def _scores_shape(self, query_shape: tuple[Any, ...], key_shape: tuple[Any, ...]) -> tuple[Any, ...]:
        return (query_shape[0], self.num_query_heads, query_shape[1], key_shape[1])

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({
            "head_dim": self.head_dim, "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads, "use_bias": self.use_bias, "use_gate": self.use_gate,
            "sliding_window": self.sliding_window, "dropout": self.dropout,
            "kernel_initializer": ser(self.kernel_initializer), "bias_initializer": ser(self.bias_initializer),
            "kernel_regularizer": ser(self.kernel_regularizer), "bias_regularizer": ser(self.bias_regularizer),
            "activity_regularizer": ser(self.activity_regularizer),
            "kernel_constraint": ser(self.kernel_constraint), "bias_constraint": ser(self.bias_constraint),
            "seed": self.seed})
        return config


GroupQueryAttention = GroupedQueryAttention
