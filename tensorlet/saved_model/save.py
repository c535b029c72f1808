"""``tf.saved_model.save``: a directory that tensorlet reads back with ``tf.saved_model.load``.

TensorFlow's SavedModel is a protocol-buffer graph of every ``tf.function`` (``saved_model.pb``) plus a checkpoint of
the variables. tensorlet does not produce that graph, and TensorFlow cannot load what tensorlet writes. What it
writes instead, under TensorFlow's directory names::

    <dir>/tensorlet_saved_model.json        what was saved, its functions and its signatures (inputs, outputs)
    <dir>/variables/variables.index         a tensorlet checkpoint of the object (tf.train.Checkpoint(root=obj))
    <dir>/variables/variables.data-00000-of-00001
    <dir>/model.keras                       Keras models only: architecture, weights and compile settings
    <dir>/assets/                           empty (TensorFlow's asset folder)

A Keras model comes back whole (``loaded(x)``, ``loaded.predict``, ``loaded.signatures``); a plain ``tf.Module``
comes back as its variables, in the attributes it had, and its functions raise a clear error when called, since
rebuilding them needs their Python code. The JSON file is written last, so a directory without it is incomplete.
"""
from __future__ import annotations

import json
import os
from typing import Any

from tensorlet.autodiff.traced_function import TracedFunction
from tensorlet.checkpoint import graph
from tensorlet.checkpoint.checkpoint import Checkpoint
from tensorlet.saved_model import signatures as sig
from tensorlet.saving.atomic import atomic_path

METADATA = "tensorlet_saved_model.json"
FORMAT = "tensorlet-saved-model"
VERSION = 1


class SaveOptions:
    """``tf.saved_model.SaveOptions``: accepted; tensorlet writes the same directory whatever they say."""

    def __init__(self, namespace_whitelist: Any = None, save_debug_info: bool = False, function_aliases: Any = None,
                 experimental_io_device: Any = None, experimental_variable_policy: Any = None,
                 experimental_custom_gradients: bool = True, experimental_image_format: bool = False,
                 experimental_skip_saver: bool = False, experimental_sharding_callback: Any = None,
                 extra_tags: Any = None) -> None:
        self.namespace_whitelist = namespace_whitelist
        self.save_debug_info = save_debug_info
        self.function_aliases = function_aliases
        self.experimental_io_device = experimental_io_device


def _rebuildable_keras_model(obj: Any) -> bool:
    from tensorlet.models.functional import Functional
    from tensorlet.saving import registry

    return isinstance(obj, Functional) or registry.registered_name_of(type(obj)) is not None


def traced_functions(obj: Any) -> list[str]:
    """Names of the ``tf.function`` attributes of ``obj`` and its class (methods included)."""
    names = []
    for klass in type(obj).__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, TracedFunction) and name not in names:
                names.append(name)
    for name, value in getattr(obj, "__dict__", {}).items():
        if isinstance(value, TracedFunction) and name not in names:
            names.append(name)
    return names


def _sources(obj: Any, signatures: Any, keras_model: bool) -> dict[str, sig.SignatureSource]:
    if signatures is None:
        if keras_model:
            default = sig.keras_default(obj)
            return {sig.DEFAULT: default} if default is not None else {}
        functions = traced_functions(obj)  # TensorFlow's rule: exactly one tf.function, with an input_signature
        only = getattr(type(obj), functions[0], None) or getattr(obj, functions[0]) if len(functions) == 1 else None
        if getattr(only, "input_signature", None) is None:
            return {}
        return {sig.DEFAULT: sig.source_of(sig.DEFAULT, getattr(obj, functions[0]))}
    if not isinstance(signatures, dict):
        signatures = {sig.DEFAULT: signatures}
    return {str(name): sig.source_of(str(name), fn) for name, fn in signatures.items()}


def save(obj: Any, export_dir: Any, signatures: Any = None, options: Any = None) -> None:
    """Write ``obj`` (a Keras model, a ``tf.Module``, or any trackable object) to the directory ``export_dir``.

    Args:
        obj: what to save.
        export_dir: the directory (created; files in it are replaced).
        signatures: a ``tf.function`` with an ``input_signature`` (or a concrete function), or a dict of them by
            signature name; a single one is ``serving_default``. A Keras model with known inputs gets
            ``serving_default`` by default.
        options: a ``tf.saved_model.SaveOptions`` (no effect).

    Raises:
        ValueError: when ``obj`` holds nothing a checkpoint tracks, or a signature has no input specs.
    """
    from tensorlet.models.model import Model

    if not graph.is_trackable(obj):
        raise ValueError(f"tf.saved_model.save expects a trackable object (a Keras model, a tf.Module...), got "
                         f"{type(obj).__name__}")
    directory = os.fspath(export_dir)
    keras_model = isinstance(obj, Model)
    rebuildable = keras_model and _rebuildable_keras_model(obj)
    sources = _sources(obj, signatures, keras_model)
    records = {name: sig.describe(name, source, obj if rebuildable else None) for name, source in sources.items()}
    os.makedirs(os.path.join(directory, "variables"), exist_ok=True)
    os.makedirs(os.path.join(directory, "assets"), exist_ok=True)
    Checkpoint(root=obj).write(os.path.join(directory, "variables", "variables"))
    if rebuildable:
        from tensorlet.saving import keras_zip

        keras_zip.save(obj, os.path.join(directory, "model.keras"))
    metadata = {"format": FORMAT, "version": VERSION, "kind": "keras" if rebuildable else "trackable",
                "class": f"{type(obj).__module__}.{type(obj).__qualname__}",
                "functions": traced_functions(obj), "signatures": records,
                "note": "written by tensorlet: TensorFlow's SavedModel graph (saved_model.pb) is not produced"}
    with atomic_path(os.path.join(directory, METADATA)) as tmp, open(tmp, "w", encoding="utf-8") as f:
        json.dump(metadata, f, indent=1)
