"""``tf.autograph``: tensorlet runs Python control flow as written, so there is nothing to convert.

``set_verbosity`` and ``experimental.do_not_convert`` are accepted; ``to_graph``/``to_code`` (which produce
TensorFlow graph code) are not provided.
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


def to_graph(entity: Any, recursive: bool = True, experimental_optional_features: Any = None) -> Any:
    from tensorlet.compat.unsupported import graph_mode

    graph_mode("tf.autograph.to_graph")


def to_code(entity: Any, recursive: bool = True, experimental_optional_features: Any = None) -> Any:
    from tensorlet.compat.unsupported import graph_mode

    graph_mode("tf.autograph.to_code")


experimental = SimpleNamespace(do_not_convert=do_not_convert, Feature=Feature, set_loop_options=set_loop_options)
