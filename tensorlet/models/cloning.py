"""clone_model: the same architecture with new layers (fresh weights), for Sequential, Functional and others."""
from __future__ import annotations

from typing import Any, Callable

from tensorlet.layers.input_layer import Input, InputLayer
from tensorlet.layers.node import KerasTensor
from tensorlet.models.functional import Functional
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
    """Re-run a Functional model's nodes with cloned layers and fresh inputs."""
    values: dict[int, Any] = {}
    new_inputs = []
    for t in model.inputs:
        layer = t._keras_history[0]
        new = Input(batch_shape=tuple(layer.batch_shape), name=layer.name, dtype=layer.dtype) \
            if isinstance(layer, InputLayer) else Input(batch_shape=tuple(t.shape))
        values[id(t)] = new
        new_inputs.append(new)
    clones: dict[int, Any] = {}
    for node in model._nodes:
        if node.is_input:
            continue
        layer = clones.setdefault(id(node.layer), clone(node.layer))
        args = _map_tensors(node.inputs, values)
        out = layer(args, *node.call_args, **node.call_kwargs)
        for t, v in zip(node.output_tensors, out if isinstance(out, (list, tuple)) else [out]):
            values[id(t)] = v
    outputs = _map_tensors(model._output_structure, values)
    return Functional(inputs=new_inputs if len(new_inputs) > 1 else new_inputs[0], outputs=outputs, name=model.name)


def _map_tensors(x: Any, values: dict[int, Any]) -> Any:
    if isinstance(x, KerasTensor):
        return values[id(x)]
    if isinstance(x, list):
        return [_map_tensors(v, values) for v in x]
    if isinstance(x, tuple):
        return tuple(_map_tensors(v, values) for v in x)
    if isinstance(x, dict):
        return {k: _map_tensors(v, values) for k, v in x.items()}
    return x
