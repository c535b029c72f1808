"""A model's files: save a model, save its weights, load weights into it; the format chosen from the path.

- ``.keras``: the Keras 3 zip (config.json, metadata.json, model.weights.h5); other names are refused, as Keras 3
  refuses them (a SavedModel folder is ``tf.saved_model.save``);
- ``.h5`` / ``.hdf5``: the classic Keras 2 HDF5 file (kept working, with a DeprecationWarning);
- ``.weights.h5``: Keras 3 weights, with the optimizer's state when the model is compiled (as Keras 3 writes and
  reads them); other ``.h5`` weights files use the Keras 2 layout; weights saved under any
  other name are a checkpoint (``<name>.index`` and ``<name>.data-00000-of-00001``), as in tf.keras 2.
Every write goes to a temporary file in the same folder, then one rename: a crash never leaves a torn file.

These work on a model that exists, so ``Model.save`` and friends call them; building a model from a file is
``saving_api.load_model``, which sits above the layer and model packages.
"""
from __future__ import annotations

import os
import warnings
import zipfile
from typing import Any

from tensorlet.saving import keras_zip, legacy_h5, weights_store
from tensorlet.saving.atomic import atomic_path, require_h5py
from tensorlet.saving.file_errors import naming_the_file
from tensorlet.saving.hdf5_reader import member, open_file
from tensorlet.utils.zip_members import read_member

_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


def _is_h5(path: str) -> bool:
    return path.endswith((".h5", ".hdf5"))


def save_model(model: Any, filepath: Any, overwrite: bool = True, save_format: Any = None,
               include_optimizer: bool = True, **kwargs: Any) -> None:
    path = os.fspath(filepath)
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(f"{path} exists and overwrite=False")
    if save_format == "h5" or (save_format is None and _is_h5(path) and not path.endswith(".weights.h5")):
        warnings.warn("Saving to the legacy HDF5 format (.h5). tensorlet keeps it working; the .keras format is "
                      "the current one (model.save('model.keras')).", DeprecationWarning, stacklevel=3)
        legacy_h5.save_model(model, path, include_optimizer=include_optimizer)
        return
    if save_format not in (None, "keras", "h5") or (save_format is None and not path.endswith(".keras")):
        raise ValueError(f"model.save({path!r}): the file name must end in .keras (the Keras format) or .h5 (the "
                         "legacy HDF5 format); Keras 3 no longer writes a SavedModel folder from model.save. For a "
                         "folder, tensorlet has tf.saved_model.save(model, folder) (its own layout, not TensorFlow's "
                         "protobuf graph).")
    keras_zip.save(model, path, include_optimizer=include_optimizer)


def file_kind(path: str) -> str:
    """'h5' or 'zip' from the first bytes of the file at ``path``.

    Raises:
        FileNotFoundError / ValueError: for a missing path, a folder, or a file of neither kind.
    """
    if os.path.isdir(path):
        raise ValueError(f"{path} is a folder (a TensorFlow SavedModel?); tensorlet loads .keras and .h5 files, and "
                         "folders written by tensorlet's tf.saved_model.save")
    if not os.path.exists(path):
        raise FileNotFoundError(f"No file at {path}")
    with open(path, "rb") as f:
        head = f.read(8)
    if head == _HDF5_MAGIC:
        return "h5"
    if head[:2] == b"PK":
        return "zip"
    raise ValueError(f"{path} is neither a .keras zip nor an HDF5 file (first bytes {head!r}); it may be corrupted")


def save_weights(model: Any, filepath: Any, overwrite: bool = True, save_format: Any = None, **kwargs: Any) -> None:
    path = os.fspath(filepath)
    if save_format == "tf" or (save_format is None and not _is_h5(path) and not path.endswith(".keras")):
        from tensorlet.checkpoint import model_weights  # tf.keras 2: other names are checkpoint prefixes

        if not overwrite and model_weights.is_checkpoint(path):
            raise FileExistsError(f"{path} exists and overwrite=False")
        model_weights.save_weights(model, path, options=kwargs.get("options"))
        return
    h5py = require_h5py()
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(f"{path} exists and overwrite=False")
    keras3 = path.endswith(".weights.h5") or not _is_h5(path)
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:  # type: ignore[attr-defined]
        if keras3:
            weights_store.write_model(f, model)
            if getattr(model, "optimizer", None) is not None:  # Keras 3 keeps a compiled model's optimizer here too
                weights_store.write_optimizer(f, model.optimizer)
        else:
            legacy_h5.write_weights_group(f, model)


def load_weights(model: Any, filepath: Any, skip_mismatch: bool = False, by_name: bool = False,
                 **kwargs: Any) -> Any:
    path = os.fspath(filepath)
    from tensorlet.checkpoint import model_weights

    if model_weights.is_checkpoint(path):
        return model_weights.load_weights(model, path, by_name=by_name, skip_mismatch=skip_mismatch,
                                          options=kwargs.get("options"))
    require_h5py()
    if not os.path.exists(path):
        raise FileNotFoundError(f"No weights file at {path} (nor a checkpoint: no {path}.index)")
    with naming_the_file(path, "load weights from"):
        _load_weights(model, path, skip_mismatch, by_name)
    return None


def _load_weights(model: Any, path: str, skip_mismatch: bool, by_name: bool) -> None:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head[:2] == b"PK":
        try:
            z = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
            raise ValueError(f"{path}: not a valid .keras file ({e})") from None
        with z:
            data = read_member(z, keras_zip.WEIGHTS_NAME, keras_zip.weights_bound(model),
                               f"{path}: {keras_zip.WEIGHTS_NAME}")
        with open_file(bytes(data), f"{path}: {keras_zip.WEIGHTS_NAME}") as f:
            weights_store.read_model(f, model, path, skip_mismatch)
        return
    if head != _HDF5_MAGIC:
        raise ValueError(f"{path} is not an HDF5 weights file (first bytes {head!r}); it may be corrupted")
    with open_file(path) as f:
        group = member(f, "model_weights", path) if "model_weights" in f else f
        # Keras 3's layout: ``layers/...`` and ``vars``, or only attribute paths for a subclassed model; else the
        # Keras 2 layout (``layer_names``), whose reader names what a file that is neither lacks
        if "layers" in f or ("layer_names" not in group.attrs and not weights_store.is_graph_model(model)):
            weights_store.read_model(f, model, path, skip_mismatch)
            if getattr(model, "optimizer", None) is not None:  # as Keras 3 does for a compiled model
                weights_store.read_optimizer(f, model, path)
        else:
            legacy_h5.read_weights_group(group, model, path, by_name=by_name, skip_mismatch=skip_mismatch)
