"""SimpleRNN: h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.layers.recurrent.base import Masks, RNNBase
from tensorlet.ops import elementwise as E


class SimpleRNN(RNNBase):
    """A fully connected RNN whose output is fed back as the next step's state.

    Weights (Keras order): ``kernel`` (features, units), ``recurrent_kernel`` (units, units), ``bias`` (units,).
    The arguments are those of ``RNNBase``.

    Example:
        >>> layer = SimpleRNN(4)
        >>> layer(np.zeros((2, 5, 3), "float32")).shape
        TensorShape([2, 4])
    """

    def __init__(self, units: int, activation: Any = "tanh", **kwargs: Any) -> None:
        super().__init__(units, activation=activation, **kwargs)

    def _step(self, x_t: Tensor, states: list[Tensor], rec_masks: Masks) -> list[Tensor]:
        return [self.activation(E.add(x_t, self._recurrent(states[0], rec_masks)))]
