"""``tf.Module``: a named container of variables and of other modules, found by walking its attributes.

``variables``, ``trainable_variables``, ``non_trainable_variables`` and ``submodules`` are computed when read,
in TensorFlow's documented order: the module's attributes sorted by name, each attribute's value flattened as
``tf.nest`` does (lists in order, dicts by sorted key), every module's own properties before those of its
submodules, each object once. Keras layers and models are modules too (``isinstance(layer, tf.Module)``); they keep
Keras' own ``variables`` order (``layer.weights``) and walk their tracked layers for ``submodules``.

Example:
    >>> import tensorlet as tf
    >>> class Dense(tf.Module):
    ...     def __init__(self, units, name=None):
    ...         super().__init__(name=name)
    ...         with self.name_scope:
    ...             self.w = tf.Variable(tf.ones([3, units]), name="w")
    ...             self.b = tf.Variable(tf.zeros([units]), name="b", trainable=False)
    >>> layer = Dense(2, name="dense")
    >>> [v.name for v in layer.variables]
    ['dense/b:0', 'dense/w:0']
    >>> [v.name for v in layer.trainable_variables]
    ['dense/w:0']
"""
from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterator

from tensorlet import tree
from tensorlet.autodiff.tensor import Variable
from tensorlet.name_scopes import name_scope
from tensorlet.trackable.autotrackable import AutoTrackable

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _snake_case(name: str) -> str:
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()


def _is_variable(x: Any) -> bool:
    return isinstance(x, Variable)


def _is_trainable_variable(x: Any) -> bool:
    return isinstance(x, Variable) and x.trainable


def _is_non_trainable_variable(x: Any) -> bool:
    return isinstance(x, Variable) and not x.trainable


def _is_module(x: Any) -> bool:
    return isinstance(x, Module)


class Module(AutoTrackable):
    """Base class of neural-network modules (``tf.Module``).

    Args:
        name: the module's name, a valid Python identifier (the snake-cased class name by default). The module's
            name scope is this name under the name scope the module is created in.

    Raises:
        ValueError: when ``name`` is not a valid Python identifier.
    """

    _TRACKING_IGNORED = AutoTrackable._TRACKING_IGNORED | {"_name", "_scope_name"}

    def __init__(self, name: str | None = None) -> None:
        if name is None:
            name = _snake_case(type(self).__name__)
        elif not isinstance(name, str) or not _IDENTIFIER.match(name):
            raise ValueError(f"{name!r} is not a valid module name. Module names must be valid Python 3 "
                             "identifiers (letters, digits and '_', not starting with a digit).")
        self._name = name
        with name_scope(name) as scope:
            self._scope_name = scope

    # -- names ---------------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The module's name (without its enclosing name scopes)."""
        name = self.__dict__.get("_name")
        return name if name is not None else _snake_case(type(self).__name__)

    @name.setter
    def name(self, value: str) -> None:  # Keras layers assign their name
        object.__setattr__(self, "_name", value)

    @property
    def name_scope(self) -> name_scope:
        """The module's name scope: ``with self.name_scope:`` names the variables created inside after it."""
        scope = self.__dict__.get("_scope_name")
        return name_scope(scope if scope is not None else self.name + "/")

    @classmethod
    def with_name_scope(cls, method: Callable[..., Any]) -> Callable[..., Any]:
        """Decorate ``method`` to run inside the module's name scope."""
        @functools.wraps(method)
        def in_scope(self: Module, *args: Any, **kwargs: Any) -> Any:
            with self.name_scope:
                return method(self, *args, **kwargs)

        return in_scope

    # -- what the module holds ----------------------------------------------------------------------------
    @property
    def variables(self) -> Any:
        """Every ``tf.Variable`` of this module and its submodules, each once."""
        return tuple(self._flatten(predicate=_is_variable))

    @property
    def trainable_variables(self) -> Any:
        """The trainable variables of this module and its submodules."""
        return tuple(self._flatten(predicate=_is_trainable_variable))

    @property
    def non_trainable_variables(self) -> Any:
        """The non-trainable variables of this module and its submodules."""
        return tuple(self._flatten(predicate=_is_non_trainable_variable))

    @property
    def submodules(self) -> tuple[Module, ...]:
        """Every module reachable from this one (not this one), direct ones first.

        Example:
            >>> a = Module(); b = Module(); c = Module()
            >>> a.b = b; b.c = c
            >>> a.submodules == (b, c)
            True
        """
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(self, recursive: bool = True, predicate: Callable[[Any], bool] | None = None,
                 attribute_traversal_key: Callable[[str], Any] | None = None, with_path: bool = False,
                 expand_composites: bool = False) -> Iterator[Any]:
        """Values of this module's attributes (and its submodules', when ``recursive``) that pass ``predicate``.

        With ``with_path``, yields ``(path, value)`` where the path is a tuple of attribute names and indices, and
        a value reachable by several paths is yielded for each.
        """
        return _walk(self, recursive, predicate or (lambda _: True), attribute_traversal_key, with_path, (), {id(self)},
                     [id(self)])

    def _module_attributes(self) -> list[tuple[str, Any]]:
        """The attributes walked by ``_flatten``: every attribute except the module's bookkeeping."""
        return self._tracked_attributes()


def _walk(module: Module, recursive: bool, predicate: Callable[[Any], bool], key: Any, with_path: bool,
          path: tuple[Any, ...], seen: set[int], stack: list[int]) -> Iterator[Any]:
    submodules = []
    for name, value in sorted(module._module_attributes(), key=lambda kv: key(kv[0]) if key else kv[0]):
        try:
            leaves = tree.flatten_with_path(value)
        except (TypeError, ValueError, RecursionError):  # a container tf.nest cannot walk holds no module state
            continue
        for leaf_path, leaf in leaves:
            full = path + (name,) + tuple(leaf_path)
            if not with_path:
                if id(leaf) in seen:
                    continue
                seen.add(id(leaf))
            if predicate(leaf):
                yield (full, leaf) if with_path else leaf
            if recursive and isinstance(leaf, Module) and id(leaf) not in stack:
                submodules.append((full, leaf))
    for sub_path, sub in submodules:  # a module's own properties first, then its submodules'
        stack.append(id(sub))
        yield from _walk(sub, recursive, predicate, key, with_path, sub_path, seen, stack)
        stack.pop()
