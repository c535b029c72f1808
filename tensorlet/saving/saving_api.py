"""The public saving API: ``save_model``, ``load_model``, ``save_weights``, ``load_weights``, ``model_from_json``.

This is the top of the saving stack. Loading builds models from configs, so it imports the layer and model
packages (their classes register themselves when imported) before reading any file; nothing below it does.
"""
from __future__ import annotations

import json
import os
from typing import Any

import tensorlet.keras_ops.op_layer  # noqa: F401  (registers KerasOpLayer: models built with keras.ops calls)
import tensorlet.layers  # noqa: F401  (registers every built-in layer class)
import tensorlet.models  # noqa: F401  (registers Model, Sequential and Functional)
from tensorlet.saving import keras_zip, legacy_h5
from tensorlet.saving.file_errors import naming_the_file
from tensorlet.saving.model_files import file_kind, load_weights, save_model, save_weights  # noqa: F401
from tensorlet.saving.serialization import deserialize_keras_object


def load_model(filepath: Any, custom_objects: Any = None, compile: bool = True, safe_mode: bool = True,
               **kwargs: Any) -> Any:
    """A model from a ``.keras`` or ``.h5`` file (told apart by their first bytes, whatever the name).

    Args:
        filepath: the file (or a folder written by ``tf.saved_model.save`` for a Keras model, as tf.keras 2 loaded
            SavedModel folders).
        custom_objects: ``{name: class or function}`` for the user objects the file names (layers, losses,
            metrics, activations, initializers, regularizers, constraints); they take precedence over registered
            and built-in names.
        compile: whether to compile the model as it was saved (and restore the optimizer's state).
        safe_mode: refuse Lambda layers stored as Python bytecode (loading them would run code from the file).

    Raises:
        FileNotFoundError: no file at ``filepath``.
        ValueError: the file cannot be loaded (corrupted, hostile, or not a model file); the message names it
            and says what was wrong. docs/security.md says what loading a file may and may not do.
    """
    path = os.fspath(filepath)
    if os.path.isfile(os.path.join(path, "tensorlet_saved_model.json")) and \
            os.path.isfile(os.path.join(path, "model.keras")):  # a Keras model written by tf.saved_model.save
        path = os.path.join(path, "model.keras")
    with naming_the_file(path):
        if file_kind(path) == "h5":
            return legacy_h5.load_model(path, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)
        return keras_zip.load(path, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


def model_from_config(config: Any, custom_objects: Any = None) -> Any:
    """A model (or layer) from its config dict (``model.get_config()`` wrapped with its class name)."""
    return deserialize_keras_object(config, custom_objects=custom_objects)


def model_from_json(json_string: str, custom_objects: Any = None) -> Any:
    """A model from ``model.to_json()``: the architecture only, with freshly initialized weights."""
    try:
        config = json.loads(json_string)
    except json.JSONDecodeError as e:
        raise ValueError(f"model_from_json: the string is not valid JSON ({e})") from None
    return deserialize_keras_object(config, custom_objects=custom_objects)
