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
    box_length = line_length
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
    trainable = _count(model.trainable_weights)
    non_trainable = _count(model.non_trainable_weights)
    if style == "box":  # its own cells (wrapped, several lines each): none of the classic rows below
        return _box(model, headers, layers, seq_like, show_trainable, expand_nested, box_length, trainable,
                    non_trainable)
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


# Keras 3 draws the box at 88 columns for a sequential-like model and 108 with "Connected to"; these are its
# columns' inner widths (text plus one space each side) at those sizes
_BOX_WIDTHS = {3: (88, [38, 29, 17]), 4: (108, [31, 27, 17, 28])}


def _box_cells(layer: Any, owner: Any, seq_like: bool, show_trainable: bool, prefix: str) -> list[list[str]]:
    """One layer's cells, each a list of lines before wrapping: "name (Type)", the output shape (an Input's
    without Keras 2's list brackets), the parameter count with thousands separators, then the inbound layers,
    one per line ("-" for none)."""
    from tensorlet.layers.input_layer import InputLayer

    shape = _shape_str(tuple(layer.batch_shape)) if isinstance(layer, InputLayer) else _output_shape(layer, owner)
    cells = [[f"{prefix}{_shown_name(layer, 'box')} ({type(layer).__name__})"], [shape],
             [f"{layer.count_params() if layer.built else 0:,}"]]
    if not seq_like:
        cells.append(_connected_to(layer, owner, "box") or ["-"])
    if show_trainable:
        cells.append(["Y" if layer.trainable else "N"])
    return cells


def _wrap(lines: list[str], width: int) -> list[str]:
    """Each line filled word by word into ``width`` columns; a word longer than that is cut with an ellipsis."""
    out: list[str] = []
    for text in lines:
        current = ""
        for word in text.split(" "):
            if len(word) > width:
                word = word[:width - 1] + "…"
            if current and len(current) + 1 + len(word) <= width:
                current += " " + word
            else:
                if current:
                    out.append(current)
                current = word
        out.append(current)
    return out


def _box(model: Any, headers: list[str], layers: list[Any], seq_like: bool, show_trainable: bool,
         expand_nested: bool, line_length: int | None, trainable: int, non_trainable: int) -> list[str]:
    rows: list[list[list[str]]] = []

    def add(layer: Any, owner: Any, depth: int) -> None:
        rows.append(_box_cells(layer, owner, seq_like, show_trainable, "| " * depth))
        if expand_nested and hasattr(layer, "layers") and hasattr(layer, "compile"):
            for sub in layer.layers:
                add(sub, layer, depth + 1)

    for layer in layers:
        add(layer, model, 0)
    default_length, inner = _BOX_WIDTHS[4 if not seq_like else 3]
    if line_length and line_length != default_length:  # a given width scales the columns
        inner = [max(len(h) + 2, round(w * line_length / default_length)) for w, h in zip(inner, headers)]
    inner = list(inner) + [len(h) + 2 for h in headers[len(inner):]]  # "Trainable"
    widths = [w - 2 for w in inner]
    right = {2}  # "Param #" is right-aligned, its header too

    def line(cells: list[str], edge: str) -> str:
        return edge + edge.join(f" {c.rjust(w) if i in right else c.ljust(w)} "
                                for i, (c, w) in enumerate(zip(cells, widths))) + edge

    def rule(left: str, fill: str, join: str, end: str) -> str:
        return left + join.join(fill * w for w in inner) + end

    out = [f'Model: "{model.name}"', rule("┏", "━", "┳", "┓"), line(headers, "┃"),
           rule("┡", "━", "╇", "┩")]
    for k, cells in enumerate(rows):
        wrapped = [_wrap(c, w) for c, w in zip(cells, widths)]
        for j in range(max(len(c) for c in wrapped)):
            out.append(line([c[j] if j < len(c) else "" for c in wrapped], "│"))
        if k < len(rows) - 1:
            out.append(rule("├", "─", "┼", "┤"))
    out.append(rule("└", "─", "┴", "┘"))
    total = trainable + non_trainable
    return out + [f" Total params: {total:,} ({_size(total)})", f" Trainable params: {trainable:,} ({_size(trainable)})",
                  f" Non-trainable params: {non_trainable:,} ({_size(non_trainable)})"]


def _size(n: int) -> str:
    """Keras 3's memory figure for ``n`` float32 parameters: two decimals in B, KB, MB or GB."""
    b: float = n * 4
    for unit in ("B", "KB", "MB", "GB"):
        if b < 1024 or unit == "GB":
            return f"{b:.2f} {unit}"
        b /= 1024
    return f"{b:.2f} GB"
