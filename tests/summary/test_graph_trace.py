"""tf.summary.trace_on / trace_export: the traced functions' graphs as the run's graph, read by TensorBoard."""
from __future__ import annotations

import warnings

import numpy as np

import tensorlet as tf
from tensorlet.summary import graph_trace
from tests.helpers.event_files import accumulator


def _model():
    w = tf.Variable(np.ones((4, 3), "float32"), name="w")
    b = tf.Variable(np.zeros(3, "float32"), name="b")

    @tf.function
    def net(x):
        return tf.nn.sigmoid(tf.add(tf.matmul(x, w), b))

    return net, w


def test_trace_export_writes_the_called_functions_graph_for_tensorboard(tmp_path):
    net, w = _model()
    x = tf.constant(np.ones((2, 4), "float32"))
    writer = tf.summary.create_file_writer(str(tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # profiler=True: no profiler, one warning
        tf.summary.trace_on(graph=True, profiler=True)
    with tf.GradientTape() as tape:  # under an outer tape the call runs its Python; the graph is still recorded
        loss = tf.reduce_sum(net(x))
    assert tape.gradient(loss, w) is not None
    with writer.as_default():
        tf.summary.trace_export(name="trace", step=0, profiler_outdir=str(tmp_path))
    writer.flush()
    graph = accumulator(tmp_path).Graph()
    ops = {n.name: n for n in graph.node}
    assert "Placeholder" in {n.op for n in graph.node} and "ReadVariableOp" in {n.op for n in graph.node}
    assert any(n.op.lower().startswith("sigmoid") for n in graph.node)
    for node in graph.node:  # every input names a node of the graph or a variable handle
        for name in node.input:
            assert name in ops or any(name == i for n in graph.node for i in n.input)


def test_trace_off_and_nothing_recorded_write_no_graph(tmp_path):
    net, _ = _model()
    tf.summary.trace_on()
    tf.summary.trace_off()
    net(tf.constant(np.ones((2, 4), "float32")))  # after trace_off: not recorded
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        tf.summary.trace_export(name="trace", step=0)
    writer.flush()
    assert graph_trace._active["stop"] is None
    assert not _has_graph(tmp_path)


def _has_graph(run_dir) -> bool:
    try:
        accumulator(run_dir).Graph()
    except ValueError:  # TensorBoard: "There is no graph in this EventAccumulator"
        return False
    return True


def test_two_functions_sit_under_their_names():
    net, _ = _model()

    @tf.function
    def double(x):
        return x * 2.0

    tf.summary.trace_on()
    net(tf.constant(np.ones((2, 4), "float32")))
    double(tf.constant(1.0))
    graphs = dict(graph_trace._active["graphs"])
    tf.summary.trace_off()
    data = graph_trace.graph_def_bytes(graphs)
    assert b"net/" in data and b"double/" in data
