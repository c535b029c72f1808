"""Config <-> object: ``{"class_name", "config", "module", "registered_name"}`` dicts, as Keras 3 writes them.

Names are resolved through the one registry (``saving/registry.py``); nothing in a config is ever executed
(Lambda bytecode is refused under ``safe_mode``). This module sits low in the saving stack: it imports the
registry only, never layers or models, so every family may use it. Built-in classes are found once their family
has been imported; the loaders (``saving_api``) import the layer and model packages before reading a file.
"""
from __future__ import annotations

import functools
import inspect
import threading
from contextlib import nullcontext
from typing import Any, Mapping

from tensorlet.saving import registry
from tensorlet.saving.registry import (  # noqa: F401  (their home before the registry had its own module)
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    register_keras_serializable,
)

_local = threading.local()


class SafeModeScope:
    """While active, deserialization refuses (True) or allows (False) Lambda bytecode; per thread."""

    def __init__(self, safe_mode: bool = True) -> None:
        self.safe_mode = safe_mode

    def __enter__(self) -> SafeModeScope:
        _safe_modes().append(bool(self.safe_mode))
        return self

    def __exit__(self, *exc: object) -> None:
        _safe_modes().pop()


def _safe_modes() -> list[bool]:
    stack = getattr(_local, "safe_modes", None)
    if stack is None:
        stack = _local.safe_modes = [True]
    return stack


_unsafe_enabled = [False]


def enable_unsafe_deserialization() -> None:
    """Allow Lambda bytecode to load everywhere, whatever ``safe_mode`` says (``keras.config``'s switch)."""
    _unsafe_enabled[0] = True


def in_safe_mode() -> bool:
    return _safe_modes()[-1] and not _unsafe_enabled[0]


def loading_in_safe_mode() -> bool:
    """Whether a deserialization with ``safe_mode=True`` is under way (Keras' ``in_safe_mode()`` being True): then
    a config may not make a layer read files from outside the model file."""
    stack = _safe_modes()
    return len(stack) > 1 and stack[-1]


# -- object -> config ----------------------------------------------------------------------------------------
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


def _registered_name(obj: Any) -> str | None:
    """``package>name`` for a registered class; a user's unregistered class is named by its class name (Keras 3
    looks that up in ``custom_objects``); tensorlet's own classes have none."""
    registered = registry.registered_name_of(type(obj))
    if registered is None and "tensorlet" not in type(obj).__module__.split(".")[0]:
        return type(obj).__name__
    return registered


def function_name(fn: Any) -> str | None:
    """How a config names a function: its registered ``package>name``, else its ``__name__`` (a
    ``functools.partial`` is named by its function); None for a nameless callable."""
    registered = registry.registered_name_of(fn)
    if registered is not None:
        return registered
    name = getattr(fn, "__name__", None)
    if name is None:
        name = getattr(getattr(fn, "func", None), "__name__", None)
    return name


def serialize_keras_object(obj: Any) -> Any:
    """A JSON-ready config of a layer, model, initializer, regularizer... (a name for classes and functions)."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(o) for o in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, type):
        return registry.get_registered_name(obj)
    if hasattr(obj, "get_config"):
        out: dict[str, Any] = {"module": _module_of(obj),
                               "class_name": vars(type(obj)).get("_keras_class_name", type(obj).__name__),
                               "config": _jsonable(obj.get_config()),
                               "registered_name": _registered_name(obj)}
        build = getattr(obj, "get_build_config", None)
        if build is not None:
            bc = build()
            if bc is not None:
                out["build_config"] = _jsonable(bc)
        return out
    if callable(obj):
        name = function_name(obj)
        return name if name is not None else str(obj)
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
    if (hasattr(x, "get_config") or callable(x)) and not isinstance(x, type):
        return serialize_keras_object(x)
    return x


# -- config -> object ----------------------------------------------------------------------------------------
# Families in the order a config without a "module" is searched; the parts of a "module" that name a family.
_MODULE_FAMILIES = (("schedules", "schedules"), ("ops", "operations"), ("layers", "layers"), ("models", "layers"), ("losses", "losses"),
                    ("metrics", "metrics"), ("optimizers", "optimizers"), ("initializers", "initializers"),
                    ("regularizers", "regularizers"), ("constraints", "constraints"), ("activations", "activations"))


def _families_for(module: Any, family: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if module is None and isinstance(family, str):
        return (family,)
    asked = (family,) if isinstance(family, str) else tuple(family or ())
    named: tuple[str, ...] = ()
    if isinstance(module, str):
        parts = module.split(".")
        named = next(((fam,) for part, fam in _MODULE_FAMILIES if part in parts), ())
    if asked or named:
        return named + tuple(f for f in asked if f not in named)
    return ("layers",) + tuple(f for f in registry.families() if f != "layers")


def _accepts(method: Any, argument: str) -> bool:
    """Whether a (class)method takes ``argument``; remembered per function (signatures are slow to read)."""
    return _takes(getattr(method, "__func__", method), argument)


@functools.lru_cache(maxsize=1024)
def _takes(fn: Any, argument: str) -> bool:
    try:
        return argument in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _unknown(name: Any, families: tuple[str, ...], kind: str | None) -> ValueError:
    if kind is None or families[0] == "layers":
        return ValueError(f"Unknown {kind or 'layer or object'}: '{name}'. Register it with "
                          "keras.saving.register_keras_serializable or pass it in custom_objects={...}.")
    return registry.unknown_name_error(kind, name, registry.builtin_names(families[0]))


def resolve_name(name: Any, family: str | tuple[str, ...] | None = None, kind: str | None = None,
                 custom_objects: Mapping[str, Any] | None = None, module: Any = None) -> Any:
    """The class or function ``name`` refers to in ``family`` (see ``registry``).

    Raises:
        ValueError: naming ``kind``, the unknown name and the valid ones, when nothing answers to it.
    """
    families = _families_for(module, family)
    found = registry.lookup(name, families, custom_objects) if isinstance(name, str) else None
    if found is None:
        raise _unknown(name, families, kind)
    return found


def deserialize_keras_object(config: Any, custom_objects: Mapping[str, Any] | None = None, safe_mode: Any = None,
                             *, family: str | tuple[str, ...] | None = None, kind: str | None = None,
                             **kwargs: Any) -> Any:
    """Rebuild an object from a name or a config dict (Keras 3 form, or Keras 2's without module/registered_name).

    A name gives its function, or an instance of its class built with no arguments (Keras 2's rule). A dict
    ``{"class_name": "function", "config": name}`` (Keras 3's form for functions) gives the function. Other dicts
    give ``cls.from_config(config)``, the class found by ``registered_name`` then ``class_name``, in the family
    named by ``module`` then ``family``. ``custom_objects`` are visible to everything rebuilt inside, first.
    """
    if not custom_objects and safe_mode is None:
        return _deserialize(config, family, kind, custom_objects)
    scope = registry.CustomObjectScope(custom_objects) if custom_objects else nullcontext()
    safe = SafeModeScope(safe_mode) if safe_mode is not None else nullcontext()
    with scope, safe:
        return _deserialize(config, family, kind, custom_objects)


def _deserialize(config: Any, family: Any, kind: str | None, custom_objects: Any) -> Any:
    if config is None:
        return None
    if isinstance(config, str):
        obj = resolve_name(config, family, kind)
        return obj() if isinstance(obj, type) else obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Expected a name or a config dict with a 'class_name' key, got {str(config)[:200]}")
    class_name, inner, module = config["class_name"], config.get("config"), config.get("module")
    if class_name == "function":
        return resolve_name(inner, family, kind)
    registered = config.get("registered_name")
    families = _families_for(module, family)
    cls = registry.lookup(registered, families) if isinstance(registered, str) else None
    if cls is None:
        cls = resolve_name(class_name, families, kind)
    if not isinstance(cls, type):  # a function (or callable object) named by a {"class_name": name} dict
        return cls
    inner = dict(inner or {})
    if hasattr(cls, "from_config"):
        extra: dict[str, Any] = {}
        if _accepts(cls.from_config, "custom_objects"):
            extra["custom_objects"] = custom_objects
        if _accepts(cls.from_config, "safe_mode"):
            extra["safe_mode"] = in_safe_mode()
        obj = cls.from_config(inner, **extra)
    else:
        obj = cls(**inner)
    build = config.get("build_config")
    if build and hasattr(obj, "build_from_config") and not getattr(obj, "built", False):
        obj.build_from_config(build)
    return obj
