"""One way to say "tensorlet does not provide this": an error naming the TensorFlow/Keras symbol and the reason."""
from __future__ import annotations

from typing import Any, NoReturn

# TensorFlow 1 graph-mode names (tf.compat.v1.X in TensorFlow 2): tensorlet raises a graph-mode error for each
TF1_GRAPH_NAMES = frozenset((
    "Session", "InteractiveSession", "ConfigProto", "GPUOptions", "RunOptions", "RunMetadata", "placeholder",
    "placeholder_with_default", "sparse_placeholder", "global_variables_initializer", "local_variables_initializer",
    "initialize_all_variables", "variables_initializer", "get_variable", "variable_scope", "get_variable_scope",
    "global_variables", "trainable_variables", "Graph", "get_collection", "add_to_collection", "GraphKeys", "layers",
    "py_func", "Print", "tables_initializer", "make_template", "train", "summary", "metrics", "losses", "estimator"))
# the TF 1 namespaces of the same names (tf.compat.v1.train...) are graph mode too, but TF 2 has its own
TF2_NAMESPACES = frozenset(("train", "summary", "metrics", "losses", "estimator"))


def not_provided(symbol: str, reason: str, error: type[Exception] = RuntimeError) -> NoReturn:
    """Raise ``error`` saying that ``symbol`` is not provided by tensorlet, and why (with what to use instead)."""
    raise error(f"{symbol} is not provided by tensorlet: {reason}")


def graph_mode(symbol: str) -> NoReturn:
    """The error for TF 1 graph-mode constructs (Session, placeholder, ...)."""
    not_provided(symbol, "tensorlet runs eagerly and does not provide graph mode (sessions, placeholders, "
                         "feeds). Compute values directly, use tf.GradientTape for gradients and Model.fit for "
                         "training.")


class Unprovided:
    """A stand-in for a TF class tensorlet lacks: constructing or calling it raises the named error."""

    def __init__(self, symbol: str, reason: str | None = None, error: type[Exception] = RuntimeError) -> None:
        self.symbol, self.reason, self.error = symbol, reason, error

    def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
        if self.reason is None:
            graph_mode(self.symbol)
        not_provided(self.symbol, self.reason, self.error)

    def __getattr__(self, name: str) -> NoReturn:
        if name.startswith("__"):
            raise AttributeError(name)
        self()

    def __repr__(self) -> str:
        return f"<{self.symbol}: not provided by tensorlet>"
