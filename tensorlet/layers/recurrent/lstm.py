"""LSTM: long short-term memory, gates i, f, c, o (Hochreiter & Schmidhuber, 1997), in Keras' weight layout."""
from __future__ import annotations

from typing import Any

from tensorlet import activations, backend
from tensorlet.autodiff.tensor import Tensor
from tensorlet.backend import Array
from tensorlet.layers.recurrent.base import RNNBase
from tensorlet.layers.recurrent.gate_cell import GateCell, Masks, gate
from tensorlet.ops import elementwise as E
from tensorlet.ops.recurrent import lstm_sequence


class _UnitForgetBias:
    """The bias initializer with ``unit_forget_bias``: the forget-gate block is ones, the others as given."""

    def __init__(self, inner: Any, units: int) -> None:
        self.inner, self.units = inner, units

    def __call__(self, shape: Any, dtype: Any = None) -> Array:
        u, xp = self.units, backend.xp()

        def part(n: int) -> Array:
            v = self.inner((n,), dtype=dtype)
            return backend.asarray(getattr(v, "_value", v))

        return xp.concatenate([part(u), xp.ones((u,), dtype=dtype), part(2 * u)]).astype(dtype)


class LSTMCell(GateCell):
    """The cell of LSTM.

    Per step, with ``z = x_t @ kernel + h @ recurrent_kernel + bias`` split into blocks i, f, c, o::

        i, f, o = recurrent_activation(z_i), recurrent_activation(z_f), recurrent_activation(z_o)
        c = f * c_prev + i * activation(z_c);   h = o * activation(c)

    Weights (Keras order): ``kernel`` (features, 4u), ``recurrent_kernel`` (u, 4u), ``bias`` (4u,). The states
    are ``[h, c]``.

    Args:
        recurrent_activation: activation of the gates ("sigmoid").
        unit_forget_bias: initialize the forget-gate bias to ones (Jozefowicz et al., 2015).
        The other arguments are those of ``GateCell``.
    """

    _gates = 4
    _n_states = 2

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 unit_forget_bias: bool = True, **kwargs: Any) -> None:
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)

    def _bias_init(self) -> Any:
        return _UnitForgetBias(self.bias_initializer, self.units) if self.unit_forget_bias else self.bias_initializer

    def _step(self, x_t: Tensor, states: list[Tensor], rec_masks: Masks) -> list[Tensor]:
        h, c = states
        z = E.add(x_t, self._recurrent(h, rec_masks))
        u, rec = self.units, self.recurrent_activation
        i, f, o = rec(gate(z, 0, u)), rec(gate(z, 1, u)), rec(gate(z, 3, u))
        c = E.add(E.multiply(f, c), E.multiply(i, self.activation(gate(z, 2, u))))
        return [E.multiply(o, self.activation(c)), c]

    def fusable(self) -> bool:  # subclasses with other products (ConvLSTM2DCell) keep the step
        return (type(self) is LSTMCell and self.activation is activations.tanh
                and self.recurrent_activation is activations.sigmoid)

    def sequence(self, x: Tensor, states: list[Tensor],
                 return_sequences: bool) -> tuple[Tensor | None, list[Tensor]]:
        h0, c0 = states
        seq, h, c = lstm_sequence(x, self.kernel, self.recurrent_kernel, self.bias, h0, c0,
                                  return_sequences=return_sequences)
        return seq, [h, c]

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"recurrent_activation": activations.serialize(self.recurrent_activation),
                       "unit_forget_bias": self.unit_forget_bias})
        return config


class LSTM(RNNBase):
    """Long short-term memory layer (the equations and weights of ``LSTMCell``).

    The arguments are those of ``LSTMCell`` and of ``RNN``.

    Example:
        >>> out, h, c = LSTM(4, return_state=True)(np.zeros((2, 5, 3), "float32"))
        >>> c.shape
        TensorShape([2, 4])
    """

    cell_class = LSTMCell

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 unit_forget_bias: bool = True, **kwargs: Any) -> None:
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         unit_forget_bias=unit_forget_bias, **kwargs)

    @classmethod
    def _extra_cell_args(cls) -> tuple[str, ...]:
        return ("recurrent_activation", "unit_forget_bias")
