"""Bidirectional: run a recurrent layer forwards and a copy of it backwards over the sequence, then merge."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.layer import Layer
from tensorlet.layers.recurrent.rnn import RNN
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S

MERGE_MODES = ("concat", "sum", "mul", "ave", None)


class Bidirectional(Layer):
    """Bidirectional wrapper of a SimpleRNN, LSTM or GRU.

    The forward layer is a copy of ``layer`` named ``forward_<name>``; the backward one is ``backward_layer`` or
    a copy with ``go_backwards`` flipped, named ``backward_<name>``. With ``return_sequences`` the backward
    outputs are put back in time order before merging. ``merge_mode``: "concat" (last axis), "sum", "mul",
    "ave", or None (a list of the two outputs). With ``return_state`` the states follow the merged output:
    the forward layer's, then the backward layer's. Weights: the forward layer's, then the backward layer's.
    """

    def __init__(self, layer: Any, merge_mode: str | None = "concat", weights: Any = None,
                 backward_layer: Any = None, **kwargs: Any) -> None:
        if not isinstance(layer, RNN):
            raise ValueError("Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU or RNN); received "
                             f"layer={layer!r}")
        if merge_mode not in MERGE_MODES:
            raise ValueError(f"Bidirectional: invalid merge_mode {merge_mode!r}; expected one of {list(MERGE_MODES)}")
        super().__init__(**kwargs)
        config = layer.get_config()
        self.forward_layer = type(layer).from_config({**config, "name": f"forward_{config['name']}"})
        if backward_layer is None:
            back = {**config, "name": f"backward_{config['name']}", "go_backwards": not layer.go_backwards}
            self.backward_layer = type(layer).from_config(back)
        else:
            if not isinstance(backward_layer, RNN):
                raise ValueError(f"Bidirectional: backward_layer must be a recurrent layer, got {backward_layer!r}")
            for attr in ("return_sequences", "return_state"):
                if getattr(backward_layer, attr) != getattr(layer, attr):
                    raise ValueError(f"Bidirectional: backward_layer.{attr}={getattr(backward_layer, attr)} "
                                     f"differs from layer.{attr}={getattr(layer, attr)}")
            self.backward_layer = backward_layer
        for rnn in (self.forward_layer, self.backward_layer):  # Keras: masked steps of a sequence output are 0
            rnn.zero_output_for_mask = rnn.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = weights
        self.supports_masking = True

    @property
    def return_sequences(self) -> bool:
        return bool(self.forward_layer.return_sequences)

    @property
    def return_state(self) -> bool:
        return bool(self.forward_layer.return_state)

    def _keras_weight_children(self) -> list[tuple[str, Any]]:  # the layout of Keras 3 weight files
        return [("forward_layer", self.forward_layer), ("backward_layer", self.backward_layer)]

    def build(self, input_shape: Any) -> None:
        for layer in (self.forward_layer, self.backward_layer):
            if not layer.built:  # a deserialized backward_layer may arrive built (Keras 3 writes its build_config)
                layer.build(input_shape)
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def call(self, inputs: Any, training: Any = None, mask: Any = None, initial_state: Any = None) -> Any:
        f_init = b_init = None
        if initial_state is not None:
            given = list(initial_state)
            half = len(given) // 2
            f_init, b_init = given[:half], given[half:]
        fwd = self.forward_layer(inputs, training=training, mask=mask, initial_state=f_init)
        bwd = self.backward_layer(inputs, training=training, mask=mask, initial_state=b_init)
        states: list[Any] = []
        if self.return_state:
            states = list(fwd[1:]) + list(bwd[1:])
            fwd, bwd = fwd[0], bwd[0]
        if self.return_sequences and self.backward_layer.go_backwards != self.forward_layer.go_backwards:
            bwd = S.getitem(bwd, (slice(None), slice(None, None, -1)))  # back in time order
        out = self._merge(fwd, bwd)
        if self.return_state:
            return (out if isinstance(out, list) else [out]) + states
        return out

    def _merge(self, a: Any, b: Any) -> Any:
        mode = self.merge_mode
        if mode == "concat":
            return S.concat([a, b], axis=-1)
        if mode == "sum":
            return E.add(a, b)
        if mode == "mul":
            return E.multiply(a, b)
        if mode == "ave":
            return E.multiply(E.add(a, b), 0.5)
        return [a, b]

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        out = mask if self.return_sequences else None
        outs: list[Any] = [out, out] if self.merge_mode is None else [out]
        if self.return_state:
            return outs + [None] * (len(self.forward_layer._flat_state_sizes()) * 2)
        return outs if self.merge_mode is None else out

    def compute_output_shape(self, input_shape: Any) -> Any:
        f = self.forward_layer.compute_output_shape(input_shape)
        b = self.backward_layer.compute_output_shape(input_shape)
        f_out, f_states = (f[0], list(f[1:])) if self.return_state else (f, [])
        b_out, b_states = (b[0], list(b[1:])) if self.return_state else (b, [])
        if self.merge_mode == "concat":
            out: Any = tuple(f_out[:-1]) + (f_out[-1] + b_out[-1],)
        elif self.merge_mode is None:
            out = [tuple(f_out), tuple(b_out)]
        else:
            out = tuple(f_out)
        if self.return_state:
            return (out if isinstance(out, list) else [out]) + f_states + b_states
        return out

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({"layer": ser(self.forward_layer), "merge_mode": self.merge_mode,
                       "backward_layer": ser(self.backward_layer)})
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Bidirectional:
        from tensorlet.saving.serialization import deserialize_keras_object as de

        config = dict(config)
        layer = de(config.pop("layer"), custom_objects=custom_objects)
        back = config.pop("backward_layer", None)
        backward = de(back, custom_objects=custom_objects) if back is not None else None
        if layer.name.startswith("forward_"):  # a saved config holds the forward copy: take its base name back
            layer.name = layer.name[len("forward_"):]
        return cls(layer, backward_layer=backward, **config)
