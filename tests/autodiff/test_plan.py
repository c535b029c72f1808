"""Plan: a traced step replayed by its compiled forward and backward functions agrees with eager execution."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

import tensorlet as tf
from tensorlet.autodiff.plan import trace
from tensorlet.autodiff.tensor import _wrap
from tests.strategies import arrays, broadcast_pair


def _eager(fn, feeds, variables):
    with tf.GradientTape() as tape:
        out = fn(*[_wrap(a) for a in feeds])
    grads = tape.gradient(out[0], variables)
    return [o.numpy() for o in out], [None if g is None else g.numpy() for g in grads]


def _check(fn, first, second, variables):
    plan, _ = trace(fn, [_wrap(a) for a in first], variables)
    assert plan is not None
    for feeds in (first, second):  # the second batch proves the replay reads its feeds, not traced constants
        outs = plan.run(feeds)
        grads = plan.run_backward()
        want_outs, want_grads = _eager(fn, feeds, variables)
        for got, want in zip(outs, want_outs):
            np.testing.assert_allclose(got, want, rtol=1e-6)
        for got, want in zip(grads, want_grads):
            if want is None:
                assert got is None
            else:
                np.testing.assert_allclose(got, want, rtol=1e-6)


def test_fan_out_broadcast_and_unused_variable():
    w = tf.Variable(np.linspace(-1, 1, 12).reshape(4, 3))
    b = tf.Variable(np.array([0.1, -0.2, 0.3]))
    unused = tf.Variable(np.ones(2))

    def step(x):
        h = tf.matmul(x, w) + b          # b broadcast over the batch: its gradient is summed once
        y = h * h + tf.nn.relu(h)        # h feeds two ops: contributions add
        return [tf.reduce_mean(y), h]

    rng = np.random.default_rng(0)
    _check(step, [rng.standard_normal((5, 4))], [rng.standard_normal((5, 4))], [w, b, unused])


def test_same_tensor_twice_in_one_op_and_a_non_differentiable_feed():
    w = tf.Variable(np.array([[0.5, -1.0], [2.0, 0.25]]))

    def step(x, labels):
        z = tf.matmul(x, w)
        loss = tf.reduce_sum(z * z) + tf.reduce_sum(tf.cast(labels, "float64") * z)
        return [loss]

    rng = np.random.default_rng(1)
    first = [rng.standard_normal((3, 2)), np.array([[1, 0], [0, 1], [1, 1]])]
    second = [rng.standard_normal((3, 2)), np.array([[0, 0], [1, 0], [0, 1]])]
    _check(step, first, second, [w])


@settings(max_examples=25, deadline=None)
@given(broadcast_pair())
def test_broadcast_gradients_match_the_tape(shapes):
    big, small = shapes
    v = tf.Variable(arrays(small, seed=2))

    def step(x):
        return [tf.reduce_sum(tf.exp(x * v) - v)]

    _check(step, [arrays(big, seed=3)], [arrays(big, seed=4)], [v])


def test_seed_scales_the_gradients():
    w = tf.Variable(np.array([1.0, 2.0, 3.0]))

    def step(x):
        return [tf.reduce_sum(x * w * w)]

    x = np.array([1.0, -1.0, 0.5])
    plan, _ = trace(step, [_wrap(x)], [w])
    plan.run([x])
    (g,) = plan.run_backward(np.asarray(-0.5))
    np.testing.assert_allclose(g, -0.5 * 2 * x * w.numpy())


def test_float32_variable_gets_float32_gradient():
    w = tf.Variable(np.ones(3, np.float32))

    def step(x):
        return [tf.reduce_sum(tf.cast(x, "float32") * w)]

    x = np.arange(3.0)
    plan, _ = trace(step, [_wrap(x)], [w])
    plan.run([x])
    (g,) = plan.run_backward()
    assert g.dtype == np.float32


@pytest.mark.parametrize("n_layers", [1, 3])
def test_dense_stack_matches_eager(n_layers):
    from tensorlet.keras import layers

    rng = np.random.default_rng(5)
    stack = [layers.Dense(6, activation="relu") for _ in range(n_layers)] + [layers.Dense(2)]
    x0 = rng.standard_normal((4, 3)).astype(np.float32)
    h = _wrap(x0)
    for layer in stack:
        h = layer(h)
    variables = [v for layer in stack for v in layer.trainable_weights]

    def step(x):
        h = x
        for layer in stack:
            h = layer(h)
        return [tf.reduce_mean(h * h)]

    _check(step, [x0], [rng.standard_normal((4, 3)).astype(np.float32)], variables)


def test_slices_of_one_tensor_sum_their_gradients_in_place():
    # the steps of a recurrent layer read x[:, t] for every t (and x once more whole): the plan adds each slice's
    # gradient into one array, and the sum is what the tape gives
    w = tf.Variable(np.linspace(-1, 1, 6).reshape(2, 3))
    v = tf.Variable(np.linspace(-0.5, 0.5, 24).reshape(3, 4, 2))

    def fn(feed):
        x = feed + v
        h = tf.zeros((3, 3), dtype="float64")
        for t in range(4):
            h = tf.tanh(tf.matmul(x[:, t], w) + h)
        return (tf.reduce_sum(h * h) + tf.reduce_sum(x[:, ::2] * x[:, ::2]) + tf.reduce_sum(x),)

    rng = np.random.default_rng(0)
    _check(fn, [rng.standard_normal((3, 4, 2))], [rng.standard_normal((3, 4, 2))], [w, v])
