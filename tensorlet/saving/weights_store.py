"""The Keras 3 weights layout inside ``model.weights.h5`` (also ``*.weights.h5``).

Groups: ``layers/<auto_name>/vars/<i>`` per layer (the auto name is the snake-cased class name made unique in
layer order, the real name is the ``name`` attribute of ``vars``), nested models as ``layers/<auto>/layers/...``,
the model's own ``vars``, and ``optimizer/vars/<i>``.

Reading goes through :mod:`tensorlet.saving.hdf5_reader`: every dataset's shape and type are compared with the
model's variable before its data is read, and links, external storage and virtual datasets are refused.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from tensorlet.layers.naming import to_snake_case
from tensorlet.saving.hdf5_reader import (
    HDF5FileError,
    check_dataset,
    is_dataset,
    is_group,
    member,
    names,
    read_dataset,
)

_MAX_PROBE = 10_000  # groups looked at when asking whether an unexpected group holds weights


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
    layers = member(group, "layers", path)
    if not is_group(layers):
        raise HDF5FileError(f"{path}: no 'layers' group in the weights file; it is not a Keras 3 weights file")
    used = set()
    for auto, layer in _children(model):
        g = member(layers, auto, path)
        if g is None:
            if layer.weights:
                raise HDF5FileError(f'{path}: the file has no weights for layer "{layer.name}" (group layers/{auto}); '
                                    f"the file's layers are {sorted(names(layers, path))}")
            continue
        if not is_group(g):
            raise HDF5FileError(f"{path}: layers/{auto} should be a group")
        used.add(auto)
        if _is_container(layer):
            read_model(g, layer, path, skip_mismatch)
            continue
        _read_layer(g, layer, path, skip_mismatch)
    extra = [n for n in names(layers, path) if n not in used and _holds_weights(member(layers, n, path), path)]
    if extra and not skip_mismatch:
        raise HDF5FileError(f"{path}: the file holds weights for layer group(s) {sorted(extra)} that the model "
                            f"{getattr(model, 'name', '')!r} does not have (its layers: "
                            f"{[la.name for la in model.layers]}); refusing to ignore them")


def _holds_weights(obj: Any, path: str) -> bool:
    """Whether a group holds any dataset below it (bounded: a hostile file may link a group into itself)."""
    todo, seen = [obj], 0
    while todo:
        item = todo.pop()
        seen += 1
        if seen > _MAX_PROBE:
            return True
        if is_dataset(item):
            return True
        if is_group(item):
            todo.extend(member(item, n, path) for n in names(item, path))
    return False


def _write_layer(g: Any, layer: Any) -> None:
    """A layer's weights under ``vars``; a wrapper's (``_keras_weight_children``) under one group per wrapped
    layer, and an RNN's under ``cell/vars`` (``_keras_weights_subgroup``), where Keras 3 keeps them."""
    children = getattr(layer, "_keras_weight_children", None)
    sub = getattr(layer, "_keras_weights_subgroup", None)
    if children is not None or sub:
        g.create_group("vars").attrs["name"] = layer.name
        if children is not None:
            for key, child in children():
                _write_layer(g.create_group(key), child)
            return
        g = g.create_group(sub)
    v = g.create_group("vars")
    v.attrs["name"] = layer.name
    for i, w in enumerate(layer.weights):
        v.create_dataset(str(i), data=np.asarray(w._value))


def _read_layer(g: Any, layer: Any, path: str, skip_mismatch: bool) -> None:
    children = getattr(layer, "_keras_weight_children", None)
    if children is not None:
        for key, child in children():
            sub = member(g, key, path)
            if sub is None:
                raise HDF5FileError(f'{path}: the file has no weights for "{child.name}" inside layer '
                                    f'"{layer.name}" (group {key}); found {sorted(names(g, path))}')
            _read_layer(sub, child, path, skip_mismatch)
        return
    sub_name = getattr(layer, "_keras_weights_subgroup", None)
    if sub_name:
        sub = member(g, sub_name, path)
        if sub is not None:
            g = sub
    _assign(layer, stored_vars(g, path), path, skip_mismatch)


def stored_vars(g: Any, path: str) -> list[Any]:
    """The datasets ``vars/0``, ``vars/1``... of a group, unread."""
    group = member(g, "vars", path)
    if group is None:
        return []
    if not is_group(group):
        raise HDF5FileError(f"{path}: {g.name}/vars should be a group")
    count = len(names(group, path))
    out = []
    for i in range(count):
        ds = member(group, str(i), path)
        if ds is None:
            raise HDF5FileError(f"{path}: {group.name} holds {count} entries but no dataset {i!r}")
        out.append(ds)
    return out


def _assign(layer: Any, stored: list[Any], path: str, skip_mismatch: bool) -> None:
    """Check every stored dataset against the layer's weights, then read and assign them."""
    weights = layer.weights
    if len(stored) != len(weights):
        if skip_mismatch:
            return
        raise HDF5FileError(f'{path}: layer "{layer.name}" expects {len(weights)} weight(s), the file has '
                            f"{len(stored)}")
    for w, ds in zip(weights, stored):
        declared, _dtype = check_dataset(ds, path)
        if declared != tuple(w._value.shape):
            if skip_mismatch:
                return
            raise HDF5FileError(f'{path}: shape mismatch for weight "{w.name}" of layer "{layer.name}": the model '
                                f"expects {tuple(w._value.shape)}, the file has {declared}")
    values = [read_dataset(ds, path, tuple(w._value.shape)) for w, ds in zip(weights, stored)]
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


def read_optimizer(group: Any, model: Any, path: str = "the weights file", legacy_order: bool = False,
                   keras2: bool = False) -> bool:
    """Restore optimizer state when the file has one of the same layout; returns whether it did. The stored
    shapes are compared with the optimizer's own before any data is read; a layout that does not match is
    never assigned (that would scramble the moments): a warning says what was dropped.

    ``legacy_order``: the file was written by a tensorlet that stored the slots slot-major. ``keras2``: written
    by tf.keras 2.13+, whose optimizer keeps its learning rate out of the saved variables.
    """
    opt = getattr(model, "optimizer", None)
    if opt is None or not hasattr(opt, "set_weights"):
        return False
    g = member(group, "optimizer", path)
    if g is None:
        return False
    if not is_group(g):
        raise HDF5FileError(f"{path}: 'optimizer' should be a group")
    stored = stored_vars(g, path)
    if not stored:
        return False
    if hasattr(opt, "build") and not getattr(opt, "built", True):
        opt.build(model.trainable_weights)
    variables = list(opt.legacy_variables() if legacy_order and hasattr(opt, "legacy_variables")
                     else opt.variables)
    if keras2:
        lr = getattr(opt, "_lr_var", None)
        variables = [v for v in variables if v is not lr]
    return assign_optimizer_state(opt, variables, stored, path)


def assign_optimizer_state(opt: Any, variables: list[Any], stored: list[Any], path: str) -> bool:
    """Read ``stored`` (datasets) into ``variables`` of ``opt`` when every declared shape matches; otherwise warn,
    naming both layouts, and leave the fresh state (a partial match would scramble the moments)."""
    current = [tuple(getattr(v, "_value", v).shape) for v in variables]
    declared = [check_dataset(ds, path)[0] for ds in stored]
    if current != declared:
        warnings.warn(f"{path}: the saved optimizer state was not restored: the file holds {len(declared)} "
                      f"arrays of shapes {_shapes(declared)}, the model's {type(opt).__name__} has "
                      f"{len(current)} of shapes {_shapes(current)}. Training continues from a fresh optimizer "
                      "state (iterations 0, zero moments).", stacklevel=4)
        return False
    values = [read_dataset(ds, path, shape) for ds, shape in zip(stored, current)]
    for v, value in zip(variables, values):
        v.assign(value)
    return True


def _shapes(shapes: list[tuple[int, ...]]) -> str:
    text = ", ".join(str(s) for s in shapes[:8])
    return f"[{text}{', ...' if len(shapes) > 8 else ''}]"
