"""Sequential: a plain stack of layers, one input and one output."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.input_layer import InputLayer
from tensorlet.layers.layer import Layer, _to_tensors
from tensorlet.layers.naming import unique_name
from tensorlet.layers.node import KerasTensor
from tensorlet.models.functional import Functional
from tensorlet.training import input_conforming
from tensorlet.training.trainer import Trainer


class Sequential(Functional):
    """A linear stack of layers.

    Args:
        layers: the layers, in order; the first may be ``Input(...)``/``InputLayer`` or carry ``input_shape``.
        name: the model name.

    Example:
        >>> from tensorlet.keras.layers import Activation, Dense, Input
        >>> model = Sequential([Input(shape=(10,)), Dense(1), Activation("sigmoid")])
        >>> model.count_params()
        11
    """

    def __init__(self, layers: Any = None, name: str | None = None, trainable: bool = True, **kwargs: Any) -> None:
        Layer.__init__(self, name=name or unique_name("sequential"), trainable=trainable, **kwargs)
        Trainer.__init__(self)
        self._stack: list[Layer] = []
        self._input_layer: InputLayer | None = None
        self._declared_input: InputLayer | None = None  # an Input given as the first entry
        self._graph_layers = []
        self.inputs, self.outputs = [], []
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_build_graph()

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Append a layer (or an ``Input(...)`` tensor as the first entry)."""
        if isinstance(layer, KerasTensor):
            origin = layer._keras_history[0] if layer._keras_history else None
            if not isinstance(origin, InputLayer) or self._stack or self._input_layer is not None:
                raise ValueError("Only an Input() tensor can be added to a Sequential model, and only first")
            self._input_layer = self._declared_input = origin
        elif isinstance(layer, InputLayer):
            if self._stack or self._input_layer is not None:
                raise ValueError("An InputLayer can only be the first layer of a Sequential model")
            self._input_layer = self._declared_input = layer
        elif isinstance(layer, Layer):  # the same layer may come twice: it is applied twice, with one set of weights
            shape = declared_input_shape(layer)
            if not self._stack and self._input_layer is None and shape is not None:
                self._input_layer = InputLayer(batch_input_shape=shape, name=unique_name("input"), dtype=layer.dtype)
            self._stack.append(layer)
        else:
            raise TypeError(f"The added layer must be an instance of class Layer. Received: layer={layer!r} of type "
                            f"{type(layer).__name__}.")
        if rebuild:
            self._maybe_build_graph()

    def pop(self) -> Layer:
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        self.built = False
        self._maybe_build_graph()
        return layer

    def _maybe_build_graph(self) -> None:
        if self._input_layer is None:
            self._graph_layers = []
            return
        x: Any = self._input_layer.output
        for layer in self._stack:
            x = layer(x)
        self._init_graph(self._input_layer.output, x)

    def build(self, input_shape: Any = None) -> None:
        if self._input_layer is not None and self.inputs:
            self.built = True
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument to build a Sequential model.")
        self._input_layer = InputLayer(batch_input_shape=tuple(input_shape), name=unique_name("input"))
        self._maybe_build_graph()

    @property
    def layers(self) -> list[Layer]:
        """The layers, each once (a layer added twice is listed once, as tf.keras 2 lists it)."""
        return _distinct(self._stack)

    @property
    def _sublayers(self) -> list[Layer]:
        return _distinct(self.__dict__.get("_stack", []))

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        x = input_conforming.conform_tensors(self, [inputs])[0] if self.inputs else inputs
        for layer in self._stack:
            if training is not None and layer._call_accepts("training"):
                x = layer(x, training=training)
            else:
                x = layer(x)
        return x

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.inputs and not isinstance(inputs, KerasTensor):
            x = _to_tensors(inputs)
            self.build((None,) + tuple(x._value.shape[1:]))
            inputs = x
        return Layer.__call__(self, inputs, *args, **kwargs)

    def _call_symbolic(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.inputs:
            self.build(tuple(inputs.shape))
        return Layer._call_symbolic(self, inputs, *args, **kwargs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = tuple(input_shape)
        for layer in self._stack:
            shape = layer.compute_output_shape(shape)
        return shape

    @property
    def input_shape(self) -> Any:
        if not self.inputs:
            raise AttributeError(f'Sequential model "{self.name}" has no input shape yet: give the first layer an '
                                 "input_shape or add an Input(), or call the model on data.")
        return tuple(self.inputs[0].shape)

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object

        layers = []
        if self._input_layer is not None:
            layers.append(serialize_keras_object(self._input_layer))
        layers += [serialize_keras_object(la) for la in self.layers]
        config = {"name": self.name, "trainable": self.trainable, "layers": layers}
        if len(self.layers) != len(self._stack):
            # Keras writes a layer added twice once, and loads a model that applies it once; the order of use,
            # by layer name, lets the model round-trip (Keras ignores the key)
            config["layer_calls"] = [la.name for la in self._stack]
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Sequential:
        from tensorlet.saving.serialization import deserialize_keras_object

        if isinstance(config, list):  # the oldest Keras 2 configs are the list of layers itself
            config = {"layers": config}
        entries = config.get("layers") if isinstance(config, dict) else None
        if not isinstance(entries, list):
            raise ValueError(f"A Sequential config needs 'layers': a list of layer configs; got "
                             f"{type(entries).__name__} {str(entries)[:80]}")
        layers = [deserialize_keras_object(c, custom_objects=custom_objects) for c in entries]
        calls = config.get("layer_calls")
        if calls is not None and not (isinstance(calls, list) and all(isinstance(n, str) for n in calls)):
            raise ValueError(f"Sequential config: layer_calls must be a list of layer names; got {str(calls)[:80]}")
        if calls:
            by_name = {la.name: la for la in layers if not isinstance(la, InputLayer)}
            unknown = [n for n in calls if n not in by_name]
            if unknown:
                raise ValueError(f"Sequential config: layer_calls names {unknown}, which are not among its layers "
                                 f"{sorted(by_name)}")
            layers = [la for la in layers if isinstance(la, InputLayer)] + [by_name[n] for n in calls]
        return cls(layers, name=config.get("name"))


def _distinct(layers: list[Layer]) -> list[Layer]:
    out: list[Layer] = []
    for layer in layers:
        if all(layer is not seen for seen in out):
            out.append(layer)
    return out


def declared_input_shape(layer: Layer) -> Any:
    """The batch input shape a layer was given (``input_shape=``), or that a nested Sequential's first entry
    declares (an ``Input`` or a layer given ``input_shape``); None when it is only known from a call on data."""
    if layer._batch_input_shape is not None:
        return layer._batch_input_shape
    if isinstance(layer, Sequential):
        if layer._declared_input is not None:
            return layer._declared_input._batch_input_shape
        if layer._stack:
            return declared_input_shape(layer._stack[0])
    return None
