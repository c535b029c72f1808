"""The Keras 3 weights layout inside ``model.weights.h5`` (also ``*.weights.h5``).

Groups: ``layers/<auto_name>/vars/<i>`` per layer (the auto name is the snake-cased class name made unique in
layer order, the real name is the ``name`` attribute of ``vars``), nested models as ``layers/<auto>/layers/...``,
the model's own ``vars``, and ``optimizer/vars/<i>``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.layers.naming import to_snake_case


def _children(model: Any) -> list[tuple[str, Any]]:
    names: dict[str, int] = {}
    out = []
    for layer in model.layers:
        base = to_snake_case(type(layer).__name__)
        n = names.get(base, 0)
        names[base] = n + 1
        out.append((base if n == 0 else f"{base}_{n}", layer))
    return out


def _is_container(layer: Any) -> bool:
    return hasattr(layer, "layers") and hasattr(layer, "compile")


def _own_weights(layer: Any) -> list[Any]:
    return list(layer._weights) if _is_container(layer) else list(layer.weights)


def write_model(group: Any, model: Any) -> None:
    layers = group.create_group("layers")
    for auto, layer in _children(model):
        g = layers.create_group(auto)
        if _is_container(layer):
            write_model(g, layer)
        else:
            _write_layer(g, layer)
    top = group.create_group("vars")
    top.attrs["name"] = model.name
    for i, w in enumerate(model._weights):
        top.create_dataset(str(i), data=np.asarray(w._value))


def read_model(group: Any, model: Any, path: str, skip_mismatch: bool = False) -> None:
    if "layers" not in group:
        raise ValueError(f"{path}: no 'layers' group in the weights file; it is not a Keras 3 weights file")
    layers = group["layers"]
    for auto, layer in _children(model):
        if auto not in layers:
            if layer.weights:
                raise ValueError(f'{path}: the file has no weights for layer "{layer.name}" (group layers/{auto}); '
                                 f"the file's layers are {sorted(layers)}")
            continue
        g = layers[auto]
        if _is_container(layer):
            read_model(g, layer, path, skip_mismatch)
            continue
        _read_layer(g, layer, path, skip_mismatch)


def _write_layer(g: Any, layer: Any) -> None:
    """A layer's weights under ``vars``; a wrapper's (``_keras_weight_children``) under one group per wrapped
    layer, and an RNN's under ``cell/vars`` (``_keras_weights_subgroup``), where Keras 3 keeps them."""
    children = getattr(layer, "_keras_weight_children", None)
    sub = getattr(layer, "_keras_weights_subgroup", None)
    own_saver = getattr(layer, "save_own_variables", None)  # Keras 3's hook: named entries (lookup tables' idf)
    if children is not None or sub:
        own = g.create_group("vars")
        own.attrs["name"] = layer.name
        if own_saver is not None:
            own_saver(own)
        if children is not None:
            for key, child in children():
                _write_layer(g.create_group(key), child)
            return
        g = g.create_group(sub)
    v = g.create_group("vars")
    v.attrs["name"] = layer.name
    if own_saver is not None:
        own_saver(v)
        return
    for i, w in enumerate(layer.weights):
        v.create_dataset(str(i), data=np.asarray(w._value))


def _read_layer(g: Any, layer: Any, path: str, skip_mismatch: bool) -> None:
    children = getattr(layer, "_keras_weight_children", None)
    own_loader = getattr(layer, "load_own_variables", None)
    if own_loader is not None and "vars" in g:
        own_loader(g["vars"])
        if children is None:
            return
    if children is not None:
        for key, child in children():
            if key not in g:
                raise ValueError(f'{path}: the file has no weights for "{child.name}" inside layer "{layer.name}" '
                                 f"(group {key}); found {sorted(g)}")
            _read_layer(g[key], child, path, skip_mismatch)
        return
    sub = getattr(layer, "_keras_weights_subgroup", None)
    if sub and sub in g:
        g = g[sub]
    stored = g["vars"] if "vars" in g else {}
    _assign(layer, [np.asarray(stored[str(i)]) for i in range(len(stored))], path, skip_mismatch)


def _assign(layer: Any, values: list[np.ndarray], path: str, skip_mismatch: bool) -> None:
    weights = layer.weights
    if len(values) != len(weights):
        if skip_mismatch:
            return
        raise ValueError(f'{path}: layer "{layer.name}" expects {len(weights)} weight(s), the file has {len(values)}')
    for w, v in zip(weights, values):
        if tuple(v.shape) != tuple(w._value.shape):
            if skip_mismatch:
                return
            raise ValueError(f'{path}: shape mismatch for weight "{w.name}" of layer "{layer.name}": the model '
                             f"expects {tuple(w._value.shape)}, the file has {tuple(v.shape)}")
    for w, v in zip(weights, values):
        w.assign(v)


def write_optimizer(group: Any, optimizer: Any) -> None:
    g = group.create_group("optimizer")
    v = g.create_group("vars")
    v.attrs["name"] = getattr(optimizer, "name", type(optimizer).__name__.lower())
    for i, value in enumerate(optimizer_state(optimizer)):
        v.create_dataset(str(i), data=np.asarray(value))


def optimizer_state(optimizer: Any) -> list[np.ndarray]:
    if optimizer is None or not hasattr(optimizer, "get_weights"):
        return []
    return [np.asarray(getattr(w, "_value", w)) for w in optimizer.get_weights()]


def read_optimizer(group: Any, model: Any) -> bool:
    """Restore optimizer state when the file has one of the same layout; returns whether it did."""
    opt = getattr(model, "optimizer", None)
    if opt is None or "optimizer" not in group or not hasattr(opt, "set_weights"):
        return False
    stored = group["optimizer"]["vars"]
    values = [np.asarray(stored[str(i)]) for i in range(len(stored))]
    if not values:
        return False
    if hasattr(opt, "build") and not getattr(opt, "built", True):
        opt.build(model.trainable_weights)
    current = optimizer_state(opt)
    if len(current) != len(values) or any(c.shape != v.shape for c, v in zip(current, values)):
        return False
    opt.set_weights(values)
    return True


def layer_paths(model: Any, prefix: str = "layers") -> list[tuple[str, Any]]:
    """Every layer of ``model`` with its path in Keras 3 files (``layers/<auto name>`` and the groups of wrapped
    layers and cells below it), nested models included: where weights and assets go."""
    out: list[tuple[str, Any]] = []
    for auto, layer in _children(model):
        path = f"{prefix}/{auto}"
        if _is_container(layer):
            out += layer_paths(layer, f"{path}/layers")
        else:
            out += _with_children(path, layer)
    return out


def _with_children(path: str, layer: Any) -> list[tuple[str, Any]]:
    out = [(path, layer)]
    children = getattr(layer, "_keras_weight_children", None)
    for key, child in (children() if children is not None else []):
        out += _with_children(f"{path}/{key}", child)
    return out
