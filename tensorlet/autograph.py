"""``tf.autograph``: tensorlet runs Python control flow as written, so there is nothing to convert.

``set_verbosity`` and ``experimental.do_not_convert`` are accepted. ``to_code`` returns the function's own source
(what tensorlet runs and traces: a branch on a tensor's value is taken in Python, and ``tf.function`` runs such a
function eagerly after one warning) and ``to_graph`` returns the function itself.
"""
from __future__ import annotations

import enum
import sys
from types import SimpleNamespace
from typing import Any, Callable

_verbosity = {"level": 0, "alsologtostdout": False}


def set_verbosity(level: int, alsologtostdout: bool = False) -> None:
    _verbosity.update(level=int(level), alsologtostdout=bool(alsologtostdout))


def trace(*args: Any) -> None:
    """Print the arguments when the verbosity level is at least 1, as AutoGraph's trace does."""
    if _verbosity["level"] >= 1 or _verbosity["alsologtostdout"]:
        print(*args, file=sys.stdout)


def do_not_convert(func: Callable[..., Any] | None = None) -> Any:
    """Decorator: leave ``func`` as written (bare or called with no arguments)."""
    if func is None:
        return do_not_convert
    return func


class Feature(enum.Enum):
    ALL = "ALL"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"


def set_loop_options(parallel_iterations: Any = None, swap_memory: Any = None, maximum_iterations: Any = None,
                     shape_invariants: Any = None) -> None:
    pass


def _python_function(entity: Any, what: str) -> Callable[..., Any]:
    fn = getattr(entity, "python_function", entity)  # a tf.function gives the function it wraps
    if not callable(fn):
        raise TypeError(f"{what} expects a Python function or class; received {type(entity).__name__}")
    return fn


def to_graph(entity: Any, recursive: bool = True, experimental_optional_features: Any = None) -> Any:
    """``entity`` itself: tensorlet runs Python control flow as written, so no converted version exists."""
    return _python_function(entity, "tf.autograph.to_graph")


def to_code(entity: Any, recursive: bool = True, experimental_optional_features: Any = None) -> str:
    """The source code tensorlet runs for ``entity``: its own, since nothing is converted."""
    import inspect
    import textwrap

    fn = _python_function(entity, "tf.autograph.to_code")
    try:
        return textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError) as e:
        raise ValueError(f"tf.autograph.to_code: the source of {getattr(fn, '__name__', fn)!r} is not "
                         f"available ({e})") from None


experimental = SimpleNamespace(do_not_convert=do_not_convert, Feature=Feature, set_loop_options=set_loop_options)
