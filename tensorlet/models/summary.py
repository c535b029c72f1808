"""``model.summary()``: the classic Keras 2 table (65 columns), its Functional variant with "Connected to",
and a Keras 3-style box layout (``style='box'``)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np


def _count(weights: list[Any]) -> int:
    return int(sum(int(np.prod(w.shape)) for w in weights))


def _shape_str(shape: Any) -> str:
    if isinstance(shape, list):
        return "[" + ", ".join(_shape_str(s) for s in shape) + "]"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _output_shape(layer: Any, model: Any) -> str:
    from tensorlet.layers.input_layer import InputLayer

    try:
        if isinstance(layer, InputLayer):
            return "[" + _shape_str(tuple(layer.batch_shape)) + "]"  # Keras 2 shows the input as a list
        nodes = _model_nodes(layer, model)
        if nodes:
            per_node = [[tuple(t.shape) for t in n.output_tensors] for n in nodes]
            if any(shapes != per_node[0] for shapes in per_node):
                return "multiple"  # a shared layer whose calls give different shapes, as tf.keras 2 shows it
            shapes = per_node[0]
            return _shape_str(shapes[0]) if len(shapes) == 1 else _shape_str(shapes)
        return _shape_str(tuple(layer.output_shape))
    except (AttributeError, ValueError, TypeError):
        return "multiple"


def _model_nodes(layer: Any, model: Any) -> list[Any]:
    nodes = getattr(model, "_nodes", None)
    if not nodes:
        return []
    return [n for n in nodes if n.layer is layer]


def _is_sequential_like(model: Any) -> bool:
    from tensorlet.models.sequential import Sequential

    if isinstance(model, Sequential):
        return True
    nodes = getattr(model, "_nodes", None)
    if nodes is None:
        return True  # subclassed: no graph to show
    if len(getattr(model, "inputs", [])) > 1 or len(getattr(model, "outputs", [])) > 1:
        return False
    consumers: dict[int, int] = {}
    for node in nodes:
        if len(node.input_tensors) > 1 or len(node.output_tensors) > 1:
            return False
        for t in node.input_tensors:
            consumers[id(t)] = consumers.get(id(t), 0) + 1
    if any(c > 1 for c in consumers.values()):
        return False
    layers = [n.layer for n in nodes]
    return len({id(la) for la in layers}) == len(layers)


def _connected_to(layer: Any, model: Any) -> list[str]:
    out = []
    for node in _model_nodes(layer, model):
        for t in node.input_tensors:
            if t._keras_history is not None:
                src, ni, ti = t._keras_history
                out.append(f"{src.name}[{ni}][{ti}]")
    return out


def _row(fields: list[str], positions: list[int]) -> str:
    line = ""
    for field, pos in zip(fields, positions):
        if line:
            line = line[:-1] + " " if not line.endswith(" ") else line
        line += str(field)
        line = line[:pos]
        line += " " * (pos - len(line))
    return line.rstrip()


def print_summary(model: Any, line_length: int | None = None, positions: Any = None,
                  print_fn: Callable[..., Any] | None = None, expand_nested: bool = False,
                  show_trainable: bool = False, layer_range: Any = None, style: str = "classic") -> None:
    if not model.built or (hasattr(model, "_stack") and not model.inputs and model._stack):
        raise ValueError(f'Model "{model.name}" has not yet been built, so summary() cannot show output shapes or '
                         "parameter counts. Give the first layer an input shape (Input(shape=...) or "
                         "input_shape=...), call `model.build(input_shape)`, or call the model on a batch of data.")
    emit = print_fn or print
    lines = summary_lines(model, line_length, positions, expand_nested, show_trainable, layer_range, style)
    for line in lines:
        emit(line)


def summary_lines(model: Any, line_length: int | None = None, positions: Any = None, expand_nested: bool = False,
                  show_trainable: bool = False, layer_range: Any = None, style: str = "classic") -> list[str]:
    seq_like = _is_sequential_like(model)
    if seq_like:
        line_length = line_length or 65
        positions = positions or [0.45, 0.85, 1.0]
        headers = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = positions or [0.33, 0.55, 0.67, 1.0]
        headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    positions = list(positions)
    if show_trainable:
        line_length += 11
        positions.append(line_length)
        headers.append("Trainable")
    layers = list(model.layers)
    if layer_range is not None:
        names = [la.name for la in layers]
        start, end = names.index(layer_range[0]), names.index(layer_range[1])
        layers = layers[start: end + 1]
    rows: list[list[str]] = []

    def add_rows(layer: Any, owner: Any, depth: int) -> None:
        prefix = "| " * depth
        name = f"{prefix}{layer.name} ({type(layer).__name__})"
        fields = [name, _output_shape(layer, owner), f"{layer.count_params() if layer.built else 0}"]
        if not seq_like:
            conn = _connected_to(layer, owner)
            fields.append(conn[0] if conn else "")
        if show_trainable:
            fields.append("Y" if layer.trainable else "N")
        rows.append(fields)
        if not seq_like:
            for extra in _connected_to(layer, owner)[1:]:
                rows.append(["", "", ""] + [extra] + ([""] if show_trainable else []))
        if expand_nested and hasattr(layer, "layers") and hasattr(layer, "compile"):
            for sub in layer.layers:
                add_rows(sub, layer, depth + 1)

    for layer in layers:
        add_rows(layer, model, 0)
    trainable = _count(model.trainable_weights)
    non_trainable = _count(model.non_trainable_weights)
    if style == "box":
        return _box(model, headers, rows, trainable, non_trainable)
    out = [f'Model: "{model.name}"', "_" * line_length, _row(headers, positions), "=" * line_length]
    for i, fields in enumerate(rows):
        out.append(_row(fields, positions))
        out.append("=" * line_length if i == len(rows) - 1 else "_" * line_length)
    if not rows:
        out.append("=" * line_length)
    out += [f"Total params: {trainable + non_trainable:,}", f"Trainable params: {trainable:,}",
            f"Non-trainable params: {non_trainable:,}", "_" * line_length]
    return out


def _box(model: Any, headers: list[str], rows: list[list[str]], trainable: int, non_trainable: int) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "│ " + " │ ".join(c.ljust(w) for c, w in zip(cells, widths)) + " │"

    top = "┏" + "┳".join("━" * (w + 2) for w in widths) + "┓"
    mid = "┡" + "╇".join("━" * (w + 2) for w in widths) + "┩"
    sep = "├" + "┼".join("─" * (w + 2) for w in widths) + "┤"
    bot = "└" + "┴".join("─" * (w + 2) for w in widths) + "┘"
    head = "┃ " + " ┃ ".join(h.ljust(w) for h, w in zip(headers, widths)) + " ┃"
    body: list[str] = []
    for i, r in enumerate(rows):
        body.append(line(r))
        if i < len(rows) - 1:
            body.append(sep)
    total = trainable + non_trainable
    return [f'Model: "{model.name}"', top, head, mid] + body + [bot,
            f" Total params: {total:,} ({_size(total)})", f" Trainable params: {trainable:,} ({_size(trainable)})",
            f" Non-trainable params: {non_trainable:,} ({_size(non_trainable)})"]


def _size(n: int) -> str:
    b: float = n * 4
    for unit in ("B", "KB", "MB", "GB"):
        if b < 1024 or unit == "GB":
            return f"{b:.2f} {unit}" if unit != "B" else f"{b} B"
        b /= 1024
    return f"{b:.2f} GB"
