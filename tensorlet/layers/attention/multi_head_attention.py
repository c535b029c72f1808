"""MultiHeadAttention (Vaswani et al., 2017) in Keras' weight layout."""
from __future__ import annotations

import math
import string
from typing import Any, cast

from tensorlet import constraints, initializers, regularizers
from tensorlet.layers.activation_layers import Softmax
from tensorlet.layers.attention.query_value import QueryValueAttention, as_input
from tensorlet.layers.core.einsum_dense import EinsumDense
from tensorlet.layers.regularization.dropout import Dropout
from tensorlet.ops import attention as A
from tensorlet.ops import einsum as einsum_ops
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S
from tensorlet.ops.fused_attention import scaled_dot_product_attention


def projection_equation(free: int, bound: int, out: int) -> tuple[str, str]:
    """An einsum projecting ``free`` passed-through axes and ``bound`` contracted axes to ``out`` new axes:
    ``("abc,cde->abde", "de")`` for (2, 1, 2); the second item names the new axes (the bias axes)."""
    letters = string.ascii_lowercase
    kept, contracted, new = letters[:free], letters[free:free + bound], letters[free + bound:free + bound + out]
    return f"{kept}{contracted},{contracted}{new}->{kept}{new}", new


def attention_equations(rank: int, attention_axes: tuple[int, ...]) -> tuple[str, str, int]:
    """Einsums for attention over ``attention_axes`` of projected tensors of ``rank`` (batch, ..., heads, dim):
    the scores ``key, query -> (batch dims, heads, query attention axes, key attention axes)`` and the combination
    ``scores, value -> query layout``; plus the rank of the scores."""
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch = [i for i in range(rank - 1) if i not in attention_axes]  # batch, other axes and the heads axis
    extra = iter(letters[rank:])
    source = "".join(target[i] if i in batch or i == rank - 1 else next(extra) for i in range(rank))
    product = "".join([target[i] for i in batch] + [target[i] for i in attention_axes] +
                      [source[i] for i in attention_axes])
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


class MultiHeadAttention(QueryValueAttention):
    """Multi-head attention: ``num_heads`` scaled dot-product attentions over projected query, key and value,
    projected back by an output layer.

    ``attention(q, k, v) = softmax(q k^T / sqrt(key_dim)) v`` per head, with masked pairs excluded. Weights, in
    Keras' layout (sublayers ``query``, ``key``, ``value``, ``attention_output`` of type EinsumDense): query/key
    kernels ``(query_dim, num_heads, key_dim)`` and biases ``(num_heads, key_dim)``, value kernel
    ``(value_dim_in, num_heads, value_dim)``, output kernel ``(num_heads, value_dim, output_dim)`` and bias
    ``(output_dim,)``.

    Args:
        num_heads: the number of heads.
        key_dim: the size of each head for query and key.
        value_dim: the size of each head for value (default: key_dim).
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases.
        output_shape: the last axes of the output (default: the query's last axis).
        attention_axes: the axes attention runs over (default: all axes but batch, heads and features).
        use_gate: gate the heads' outputs with a sigmoid projection of the query (Keras 3).
        sliding_window: attend only to keys within this distance (Keras 3).
        kernel/bias initializers, regularizers and constraints, seed: as in Keras.

    Call arguments: ``query (B, T, dim)``, ``value (B, S, dim)``, ``key`` (default: value), ``attention_mask``
    (B, T, S) (True: attend), ``return_attention_scores`` (also return the (B, heads, T, S) probabilities),
    ``training``, ``use_causal_mask`` (step t attends to steps <= t). Keras masks of the inputs are applied.

    Example:
        >>> mha = MultiHeadAttention(num_heads=2, key_dim=4)
        >>> x = np.zeros((3, 5, 8), "float32")
        >>> out, scores = mha(x, x, return_attention_scores=True)
        >>> out.shape, scores.shape
        (TensorShape([3, 5, 8]), TensorShape([3, 2, 5, 5]))
    """

    def __init__(self, num_heads: int, key_dim: int, value_dim: int | None = None, dropout: float = 0.0,
                 use_bias: bool = True, output_shape: Any = None, attention_axes: Any = None,
                 sliding_window: int | None = None, flash_attention: Any = None,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, use_gate: bool = False,
                 seed: int | None = None, **kwargs: Any) -> None:
        for arg, v in (("num_heads", num_heads), ("key_dim", key_dim)):
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                raise ValueError(f"MultiHeadAttention: `{arg}` must be a positive integer. Received: {arg}={v!r}")
        if value_dim is not None and (isinstance(value_dim, bool) or not isinstance(value_dim, int) or value_dim <= 0):
            raise ValueError(f"MultiHeadAttention: `value_dim` must be a positive integer or None. Received: "
                             f"value_dim={value_dim!r}")
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(f"MultiHeadAttention: `dropout` must be in [0, 1). Received: dropout={dropout!r}")
        if sliding_window is not None and (not isinstance(sliding_window, int) or sliding_window <= 0):
            raise ValueError(f"MultiHeadAttention: `sliding_window` must be None or a positive integer. Received: "
                             f"sliding_window={sliding_window!r}")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.num_heads, self.key_dim = num_heads, key_dim
        self.value_dim = value_dim or key_dim
        self.dropout, self.use_bias, self.use_gate = float(dropout), bool(use_bias), bool(use_gate)
        if output_shape is not None and output_shape != []:
            output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self._output_shape = output_shape or None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(f"MultiHeadAttention: `attention_axes` must be an int, list or tuple. Received: "
                             f"attention_axes={attention_axes!r}")
        self.attention_axes = None if attention_axes is None else tuple(attention_axes)
        self.sliding_window = sliding_window
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._scale = 1.0 / math.sqrt(float(key_dim))

    # -- weights ---------------------------------------------------------------------------------------------
    def build(self, query_shape: Any, value_shape: Any = None, key_shape: Any = None) -> None:
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        heads = [self.num_heads, self.key_dim]
        eq, bias = projection_equation(len(query_shape) - 1, 1, 2)
        free = [None] * (len(query_shape) - 2)
        self._query_dense = self._dense(eq, free + heads, bias, "query", query_shape)
        eq, bias = projection_equation(len(key_shape) - 1, 1, 2)
        self._key_dense = self._dense(eq, [None] * (len(key_shape) - 2) + heads, bias, "key", key_shape)
        if self.use_gate:
            eq, bias = projection_equation(len(query_shape) - 1, 1, 2)
            self._gate_dense = self._dense(eq, free + [self.num_heads, self.value_dim], bias, "gate", query_shape,
                                           activation="sigmoid")
        eq, bias = projection_equation(len(value_shape) - 1, 1, 2)
        self._value_dense = self._dense(eq, [None] * (len(value_shape) - 2) + [self.num_heads, self.value_dim],
                                        bias, "value", value_shape)
        rank = len(query_shape) + 1  # of the projected tensors: (batch, ..., heads, dim)
        axes = tuple(range(1, rank - 2)) if self.attention_axes is None else \
            tuple(a if a >= 0 else rank - 1 + a for a in self.attention_axes)
        self.attention_axes = axes
        self._dot_equation, self._combine_equation, scores_rank = attention_equations(rank, axes)
        self._norm_axes = tuple(range(scores_rank - len(axes), scores_rank))
        self._fast = axes == (1,) and rank == 4  # (B, T, heads, dim): heads-first matmuls
        self._softmax_layer = Softmax(axis=self._norm_axes, name="softmax", dtype=self.dtype)  # for weight files
        self._dropout_layer = Dropout(self.dropout, seed=self.seed, name="dropout", dtype=self.dtype)
        out_dims = list(self._output_shape) if self._output_shape else [query_shape[-1]]
        eq, bias = projection_equation(len(query_shape) - 1, 2, len(out_dims))
        self._output_dense = self._dense(eq, free + out_dims, bias, "attention_output",
                                         tuple(query_shape[:-1]) + (self.num_heads, self.value_dim))
        self.built = True

    def _keras_weight_children(self) -> list[tuple[str, Any]]:  # the groups of Keras 3 weight files
        children = [("query_dense", self._query_dense), ("key_dense", self._key_dense),
                    ("value_dense", self._value_dense), ("output_dense", self._output_dense)]
        if self.use_gate:
            children.append(("_gate_dense", self._gate_dense))
        return children + [("_softmax", self._softmax_layer), ("_dropout_layer", self._dropout_layer)]

    @property
    def query_dense(self) -> EinsumDense:
        return self._query_dense

    @property
    def key_dense(self) -> EinsumDense:
        return self._key_dense

    @property
    def value_dense(self) -> EinsumDense:
        return self._value_dense

    @property
    def output_dense(self) -> EinsumDense:
        return self._output_dense

    # -- the computation -------------------------------------------------------------------------------------
    def call(self, query: Any, value: Any, key: Any = None, query_mask: Any = None, value_mask: Any = None,
             key_mask: Any = None, attention_mask: Any = None, return_attention_scores: bool = False,
             training: Any = None, use_causal_mask: bool = False) -> Any:
        value = as_input(value, self.dtype)
        key = value if key is None else as_input(key, self.dtype)
        mask = self._attention_mask(query, value, query_mask, value_mask, key_mask, attention_mask,
                                    use_causal_mask, self.sliding_window)
        q, k, v = self._query_dense(query), self._key_dense(key), self._value_dense(value)
        if self._fast and not return_attention_scores and self.dropout == 0:  # the probabilities stay inside
            qh, kh, vh = (S.transpose(t, (0, 2, 1, 3)) for t in (q, k, v))
            out = scaled_dot_product_attention(qh, kh, vh, mask=None if mask is None else S.expand_dims(mask, -3),
                                               scale=self._scale, fill=A.large_negative(q.dtype))
            out = S.transpose(out, (0, 2, 1, 3))
        else:
            out, scores = self._compute_attention(q, k, v, mask, training)
        if self.use_gate:
            out = E.multiply(out, self._gate_dense(query))
        out = self._output_dense(out)
        return (out, scores) if return_attention_scores else out

    def _compute_attention(self, query: Any, key: Any, value: Any, attention_mask: Any = None,
                           training: Any = None) -> tuple[Any, Any]:
        """Attention of projected (B, ..., heads, dim) tensors; returns the combined values in the query's layout
        and the probabilities (B, ..., heads, query axes, key axes)."""
        def dropout(p: Any) -> Any:
            return self._dropout_layer(p, training=training) if self.dropout > 0 else p

        if self._fast:  # (B, T, H, d) -> (B, H, T, d): two batched matmuls
            q, k, v = (S.transpose(t, (0, 2, 1, 3)) for t in (query, key, value))
            mask = None if attention_mask is None else S.expand_dims(attention_mask, -3)
            out, probs = A.dot_product_attention(q, k, v, mask=mask, scale=self._scale, dropout=dropout)
            return S.transpose(out, (0, 2, 1, 3)), probs
        query = E.multiply(query, self._scale)
        scores = einsum_ops.einsum(self._dot_equation, key, query)
        mask = attention_mask
        if mask is not None:  # (B, T.., S..) -> one axis per batch-like axis of the scores, before the query axes
            axis = -len(cast(tuple, self.attention_axes)) * 2 - 1  # build() has set the axes
            while mask.ndim < scores.ndim:
                mask = S.expand_dims(mask, axis)
        probs = A.masked_softmax(scores, mask, axis=self._norm_axes)
        return einsum_ops.einsum(self._combine_equation, dropout(probs), value), probs

    # -- shapes and config -----------------------------------------------------------------------------------
    def compute_output_shape(self, query_shape: Any, value_shape: Any = None, key_shape: Any = None) -> Any:
        query_shape = tuple(query_shape)
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def _scores_shape(self, query_shape: tuple[Any, ...], key_shape: tuple[Any, ...]) -> tuple[Any, ...]:
        rank = len(query_shape) + 1
        axes = self.attention_axes if self.attention_axes is not None else tuple(range(1, rank - 2))
        others = [query_shape[i] for i in range(1, len(query_shape) - 1) if i not in axes]
        return ((query_shape[0], *others, self.num_heads) + tuple(query_shape[a] for a in axes) +
                tuple(key_shape[a] for a in axes))

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({
            "num_heads": self.num_heads, "key_dim": self.key_dim, "value_dim": self.value_dim,
            "dropout": self.dropout, "use_bias": self.use_bias, "use_gate": self.use_gate,
            "output_shape": list(self._output_shape) if self._output_shape else None,
            "attention_axes": list(self.attention_axes) if self.attention_axes is not None else None,
            "sliding_window": self.sliding_window,
            "kernel_initializer": ser(self.kernel_initializer), "bias_initializer": ser(self.bias_initializer),
            "kernel_regularizer": ser(self.kernel_regularizer), "bias_regularizer": ser(self.bias_regularizer),
            "activity_regularizer": ser(self.activity_regularizer),
            "kernel_constraint": ser(self.kernel_constraint), "bias_constraint": ser(self.bias_constraint),
            "seed": self.seed})
        return config
