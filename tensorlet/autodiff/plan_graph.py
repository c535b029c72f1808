"""A read-only graph view of a traced plan: what ``concrete_function.graph`` shows.

TensorFlow's tutorials print a traced function's graph (``get_concrete_function(...).graph.as_graph_def()``) and
list its operations (``graph.get_operations()``). tensorlet's traced function is a :class:`~.plan.Plan`: a list of
recorded ops over numbered slots, fed by placeholders (the function's tensor arguments), variables and constants.
This module names each slot as TensorFlow names graph nodes (``Placeholder``, ``ReadVariableOp``, ``Const``, then
one node per op, unique names ``MatMul``, ``MatMul_1``...) and prints the result in the protocol buffer text format
of a ``GraphDef``. It describes the plan; nothing reads it back, and there is no ``GraphDef`` protocol buffer.

>>> import tensorlet as tf
>>> f = tf.function(lambda x: tf.matmul(x, x) + 1.0)
>>> graph = f.get_concrete_function(tf.TensorSpec((2, 2), tf.float32)).graph
>>> [op.type for op in graph.get_operations()]
['Placeholder', 'Const', 'MatMul', 'Add', 'Identity']
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.plan_compiler import CONST, FEED, VAR


class Operation:
    """One node: its unique ``name``, its ``type`` (the op's name) and the names of its ``inputs``."""

    def __init__(self, name: str, type: str, inputs: list[str], attrs: dict[str, str]) -> None:
        self.name, self.type, self.inputs, self.attrs = name, type, inputs, attrs

    @property
    def op(self) -> str:  # a GraphDef node's spelling (``node.op``, ``node.input``)
        return self.type

    @property
    def input(self) -> list[str]:
        return self.inputs

    @property
    def node_def(self) -> str:
        lines = [f'  name: "{self.name}"', f'  op: "{self.type}"']
        lines += [f'  input: "{i}"' for i in self.inputs]
        for key, value in self.attrs.items():
            lines += ["  attr {", f'    key: "{key}"', "    value {", f"      {value}", "    }", "  }"]
        return "node {\n" + "\n".join(lines) + "\n}"

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"


class GraphDef:
    """The nodes of a plan, printed in ``GraphDef`` text format (``print(graph.as_graph_def())``)."""

    def __init__(self, nodes: list[Operation]) -> None:
        self.node = nodes

    def __str__(self) -> str:
        return "\n".join(n.node_def for n in self.node) + "\nversions {\n  producer: 1\n}\n"

    __repr__ = __str__


class PlanGraph:
    """``ConcreteFunction.graph``: the plan's operations, in the order they run."""

    def __init__(self, plan: Any, feed_names: list[str]) -> None:
        self._ops = _operations(plan, feed_names)

    def get_operations(self) -> list[Operation]:
        return list(self._ops)

    def as_graph_def(self) -> GraphDef:
        return GraphDef(self._ops)

    def __repr__(self) -> str:
        return f"<PlanGraph with {len(self._ops)} operations>"


def _op_type(fn: Any) -> str:
    return getattr(fn, "op_name", None) or type(fn).__name__.lstrip("_")


_DT_NAMES = {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF", "object": "STRING"}


def _dtype_attr(value: Any) -> dict[str, str]:
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        return {}
    name = str(getattr(dtype, "name", dtype))
    return {"dtype": f"type: DT_{_DT_NAMES.get(name, name.upper())}"}


def _operations(plan: Any, feed_names: list[str]) -> list[Operation]:
    counts: dict[str, int] = {}

    def unique(base: str) -> str:
        n = counts.get(base, 0)
        counts[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    names: dict[int, str] = {}
    ops: list[Operation] = []
    for slot, kind, what in sorted(plan.sources, key=lambda s: (s[1], s[0])):
        if kind == FEED:
            base = feed_names[what] if what < len(feed_names) else "args"
            names[slot] = unique(base)
            ops.append(Operation(names[slot], "Placeholder", [], {}))
        elif kind == VAR:
            handle = unique(str(getattr(what, "path", None) or getattr(what, "name", "Variable")).split(":")[0])
            names[slot] = unique("ReadVariableOp")
            ops.append(Operation(names[slot], "ReadVariableOp", [handle], _dtype_attr(what)))
        elif kind == CONST:
            names[slot] = unique("Const")
            ops.append(Operation(names[slot], "Const", [], _dtype_attr(what)))
    for fn, ins, out in plan.steps:
        name = unique(_op_type(fn))
        names[out] = name
        ops.append(Operation(name, _op_type(fn), [names.get(i, f"slot_{i}") for i in ins], {}))
    for slot in plan.outputs:
        ops.append(Operation(unique("Identity"), "Identity", [names.get(slot, f"slot_{slot}")], {}))
    return ops
