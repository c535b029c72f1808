"""tf.cond, tf.case, tf.switch_case, tf.while_loop: TensorFlow's documented results and calling conventions."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import tensorlet as tf


def test_cond_runs_one_branch():
    x, y = tf.constant(2), tf.constant(5)
    ran = []
    out = tf.cond(x < y, lambda: (ran.append("t"), tf.add(x, 1))[1], lambda: (ran.append("f"), tf.square(y))[1])
    assert int(out) == 3 and ran == ["t"]
    assert int(tf.cond(False, lambda: 1, lambda: 2)) == 2


def test_cond_needs_both_branches_and_a_scalar_predicate():
    with pytest.raises(TypeError, match="true_fn and false_fn"):
        tf.cond(True, lambda: 1)
    with pytest.raises(ValueError, match="scalar"):
        tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2)


def test_case_takes_the_first_true_predicate_else_the_default():
    x = tf.constant(3)
    assert int(tf.case([(x < 0, lambda: tf.constant(-1)), (x < 5, lambda: tf.constant(1))],
                       default=lambda: tf.constant(9))) == 1
    assert int(tf.case([(x < 0, lambda: tf.constant(-1))], default=lambda: tf.constant(9))) == 9
    with pytest.raises(ValueError, match="exclusive"):
        tf.case([(x > 0, lambda: 1), (x > 1, lambda: 2)], exclusive=True)


def test_switch_case_and_its_out_of_range_default():
    fns = {0: lambda: tf.constant(10), 1: lambda: tf.constant(20), 2: lambda: tf.constant(30)}
    assert int(tf.switch_case(tf.constant(1), fns)) == 20
    assert int(tf.switch_case(7, fns)) == 30  # no default: the last branch, as TF
    assert int(tf.switch_case(7, fns, default=lambda: tf.constant(-1))) == -1


def test_while_loop_keeps_the_structure_of_its_loop_vars():
    i = tf.constant(0)
    assert int(tf.while_loop(lambda i: tf.less(i, 10), lambda i: tf.add(i, 1), [i])[0]) == 10
    assert int(tf.while_loop(lambda i: i < 4, lambda i: i + 1, i)) == 4
    total, n = tf.while_loop(lambda s, k: k < 5, lambda s, k: (s + k, k + 1), (tf.constant(0), tf.constant(0)))
    assert (int(total), int(n)) == (10, 5)
    assert int(tf.while_loop(lambda k: True, lambda k: k + 1, [tf.constant(0)], maximum_iterations=7)[0]) == 7


def test_while_loop_body_must_return_every_loop_variable():
    with pytest.raises(ValueError, match="loop variables"):
        tf.while_loop(lambda a, b: a < 3, lambda a, b: a + 1, [tf.constant(0), tf.constant(0)])


def test_gradients_flow_through_the_taken_branch_and_the_loop():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.cond(x > 0, lambda: x * x, lambda: -x)
        z = tf.while_loop(lambda k, acc: k < 3, lambda k, acc: (k + 1, acc * x), [0, tf.constant(1.0)])[1]
    gy, gz = tape.gradient([y, z][0], x), None
    assert float(gy) == 4.0
    with tf.GradientTape() as tape:
        z = tf.while_loop(lambda k, acc: k < 3, lambda k, acc: (k + 1, acc * x), [0, tf.constant(1.0)])[1]
    gz = tape.gradient(z, x)
    assert float(gz) == pytest.approx(12.0)  # d(x^3)/dx at 2


def test_a_constant_predicate_keeps_a_traced_function_traced_a_computed_one_runs_it_eagerly():
    @tf.function
    def f(x, flag):
        return tf.cond(flag, lambda: x * 2.0, lambda: x)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(f(tf.constant(3.0), True)) == 6.0
    assert f.experimental_get_tracing_count() == 1

    @tf.function
    def g(x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x * 0.0)

    with pytest.warns(UserWarning, match="runs eagerly"):
        g(tf.constant([1.0]))
    np.testing.assert_array_equal(g(tf.constant([-1.0])).numpy(), [-0.0])
