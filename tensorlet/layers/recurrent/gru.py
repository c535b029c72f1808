"""GRU: gated recurrent unit, gates z (update), r (reset), h (candidate), in Keras' weight layout."""
from __future__ import annotations

from typing import Any

from tensorlet import activations, backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.layers.recurrent.base import RNNBase
from tensorlet.layers.recurrent.gate_cell import GateCell, Masks, blend, gate
from tensorlet.ops import elementwise as E
from tensorlet.ops import linalg
from tensorlet.ops import shape as S
from tensorlet.ops.recurrent import gru_sequence


class GRUCell(GateCell):
    """The cell of GRU (Cho et al., 2014).

    Per step, with blocks z, r, h of ``x_t @ kernel + b_in`` (``xz, xr, xh``) and of the recurrent kernel::

        z = recurrent_activation(xz + h_prev @ U_z + b_rz);   r = recurrent_activation(xr + h_prev @ U_r + b_rr)
        reset_after=True:  hh = activation(xh + r * (h_prev @ U_h + b_rh))
        reset_after=False: hh = activation(xh + (r * h_prev) @ U_h)
        h = z * h_prev + (1 - z) * hh

    Weights (Keras order): ``kernel`` (features, 3u), ``recurrent_kernel`` (u, 3u), ``bias`` (2, 3u) with
    ``reset_after`` (row 0 the input bias, row 1 the recurrent bias), else (3u,).

    Args:
        recurrent_activation: activation of the gates ("sigmoid").
        reset_after: apply the reset gate after the recurrent matmul (Keras 2.x and 3 default, CuDNN-compatible).
        The other arguments are those of ``GateCell``.
    """

    _gates = 3

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 reset_after: bool = True, **kwargs: Any) -> None:
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)

    def _bias_shape(self) -> tuple[int, ...]:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _input_bias(self) -> Any:
        if self.bias is None or not self.reset_after:
            return self.bias
        return S.getitem(self.bias, 0)

    def _step(self, x_t: Tensor, states: list[Tensor], rec_masks: Masks) -> list[Tensor]:
        (h,) = states
        u, rec = self.units, self.recurrent_activation
        if self.reset_after:
            hu = self._recurrent(h, rec_masks)
            if self.bias is not None:
                hu = E.add(hu, S.getitem(self.bias, 1))
            z, r = rec(E.add(gate(x_t, 0, u), gate(hu, 0, u))), rec(E.add(gate(x_t, 1, u), gate(hu, 1, u)))
            hh = self.activation(E.add(gate(x_t, 2, u), E.multiply(r, gate(hu, 2, u))))
        else:
            masks = rec_masks * 3 if rec_masks is not None and len(rec_masks) == 1 else rec_masks
            hz, hr, hm = [h] * 3 if masks is None else [E.multiply(h, m) for m in masks]
            kernel = self.recurrent_kernel
            z = rec(E.add(gate(x_t, 0, u), linalg.matmul(hz, gate(kernel, 0, u))))
            r = rec(E.add(gate(x_t, 1, u), linalg.matmul(hr, gate(kernel, 1, u))))
            hh = self.activation(E.add(gate(x_t, 2, u), linalg.matmul(E.multiply(r, hm), gate(kernel, 2, u))))
        return [blend(z, h, hh)]  # z * h + (1 - z) * hh

    def fusable(self) -> bool:
        return (type(self) is GRUCell and self.reset_after and self.activation is activations.tanh
                and self.recurrent_activation is activations.sigmoid)

    def sequence(self, x: Tensor, states: list[Tensor],
                 return_sequences: bool) -> tuple[Tensor | None, list[Tensor]]:
        xw = self.project(x, None)
        bias = (S.getitem(self.bias, 1) if self.bias is not None
                else _wrap(backend.xp().zeros((3 * self.units,), dtype=xw._value.dtype)))
        seq, h = gru_sequence(xw, self.recurrent_kernel, bias, states[0])
        return seq, [h]

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"recurrent_activation": activations.serialize(self.recurrent_activation),
                       "reset_after": self.reset_after})
        return config


class GRU(RNNBase):
    """Gated recurrent unit layer (the equations and weights of ``GRUCell``).

    The arguments are those of ``GRUCell`` and of ``RNN``.

    Example:
        >>> GRU(4, return_sequences=True)(np.zeros((2, 5, 3), "float32")).shape
        TensorShape([2, 5, 4])
    """

    cell_class = GRUCell

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 reset_after: bool = True, **kwargs: Any) -> None:
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         reset_after=reset_after, **kwargs)

    @classmethod
    def _extra_cell_args(cls) -> tuple[str, ...]:
        return ("recurrent_activation", "reset_after")
