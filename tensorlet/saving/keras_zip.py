"""The ``.keras`` format, laid out as Keras 3 lays it out: a zip of config.json, metadata.json and
model.weights.h5. Nothing in the file is executed or unpickled on load.

Loading is bounded by the model: config.json may inflate to ``MAX_CONFIG_BYTES``; the model it describes may
create weights up to a few times the declared size of model.weights.h5 (``weight_budget``); and
model.weights.h5 may inflate to :func:`weights_bound` of that model. Sizes are checked as declared and as they
stream, so a zip bomb is refused with the member's name before it costs memory.
"""
from __future__ import annotations

import datetime
import io
import json
import os
import zipfile
from typing import Any

from tensorlet.saving import weight_budget, weights_store
from tensorlet.saving.atomic import atomic_path, require_h5py
from tensorlet.saving.compile_config import compile_from_config
from tensorlet.saving.hdf5_reader import open_file
from tensorlet.saving.registry import CustomObjectScope
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object
from tensorlet.utils.zip_members import read_member

KERAS_VERSION = "3.15.1"  # the format version we write; Keras 3 reads it
MAX_CONFIG_BYTES = 1 << 26  # 64 MiB of JSON: far more than any model's config
WEIGHTS_NAME = "model.weights.h5"
MAX_ASSET_BYTES = 1 << 30  # one layer's asset file (a vocabulary): 1 GiB


def weights_bound(model: Any) -> int:
    """The most a weights file for ``model`` may hold: each variable as float64, six times over (the weights and
    up to five optimizer slots), 64 KiB of HDF5 structure per variable, and 1 MiB besides."""
    variables = list(getattr(model, "weights", []))
    values = sum(int(getattr(w, "_value", w).size) for w in variables)
    return 6 * 8 * values + (64 << 10) * 6 * len(variables) + (1 << 20)


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


def _load_assets(model: Any, archive: zipfile.ZipFile, where: str) -> None:
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
                fh.write(read_member(archive, name, MAX_ASSET_BYTES, f"{where}: {name}"))
        for layer_path, layer in loaders:
            folder = os.path.join(root, *layer_path.split("/"))
            if os.path.isdir(folder):
                layer.load_assets(folder)


def load(path: str, custom_objects: Any = None, compile: bool = True, safe_mode: bool = True) -> Any:
    """The model in a ``.keras`` file. Its classes must be registered: ``saving_api.load_model`` imports the layer
    and model packages first."""
    require_h5py()
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        raise ValueError(f"{path} is not a valid .keras file (corrupted or truncated zip): {e}") from None
    except (OSError, EOFError, zipfile.LargeZipFile, ValueError) as e:
        raise ValueError(f"{path} could not be read as a .keras file: {e}") from None
    with z:
        names = set(z.namelist())
        missing = {"config.json", WEIGHTS_NAME} - names
        if missing:
            raise ValueError(f"{path} is not a valid .keras file: missing {sorted(missing)} (has {sorted(names)[:20]})")
        raw = read_member(z, "config.json", MAX_CONFIG_BYTES, f"{path}: config.json")
        try:
            config = json.loads(bytes(raw))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ValueError(f"{path}: config.json is corrupted: {e}") from None
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(f"{path}: config.json does not describe a model")
        stored = z.getinfo(WEIGHTS_NAME).file_size
        with CustomObjectScope(custom_objects or {}):  # compile resolves the custom loss/metric names here too
            with weight_budget.budget(weight_budget.creation_bound(stored), f"{path}: config.json"):
                model = deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
            compile_config = config.get("compile_config")
            if compile and compile_config:
                compile_from_config(model, compile_config)
        weights = read_member(z, WEIGHTS_NAME, weights_bound(model), f"{path}: {WEIGHTS_NAME}")
    with open_file(bytes(weights), f"{path}: {WEIGHTS_NAME}") as f:
        weights_store.read_model(f, model, path)
        if compile and getattr(model, "optimizer", None) is not None:
            weights_store.read_optimizer(f, model, path)
    with zipfile.ZipFile(path) as z:
        _load_assets(model, z, path)
    return model


def is_keras_zip(path: str) -> bool:
    return os.path.isfile(path) and zipfile.is_zipfile(path)
