"""The classic Keras 2 HDF5 files: a full model (``model.save('m.h5')``) and weights (``save_weights('w.h5')``).

Layout: root attributes ``model_config``/``training_config`` (JSON text), a ``model_weights`` group with a
``layer_names`` attribute and one group per layer holding ``<layer>/<weight>:0`` datasets listed in its
``weight_names`` attribute, and ``optimizer_weights``.
"""
from __future__ import annotations

import json
from typing import Any

import numpy as np

from tensorlet.layers import tracking
from tensorlet.saving.atomic import atomic_path, require_h5py
from tensorlet.saving.compile_config import compile_config_of, compile_from_config
from tensorlet.saving.registry import CustomObjectScope
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object
from tensorlet.saving.weights_store import optimizer_state


def _weight_names(layer: Any) -> list[str]:
    names, seen = [], set()
    for w in layer.weights:
        base = f"{layer.name}/{w.name}"
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
        name, k = base, 1
        while name + ":0" in out:
            name, k = f"{base}_{k}", k + 1
        out.append(name + ":0")
    return out


def read_weights_group(group: Any, model: Any, path: str, by_name: bool = False, skip_mismatch: bool = False) -> None:
    if "layer_names" not in group.attrs:
        raise ValueError(f"{path}: not a Keras 2 weights file (no 'layer_names' attribute)")
    names = [n.decode("utf8") if isinstance(n, bytes) else str(n) for n in group.attrs["layer_names"]]
    stored = {}
    for name in names:
        g = group[name]
        wnames = [n.decode("utf8") if isinstance(n, bytes) else str(n) for n in g.attrs.get("weight_names", [])]
        stored[name] = [np.asarray(g[w]) for w in wnames]
    layers = [la for la in _legacy_layers(model) if la.weights]
    if by_name:
        pairs = [(la, stored[la.name]) for la in layers if la.name in stored]
    else:
        with_weights = [n for n in names if stored[n]]
        if len(with_weights) != len(layers):
            raise ValueError(f"{path}: the file holds weights for {len(with_weights)} layer(s) {with_weights}, the "
                             f"model has {len(layers)} layer(s) with weights {[la.name for la in layers]}")
        pairs = [(la, stored[n]) for la, n in zip(layers, with_weights)]
    for layer, values in pairs:
        if len(values) != len(layer.weights) or any(tuple(v.shape) != tuple(w._value.shape)
                                                    for v, w in zip(values, layer.weights)):
            if skip_mismatch:
                continue
            raise ValueError(f'{path}: weights for layer "{layer.name}" do not match: the model expects '
                             f"{[tuple(w._value.shape) for w in layer.weights]}, the file has "
                             f"{[tuple(v.shape) for v in values]}")
        for w, v in zip(layer.weights, values):
            w.assign(v)
    own = _top_level_weights(model)
    if own or "top_level_model_weights" in group:
        g = group["top_level_model_weights"] if "top_level_model_weights" in group else None
        wnames = [] if g is None else [n.decode("utf8") if isinstance(n, bytes) else str(n)
                                       for n in g.attrs.get("weight_names", [])]
        values = [np.asarray(g[n]) for n in wnames] if g is not None else []
        if len(values) != len(own) or any(tuple(v.shape) != tuple(w._value.shape) for v, w in zip(values, own)):
            if not skip_mismatch:
                raise ValueError(f'{path}: the model\'s own variables do not match: model "{model.name}" has '
                                 f"{[tuple(w._value.shape) for w in own]}, the file's top_level_model_weights "
                                 f"{[tuple(v.shape) for v in values]}")
        else:
            for w, v in zip(own, values):
                w.assign(v)


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


def _restore_optimizer(f: Any, model: Any) -> None:
    if "optimizer_weights" not in f:
        return
    g = f["optimizer_weights"]
    names = [n.decode("utf8") if isinstance(n, bytes) else n for n in g.attrs.get("weight_names", [])]
    values = [np.asarray(g[n]) for n in names]
    opt = model.optimizer
    if values and hasattr(opt, "set_weights"):
        if hasattr(opt, "build") and not getattr(opt, "built", True):
            opt.build(model.trainable_weights)
        try:
            opt.set_weights(values)
        except ValueError:
            pass  # a different optimizer layout (e.g. Keras 2's): keep a fresh state


def load_model(path: str, custom_objects: Any = None, compile: bool = True, safe_mode: bool = True) -> Any:
    """The model in a Keras 2 ``.h5`` file. Its classes must be registered: ``saving_api.load_model`` imports the
    layer and model packages first."""
    h5py = require_h5py()
    try:
        f = h5py.File(path, "r")  # type: ignore[attr-defined]
    except OSError as e:
        raise ValueError(f"{path} is not a readable HDF5 file (corrupted or truncated?): {e}") from None
    with f:
        raw = f.attrs.get("model_config")
        if raw is None:
            raise ValueError(f"{path} has no model config: it holds weights only. Build the model and call "
                             "model.load_weights(path) instead.")
        with CustomObjectScope(custom_objects or {}):  # compile resolves the custom loss/metric names here too
            try:
                config = json.loads(raw.decode("utf8") if isinstance(raw, bytes) else raw)
                model = deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise ValueError(f"{path}: the model config is corrupted ({type(e).__name__}: {e})") from None
            try:
                read_weights_group(f["model_weights"], model, path)
            except KeyError as e:
                raise ValueError(f"{path}: the weights are corrupted or missing ({e})") from None
            training = f.attrs.get("training_config")
            if compile and training is not None:
                tc = json.loads(training.decode("utf8") if isinstance(training, bytes) else training)
                if "optimizer_config" in tc and "optimizer" not in tc:  # the Keras 2 spelling
                    tc["optimizer"] = tc["optimizer_config"]
                compile_from_config(model, tc)
                _restore_optimizer(f, model)
    return model
