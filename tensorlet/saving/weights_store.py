"""The Keras 3 weights layout inside ``model.weights.h5`` (also ``*.weights.h5``).

Keras 3 writes an object's own variables under ``<path>/vars/<i>`` (trainable first, then non-trainable; the
``vars`` group's ``name`` attribute is the object's name), then visits its children:

- a Sequential or Functional model: ``layers`` first, its layers named by snake-cased class name made unique in
  layer order (``layers/dense``, ``layers/dense_1``), a nested model as ``layers/<auto>/layers/...``;
- then the attributes holding layers, by attribute name (public names sorted, then private ones):
  ``<path>/<attr>/...``; a subclassed model also has ``layers`` (its ``model.layers``) among them, so a layer
  whose attribute sorts after "layers" is written there first. A list, tuple or dict of layers names its items
  like ``layers`` does, nested containers ``container``, ``container_1``...;
- each object once: a layer met again (shared, or listed twice) is skipped.

Wrappers and recurrent layers say where Keras keeps their weights (``_keras_weight_children``,
``_keras_weights_subgroup``). The optimizer's state is ``optimizer/vars/<i>``. Reading walks the same way.
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from tensorlet.layers import tracking
from tensorlet.layers.naming import to_snake_case


def _is_model(layer: Any) -> bool:
    return hasattr(layer, "layers") and hasattr(layer, "compile")


def _is_graph_model(layer: Any) -> bool:
    return _is_model(layer) and hasattr(layer, "_nodes")


def _own_variables(layer: Any) -> list[Any]:
    own = tracking.own_variables(layer)
    return [w for w in own if w.trainable] + [w for w in own if not w.trainable]


def _unique(name: str, used: dict[str, int]) -> str:
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _children(obj: Any) -> Iterator[tuple[str, Any]]:
    """(path segment, layer) pairs in Keras 3's visiting order; containers are flattened into
    ``<attr>/<auto name>`` segments. A layer may appear more than once (the caller skips visited ones)."""
    attrs = tracking.attribute_paths(obj)
    if _is_model(obj):
        if _is_graph_model(obj):
            attrs = [("layers", obj.layers)] + [(n, v) for n, v in attrs if n != "layers"]
        else:  # a subclassed model: ``layers`` is one more attribute, sorted among the others
            attrs = sorted([(n, v) for n, v in attrs if n != "layers"] + [("layers", obj.layers)],
                           key=lambda kv: ("~" + kv[0]) if kv[0].startswith("_") else kv[0])
    for name, value in attrs:
        yield from _entries(name, value, set())


def _entries(path: str, value: Any, seen_containers: set[int]) -> Iterator[tuple[str, Any]]:
    layer_cls, _ = tracking._layer_and_metric()
    if isinstance(value, layer_cls):
        yield path, value
        return
    if not isinstance(value, (list, tuple, dict)) or id(value) in seen_containers:
        return
    seen_containers.add(id(value))
    used: dict[str, int] = {}
    for item in (list(value.values()) if isinstance(value, dict) else value):
        if isinstance(item, layer_cls):
            yield f"{path}/{_unique(to_snake_case(type(item).__name__), used)}", item
        elif isinstance(item, (list, tuple, dict)):
            yield from _entries(f"{path}/{_unique('container', used)}", item, seen_containers)


def _has_children(layer: Any) -> bool:
    return _is_model(layer) or bool(tracking.sublayers(layer))


def write_model(group: Any, model: Any) -> None:
    _write(group, model, set())


def _write(group: Any, layer: Any, visited: set[int]) -> None:
    if id(layer) in visited:
        return
    visited.add(id(layer))
    children = getattr(layer, "_keras_weight_children", None)
    sub = getattr(layer, "_keras_weights_subgroup", None)
    if children is not None or sub:
        group.create_group("vars").attrs["name"] = layer.name
        if children is not None:
            for key, child in children():
                _write(group.create_group(key), child, visited)
            return
        group = group.create_group(sub)
    v = group.create_group("vars")
    v.attrs["name"] = layer.name
    own = _own_variables(layer) if _has_children(layer) else layer.weights
    for i, w in enumerate(own):
        v.create_dataset(str(i), data=np.asarray(w._value))
    if not _has_children(layer):
        return
    for path, child in _children(layer):
        if id(child) not in visited:
            _write(group.require_group(path), child, visited)


def read_model(group: Any, model: Any, path: str, skip_mismatch: bool = False) -> None:
    _read(group, model, path, skip_mismatch, set(), "")


def _read(g: Any, layer: Any, path: str, skip_mismatch: bool, visited: set[int], where: str) -> None:
    if id(layer) in visited:
        return
    visited.add(id(layer))
    children = getattr(layer, "_keras_weight_children", None)
    if children is not None:
        for key, child in children():
            if key not in g:
                raise ValueError(f'{path}: the file has no weights for "{child.name}" inside layer "{layer.name}" '
                                 f"(group {where}{key}); found {sorted(g)}")
            _read(g[key], child, path, skip_mismatch, visited, f"{where}{key}/")
        return
    sub = getattr(layer, "_keras_weights_subgroup", None)
    if sub and sub in g:
        g = g[sub]
    nested = _has_children(layer)
    own = _own_variables(layer) if nested else layer.weights
    stored = g["vars"] if "vars" in g else {}
    if own or len(stored):
        _assign(layer, own, [np.asarray(stored[str(i)]) for i in range(len(stored))], path, skip_mismatch)
    if not nested:
        return
    for key, child in _children(layer):
        if id(child) in visited:
            continue
        if key not in g:
            if child.weights:
                raise ValueError(f'{path}: the file has no weights for layer "{child.name}" (group {where}{key}); '
                                 f"the file has {sorted(g)} at {where or 'the top'}")
            visited.add(id(child))
            continue
        _read(g[key], child, path, skip_mismatch, visited, f"{where}{key}/")


def _assign(layer: Any, weights: list[Any], values: list[np.ndarray], path: str, skip_mismatch: bool) -> None:
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
