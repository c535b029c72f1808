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

Reading goes through :mod:`tensorlet.saving.hdf5_reader`: every dataset's shape and type are compared with the
model's variable before its data is read, and links, external storage and virtual datasets are refused.
"""
from __future__ import annotations

import warnings
from typing import Any, Iterator

import numpy as np

from tensorlet.layers import tracking
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


def _is_model(layer: Any) -> bool:
    return hasattr(layer, "layers") and hasattr(layer, "compile")


def is_graph_model(layer: Any) -> bool:
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
        if is_graph_model(obj):
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
    own_saver = getattr(layer, "save_own_variables", None)  # Keras 3's hook: named entries (lookup tables' idf)
    if children is not None or sub:
        top = group.create_group("vars")
        top.attrs["name"] = layer.name
        if own_saver is not None:
            own_saver(top)
        if children is not None:
            for key, child in children():
                _write(group.create_group(key), child, visited)
            return
        group = group.create_group(sub)
    v = group.create_group("vars")
    v.attrs["name"] = layer.name
    if own_saver is not None:
        own_saver(v)
        return
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


def _group(g: Any, key: str, path: str) -> Any:
    """The group at ``key`` (segments joined by '/') below ``g``, through hard links only; None when absent."""
    for part in key.split("/"):
        g = member(g, part, path)
        if g is None:
            return None
        if not is_group(g):
            raise HDF5FileError(f"{path}: {key} should be a group")
    return g


def _read(g: Any, layer: Any, path: str, skip_mismatch: bool, visited: set[int], where: str) -> None:
    if id(layer) in visited:
        return
    visited.add(id(layer))
    children = getattr(layer, "_keras_weight_children", None)
    own_loader = getattr(layer, "load_own_variables", None)  # Keras 3's hook (see _write)
    if own_loader is not None:
        own = _group(g, "vars", path)
        if own is not None:
            own_loader(own)
            if children is None:
                return
    if children is not None:
        for key, child in children():
            sub = _group(g, key, path)
            if sub is None:
                raise HDF5FileError(f'{path}: the file has no weights for "{child.name}" inside layer '
                                    f'"{layer.name}" (group {where}{key}); found {sorted(names(g, path))}')
            _read(sub, child, path, skip_mismatch, visited, f"{where}{key}/")
        return
    sub_name = getattr(layer, "_keras_weights_subgroup", None)
    if sub_name:
        sub = _group(g, sub_name, path)
        if sub is not None:
            g = sub
    nested = _has_children(layer)
    own = _own_variables(layer) if nested else layer.weights
    stored = stored_vars(g, path)
    if own or stored:
        _assign(layer, own, stored, path, skip_mismatch)
    if not nested:
        return
    used: set[str] = set()
    for key, child in _children(layer):
        if id(child) in visited:
            continue
        sub = _group(g, key, path)
        if sub is None:
            if child.weights:
                raise HDF5FileError(f'{path}: the file has no weights for layer "{child.name}" (group {where}{key}); '
                                    f"the file has {sorted(names(g, path))} at {where or 'the top'}")
            visited.add(id(child))
            continue
        used.add(key)
        _read(sub, child, path, skip_mismatch, visited, f"{where}{key}/")
    if is_graph_model(layer) and not skip_mismatch:
        _refuse_extra_layers(g, layer, used, path, where)


def _refuse_extra_layers(g: Any, model: Any, used: set[str], path: str, where: str) -> None:
    """A graph model's file holding weights under ``layers/`` for layers the model does not have is refused."""
    layers = _group(g, "layers", path)
    if layers is None:
        return
    extra = [n for n in names(layers, path)
             if f"layers/{n}" not in used and _holds_weights(member(layers, n, path), path)]
    if extra:
        raise HDF5FileError(f"{path}: the file holds weights for layer group(s) {sorted(extra)} under "
                            f"{where}layers that the model {getattr(model, 'name', '')!r} does not have (its layers: "
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


def _assign(layer: Any, weights: list[Any], stored: list[Any], path: str, skip_mismatch: bool) -> None:
    """Check every stored dataset against the layer's weights, then read and assign them."""
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
    if len(stored) <= 2 and all(check_dataset(ds, path)[0] == () for ds in stored):
        # an optimizer saved before its first step (Keras 3 writes its iterations and learning rate): no state
        # to restore beyond the step count, and nothing to warn about
        opt._iterations.assign(read_dataset(stored[0], path, ()))
        return True
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


def layer_paths(model: Any, prefix: str = "", seen: set[int] | None = None) -> list[tuple[str, Any]]:
    """Every layer of ``model`` with its path in Keras 3 files (``layers/<auto name>``, attribute paths, and the
    groups of wrapped layers and cells below them), nested models included: where weights and assets go."""
    seen = set() if seen is None else seen
    out: list[tuple[str, Any]] = []
    for key, layer in _children(model):
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        path = f"{prefix}{key}"
        if _has_children(layer):
            out += [(path, layer)] + layer_paths(layer, f"{path}/", seen)
        else:
            out += _with_children(path, layer)
    return out


def _with_children(path: str, layer: Any) -> list[tuple[str, Any]]:
    out = [(path, layer)]
    children = getattr(layer, "_keras_weight_children", None)
    for key, child in (children() if children is not None else []):
        out += _with_children(f"{path}/{key}", child)
    return out


def _shapes(shapes: list[tuple[int, ...]]) -> str:
    text = ", ".join(str(s) for s in shapes[:8])
    return f"[{text}{', ...' if len(shapes) > 8 else ''}]"
