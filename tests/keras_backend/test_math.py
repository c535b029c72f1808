"""Keras 2 backend maths: values against NumPy, gradients, and parity with tf_keras.backend."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import backend as K

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4)).astype("float32")


@pytest.mark.parametrize("name, ref", [("mean", np.mean), ("sum", np.sum), ("max", np.max), ("min", np.min),
                                       ("prod", np.prod), ("std", np.std), ("var", np.var)])
@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, True), (0, False), (-1, False)])
def test_reductions_follow_numpy(name, ref, axis, keepdims):
    out = getattr(K, name)(tf.constant(X), axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.numpy(), ref(X, axis=axis, keepdims=keepdims), rtol=1e-5, atol=1e-6)


def test_mean_of_booleans_is_a_float():
    assert K.mean(tf.constant([True, False, True, True])).dtype == tf.float32
    assert float(K.mean(tf.constant([True, False]))) == 0.5


def test_sqrt_clips_negative_inputs_to_zero_as_keras2():
    np.testing.assert_array_equal(K.sqrt(tf.constant([-4.0, 4.0])).numpy(), [0.0, 2.0])


def test_clip_raises_a_max_below_the_min():
    np.testing.assert_array_equal(K.clip(tf.constant([-1.0, 0.5, 2.0]), 0.0, 1.0).numpy(), [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(K.clip(tf.constant([3.0]), 1.0, 0.0).numpy(), [1.0])


@pytest.mark.parametrize("xs, ys, out", [((2, 3), (3, 4), (2, 4)), ((2, 3, 4), (4, 5), (2, 3, 5)),
                                         ((2, 3, 4), (5, 4, 6), (2, 3, 5, 6))])
def test_dot_contracts_the_last_axis_with_the_second_to_last(xs, ys, out):
    a, b = RNG.normal(size=xs), RNG.normal(size=ys)
    got = K.dot(tf.constant(a), tf.constant(b)).numpy()
    assert got.shape == out
    np.testing.assert_allclose(got, np.tensordot(a, b, axes=([-1], [-2])) if len(ys) > 2 else a @ b)


@pytest.mark.parametrize("xs, ys, axes, out", [((2, 3), (2, 3), None, (2, 1)), ((2, 3, 4), (2, 4, 5), None, (2, 3, 5)),
                                               ((2, 3, 4), (2, 3, 5), 1, (2, 4, 5)),
                                               ((2, 3, 4), (2, 5, 4), (2, 2), (2, 3, 5)),
                                               ((4, 20, 1), (4, 30, 20), (1, 2), (4, 1, 30)),
                                               ((2, 3), (2, 3, 4), None, (2, 4))])
def test_batch_dot_contracts_per_sample(xs, ys, axes, out):
    a, b = RNG.normal(size=xs), RNG.normal(size=ys)
    got = K.batch_dot(tf.constant(a), tf.constant(b), axes=axes).numpy()
    assert got.shape == out
    ax = (len(xs) - 1, len(ys) - 2 if len(ys) > 2 else 1) if axes is None else (
        (axes, axes) if isinstance(axes, int) else axes)
    ref = np.stack([np.tensordot(a[i], b[i], axes=([ax[0] - 1], [ax[1] - 1])) for i in range(xs[0])])
    np.testing.assert_allclose(got, ref.reshape(out))


def test_batch_dot_rejects_mismatched_axes():
    with pytest.raises(ValueError, match="batch_dot: cannot contract axis 1 of x"):
        K.batch_dot(tf.zeros((2, 3)), tf.zeros((2, 4)))


def test_switch_selects_by_scalar_and_elementwise_condition():
    a, b = tf.constant([[1.0, 2.0], [5.0, 6.0]]), tf.constant([[3.0, 4.0], [7.0, 8.0]])
    np.testing.assert_array_equal(K.switch(tf.constant([True, False]), a, b).numpy(), [[1, 2], [7, 8]])
    assert K.switch(tf.constant(False), lambda: a, lambda: b) is b
    np.testing.assert_array_equal(K.switch(a > 2.0, a, b).numpy(), [[3, 4], [5, 6]])


def test_l2_normalize_gives_unit_rows():
    out = K.l2_normalize(tf.constant(X), axis=1).numpy()
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("f", [
    lambda x: K.mean(K.square(x), axis=1), lambda x: K.std(x, axis=0), lambda x: K.sqrt(K.abs(x) + 0.1),
    lambda x: K.l2_normalize(x, axis=-1), lambda x: K.dot(x, K.transpose(x)), lambda x: K.clip(x, -0.5, 0.5),
    lambda x: K.batch_dot(x, x, axes=1), lambda x: K.pow(K.abs(x) + 1.0, 3), lambda x: K.logsumexp(x, axis=1),
    lambda x: K.switch(x > 0, x, K.exp(x)), lambda x: K.max(x, axis=1) - K.min(x, axis=0)[:3]])
def test_gradients_match_finite_differences(f):
    gradcheck(f, [RNG.normal(size=(3, 4))])


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 4), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
def test_batch_dot_matches_einsum(n, a, b, c):
    x, y = RNG.normal(size=(n, a, b)), RNG.normal(size=(n, b, c))
    np.testing.assert_allclose(K.batch_dot(tf.constant(x), tf.constant(y)).numpy(), np.einsum("nab,nbc->nac", x, y),
                               rtol=1e-10)


@pytest.mark.parity
@pytest.mark.parametrize("call", [
    lambda k, x: k.mean(x, axis=1, keepdims=True), lambda k, x: k.std(x), lambda k, x: k.var(x, axis=0),
    lambda k, x: k.sqrt(x), lambda k, x: k.l2_normalize(x, axis=1), lambda k, x: k.clip(x, -0.2, 0.3),
    lambda k, x: k.dot(x, k.transpose(x)), lambda k, x: k.batch_dot(x, x, axes=1), lambda k, x: k.round(x * 4),
    lambda k, x: k.argmax(x), lambda k, x: k.cumsum(x, axis=1),
    lambda k, x: k.pow(k.abs(x), 1.5), lambda k, x: k.prod(x, axis=1), lambda k, x: k.any(x > 1.0, axis=1),
])
def test_values_match_tf_keras_backend(call):
    tf_keras = pytest.importorskip("tf_keras")
    real_tf = pytest.importorskip("tensorflow")
    theirs = np.asarray(call(tf_keras.backend, real_tf.constant(X)))
    ours = np.asarray(call(K, tf.constant(X)).numpy())
    assert ours.dtype == theirs.dtype or (ours.dtype.kind == theirs.dtype.kind == "i")
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
