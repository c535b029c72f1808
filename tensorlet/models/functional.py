"""Functional models: a graph of layer calls from symbolic inputs to outputs."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tensorlet import tree
from tensorlet.autodiff.tensor import Tensor
from tensorlet.layers.input_layer import InputLayer
from tensorlet.layers.layer import Layer, _to_tensors
from tensorlet.layers.masking import set_input_masks
from tensorlet.layers.node import KerasTensor, Node, flatten
from tensorlet.models.graph_order import keras_layer_order
from tensorlet.models.model import Model
from tensorlet.trackable.children import layer_children
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
        self._graph_layers = keras_layer_order(self.inputs, self.outputs)
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
        """The layers in Keras' order (models/graph_order.py); hidden operations (Keras 3's ``ops.add`` on
        symbolic tensors) run in the graph but are not listed, as in Keras 3."""
        return [la for la in self._graph_layers if not getattr(la, "_is_operation", False)]

    @property
    def operations(self) -> list[Layer]:
        """Every layer and hidden operation of the graph, in Keras' order."""
        return list(self._graph_layers)

    def _checkpoint_children(self) -> list[tuple[str, Any]]:
        """Checkpoint edges as tf.keras 2 names them: ``layer_with_weights-<i>`` and ``layer-<i>``, then attributes."""
        return layer_children(self, sublayers=self.layers)

    @property
    def _sublayers(self) -> list[Layer]:
        graph = self.__dict__.get("_graph_layers")
        return list(graph) if graph is not None else Layer._sublayers.fget(self)  # type: ignore[attr-defined]

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        if isinstance(inputs, dict):
            inputs = input_conforming.from_dict(self, inputs)  # keyed by the Input layers' names
        flat_in = input_conforming.conform_tensors(self, self._flatten_inputs(inputs))
        if len(flat_in) != len(self.inputs):
            raise ValueError(f'Model "{self.name}" expects {len(self.inputs)} input(s), but it received '
                             f"{len(flat_in)} input tensor(s).")
        values: dict[int, Any] = {}
        for t, v in zip(self.inputs, flat_in):
            values[id(t)] = v
        if mask is not None:  # masks given for the model's inputs travel on them (Keras)
            set_input_masks(flat_in, mask)
        for node in self._nodes:
            if node.is_input:
                continue
            args = _rebuild(node.inputs, values)
            kwargs = _rebuild(node.call_kwargs, values)
            if training is not None and node.layer._call_accepts("training"):
                kwargs.setdefault("training", training)
            out = node.layer(args, *_rebuild(node.call_args, values), **kwargs)
            for t, v in zip(node.output_tensors, tree.flatten(out)):
                values[id(t)] = v
        return _rebuild(self._output_structure, values)

    def _flatten_inputs(self, inputs: Any) -> list[Any]:
        """The values fed to the model, as tensors in the order of ``self.inputs``.

        A dict is matched by key to a dict of inputs (extra keys are ignored) and, as in tf.keras, by input name
        to a list of inputs or a single one.
        """
        structure = self._input_structure
        if isinstance(inputs, Mapping):
            keys = list(structure) if isinstance(structure, Mapping) else self.input_names
            missing = [k for k in keys if k not in inputs]
            if not missing:
                inputs = {k: inputs[k] for k in keys} if isinstance(structure, Mapping) else [inputs[k] for k in keys]
            elif isinstance(structure, Mapping):
                raise ValueError(f'Model "{self.name}" expects inputs keyed {keys}, but the dict it received lacks '
                                 f"{missing} (its keys: {list(inputs)})")
        flat = tree.flatten(inputs)
        for v in flat:
            if not isinstance(v, Tensor):  # called directly, not through __call__: convert first
                return tree.flatten(_to_tensors(inputs))
        return flat

    def compute_output_shape(self, input_shape: Any) -> Any:
        shapes = [tuple(t.shape) for t in self.outputs]
        return shapes[0] if len(shapes) == 1 and not isinstance(self._output_structure, (list, dict)) else shapes

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


def _rebuild(structure: Any, values: dict[int, Any]) -> Any:
    """``structure`` with each KerasTensor replaced by its value (a dict keeps its own key order)."""
    if isinstance(structure, KerasTensor):  # most layers take one tensor
        return values[id(structure)]
    return tree.map_structure(lambda t: values[id(t)] if isinstance(t, KerasTensor) else t, structure)


def is_input_layer(layer: Layer) -> bool:
    return isinstance(layer, InputLayer)
