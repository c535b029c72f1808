"""tf.UnconnectedGradients."""
from __future__ import annotations

import tensorlet as tf


def test_unconnected_gradients_zero_gives_zeros():
    x, y = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        z = x * 3.0
    assert tape.gradient(z, y) is None
    assert float(tape.gradient(z, y, unconnected_gradients=tf.UnconnectedGradients.ZERO)) == 0.0
    assert [u.value for u in tf.UnconnectedGradients] == ["none", "zero"]
