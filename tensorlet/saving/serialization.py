"""Config <-> object: ``{"class_name", "config", "module", "registered_name"}`` dicts, as Keras 3 writes them.

Deserialization only looks classes up in tensorlet's own namespaces and the custom-object registry; nothing in
a config is ever executed (Lambda code is refused under ``safe_mode``).
"""
from __future__ import annotations

import json
from typing import Any, Callable

_CUSTOM_OBJECTS: dict[str, Any] = {}


def get_custom_objects() -> dict[str, Any]:
    """The global registry of user classes/functions that configs may name."""
    return _CUSTOM_OBJECTS


def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable[[Any], Any]:
    """Decorator registering a class or function under ``package>name`` (and its bare name)."""
    def decorate(obj: Any) -> Any:
        key = name or getattr(obj, "__name__", None)
        if key is None:
            raise ValueError("register_keras_serializable needs a name for objects without __name__")
        _CUSTOM_OBJECTS[f"{package}>{key}"] = obj
        _CUSTOM_OBJECTS[key] = obj
        obj._registered_name = f"{package}>{key}"
        return obj

    return decorate


class CustomObjectScope:
    """``with CustomObjectScope({'MyLayer': MyLayer}):`` makes names resolvable while loading."""

    def __init__(self, *scopes: dict[str, Any]) -> None:
        self.scopes = scopes
        self.backup: dict[str, Any] = {}

    def __enter__(self) -> CustomObjectScope:
        self.backup = dict(_CUSTOM_OBJECTS)
        for s in self.scopes:
            _CUSTOM_OBJECTS.update(s or {})
        return self

    def __exit__(self, *exc: object) -> None:
        _CUSTOM_OBJECTS.clear()
        _CUSTOM_OBJECTS.update(self.backup)


custom_object_scope = CustomObjectScope

_SAFE_MODE = [True]


class SafeModeScope:
    """While active, deserialization refuses (True) or allows (False) Lambda bytecode."""

    def __init__(self, safe_mode: bool = True) -> None:
        self.safe_mode = safe_mode

    def __enter__(self) -> SafeModeScope:
        _SAFE_MODE.append(bool(self.safe_mode))
        return self

    def __exit__(self, *exc: object) -> None:
        _SAFE_MODE.pop()


def in_safe_mode() -> bool:
    return _SAFE_MODE[-1]

_MODULES = {"layers": "keras.layers", "models": "keras.models", "initializers": "keras.initializers",
            "regularizers": "keras.regularizers", "constraints": "keras.constraints", "optimizers": "keras.optimizers",
            "losses": "keras.losses", "metrics": "keras.metrics", "activations": "keras.activations"}


def _module_of(obj: Any) -> str:
    declared = getattr(type(obj), "_keras_module", None)  # a Keras class outside keras.layers (ops, convnext)
    if declared:
        return declared
    mod = type(obj).__module__
    for key, public in _MODULES.items():
        if f"tensorlet.{key}" in mod:
            return public
    return "keras.layers" if "tensorlet" in mod else mod


def serialize_keras_object(obj: Any) -> Any:
    """A JSON-ready config of a layer, model, initializer, regularizer... (a name for plain functions)."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(o) for o in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if hasattr(obj, "get_config"):
        config = obj.get_config()
        out: dict[str, Any] = {"module": _module_of(obj), "class_name": type(obj).__name__,
                               "config": _jsonable(config), "registered_name": getattr(type(obj), "_registered_name",
                                                                                       None)}
        build = getattr(obj, "get_build_config", None)
        if build is not None:
            bc = build()
            if bc is not None:
                out["build_config"] = _jsonable(bc)
        return out
    if callable(obj):
        return getattr(obj, "__name__", str(obj))
    raise TypeError(f"Cannot serialize {obj!r} of type {type(obj).__name__}")


def _jsonable(x: Any) -> Any:
    import numpy as np

    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if hasattr(x, "get_config") and not isinstance(x, type):
        return serialize_keras_object(x)
    if callable(x) and not isinstance(x, type):
        return getattr(x, "__name__", str(x))
    return x


def _registry() -> dict[str, Any]:
    import tensorlet.layers as layers
    import tensorlet.models as models

    reg: dict[str, Any] = {}
    for mod in (layers, models):
        for name in dir(mod):
            obj = getattr(mod, name)
            if isinstance(obj, type):
                reg[name] = obj
    for extra in ("tensorlet.layers.conv", "tensorlet.layers.pooling", "tensorlet.layers.normalization",
                  "tensorlet.layers.preprocessing"):
        try:
            mod = __import__(extra, fromlist=["*"])
        except ImportError:
            continue
        for name in dir(mod):
            obj = getattr(mod, name)
            if isinstance(obj, type):
                reg.setdefault(name, obj)
    return reg


def deserialize_keras_object(config: Any, custom_objects: dict[str, Any] | None = None, safe_mode: Any = None,
                             **kwargs: Any) -> Any:
    """Rebuild a layer or model from its config dict (Keras 2 or Keras 3 form)."""
    if safe_mode is not None:
        with SafeModeScope(safe_mode):
            return deserialize_keras_object(config, custom_objects)
    safe_mode = in_safe_mode()
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Expected a config dict with a 'class_name' key, got {str(config)[:200]}")
    name = config["class_name"]
    inner = config.get("config", {})
    lookup = dict(_registry())
    lookup.update(_CUSTOM_OBJECTS)
    lookup.update(custom_objects or {})
    registered = config.get("registered_name")
    cls = lookup.get(registered) if registered else None
    if config.get("module") == "keras.src.ops.numpy":  # a Keras 3 operation node, not the layer of that name
        from tensorlet.layers.core.operation import OPERATIONS

        cls = OPERATIONS.get(name)
    cls = cls or lookup.get(name)
    if cls is None:
        raise ValueError(f"Unknown layer or object: '{name}'. Register it with keras.utils.register_keras_serializable "
                         "or pass it in custom_objects={...}.")
    if name == "Lambda" or getattr(cls, "__name__", "") == "Lambda":
        obj = cls.from_config(dict(inner), safe_mode=safe_mode)
    elif hasattr(cls, "from_config"):
        try:
            obj = cls.from_config(dict(inner), custom_objects=custom_objects)  # models take custom_objects
        except TypeError:
            obj = cls.from_config(dict(inner))
    else:
        obj = cls(**inner)
    build = config.get("build_config")
    if build and hasattr(obj, "build_from_config") and not getattr(obj, "built", False):
        obj.build_from_config(build)
    return obj


def model_from_json(json_string: str, custom_objects: dict[str, Any] | None = None) -> Any:
    try:
        config = json.loads(json_string)
    except json.JSONDecodeError as e:
        raise ValueError(f"model_from_json: the string is not valid JSON ({e})") from None
    return deserialize_keras_object(config, custom_objects=custom_objects)


def clone_model(model: Any, input_tensors: Any = None, clone_function: Any = None) -> Any:
    """A new model with the same architecture and freshly initialized weights.

    ``clone_function(layer)`` may replace the default per-layer clone (``from_config(get_config())``).
    """
    def default(layer: Any) -> Any:
        return deserialize_keras_object(serialize_keras_object(layer))

    clone = clone_function or default
    from tensorlet.models.sequential import Sequential

    if isinstance(model, Sequential):
        layers = [clone(layer) for layer in model.layers]
        if model.inputs:
            from tensorlet.layers.input_layer import Input

            layers = [Input(batch_shape=tuple(model.inputs[0].shape))] + layers
        return Sequential(layers, name=model.name)
    if hasattr(model, "_nodes"):
        from tensorlet.models.functional_config import clone_graph

        return clone_graph(model, clone)
    return deserialize_keras_object(serialize_keras_object(model))
