"""The ``.keras`` format, laid out as Keras 3 lays it out: a zip of config.json, metadata.json and
model.weights.h5. Nothing in the file is executed or unpickled on load."""
from __future__ import annotations

import datetime
import io
import json
import os
import zipfile
from typing import Any

from tensorlet.saving import weights_store
from tensorlet.saving.atomic import atomic_path, require_h5py
from tensorlet.saving.compile_config import compile_from_config
from tensorlet.saving.registry import CustomObjectScope
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object

KERAS_VERSION = "3.15.1"  # the format version we write; Keras 3 reads it


def model_config(model: Any) -> dict[str, Any]:
    config = serialize_keras_object(model)
    if type(model).__name__ == "Functional":
        config["module"] = "keras.src.models.functional"
        config["registered_name"] = "Functional"
        inner = config["config"]
        for key in ("input_layers", "output_layers"):  # a single input/output is written flat, as Keras does
            refs = inner[key]
            if isinstance(refs, list) and len(refs) == 1 and isinstance(refs[0], list):
                inner[key] = refs[0]
    elif type(model).__name__ == "Sequential":
        config["module"] = "keras"
    compile_config = getattr(model, "_compile_config", None)
    config["compile_config"] = compile_config() if callable(compile_config) else None
    return config


def save(model: Any, path: str, include_optimizer: bool = True) -> None:
    h5py = require_h5py()
    config = model_config(model)
    metadata = {"keras_version": KERAS_VERSION, "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
                "producer": "tensorlet"}
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:  # type: ignore[attr-defined]
        weights_store.write_model(f, model)
        if include_optimizer and getattr(model, "optimizer", None) is not None:
            weights_store.write_optimizer(f, model.optimizer)
    assets = _saved_assets(model)
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w") as z:
        z.writestr("metadata.json", json.dumps(metadata))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", buffer.getvalue(), compress_type=zipfile.ZIP_STORED)
        for name, data in assets:
            z.writestr(name, data)


def _saved_assets(model: Any) -> list[tuple[str, bytes]]:
    """The files layers write with Keras 3's ``save_assets(dir)`` (a vocabulary...), as ``assets/<layer path>/...``
    zip entries."""
    import tempfile

    out: list[tuple[str, bytes]] = []
    savers = [(p, layer) for p, layer in weights_store.layer_paths(model) if hasattr(layer, "save_assets")]
    if not savers:
        return out
    with tempfile.TemporaryDirectory() as root:
        for layer_path, layer in savers:
            folder = os.path.join(root, *layer_path.split("/"))
            os.makedirs(folder, exist_ok=True)
            layer.save_assets(folder)
            for dirpath, _, files in os.walk(folder):
                for f in files:
                    full = os.path.join(dirpath, f)
                    rel = os.path.relpath(full, root).replace(os.sep, "/")
                    if not any(rel == name for name, _ in out):
                        with open(full, "rb") as fh:
                            out.append((f"assets/{rel}", fh.read()))
    return out


def _load_assets(model: Any, archive: zipfile.ZipFile) -> None:
    """Hand each layer with ``load_assets`` its folder of the archive's ``assets/`` (when it has one)."""
    import tempfile

    loaders = [(p, layer) for p, layer in weights_store.layer_paths(model) if hasattr(layer, "load_assets")]
    names = [n for n in archive.namelist() if n.startswith("assets/") and not n.endswith("/")]
    if not loaders or not names:
        return
    with tempfile.TemporaryDirectory() as root:
        for name in names:
            target = os.path.realpath(os.path.join(root, *name.split("/")[1:]))
            if not target.startswith(os.path.realpath(root) + os.sep):
                raise ValueError(f"Unsafe asset path in the .keras file: {name!r}")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(archive.read(name))
        for layer_path, layer in loaders:
            folder = os.path.join(root, *layer_path.split("/"))
            if os.path.isdir(folder):
                layer.load_assets(folder)


def load(path: str, custom_objects: Any = None, compile: bool = True, safe_mode: bool = True) -> Any:
    """The model in a ``.keras`` file. Its classes must be registered: ``saving_api.load_model`` imports the layer
    and model packages first."""
    h5py = require_h5py()
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            missing = {"config.json", "model.weights.h5"} - names
            if missing:
                raise ValueError(f"{path} is not a valid .keras file: missing {sorted(missing)} (has {sorted(names)})")
            config = json.loads(z.read("config.json"))
            weights = z.read("model.weights.h5")
    except zipfile.BadZipFile as e:
        raise ValueError(f"{path} is not a valid .keras file (corrupted or truncated zip): {e}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: config.json is corrupted: {e}") from None
    except (OSError, EOFError, zipfile.LargeZipFile) as e:
        raise ValueError(f"{path} could not be read as a .keras file: {e}") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"{path}: config.json does not describe a model")
    with CustomObjectScope(custom_objects or {}):  # compile resolves the custom loss/metric names here too
        try:
            model = deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
        except (KeyError, TypeError, IndexError) as e:
            raise ValueError(f"{path}: the model config could not be rebuilt ({type(e).__name__}: {e})") from None
        compile_config = config.get("compile_config")
        if compile and compile_config:
            compile_from_config(model, compile_config)
    try:
        with h5py.File(io.BytesIO(weights), "r") as f:  # type: ignore[attr-defined]
            weights_store.read_model(f, model, path)
            if compile and getattr(model, "optimizer", None) is not None:
                weights_store.read_optimizer(f, model)
    except (OSError, KeyError) as e:
        raise ValueError(f"{path}: model.weights.h5 is corrupted or truncated: {e}") from None
    with zipfile.ZipFile(path) as z:
        _load_assets(model, z)
    return model


def is_keras_zip(path: str) -> bool:
    return os.path.isfile(path) and zipfile.is_zipfile(path)
