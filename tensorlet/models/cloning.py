"""clone_model: the same architecture with new layers (fresh weights), for Sequential, Functional and others."""
from __future__ import annotations

from typing import Any, Callable

from tensorlet.layers.input_layer import Input, InputLayer
from tensorlet.layers.node import flatten
from tensorlet.models.functional import Functional, _rebuild
from tensorlet.models.sequential import Sequential
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object


def clone_model(model: Any, input_tensors: Any = None, clone_function: Any = None, **kwargs: Any) -> Any:
    """A new model with the same architecture and freshly initialized weights.

    ``clone_function(layer)`` may replace the default per-layer clone (``from_config(get_config())``).
    """
    def default(layer: Any) -> Any:
        return deserialize_keras_object(serialize_keras_object(layer))

    clone = clone_function or default
    if isinstance(model, Sequential):
        clones = {id(layer): clone(layer) for layer in model.layers}  # a layer used twice stays shared
        layers = [clones[id(layer)] for layer in model._stack]
        if model.inputs:
            layers = [Input(batch_shape=tuple(model.inputs[0].shape))] + layers
        return Sequential(layers, name=model.name)
    if hasattr(model, "_nodes"):
        return clone_graph(model, clone)
    return deserialize_keras_object(serialize_keras_object(model))


def clone_graph(model: Any, clone: Callable[[Any], Any]) -> Any:
    """Re-run a Functional model's nodes with cloned layers and fresh inputs, in the model's input and output
    structures."""
    values: dict[int, Any] = {}
    for t in model.inputs:
        layer = t._keras_history[0]
        new = Input(batch_shape=tuple(layer.batch_shape), name=layer.name, dtype=layer.dtype) \
            if isinstance(layer, InputLayer) else Input(batch_shape=tuple(t.shape))
        values[id(t)] = new
    clones: dict[int, Any] = {}
    for node in model._nodes:
        if node.is_input:
            continue
        layer = clones.setdefault(id(node.layer), clone(node.layer))
        out = layer(_rebuild(node.inputs, values), *node.call_args, **node.call_kwargs)
        for t, v in zip(node.output_tensors, flatten(out)):
            values[id(t)] = v
    return Functional(inputs=_rebuild(model._input_structure, values),
                      outputs=_rebuild(model._output_structure, values), name=model.name)
