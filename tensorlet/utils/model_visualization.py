"""plot_model: draw a model's layer graph with pydot and Graphviz (both optional)."""
from __future__ import annotations

import os
from typing import Any


def _require_pydot() -> Any:
    try:
        import pydot
    except ImportError:
        raise ImportError("plot_model needs pydot and Graphviz: pip install pydot, and install Graphviz "
                          "(apt-get install graphviz, brew install graphviz, or https://graphviz.org).") from None
    try:
        pydot.Dot.create(pydot.Dot())
    except (OSError, FileNotFoundError, AssertionError, Exception) as e:  # noqa: BLE001 - pydot raises broadly
        raise ImportError(f"plot_model needs the Graphviz programs (dot) on the PATH: apt-get install graphviz "
                          f"({type(e).__name__}: {e})") from None
    return pydot


def _shape(t: Any) -> str:
    return str(tuple(t.shape)) if hasattr(t, "shape") else "?"


def model_to_dot(model: Any, show_shapes: bool = False, show_dtype: bool = False, show_layer_names: bool = True,
                 rankdir: str = "TB", expand_nested: bool = False, dpi: int = 96) -> Any:
    pydot = _require_pydot()
    dot = pydot.Dot(graph_type="digraph", rankdir=rankdir, dpi=str(dpi))
    dot.set_node_defaults(shape="record")
    nodes = getattr(model, "_nodes", None)
    layers = list(model.layers)
    input_layer = getattr(model, "_input_layer", None)
    if input_layer is not None and input_layer not in layers:
        layers = [input_layer] + layers
    for layer in layers:
        label = f"{layer.name}: {type(layer).__name__}" if show_layer_names else type(layer).__name__
        if show_dtype:
            label += f" | {layer.dtype}"
        if show_shapes:
            try:
                label += f" | {{in: {layer.input_shape} | out: {layer.output_shape}}}"
            except AttributeError:
                pass
        dot.add_node(pydot.Node(str(id(layer)), label=label))
    if nodes is not None:
        for node in nodes:
            for t in node.input_tensors:
                if t._keras_history is not None:
                    dot.add_edge(pydot.Edge(str(id(t._keras_history[0])), str(id(node.layer))))
    else:
        for a, b in zip(layers[:-1], layers[1:]):
            dot.add_edge(pydot.Edge(str(id(a)), str(id(b))))
    return dot


def plot_model(model: Any, to_file: str = "model.png", show_shapes: bool = False, show_dtype: bool = False,
               show_layer_names: bool = True, rankdir: str = "TB", expand_nested: bool = False, dpi: int = 96,
               **kwargs: Any) -> Any:
    """Write the model's graph to ``to_file`` (png, svg, pdf... from the extension)."""
    dot = model_to_dot(model, show_shapes, show_dtype, show_layer_names, rankdir, expand_nested, dpi)
    ext = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=ext)
    return dot
