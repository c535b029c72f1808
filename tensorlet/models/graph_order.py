"""The order in which Keras lists a Functional model's layers (``model.layers``, summaries, weight files).

Keras does not list layers in call order: it sorts them by *depth*, the longest path from a layer's output to
the model's outputs (the inputs first, the output layer last), and layers of equal depth by when a depth-first
walk from the outputs first reaches them. The order matters beyond display: Keras 2 ``.h5`` weight files are
matched to layers by position among the layers that hold weights, and Keras 3 weight files name each layer by
its class and rank in this order. A branchy network (ResNet's shortcut, Inception's towers) comes out differently
in plain call order, so its weights would land in the wrong layers.
"""
from __future__ import annotations

from typing import Any

from tensorlet.layers.node import KerasTensor, Node


def keras_layer_order(inputs: list[KerasTensor], outputs: list[KerasTensor]) -> list[Any]:
    """The layers (and hidden operations) of the graph from ``inputs`` to ``outputs``, in Keras' order."""
    input_ids = {id(t) for t in inputs}
    first_seen: dict[int, int] = {}  # id(layer) -> rank in the depth-first walk from the outputs
    layers: dict[int, Any] = {}
    post_order: list[Node] = []
    done: set[int] = set()

    def walk(t: KerasTensor) -> None:
        node = t.node
        if node is None or id(node) in done:
            return
        if not node.is_input and id(t) in input_ids:  # a model input produced by another model's layer
            done.add(id(node))
            return
        first_seen.setdefault(id(node.layer), len(first_seen))
        layers[id(node.layer)] = node.layer
        for parent in node.input_tensors:
            walk(parent)
        done.add(id(node))
        post_order.append(node)

    for t in outputs:
        walk(t)
    in_graph = {id(n) for n in post_order}
    node_depth: dict[int, int] = {}
    layer_depth: dict[int, int] = {}
    for node in reversed(post_order):  # outputs first: a node lies one deeper than its deepest consumer
        depth = max(node_depth.get(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for t in inputs:  # an input no output depends on still belongs to the model
        layer = t._keras_history[0] if t._keras_history else None
        if layer is not None and id(layer) not in layer_depth:
            layer_depth[id(layer)], first_seen[id(layer)], layers[id(layer)] = 0, -1, layer
    return sorted(layers.values(), key=lambda la: (-layer_depth[id(la)], first_seen[id(la)]))
