"""The one registry of the classes and functions that strings and configs may name.

Built-ins register by family (``"activations"``, ``"layers"``, ``"losses"`` ...) when their module is imported:
each family registers its table with ``register_builtin``, and every layer or model class of tensorlet registers
itself when it is defined (``Layer.__init_subclass__``). User objects come in the way Keras 3 takes them:
``register_keras_serializable(package, name)`` files an object under ``"package>name"`` in
``get_custom_objects()``; ``CustomObjectScope`` adds names for a block of code; loaders take ``custom_objects=``.

A name resolves to the first match in:
  1. the ``custom_objects`` argument of the call (loaders push it as the innermost scope);
  2. the active ``CustomObjectScope`` dicts, innermost first (scopes are per thread);
  3. ``get_custom_objects()``;
  4. the built-ins of the families asked for, in the order given;
  5. the bare ``name`` of an object registered as ``"package>name"`` (tensorlet has always accepted those).

This module is the bottom of the saving stack: it imports nothing from tensorlet, so that every family can
register into it without an import circle.
"""
from __future__ import annotations

import inspect
import threading
from typing import Any, Callable, Iterable, Mapping

_BUILTINS: dict[str, dict[str, Any]] = {}  # family -> name or alias -> class or function
_CUSTOM_OBJECTS: dict[str, Any] = {}  # get_custom_objects(): "package>name" -> object, plus users' own entries
_REGISTERED_NAMES: dict[Any, str] = {}  # object -> "package>name" (keyed by the object: subclasses do not inherit)
_BY_BARE_NAME: dict[str, Any] = {}  # "name" -> the object registered as "package>name"
_local = threading.local()


def _scopes() -> list[dict[str, Any]]:
    stack = getattr(_local, "scopes", None)
    if stack is None:
        stack = _local.scopes = []
    return stack


# -- built-ins -----------------------------------------------------------------------------------------------
def register_builtin(family: str, obj: Any, name: str | None = None) -> Any:
    """File one of tensorlet's own classes or functions under ``family`` as ``name`` (default: its ``__name__``).

    Raises:
        ValueError: if ``name`` already names a different object of the family (two built-ins may not share a
            name; re-importing the same module replaces its own entry).
    """
    key = name or obj.__name__
    table = _BUILTINS.setdefault(family, {})
    old = table.get(key)
    if old is not None and old is not obj and _origin(old) != _origin(obj):
        raise ValueError(f"The {family} name '{key}' is already taken by {_origin(old)}; cannot register "
                         f"{_origin(obj)} under it")
    table[key] = obj
    return obj


def register_builtins(family: str, objects: Iterable[Any] = (), aliases: Mapping[str, Any] | None = None) -> None:
    """``register_builtin`` for each object under its ``__name__``, then each alias name."""
    for obj in objects:
        register_builtin(family, obj)
    for name, obj in (aliases or {}).items():
        register_builtin(family, obj, name)


def builtin_names(family: str) -> list[str]:
    """The sorted names and aliases of a family's built-ins (for error messages)."""
    return sorted(_BUILTINS.get(family, {}))


def is_builtin(obj: Any, family: str) -> bool:
    return any(v is obj for v in _BUILTINS.get(family, {}).values())


def _origin(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', repr(obj))}"


# -- user objects --------------------------------------------------------------------------------------------
def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable[[Any], Any]:
    """Decorator filing a class or function under ``"package>name"`` (``name`` defaults to its ``__name__``).

    Configs then name it by that key, and ``load_model`` finds it without ``custom_objects``.

    Example:
        >>> @register_keras_serializable(package="course")
        ... def scaled_relu(x):
        ...     return x
        >>> get_registered_name(scaled_relu)
        'course>scaled_relu'

    Raises:
        ValueError: for a class without ``get_config`` (it could not be saved), or an object without a name.
    """
    def decorate(obj: Any) -> Any:
        key = name if name is not None else getattr(obj, "__name__", None)
        if key is None:
            raise ValueError(f"register_keras_serializable: {obj!r} has no __name__; pass name=")
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register the class {obj.__name__}: it has no get_config() method, so it "
                             "could not be saved")
        registered = f"{package}>{key}"
        _CUSTOM_OBJECTS[registered] = obj
        _REGISTERED_NAMES[obj] = registered
        _BY_BARE_NAME[key] = obj
        return obj

    return decorate


def get_custom_objects() -> dict[str, Any]:
    """The global dict of user objects that configs may name; ``get_custom_objects()["name"] = obj`` adds one."""
    return _CUSTOM_OBJECTS


def get_registered_name(obj: Any) -> str:
    """``"package>name"`` for an object registered with ``register_keras_serializable``, else its ``__name__``."""
    registered = registered_name_of(obj)
    return registered if registered is not None else obj.__name__


def registered_name_of(obj: Any) -> str | None:
    """``"package>name"`` for a registered object, None otherwise."""
    try:
        return _REGISTERED_NAMES.get(obj)
    except TypeError:  # an unhashable object cannot have been registered
        return None


def get_registered_object(name: str, custom_objects: Mapping[str, Any] | None = None,
                          module_objects: Mapping[str, Any] | None = None) -> Any:
    """The object ``name`` refers to among user objects (``custom_objects`` first) or ``module_objects``; None
    if there is none."""
    found = lookup_custom(name, custom_objects)
    if found is None and module_objects:
        found = module_objects.get(name)
    return found


class CustomObjectScope:
    """``with CustomObjectScope({"MyLayer": MyLayer}):`` makes the names resolvable inside the block.

    Scopes nest (the innermost wins) and belong to the thread that enters them.
    """

    def __init__(self, *custom_objects: Mapping[str, Any] | None) -> None:
        self.custom_objects: dict[str, Any] = {}
        for objects in custom_objects:
            if objects is not None and not isinstance(objects, Mapping):
                raise TypeError(f"CustomObjectScope takes dicts of name -> object, got {type(objects).__name__}")
            self.custom_objects.update(objects or {})

    def __enter__(self) -> CustomObjectScope:
        _scopes().append(self.custom_objects)
        return self

    def __exit__(self, *exc: object) -> None:
        _scopes().pop()


custom_object_scope = CustomObjectScope


# -- lookups -------------------------------------------------------------------------------------------------
_MISSING = object()


def _user_object(name: str, custom_objects: Mapping[str, Any] | None) -> Any:
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    for scope in reversed(_scopes()):
        if name in scope:
            return scope[name]
    return _CUSTOM_OBJECTS.get(name, _MISSING)


def lookup_custom(name: str, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """The user object named ``name`` (tiers 1-3 of the module docstring), or None."""
    found = _user_object(name, custom_objects)
    return None if found is _MISSING else found


def lookup(name: str, families: str | Iterable[str], custom_objects: Mapping[str, Any] | None = None) -> Any:
    """The object ``name`` refers to, searched in the order of the module docstring; None if there is none."""
    if not isinstance(name, str):
        return None
    found = _user_object(name, custom_objects)
    if found is not _MISSING:
        return found
    for family in (families,) if isinstance(families, str) else families:
        found = _BUILTINS.get(family, {}).get(name)
        if found is not None:
            return found
    return _BY_BARE_NAME.get(name)


def families() -> list[str]:
    """The families that have registered built-ins, in registration order."""
    return list(_BUILTINS)


def unknown_name_error(kind: str, name: Any, valid: Iterable[str]) -> ValueError:
    """The error for a name nothing answers to: what was asked, the valid names, and how to add one."""
    return ValueError(f"Unknown {kind}: {name!r}. Valid names are: {', '.join(sorted(valid))}. A custom one must be "
                      "passed in custom_objects={...} or registered with keras.saving.register_keras_serializable.")
