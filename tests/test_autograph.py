"""tf.autograph: Python control flow runs as written; the switches are accepted."""
from __future__ import annotations

import pytest

import tensorlet as tf


def test_autograph_switches_are_accepted(capsys):
    tf.autograph.set_verbosity(0)

    @tf.autograph.experimental.do_not_convert
    def f(x):
        return x + 1

    assert f(1) == 2 and tf.autograph.experimental.do_not_convert()(f) is f
    tf.autograph.trace("hidden")
    tf.autograph.set_verbosity(1)
    tf.autograph.trace("shown")
    tf.autograph.set_verbosity(0)
    assert capsys.readouterr().out == "shown\n"
    assert tf.autograph.to_graph(f) is f


def test_to_code_gives_the_source_tensorlet_runs():
    def simple_relu(x):
        if tf.greater(x, 0):
            return x
        return 0

    code = tf.autograph.to_code(simple_relu)
    assert code.startswith("def simple_relu(x):") and "tf.greater(x, 0)" in code
    assert tf.autograph.to_code(tf.function(simple_relu)) == code
    with pytest.raises(TypeError, match="expects a Python function"):
        tf.autograph.to_code(3)
