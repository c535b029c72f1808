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
from tensorlet.saving.weights_store import assign_optimizer_state

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
        if with_weights and not layers and not getattr(model, "built", True):
            raise HDF5FileError(f"{path}: the file holds weights for layer(s) {with_weights}, but model "
                                f"{getattr(model, 'name', '')!r} is not built, so it has no weights to take them "
                                "(an .h5 file of a subclassed model keeps no input shape; Keras 3 cannot load it "
                                "either). Build the model by calling it on a batch, then call "
                                "model.load_weights(path); or save it as .keras, which keeps the build shape.")
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


def keras2_model_config(config: Any) -> Any:
    """A model config with every Functional graph in tf.keras 2's form, which tf.keras 2 (and Keras 3's legacy
    loader) require in ``.h5`` files: each inbound node a list of ``[layer, node, tensor, kwargs]``, and
    ``input_layers``/``output_layers`` lists of such references. Nodes that tf.keras 2 cannot express (an
    operation with constant operands) keep Keras 3's form."""
    if isinstance(config, list):
        return [keras2_model_config(c) for c in config]
    if not isinstance(config, dict):
        return config
    out = {k: keras2_model_config(v) for k, v in config.items()}
    inner = out.get("config")
    if isinstance(inner, dict) and "input_layers" in inner and isinstance(inner.get("layers"), list):
        for entry in inner["layers"]:
            if isinstance(entry, dict) and isinstance(entry.get("inbound_nodes"), list):
                entry["inbound_nodes"] = [_keras2_node(n) for n in entry["inbound_nodes"]]
        for key in ("input_layers", "output_layers"):
            refs = inner.get(key)
            if isinstance(refs, list) and len(refs) == 3 and isinstance(refs[0], str):
                inner[key] = [refs]  # one input/output: still a list of references in tf.keras 2
    return out


def _keras2_node(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    args, kwargs = node.get("args", []), node.get("kwargs", {}) or {}
    if len(args) != 1:  # several positional tensors (attention's query, value): tf.keras 2 has no such node
        return node
    tensors = args[0]
    tensors = tensors if isinstance(tensors, list) else [tensors]
    refs = []
    for t in tensors:
        history = t.get("config", {}).get("keras_history") if isinstance(t, dict) else None
        if not (isinstance(t, dict) and t.get("class_name") == "__keras_tensor__" and isinstance(history, list)):
            return node
        refs.append([history[0], history[1], history[2], kwargs])
    return refs


def keras2_training_config(compile_config: dict[str, Any]) -> dict[str, Any]:
    """``compile_config`` in tf.keras 2's ``training_config`` layout: the optimizer under ``optimizer_config`` as
    ``{"class_name", "config"}`` (Keras 2 and Keras 3's legacy loader read that key), without the arguments that
    tf.keras 2 optimizers refuse."""
    out = {k: compile_config.get(k) for k in ("loss", "metrics", "weighted_metrics", "loss_weights")}
    opt = compile_config.get("optimizer")
    if isinstance(opt, dict):
        config = {k: v for k, v in dict(opt.get("config", {})).items()
                  if not (k in _KERAS3_ONLY_OPTIMIZER_ARGS and v is None)}
        # tf.keras 2 builds a legacy optimizer_v2 from an .h5 config without this key (and then refuses its
        # arguments); Keras 3 refuses the key, but Keras 3.15 cannot compile any .h5 anyway (see the parity test)
        config["is_legacy_optimizer"] = False
        opt = {"class_name": opt.get("class_name"), "config": config}
    out["optimizer_config"] = opt
    return out


_KERAS3_ONLY_OPTIMIZER_ARGS = ("loss_scale_factor", "gradient_accumulation_steps")


def keras2_optimizer_variables(opt: Any) -> list[Any]:
    """The state tf.keras 2 keeps (its optimizer's ``variables``): Keras 3's order without the learning rate,
    which tf.keras 2 holds outside the list."""
    lr = getattr(opt, "_lr_var", None)
    return [v for v in opt.variables if v is not lr]


def save_model(model: Any, path: str, include_optimizer: bool = True) -> None:
    h5py = require_h5py()
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:  # type: ignore[attr-defined]
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(keras2_model_config(serialize_keras_object(model))).encode("utf8")
        cc = compile_config_of(model)
        if cc is not None:
            f.attrs["training_config"] = json.dumps(keras2_training_config(cc)).encode("utf8")
        write_weights_group(f.create_group("model_weights"), model)
        opt = getattr(model, "optimizer", None)
        if include_optimizer and cc is not None and opt is not None and getattr(opt, "built", False) and \
                hasattr(opt, "variables"):
            variables = keras2_optimizer_variables(opt)
            prefix = type(opt).__name__
            names, used = [], set()
            for v in variables:  # unique dataset names (two cells' slots may share a short name); read by order
                base = f"{prefix}/{v.name.split(':')[0]}" if v is not opt._iterations else "iteration"
                name, k = f"{base}:0", 0
                while name in used:
                    k += 1
                    name = f"{base}_{k}:0"
                used.add(name)
                names.append(name)
            g = f.create_group("optimizer_weights")
            g.attrs["weight_names"] = np.array([n.encode("utf8") for n in names])
            for n, v in zip(names, variables):
                g.create_dataset(n, data=np.asarray(v._value))


def _restore_optimizer(f: Any, model: Any, path: str, optimizer_config: Any) -> None:
    g = member(f, "optimizer_weights", path)
    if not is_group(g):
        return
    names = read_names(g, "weight_names", path, MAX_NAMES_BYTES)
    stored = []
    for name in names:
        ds = member_path(g, name, path)
        if ds is None:
            raise HDF5FileError(f"{path}: optimizer_weights lists {name!r}, which the file does not hold")
        stored.append(ds)
    opt = model.optimizer
    if not stored or not hasattr(opt, "variables"):
        return
    if hasattr(opt, "build") and not getattr(opt, "built", True):
        opt.build(model.trainable_weights)
    config = optimizer_config.get("config", {}) if isinstance(optimizer_config, dict) else {}
    if all(n.startswith("optimizer/var_") for n in names):
        variables = opt.legacy_variables()  # tensorlet before it followed Keras: learning rate, slot-major
    elif any(n.split(":")[0].rsplit("/", 1)[-1] == "learning_rate" for n in names):
        variables = list(opt.variables)  # Keras 3's .h5: its own order, learning rate included
    elif isinstance(config, dict) and config.get("is_legacy_optimizer"):
        # tf.keras 2's legacy optimizers (optimizer_v2): iterations, then each slot for every variable
        lr = getattr(opt, "_lr_var", None)
        variables = [v for v in opt.legacy_variables() if v is not lr]
    else:
        variables = keras2_optimizer_variables(opt)
    assign_optimizer_state(opt, variables, stored, path)


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
                _restore_optimizer(f, model, path, tc.get("optimizer") if isinstance(tc, dict) else None)
    return model
