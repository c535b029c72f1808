"""``tf.summary.trace_on`` / ``trace_export``: the graphs of the traced functions called in between, written to
the default writer as the run's graph (an Event's ``graph_def``, which TensorBoard's Graphs dashboard shows).

A graph is a traced function's plan (``autodiff/plan_graph.py``): its placeholders, variable reads and ops, each
node named uniquely and listing its inputs. With several functions, each one's nodes sit under its name, as a name
scope. There is no profiler: ``profiler=True`` gives one warning and records the graph only.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

from tensorlet.summary import protobuf as pb

_active: dict[str, Any] = {"graphs": None, "stop": None}


def trace_on(graph: bool = True, profiler: bool = False, profiler_outdir: Any = None) -> None:
    """Start recording the graphs of the traced functions called from now on (``tf.function``)."""
    from tensorlet.autodiff.traced_function import observe_calls

    if profiler:
        warnings.warn("tf.summary.trace_on(profiler=True): tensorlet has no profiler; only the graph is recorded",
                      stacklevel=2)
    trace_off()
    if not graph:
        return
    graphs: dict[str, Any] = {}

    def seen(name: str, plan_graph: Any) -> None:
        graphs[name] = plan_graph

    _active["graphs"], _active["stop"] = graphs, observe_calls(seen)


def trace_off() -> None:
    """Stop recording and drop what was recorded."""
    stop: Callable[[], None] | None = _active["stop"]
    if stop is not None:
        stop()
    _active["graphs"], _active["stop"] = None, None


def trace_export(name: str, step: Any = None, profiler_outdir: Any = None) -> None:
    """Write the recorded graphs to the default writer (``writer.as_default()``) and stop recording."""
    from tensorlet.summary import _writer

    graphs = _active["graphs"]
    trace_off()
    writer = _writer()
    if writer is None or not graphs:
        return
    writer.add_graph_def(graph_def_bytes(graphs), 0 if step is None else int(step))


def graph_def_bytes(graphs: dict[str, Any]) -> bytes:
    """A GraphDef proto of the graphs by function name: NodeDef name (1), op (2), inputs (3); versions (4)."""
    nodes = b""
    scoped = len(graphs) > 1
    for function, plan_graph in graphs.items():
        for op in plan_graph.get_operations():
            prefix = f"{function}/" if scoped else ""
            node = pb.f_string(1, prefix + op.name) + pb.f_string(2, op.type)
            node += b"".join(pb.f_string(3, prefix + i) for i in op.inputs)
            nodes += pb.f_bytes(1, node)
    return nodes + pb.f_bytes(4, pb.f_varint(1, 1))
