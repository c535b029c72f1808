"""``tf.saved_model.load``: read back a directory written by ``tf.saved_model.save`` (see ``saved_model.save``).

Nothing in the directory is executed: the metadata is JSON, the model is a ``.keras`` file loaded in safe mode,
the variables a tensorlet checkpoint. A directory written by TensorFlow (``saved_model.pb``) gives an error that
says tensorlet does not read TensorFlow's graph format.
"""
from __future__ import annotations

import json
import os
from typing import Any

from tensorlet.autodiff.tensor import Variable
from tensorlet.checkpoint import bundle, graph
from tensorlet.errors import NotFoundError
from tensorlet.module import Module
from tensorlet.saved_model import signatures as sig
from tensorlet.saved_model.save import FORMAT, METADATA, VERSION


class LoadOptions:
    """``tf.saved_model.LoadOptions``: accepted, no effect."""

    def __init__(self, allow_partial_checkpoint: bool = False, experimental_io_device: Any = None,
                 experimental_skip_checkpoint: bool = False, experimental_variable_policy: Any = None,
                 experimental_load_function_aliases: bool = False) -> None:
        self.allow_partial_checkpoint = allow_partial_checkpoint
        self.experimental_io_device = experimental_io_device


class SignatureMap(dict):
    """``loaded.signatures``: signature name -> callable returning a dict of tensors."""

    def __repr__(self) -> str:
        return f"_SignatureMap({dict.__repr__(self)})"


class UnavailableFunction:
    """A ``tf.function`` of a saved ``tf.Module``: its graph was not saved, so calling it is an error."""

    def __init__(self, name: str, class_name: str, directory: str) -> None:
        self.name, self.class_name, self.directory = name, class_name, directory

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            f"'{self.name}' of the saved {self.class_name} is a tf.function, and tensorlet's SavedModel does not hold "
            "TensorFlow's graph of it (only its variables and signatures), so it cannot be rebuilt without its Python "
            f"code. Create a {self.class_name.rsplit('.', 1)[-1]} in Python and restore its variables: "
            f"tf.train.Checkpoint(root=obj).read('{self.directory}/variables/variables').")

    def __repr__(self) -> str:
        return f"<unavailable tf.function {self.name!r} of {self.class_name}>"


class LoadedObject(Module):
    """A saved object rebuilt from its variables: attributes as they were, variables restored."""

    def __init__(self, class_name: str) -> None:
        super().__init__(name="loaded")
        self._class_name = class_name
        self._functions: dict[str, UnavailableFunction] = {}
        self.signatures = SignatureMap()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        function = self._functions.get("__call__")
        if function is None:
            raise TypeError(f"The loaded {self._class_name} had no tf.function __call__")
        return function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<tensorlet loaded SavedModel of {self._class_name}>"


def is_tensorlet_saved_model(path: str) -> bool:
    return os.path.isfile(os.path.join(path, METADATA))


def contains_saved_model(export_dir: Any) -> bool:
    """Whether ``export_dir`` holds a SavedModel tensorlet can load."""
    return is_tensorlet_saved_model(os.fspath(export_dir))


def read_metadata(directory: str) -> dict[str, Any]:
    path = os.path.join(directory, METADATA)
    if not os.path.isfile(path):
        if os.path.isfile(os.path.join(directory, "saved_model.pb")):
            raise ValueError(f"{directory} holds a SavedModel written by TensorFlow (saved_model.pb). tensorlet does not "
                             "read TensorFlow's SavedModel graph; load the model in TensorFlow and save it as .keras "
                             "(model.save('model.keras')), which tensorlet reads.")
        raise NotFoundError(f"SavedModel file does not exist at: {directory} (no {METADATA}, which "
                            "tf.saved_model.save writes)")
    if os.path.getsize(path) > 1 << 26:
        raise ValueError(f"{path}: larger than any SavedModel description tensorlet writes")
    try:
        with open(path, encoding="utf-8") as f:
            meta = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise ValueError(f"{path} is corrupted ({type(e).__name__}: {e})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(f"{path} is not a tensorlet SavedModel description")
    if not isinstance(meta.get("version"), int) or meta["version"] > VERSION:
        raise ValueError(f"{path} was written by a newer tensorlet (version {meta.get('version')!r})")
    if meta.get("kind") not in ("keras", "trackable") or not isinstance(meta.get("signatures"), dict) \
            or not isinstance(meta.get("functions", []), list):
        raise ValueError(f"{path}: malformed SavedModel description")
    for name, record in meta["signatures"].items():
        if not _valid_signature(record):
            raise ValueError(f"{path}: signature {name!r} is malformed")
    return meta


def _valid_signature(record: Any) -> bool:
    if not isinstance(record, dict) or not isinstance(record.get("inputs"), list):
        return False
    outputs = record.get("outputs")
    if outputs is None:
        return record.get("model_outputs") is None
    if not isinstance(outputs, list):
        return False
    for spec in record["inputs"]:
        if not (isinstance(spec, dict) and isinstance(spec.get("name"), str) and isinstance(spec.get("dtype"), str)):
            return False
        shape = spec.get("shape")
        if shape is not None and not (isinstance(shape, list) and all(d is None or isinstance(d, int) for d in shape)):
            return False
    picks = record.get("model_outputs")
    return all(isinstance(k, str) for k in record["outputs"]) and (picks is None or (
        isinstance(picks, list) and len(picks) == len(record["outputs"]) and all(isinstance(i, int) for i in picks)))


def load(export_dir: Any, tags: Any = None, options: Any = None) -> Any:
    """The object saved in ``export_dir`` by ``tf.saved_model.save``.

    A Keras model comes back as a Keras model (callable, with ``predict``), with ``.signatures``; anything else as
    an object holding its variables in the attributes it had, whose functions cannot be called (they need code).

    Raises:
        NotFoundError: when the directory holds no SavedModel; ValueError when it is TensorFlow's or damaged.
    """
    directory = os.fspath(export_dir)
    meta = read_metadata(directory)
    class_name = str(meta.get("class", "object"))
    if meta["kind"] == "keras":
        from tensorlet.saving.saving_api import load_model

        obj: Any = load_model(os.path.join(directory, "model.keras"))
    else:
        obj = _rebuild(bundle.BundleReader(os.path.join(directory, "variables", "variables")), class_name)
        for name in meta.get("functions", []):
            function = UnavailableFunction(str(name), class_name, directory)
            obj._functions[str(name)] = function
            if not str(name).startswith("__"):
                object.__setattr__(obj, str(name), function)
    model = obj if meta["kind"] == "keras" else None
    obj.signatures = SignatureMap({name: sig.LoadedSignature(name, record, model, directory)
                                   for name, record in meta["signatures"].items()})
    return obj


def _rebuild(reader: bundle.BundleReader, class_name: str) -> LoadedObject:
    nodes = reader.nodes
    built: dict[int, Any] = {}

    def make(i: int, depth: int = 0) -> Any:
        if i in built:
            return built[i]
        if depth > 200:
            raise ValueError(f"{reader.prefix}: the object graph is nested too deeply")
        node = nodes[i]
        if node.get("key") is not None:
            value = reader.get(node["key"])
            built[i] = Variable(value, trainable=bool(node.get("trainable", True)), name=str(node.get("name") or
                                                                                              "Variable"))
            return built[i]
        kind = node.get("type", "object")
        kids = [(graph.unescape(name), child) for name, child in node.get("children", [])]
        if kind == "list":
            out: list[Any] = []
            built[i] = out
            out.extend(make(c, depth + 1) for _, c in sorted(kids, key=lambda kc: int(kc[0]) if kc[0].isdigit() else 0))
            return out
        if kind == "dict":
            built[i] = d = {}
            for name, c in kids:
                d[name] = make(c, depth + 1)
            return d
        built[i] = o = LoadedObject(class_name) if i == 0 else LoadedObject("object")
        for name, c in kids:
            setattr(o, name, make(c, depth + 1))
        return o

    return make(0)
