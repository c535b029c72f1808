"""Functional models: a graph of layer calls from symbolic inputs to outputs."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.input_layer import InputLayer
from tensorlet.layers.layer import Layer, _to_tensors
from tensorlet.layers.node import KerasTensor, Node, flatten
from tensorlet.models.model import Model
from tensorlet.training import input_conforming
from tensorlet.training.trainer import Trainer


class Functional(Model):
    """``Model(inputs, outputs)``: multiple inputs and outputs, shared layers and nested models."""

    def __init__(self, inputs: Any = None, outputs: Any = None, name: str | None = None, trainable: bool = True,
                 **kwargs: Any) -> None:
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        Trainer.__init__(self)
        if inputs is None or outputs is None:
            raise ValueError("A Functional model needs both `inputs` and `outputs`")
        self._init_graph(inputs, outputs)

    def _init_graph(self, inputs: Any, outputs: Any) -> None:
        if isinstance(inputs, dict):
            self._input_structure: Any = dict(inputs)
        else:
            self._input_structure = inputs
        self._output_structure = outputs
        self.inputs = flatten(inputs)
        self.outputs = flatten(outputs)
        for t in self.inputs + self.outputs:
            if not isinstance(t, KerasTensor):
                raise TypeError(f"Functional model inputs/outputs must be symbolic tensors from Input() or layer "
                                f"calls, got {type(t).__name__}")
        self._nodes = self._topological_nodes()
        layers: list[Layer] = []
        for node in self._nodes:
            if all(node.layer is not la for la in layers):
                layers.append(node.layer)
        self._graph_layers = layers
        self.built = True
        self._build_input_shape = [tuple(t.shape) for t in self.inputs] if len(self.inputs) > 1 else \
            tuple(self.inputs[0].shape)

    def _topological_nodes(self) -> list[Node]:
        input_ids = {id(t) for t in self.inputs}
        order: list[Node] = []
        seen: set[int] = set()

        def visit(t: KerasTensor, consumer: str) -> None:
            node = t.node
            if node is None:
                raise ValueError(f"Tensor {t!r} was not produced by a tensorlet layer; build the graph from Input()")
            if id(node) in seen:
                return
            if node.is_input and id(t) not in input_ids:
                raise ValueError(
                    f'Graph disconnected: cannot obtain value for input "{t.name}" (shape {tuple(t.shape)}) needed '
                    f'by layer "{consumer}". It is not among the model inputs: '
                    f"{[i.name for i in self.inputs]}. Add it to `inputs=`.")
            seen.add(id(node))
            if id(t) not in input_ids or not node.is_input:
                for parent in node.input_tensors:
                    visit(parent, node.layer.name)
            order.append(node)

        for t in self.inputs:
            visit(t, "input")
        for t in self.outputs:
            visit(t, t.name or "output")
        return order

    @property
    def layers(self) -> list[Layer]:
        return list(self._graph_layers)

    @property
    def _sublayers(self) -> list[Layer]:
        graph = self.__dict__.get("_graph_layers")
        return list(graph) if graph is not None else Layer._sublayers.fget(self)  # type: ignore[attr-defined]

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        if isinstance(inputs, dict):
            inputs = input_conforming.from_dict(self, inputs)  # keyed by the Input layers' names
        flat_in = input_conforming.conform_tensors(self, _flatten_values(inputs, self._input_structure))
        if len(flat_in) != len(self.inputs):
            raise ValueError(f'Model "{self.name}" expects {len(self.inputs)} input(s), but it received '
                             f"{len(flat_in)} input tensor(s).")
        values: dict[int, Any] = {}
        for t, v in zip(self.inputs, flat_in):
            values[id(t)] = v
        for node in self._nodes:
            if node.is_input:
                continue
            args = _rebuild(node.inputs, values)
            kwargs = dict(node.call_kwargs)
            if training is not None and node.layer._call_accepts("training"):
                kwargs.setdefault("training", training)
            out = node.layer(args, *node.call_args, **kwargs)
            for t, v in zip(node.output_tensors, _flat_out(out)):
                values[id(t)] = v
        return _rebuild(self._output_structure, values)

    def compute_output_shape(self, input_shape: Any) -> Any:
        shapes = [tuple(t.shape) for t in self.outputs]
        return shapes[0] if len(shapes) == 1 and not isinstance(self._output_structure, (list, dict)) else shapes

    @property
    def input(self) -> Any:
        """The model's Input tensor(s), as given to the model (``Model(inputs=model.input, ...)``)."""
        if not self.inputs:
            return Model.input.fget(self)  # type: ignore[attr-defined]
        return self._input_structure

    @property
    def output(self) -> Any:
        """The model's output tensor(s), as given to the model."""
        if not self.outputs:
            return Model.output.fget(self)  # type: ignore[attr-defined]
        return self._output_structure

    @property
    def input_shape(self) -> Any:
        shapes = [tuple(t.shape) for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self) -> Any:
        shapes = [tuple(t.shape) for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input_names(self) -> list[str]:
        return [t.name for t in self.inputs]

    @property
    def output_names(self) -> list[str]:
        return [t._keras_history[0].name if t._keras_history else t.name for t in self.outputs]

    def get_config(self) -> dict[str, Any]:
        from tensorlet.models.functional_config import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Functional:
        from tensorlet.models.functional_config import functional_from_config

        return functional_from_config(config, custom_objects)


def _flatten_values(inputs: Any, structure: Any) -> list[Any]:
    if isinstance(structure, dict) and isinstance(inputs, dict):
        return [_to_tensors(inputs[k]) for k in sorted(structure)]
    if isinstance(inputs, (list, tuple)):
        return [_to_tensors(v) for v in inputs]
    return [_to_tensors(inputs)]


def _flat_out(out: Any) -> list[Any]:
    if isinstance(out, (list, tuple)):
        return [y for v in out for y in _flat_out(v)]
    if isinstance(out, dict):
        return [y for k in sorted(out) for y in _flat_out(out[k])]
    return [out]


def _rebuild(structure: Any, values: dict[int, Any]) -> Any:
    if isinstance(structure, KerasTensor):
        return values[id(structure)]
    if isinstance(structure, list):
        return [_rebuild(s, values) for s in structure]
    if isinstance(structure, tuple):
        return tuple(_rebuild(s, values) for s in structure)
    if isinstance(structure, dict):
        return {k: _rebuild(v, values) for k, v in structure.items()}
    return structure


def is_input_layer(layer: Layer) -> bool:
    return isinstance(layer, InputLayer)
