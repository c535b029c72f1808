"""No NumPy RuntimeWarning escapes tensorlet's own ops on extreme but finite inputs whose results are finite.

pytest runs with warnings as errors, so an overflow in exp, an invalid log or a division by zero inside an op fails
these tests; the results (values and gradients) are checked to be finite, as the true values are.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet import activations, keras

LIMITS = {"float16": 3e4, "float32": 1e30, "float64": 1e30}


def extreme_arrays(dtype):
    limit = LIMITS[dtype]
    special = st.sampled_from([-limit, -1e4, -100.0, -88.8, -1e-30, 0.0, 88.8, 100.0, 1e4, limit])
    values = st.one_of(special, st.floats(-limit, limit, allow_nan=False, width=16 if dtype == "float16" else 64))
    return st.lists(values, min_size=1, max_size=6).map(lambda v: np.array(v, dtype=dtype))


def value_and_gradient(f, x):
    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = f(v)
    g = tape.gradient(y, v, output_gradients=tf.ones_like(y) * 1e-3)
    return y.numpy(), None if g is None else g.numpy()


ACTIVATIONS = {
    "softmax": tf.nn.softmax, "sigmoid": tf.sigmoid, "keras_sigmoid": activations.sigmoid, "tanh": tf.tanh,
    "softplus": tf.nn.softplus, "elu": tf.nn.elu, "selu": tf.nn.selu, "gelu": tf.nn.gelu,
    "gelu_tanh": lambda x: tf.nn.gelu(x, approximate=True), "swish": tf.nn.swish, "softsign": tf.nn.softsign,
    "hard_sigmoid": activations.hard_sigmoid, "logsumexp": lambda x: tf.reduce_logsumexp(x, keepdims=True),
    "sigmoid_xent": lambda x: tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(x), logits=x),
}


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_activations_on_extreme_inputs_warn_nothing_and_stay_finite(name, dtype, data):
    x = data.draw(extreme_arrays(dtype))
    y, g = value_and_gradient(ACTIVATIONS[name], x)
    assert np.isfinite(y).all() and (g is None or np.isfinite(g).all())


LOSSES = {
    "binary_crossentropy_probs": lambda t, z: keras.losses.binary_crossentropy(t, tf.sigmoid(z) * 1.0),
    "binary_crossentropy_sigmoid": lambda t, z: keras.losses.binary_crossentropy(t, activations.sigmoid(z)),
    "binary_crossentropy_logits": lambda t, z: keras.losses.binary_crossentropy(t, z, from_logits=True),
    "focal": lambda t, z: keras.losses.binary_focal_crossentropy(t, activations.sigmoid(z)),
    "categorical_softmax": lambda t, z: keras.losses.categorical_crossentropy(t, tf.nn.softmax(z)),
    "categorical_probs": lambda t, z: keras.losses.categorical_crossentropy(t, tf.nn.softmax(z) * 1.0),
    "categorical_logits": lambda t, z: keras.losses.categorical_crossentropy(t, z, from_logits=True),
    "kld": lambda t, z: keras.losses.kld(t, tf.nn.softmax(z) * 1.0),
    "poisson": lambda t, z: keras.losses.poisson(t, tf.nn.softmax(z) * 1.0),
    "huber": lambda t, z: keras.losses.huber(t, z), "log_cosh": lambda t, z: keras.losses.log_cosh(t, z),
    "backend_bce": lambda t, z: keras.backend.binary_crossentropy(t, tf.sigmoid(z) * 1.0),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_losses_on_extreme_logits_warn_nothing_and_stay_finite(name, data):
    z = data.draw(extreme_arrays("float32")).reshape(1, -1)
    t = np.zeros_like(z)
    t[0, data.draw(st.integers(0, z.shape[1] - 1))] = 1.0
    y, g = value_and_gradient(lambda v: LOSSES[name](tf.constant(t), v), z)
    assert np.isfinite(y).all() and np.isfinite(g).all()


@settings(max_examples=30, deadline=None)
@given(extreme_arrays("float32"))
def test_sparse_crossentropy_and_metrics_on_extreme_logits_warn_nothing(z):
    z = z.reshape(1, -1)
    loss = keras.losses.sparse_categorical_crossentropy(tf.constant([0]), tf.nn.softmax(z) * 1.0)
    assert np.isfinite(loss.numpy()).all()
    auc = keras.metrics.AUC(from_logits=True)
    auc.update_state(np.arange(z.size) % 2, z.reshape(-1))
    assert np.isfinite(float(auc.result()))
    bce = keras.metrics.BinaryCrossentropy(from_logits=True)
    bce.update_state(np.ones_like(z), z)
    assert np.isfinite(float(bce.result()))


def test_genuinely_non_finite_results_still_warn():
    with pytest.warns(RuntimeWarning, match="overflow"):
        assert np.isinf(tf.exp(tf.constant(1000.0)).numpy())


@pytest.mark.parametrize("f", [tf.nn.gelu, lambda x: tf.nn.gelu(x, approximate=True), tf.nn.softsign,
                               lambda x: keras.losses.huber(np.zeros((1, 4)), x[None] * 1e3)])
def test_stable_forms_keep_exact_gradients_at_large_inputs(f):
    from tensorlet.autodiff.gradcheck import gradcheck

    gradcheck(f, [np.array([-50.0, -12.0, 12.0, 50.0])])
