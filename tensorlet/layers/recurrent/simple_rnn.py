"""SimpleRNN: h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.layers.recurrent.base import RNNBase
from tensorlet.layers.recurrent.gate_cell import GateCell, Masks
from tensorlet.ops import elementwise as E


class SimpleRNNCell(GateCell):
    """The cell of SimpleRNN: one state ``h``. Weights (Keras order): ``kernel`` (features, units),
    ``recurrent_kernel`` (units, units), ``bias`` (units,). The arguments are those of ``GateCell``."""

    def _step(self, x_t: Tensor, states: list[Tensor], rec_masks: Masks) -> list[Tensor]:
        return [self.activation(E.add(x_t, self._recurrent(states[0], rec_masks)))]


class SimpleRNN(RNNBase):
    """A fully connected RNN whose output is fed back as the next step's state.

    The arguments are those of ``SimpleRNNCell`` (``GateCell``) and of ``RNN``.

    Example:
        >>> layer = SimpleRNN(4)
        >>> layer(np.zeros((2, 5, 3), "float32")).shape
        TensorShape([2, 4])
    """

    cell_class = SimpleRNNCell

    def __init__(self, units: int, activation: Any = "tanh", **kwargs: Any) -> None:
        super().__init__(units, activation=activation, **kwargs)
