"""``tf.name_scope``: a per-thread stack of name prefixes, which names the variables created inside it.

TensorFlow 2 runs eagerly, so a name scope names no ops; what it still does is prefix the names of the
``tf.Variable`` objects created inside it (``with tf.name_scope("dense"): tf.Variable(1., name="w")`` gives
``'dense/w:0'``), and ``tf.Module`` captures the scope it was built in. Scopes nest (``outer/inner/``); a name
ending in ``/`` is absolute and re-enters that scope as it is (``with module.name_scope:``). Eager scopes are not
made unique: entering ``"dense"`` twice gives ``dense/`` both times, as in TensorFlow 2.
"""
from __future__ import annotations

import re
import threading
from typing import Any

_VALID = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")


class _Stack(threading.local):
    def __init__(self) -> None:
        self.scope = ""  # the current prefix: "" or "outer/inner/"


_stack = _Stack()


def current() -> str:
    """The current prefix, ``""`` or ending in ``/``."""
    return _stack.scope


def scoped(name: str) -> str:
    """``name`` under the current scope (the name a variable created here gets)."""
    return _stack.scope + name


class name_scope:  # noqa: N801 - TensorFlow's spelling
    """A context manager that prefixes the names of variables created inside it.

    Args:
        name: the scope's name; one ending in ``/`` is absolute (entered as it is), ``""`` or None clears it.

    Example:
        >>> import tensorlet as tf
        >>> with tf.name_scope("dense") as scope:
        ...     v = tf.Variable(1.0, name="w")
        >>> scope, v.name
        ('dense/', 'dense/w:0')
    """

    def __init__(self, name: Any, default_name: Any = None, values: Any = None) -> None:
        name = default_name if name is None else name
        if name is not None and not isinstance(name, str):
            raise TypeError(f"tf.name_scope: name must be a string, got {type(name).__name__}: {name!r}")
        if name and not name.endswith("/") and not _VALID.match(name):
            raise ValueError(f"tf.name_scope: '{name}' is not a valid scope name (letters, digits, '.', '_', '-', "
                             "'/' and '>', not starting with '_', '-' or '/')")
        self._name = name or ""
        self._saved: list[str] = []

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        self._saved.append(_stack.scope)
        name = self._name
        if not name:
            scope = ""
        elif name.endswith("/"):
            scope = name
        else:
            scope = _stack.scope + name + "/"
        _stack.scope = scope
        return scope

    def __exit__(self, *exc: object) -> None:
        _stack.scope = self._saved.pop()
