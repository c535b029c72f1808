"""RNNBase: SimpleRNN, LSTM and GRU as Keras spells them: an ``RNN`` over its own built-in cell, with the cell's
arguments and the sequence arguments in one flat constructor and config."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.layer import InputSpec, _fmt
from tensorlet.layers.naming import to_snake_case
from tensorlet.layers.recurrent.gate_cell import CELL_ARGS, GateCell, Masks, blend, gate  # noqa: F401
from tensorlet.layers.recurrent.rnn import RNN

SEQUENCE_ARGS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask")


class RNNBase(RNN):
    """Common base of SimpleRNN, LSTM and GRU: ``cell_class`` built from the cell arguments (``GateCell``'s), run by
    ``RNN`` with the sequence arguments (``RNN``'s). The weights (``kernel``, ``recurrent_kernel``, ``bias``) live
    in the cell, where Keras 3 files keep them too (``layers/<name>/cell/vars``)."""

    cell_class: type[GateCell] = GateCell

    def __init__(self, units: int, activation: Any = "tanh", **kwargs: Any) -> None:
        cell_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in CELL_ARGS or k in self._extra_cell_args()}
        kwargs.pop("implementation", None)  # Keras 2's kernel choice: one implementation here
        layer_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in ("trainable", "dtype")}
        cell = self.cell_class(units, activation=activation, name=to_snake_case(self.cell_class.__name__),
                               **cell_kwargs, **layer_kwargs)
        super().__init__(cell, **layer_kwargs, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    @classmethod
    def _extra_cell_args(cls) -> tuple[str, ...]:
        return ()

    def _check_shape(self, input_shape: Any) -> tuple[Any, ...]:
        shape = tuple(input_shape)
        if len(shape) != 3:
            raise ValueError(f'Input 0 of layer "{self.name}" ({type(self).__name__}) is incompatible with the '
                             f"layer: expected ndim=3 (batch, timesteps, features), found ndim={len(shape)}. "
                             f"Full shape received: {_fmt(shape)}")
        return shape

    def __getattr__(self, name: str) -> Any:
        # the cell's arguments and weights read through the layer (layer.units, layer.kernel...), as in Keras
        if name in CELL_ARGS or name in type(self)._extra_cell_args() or name in (
                "kernel", "recurrent_kernel", "bias", "_gates", "_n_states", "recurrent_activation"):
            cell = self.__dict__.get("cell")
            if cell is not None:
                return getattr(cell, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def get_config(self) -> dict[str, Any]:
        config = RNN.get_config(self)
        config.pop("cell", None)
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config.update(cell_config)
        from tensorlet.saving.serialization import serialize_keras_object

        config["activity_regularizer"] = serialize_keras_object(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> RNNBase:
        return cls(**config)
