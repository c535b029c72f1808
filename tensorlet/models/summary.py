"""``model.summary()``: the classic Keras 2 table of TF <= 2.12 (65 columns; the default, which handouts print),
its Functional variant with "Connected to"; the tf-keras 2.13+ table (``style='tf_keras'``, also ``'keras2'``:
a leading space, a blank line between layers, list-valued "Connected to" wrapped in its column, sizes in bytes);
and Keras 3's box layout (``style='box'``, also ``'keras3'``)."""
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


def _connected_to(layer: Any, model: Any, style: str = "classic") -> list[str]:
    out = []
    for node in _model_nodes(layer, model):
        for t in node.input_tensors:
            if t._keras_history is not None:
                src, ni, ti = t._keras_history
                out.append(f"{_shown_name(src, style)}[{ni}][{ti}]")
    return out


def _shown_name(layer: Any, style: str) -> str:
    """The layer's name, except an automatically named Input, shown as the library of the layout names it:
    ``input_1``, ``input_2``... in Keras 2's layouts (counting from 1), ``input_layer``, ``input_layer_1``... in
    Keras 3's box."""
    index = getattr(layer, "_auto_name_index", None)
    if index is None:
        return layer.name
    if style == "box":
        return "input_layer" if index == 0 else f"input_layer_{index}"
    return f"input_{index + 1}"


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
    style = _STYLES.get(style, style) if isinstance(style, str) else style
    if style not in ("classic", "tf_keras", "box"):
        raise ValueError(f"summary(style=...) must be 'classic' (TF <= 2.12), 'tf_keras' (also 'keras2': tf-keras "
                         f"2.13+) or 'box' (also 'keras3'), got {style!r}")
    seq_like = _is_sequential_like(model)
    modern = style == "tf_keras"
    if seq_like:
        line_length = line_length or 65
        positions = positions or [0.45, 0.85, 1.0]
        headers = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = positions or ([0.3, 0.6, 0.70, 1.0] if modern else [0.33, 0.55, 0.67, 1.0])
        headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    positions = list(positions)
    if show_trainable:
        line_length += 11
        positions.append(line_length)
        headers.append("Trainable")
    if modern:
        return _tf_keras(model, line_length, positions, headers, seq_like, expand_nested, show_trainable,
                         layer_range)
    layers = list(model.layers)
    if layer_range is not None:
        names = [la.name for la in layers]
        start, end = names.index(layer_range[0]), names.index(layer_range[1])
        layers = layers[start: end + 1]
    rows: list[list[str]] = []

    def add_rows(layer: Any, owner: Any, depth: int) -> None:
        prefix = "| " * depth
        name = f"{prefix}{_shown_name(layer, style)} ({type(layer).__name__})"
        fields = [name, _output_shape(layer, owner), f"{layer.count_params() if layer.built else 0}"]
        if not seq_like:
            conn = _connected_to(layer, owner, style)
            fields.append(conn[0] if conn else "")
        if show_trainable:
            fields.append("Y" if layer.trainable else "N")
        rows.append(fields)
        if not seq_like:
            for extra in _connected_to(layer, owner, style)[1:]:
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


_STYLES = {"keras2": "tf_keras", "keras3": "box"}


def _layers_in_range(model: Any, layer_range: Any) -> list[Any]:
    layers = list(model.layers)
    if layer_range is not None:
        names = [la.name for la in layers]
        layers = layers[names.index(layer_range[0]): names.index(layer_range[1]) + 1]
    return layers


def _tf_keras(model: Any, line_length: int, positions: list[int], headers: list[str], seq_like: bool,
              expand_nested: bool, show_trainable: bool, layer_range: Any) -> list[str]:
    """tf-keras 2.13+: each cell is cut to its column (less two spaces) and continued on the next lines, breaking
    after "),", "}," "]," or "',"; every row starts with a space; nested models are framed by "|" and "¯"."""
    out = [f'Model: "{model.name}"', "_" * line_length]
    out += _wrapped_row(headers, positions, 0)
    out.append("=" * line_length)

    def add(layer: Any, owner: Any, level: int, last_nested: bool) -> None:
        params: Any = layer.count_params() if layer.built else "0 (unused)"
        fields: list[Any] = [f"{_shown_name(layer, 'tf_keras')} ({type(layer).__name__})", _output_shape(layer, owner),
                             params]
        if not seq_like:
            fields.append(str(_connected_to(layer, owner, "tf_keras")))
        if show_trainable:
            fields.append("Y" if layer.trainable else "N")
        out.extend(_wrapped_row(fields, positions, level))
        inner = getattr(layer, "layers", None) if hasattr(layer, "compile") else None
        if expand_nested and inner:
            out.append("|" * (level + 1) + "¯" * (line_length - 2 * level - 2) + "|" * (level + 1))
            for i, sub in enumerate(inner):
                add(sub, layer, level + 1, i == len(inner) - 1)
            out.append("|" * level + "¯" * (line_length - 2 * level) + "|" * level)
            return  # tf-keras prints no blank line after an expanded model's closing frame
        if not last_nested:
            out.append("|" * level + " " * (line_length - 2 * level) + "|" * level)

    for layer in _layers_in_range(model, layer_range):
        add(layer, model, 0, False)
    trainable, non_trainable = _count(model.trainable_weights), _count(model.non_trainable_weights)
    t_bytes, n_bytes = _bytes(model.trainable_weights), _bytes(model.non_trainable_weights)
    return out + ["=" * line_length,
                  f"Total params: {trainable + non_trainable} ({_readable(t_bytes + n_bytes)})",
                  f"Trainable params: {trainable} ({_readable(t_bytes)})",
                  f"Non-trainable params: {non_trainable} ({_readable(n_bytes)})", "_" * line_length]


def _wrapped_row(fields: list[Any], positions: list[int], level: int) -> list[str]:
    rest = [str(f) for f in fields]
    last = len(positions) - 1
    lines = []
    while any(rest):
        line = ""
        for col, text in enumerate(rest):
            gap = 0 if col == last else 2
            width = positions[col] - (positions[col - 1] if col else 0) - gap - (0 if col == last else 1)
            width -= level if col == 0 else 0
            piece = text[:max(width, 0)]
            breaks = [piece.find(m) + len(m) for m in ("),", "},", "],", "',") if piece.find(m) >= 0]
            if breaks:
                piece = piece[:min(breaks)]
            if col == 0:
                line += "|" * level + " "
            line += piece + " " * gap
            rest[col] = text[len(piece):]
            line += " " * (positions[col] - len(line) - (level if level and col == last else 0))
        lines.append(line + "|" * level)
    return lines


def _bytes(weights: list[Any]) -> int:
    unique = {id(w): w for w in weights}.values()
    return int(sum(int(np.prod(w.shape)) * np.dtype(getattr(w.dtype, "name", w.dtype)).itemsize for w in unique))


def _readable(size: float) -> str:
    for unit in ("Byte", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


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
