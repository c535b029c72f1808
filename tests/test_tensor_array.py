"""tf.TensorArray: writes, reads, stacking (differentiable), growth rules."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf


def test_write_read_stack():
    ta = tf.TensorArray(tf.float32, size=3)
    for i in range(3):
        ta = ta.write(i, tf.constant([float(i), float(i) + 0.5]))
    assert ta.stack().numpy().tolist() == [[0.0, 0.5], [1.0, 1.5], [2.0, 2.5]]
    assert float(ta.read(1)[1]) == 1.5 and int(ta.size()) == 3


def test_fixed_size_refuses_growth_dynamic_grows():
    with pytest.raises(IndexError, match="dynamic_size"):
        tf.TensorArray(tf.float32, size=1).write(1, 1.0)
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    ta.write(2, 7.0).write(0, 1.0).write(1, 2.0)
    assert ta.stack().numpy().tolist() == [1.0, 2.0, 7.0]


def test_unstack_gather_scatter_concat():
    ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True).unstack(tf.constant([[1, 2], [3, 4], [5, 6]]))
    assert ta.gather([2, 0]).numpy().tolist() == [[5, 6], [1, 2]]
    assert ta.concat().numpy().tolist() == [1, 2, 3, 4, 5, 6]
    ta.scatter([0], tf.constant([[9, 9]]))
    assert ta.read(0).numpy().tolist() == [9, 9]


def test_dtype_and_shape_checks():
    with pytest.raises(TypeError, match="dtype"):
        tf.TensorArray(tf.int32, size=1).write(0, tf.constant(1.5))
    ta = tf.TensorArray(tf.float32, size=2, element_shape=(2,))
    with pytest.raises(ValueError, match="element shape"):
        ta.write(0, tf.constant([1.0, 2.0, 3.0]))


def test_stacking_is_differentiable_and_works_in_a_while_loop():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        def body(i, ta):
            return i + 1, ta.write(i, x * tf.cast(i, tf.float32))

        _, ta = tf.while_loop(lambda i, ta: i < 4, body, [0, tf.TensorArray(tf.float32, size=4)])
        total = tf.reduce_sum(ta.stack())
    assert float(total) == pytest.approx(2.0 * 6)
    assert float(tape.gradient(total, x)) == pytest.approx(6.0)


def test_in_a_traced_function():
    @tf.function
    def cumulative(x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        acc = tf.constant(0.0)
        for i in range(3):
            acc = acc + x[i]
            ta = ta.write(i, acc)
        return ta.stack()

    np.testing.assert_allclose(cumulative(tf.constant([1.0, 2.0, 3.0])).numpy(), [1.0, 3.0, 6.0])
    np.testing.assert_allclose(cumulative(tf.constant([0.5, 0.5, 1.0])).numpy(), [0.5, 1.0, 2.0])
    assert cumulative.experimental_get_tracing_count() == 1
