"""What a traced signature looks like to a reader: TensorFlow's ``pretty_printed_concrete_signatures`` layout.

Each traced signature of a ``tf.function`` is described by its parameters (name, kind, and the ``TensorSpec`` of a
tensor argument or ``Literal[value]`` of a Python one), its output structure as ``TensorSpec``\\ s, and the variables
it captures; :func:`pretty` prints them as TensorFlow 2.x does::

    Input Parameters:
      a (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(), dtype=tf.int32, name=None)
    Output Type:
      TensorSpec(shape=(), dtype=tf.int32, name=None)
    Captures:
      None

The parameter names also name the placeholders of the plan's graph view (``plan_graph``).
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

import numpy as np

from tensorlet import tree
from tensorlet.autodiff.tensor import Tensor, Variable


class Signature:
    """One traced signature: ``parameters`` [(name, kind, description)], ``output`` text, ``captures`` lines,
    and ``feed_names`` (one per fed tensor, in feed order)."""

    def __init__(self, parameters: list[tuple[str, str, str]], feed_names: list[str]) -> None:
        self.parameters, self.feed_names = parameters, feed_names
        self.output: str | None = None
        self.captures: list[str] = []

    def function_type(self) -> str:
        """TensorFlow's ``FunctionType`` text: ``(a: TensorSpec(...)) -> TensorSpec(...)``."""
        params = ", ".join(f"{name}: {desc}" for name, _, desc in self.parameters)
        return f"({params}) -> {self.output if self.output is not None else 'unknown (runs eagerly)'}"

    def pretty(self) -> str:
        lines = ["Input Parameters:"]
        lines += [f"  {name} ({kind}): {desc}" for name, kind, desc in self.parameters] or ["  None"]
        lines += ["Output Type:", f"  {self.output if self.output is not None else 'unknown (runs eagerly)'}"]
        lines += ["Captures:"] + ([f"  {c}" for c in self.captures] or ["  None"])
        return "\n".join(lines)


def _spec_text(x: Any, relaxed_batch: bool) -> str:
    from tensorlet.tensor_spec import TensorSpec

    if isinstance(x, TensorSpec):
        return repr(x)
    if isinstance(x, (Tensor, np.ndarray)):
        value = np.asarray(x._value if isinstance(x, Tensor) else x)  # a 0-d string op may hold bare bytes
        shape = tuple(value.shape)
        if relaxed_batch and shape:
            shape = (None,) + shape[1:]
        dtype: Any = "string" if value.dtype.kind in ("O", "S", "U") else value.dtype
        return repr(TensorSpec(shape, dtype))
    return f"Literal[{x!r}]"


def _describe(value: Any, relaxed_batch: bool) -> str:
    if isinstance(value, _Text):
        return value.text
    if isinstance(value, Variable):
        return repr(_resource_spec())
    if not tree.is_nested(value):
        return _spec_text(value, relaxed_batch)
    return repr(tree.map_structure(lambda v: _Text(_describe(v, relaxed_batch)), value))


class _Text:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _resource_spec() -> Any:
    return _Text("TensorSpec(shape=(), dtype=tf.resource, name=None)")


def describe_inputs(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], relaxed: bool) -> Signature:
    """The parameters of ``fn`` as bound to ``args``/``kwargs``, and a name for each tensor leaf (the feeds), in
    the order ``tree.flatten((args, kwargs))`` visits them."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    star = next((p for p in params if p.kind is p.VAR_POSITIONAL), None)
    described: list[tuple[str, str, str]] = []
    feed_names: list[str] = []

    def add(name: str, kind: str, value: Any) -> None:
        described.append((name, kind, _describe(value, relaxed)))
        from tensorlet.tensor_spec import TensorSpec

        leaves = [v for v in tree.flatten(value)
                  if isinstance(v, (Tensor, np.ndarray, TensorSpec)) and not isinstance(v, Variable)]
        feed_names.extend(name if len(leaves) == 1 else f"{name}_{k}" for k in range(len(leaves)))

    for j, value in enumerate(args):
        if j < len(positional):
            add(positional[j].name, positional[j].kind.name, value)
        else:
            add(f"{star.name if star else 'args'}_{j - len(positional)}", "VAR_POSITIONAL", value)
    by_name = {p.name: p for p in params}
    for key in sorted(kwargs):
        p = by_name.get(key)
        add(key, p.kind.name if p is not None else "VAR_KEYWORD", kwargs[key])
    return Signature(described, feed_names)


def describe_outputs(signature: Signature, result: Any, captured: list[Any], batch: int | None = None) -> None:
    """``result``'s structure of TensorSpecs; with ``batch`` (a signature whose batch size varies), outputs whose
    first dimension was the traced batch show None there."""
    if batch is not None:
        result = tree.map_structure(
            lambda v: _Text(_spec_text(v, True)) if isinstance(v, Tensor) and np.shape(v._value)[:1] == (batch,) else v,
            result)
    signature.output = _describe(result, False) if result is not None else "None"
    signature.captures = [f"{id(v)}: {_resource_spec()!r}" for v in captured]
