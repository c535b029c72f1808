"""AdditiveAttention: Bahdanau-style attention, scores ``sum(scale * tanh(query_i + key_j))``."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.attention.attention import Attention
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S


class AdditiveAttention(Attention):
    """Additive attention: scores ``(B, Tq, Tv) = sum over dim of scale * tanh(query[:, i] + key[:, j])``, then as
    ``Attention`` (masks, dropout, ``return_attention_scores``, ``use_causal_mask``).

    Args:
        use_scale: learn a ``scale`` vector of the feature size (glorot-uniform initialized); else scale is 1.
        dropout: dropout rate on the attention weights (training only).

    Example:
        >>> q, v = np.ones((2, 3, 4), "float32"), np.ones((2, 5, 4), "float32")
        >>> AdditiveAttention()([q, v]).shape
        TensorShape([2, 3, 4])
    """

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs: Any) -> None:
        kwargs.pop("score_mode", None)
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape: Any) -> None:
        self._check_inputs(input_shape)
        dim = input_shape[0][-1]
        self.scale = (self.add_weight(name="scale", shape=(dim,), initializer="glorot_uniform")
                      if self.use_scale else None)
        self.concat_score_weight = None
        self.built = True

    def _calculate_scores(self, query: Any, key: Any) -> Any:
        pairs = E.tanh(E.add(S.expand_dims(query, -2), S.expand_dims(key, -3)))
        if self.scale is not None:
            pairs = E.multiply(self.scale, pairs)
        return R.reduce_sum(pairs, axis=-1)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("score_mode", None)
        return config
