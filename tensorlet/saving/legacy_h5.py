"""The classic Keras 2 HDF5 files: a full model (``model.save('m.h5')``) and weights (``save_weights('w.h5')``).

Layout: root attributes ``model_config``/``training_config`` (JSON text), a ``model_weights`` group with a
``layer_names`` attribute and one group per layer holding ``<layer>/<weight>:0`` datasets listed in its
``weight_names`` attribute, and ``optimizer_weights``.

Reading goes through :mod:`tensorlet.saving.hdf5_reader`: attribute sizes and every dataset's shape and type are
checked against the model before any data is read.
"""
from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from tensorlet.layers import tracking
from tensorlet.saving import weight_budget
from tensorlet.saving.atomic import atomic_path, require_h5py
from tensorlet.saving.compile_config import compile_config_of, compile_from_config
from tensorlet.saving.hdf5_reader import (
    HDF5FileError,
    check_dataset,
    is_group,
    member,
    open_file,
    read_dataset,
    read_names,
    read_text,
)
from tensorlet.saving.registry import CustomObjectScope
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object
from tensorlet.saving.weights_store import optimizer_state

MAX_CONFIG_BYTES = 1 << 26  # 64 MiB of JSON: far more than any model's config
MAX_NAMES_BYTES = 1 << 24


def _weight_names(layer: Any) -> list[str]:
    names, seen = [], set()
    for w in layer.weights:
        base = f"{layer.name}/{w._name}"  # the weight's own name; w.name is TF 2's full 'layer/name:0'
        name, k = base, 1
        while name in seen:
            name, k = f"{base}_{k}", k + 1
        seen.add(name)
        names.append(name + ":0")
    return names


def _legacy_layers(model: Any) -> list[Any]:
    return list(model.layers)


def write_weights_group(group: Any, model: Any) -> None:
    layers = _legacy_layers(model)
    group.attrs["layer_names"] = np.array([la.name.encode("utf8") for la in layers])
    group.attrs["backend"] = b"tensorflow"
    group.attrs["keras_version"] = b"2.15.0"
    for layer in layers:
        g = group.create_group(layer.name)
        names = _weight_names(layer)
        g.attrs["weight_names"] = np.array([n.encode("utf8") for n in names])
        for name, w in zip(names, layer.weights):
            g.create_dataset(name, data=np.asarray(w._value))
    own = _top_level_weights(model)
    if own:  # a subclassed model's own variables (self.w = tf.Variable(...)), where tf.keras 2 keeps them
        g = group.create_group("top_level_model_weights")
        names = _unique_names([w.name for w in own])
        g.attrs["weight_names"] = np.array([n.encode("utf8") for n in names])
        for name, w in zip(names, own):
            g.create_dataset(name, data=np.asarray(w._value))


def _top_level_weights(model: Any) -> list[Any]:
    own = tracking.own_variables(model)
    return [w for w in own if w.trainable] + [w for w in own if not w.trainable]


def _unique_names(names: list[str]) -> list[str]:
    out: list[str] = []
    for base in names:
        base = base[:-2] if base.endswith(":0") else base  # TensorFlow 2 names end in ':0' already
        name, k = base, 1
        while name + ":0" in out:
            name, k = f"{base}_{k}", k + 1
        out.append(name + ":0")
    return out


def member_path(group: Any, path: str, where: str) -> Any:
    """``group[path]`` for a slash-separated path, one hard link at a time (no link is followed)."""
    obj = group
    for part in path.split("/"):
        if not part:
            continue
        if not is_group(obj):
            return None
        obj = member(obj, part, where)
        if obj is None:
            return None
    return obj


def _stored(group: Any, name: str, path: str) -> list[Any]:
    g = member(group, name, path)
    if not is_group(g):
        raise HDF5FileError(f"{path}: the file lists layer {name!r} in 'layer_names' but has no group for it")
    out = []
    for wname in read_names(g, "weight_names", path, MAX_NAMES_BYTES):
        ds = member_path(g, wname, path)
        if ds is None:
            raise HDF5FileError(f"{path}: layer {name!r} lists weight {wname!r}, which the file does not hold")
        out.append(ds)
    return out


def read_weights_group(group: Any, model: Any, path: str, by_name: bool = False, skip_mismatch: bool = False) -> None:
    if "layer_names" not in group.attrs:
        raise HDF5FileError(f"{path}: not a Keras 2 weights file (no 'layer_names' attribute)")
    names = read_names(group, "layer_names", path, MAX_NAMES_BYTES)
    stored = {name: _stored(group, name, path) for name in names}
    layers = [la for la in _legacy_layers(model) if la.weights]
    if by_name:
        pairs = [(la, stored[la.name]) for la in layers if la.name in stored]
    else:
        with_weights = [n for n in names if stored[n]]
        if len(with_weights) != len(layers):
            raise HDF5FileError(f"{path}: the file holds weights for {len(with_weights)} layer(s) {with_weights}, "
                                f"the model has {len(layers)} layer(s) with weights {[la.name for la in layers]}")
        pairs = [(la, stored[n]) for la, n in zip(layers, with_weights)]
    checked = []
    for layer, datasets in pairs:
        shapes = [check_dataset(ds, path)[0] for ds in datasets]  # declared shapes: nothing read yet
        expected = [tuple(w._value.shape) for w in layer.weights]
        if shapes != expected:
            if skip_mismatch:
                continue
            raise HDF5FileError(f'{path}: weights for layer "{layer.name}" do not match: the model expects '
                                f"{expected}, the file has {shapes}")
        checked.append((layer, datasets, expected))
    for layer, datasets, expected in checked:
        values = [read_dataset(ds, path, shape) for ds, shape in zip(datasets, expected)]
        for w, v in zip(layer.weights, values):
            w.assign(v)
    own = _top_level_weights(model)
    top = member(group, "top_level_model_weights", path)
    if own or top is not None:  # a subclassed model's own variables, where tf.keras 2 keeps them
        datasets = _stored(group, "top_level_model_weights", path) if top is not None else []
        shapes = [check_dataset(ds, path)[0] for ds in datasets]
        expected = [tuple(w._value.shape) for w in own]
        if shapes != expected:
            if not skip_mismatch:
                raise HDF5FileError(f'{path}: the model\'s own variables do not match: model "{model.name}" has '
                                    f"{expected}, the file's top_level_model_weights {shapes}")
        else:
            for w, ds, shape in zip(own, datasets, expected):
                w.assign(read_dataset(ds, path, shape))


def save_model(model: Any, path: str, include_optimizer: bool = True) -> None:
    h5py = require_h5py()
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:  # type: ignore[attr-defined]
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(serialize_keras_object(model)).encode("utf8")
        cc = compile_config_of(model)
        if cc is not None:
            f.attrs["training_config"] = json.dumps(cc).encode("utf8")
        write_weights_group(f.create_group("model_weights"), model)
        if include_optimizer and cc is not None:
            state = optimizer_state(model.optimizer)
            g = f.create_group("optimizer_weights")
            names = [f"optimizer/var_{i}:0" for i in range(len(state))]
            g.attrs["weight_names"] = np.array([n.encode("utf8") for n in names])
            for n, v in zip(names, state):
                g.create_dataset(n, data=v)


def _restore_optimizer(f: Any, model: Any, path: str) -> None:
    g = member(f, "optimizer_weights", path)
    if not is_group(g):
        return
    stored = []
    for name in read_names(g, "weight_names", path, MAX_NAMES_BYTES):
        ds = member_path(g, name, path)
        if ds is None:
            raise HDF5FileError(f"{path}: optimizer_weights lists {name!r}, which the file does not hold")
        stored.append(ds)
    opt = model.optimizer
    if not stored or not hasattr(opt, "set_weights"):
        return
    if hasattr(opt, "build") and not getattr(opt, "built", True):
        opt.build(model.trainable_weights)
    current = optimizer_state(opt)
    if len(current) != len(stored) or any(check_dataset(ds, path)[0] != c.shape for c, ds in zip(current, stored)):
        return  # a different optimizer layout (e.g. Keras 2's): keep a fresh state
    opt.set_weights([read_dataset(ds, path, c.shape) for c, ds in zip(current, stored)])


def load_model(path: str, custom_objects: Any = None, compile: bool = True, safe_mode: bool = True) -> Any:
    """The model in a Keras 2 ``.h5`` file. Its classes must be registered: ``saving_api.load_model`` imports the
    layer and model packages first."""
    with open_file(path) as f:
        raw = read_text(f, "model_config", path, MAX_CONFIG_BYTES)
        if raw is None:
            raise ValueError(f"{path} has no model config: it holds weights only. Build the model and call "
                             "model.load_weights(path) instead.")
        with CustomObjectScope(custom_objects or {}):  # compile resolves the custom loss/metric names here too
            try:
                config = json.loads(raw)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}: the model config is corrupted (not JSON: {e})") from None
            with weight_budget.budget(weight_budget.creation_bound(os.path.getsize(path)), f"{path}: model_config"):
                model = deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
            weights = member(f, "model_weights", path)
            if not is_group(weights):
                raise HDF5FileError(f"{path}: no 'model_weights' group: the file holds no weights")
            read_weights_group(weights, model, path)
            training = read_text(f, "training_config", path, MAX_CONFIG_BYTES)
            if compile and training is not None:
                try:
                    tc = json.loads(training)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{path}: the training config is corrupted (not JSON: {e})") from None
                if isinstance(tc, dict) and "optimizer_config" in tc and "optimizer" not in tc:  # Keras 2 spelling
                    tc["optimizer"] = tc["optimizer_config"]
                compile_from_config(model, tc)
                _restore_optimizer(f, model, path)
    return model
