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
    with pytest.raises(RuntimeError, match="tf.autograph.to_graph is not provided by tensorlet"):
        tf.autograph.to_graph(f)
