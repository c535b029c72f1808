"""Keras 2 backend activations and crossentropies: values, gradients, tf_keras parity."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import backend as K

RNG = np.random.default_rng(1)
LOGITS = RNG.normal(size=(4, 3)).astype("float32")
PROBS = (np.exp(LOGITS) / np.exp(LOGITS).sum(1, keepdims=True)).astype("float32")
ONE_HOT = np.eye(3, dtype="float32")[[0, 2, 1, 1]]


def test_relu_takes_keras2_alpha_max_value_and_threshold():
    out = K.relu(tf.constant([-1.0, 2.0, 7.0]), alpha=0.1, max_value=6.0)
    np.testing.assert_allclose(out.numpy(), [-0.1, 2.0, 6.0])


def test_hard_sigmoid_is_keras2_piecewise_linear():
    np.testing.assert_allclose(K.hard_sigmoid(tf.constant([-3.0, 0.0, 1.0, 3.0])).numpy(), [0.0, 0.5, 0.7, 1.0])


def test_binary_crossentropy_is_elementwise():
    t, p = tf.constant([[0.0, 1.0]]), tf.constant([[0.3, 0.7]])
    out = K.binary_crossentropy(t, p)
    assert out.shape == (1, 2)
    np.testing.assert_allclose(out.numpy(), [[-np.log(0.7), -np.log(0.7)]], rtol=1e-5)


def test_crossentropies_from_logits_match_probabilities():
    t = tf.constant(ONE_HOT)
    np.testing.assert_allclose(K.categorical_crossentropy(t, tf.constant(LOGITS), from_logits=True).numpy(),
                               K.categorical_crossentropy(t, tf.constant(PROBS)).numpy(), rtol=1e-5)
    labels = tf.constant([0, 2, 1, 1])
    np.testing.assert_allclose(K.sparse_categorical_crossentropy(labels, tf.constant(PROBS)).numpy(),
                               K.categorical_crossentropy(t, tf.constant(PROBS)).numpy(), rtol=1e-5)


def test_dropout_zeroes_and_rescales():
    out = K.dropout(tf.ones((1000,)), 0.5, seed=3).numpy()
    assert set(np.unique(out)) <= {0.0, 2.0} and 400 < (out == 0).sum() < 600
    with pytest.raises(ValueError, match="K.dropout: level must be in"):
        K.dropout(tf.ones((2,)), 1.0)


def test_in_top_k_and_bias_add():
    preds = tf.constant([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1]])
    assert K.in_top_k(preds, tf.constant([1, 1]), 1).numpy().tolist() == [True, False]
    assert K.in_top_k(preds, tf.constant([1, 1]), 2).numpy().tolist() == [True, True]
    assert K.bias_add(tf.zeros((2, 3)), tf.constant([1.0, 2.0, 3.0])).numpy()[1].tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("f", [
    lambda x: K.softmax(x), lambda x: K.relu(x, alpha=0.2), lambda x: K.elu(x), lambda x: K.softplus(x),
    lambda x: K.binary_crossentropy(K.sigmoid(x) * 0 + 0.3, K.sigmoid(x)),
    lambda x: K.categorical_crossentropy(tf.constant(ONE_HOT, dtype="float64"), K.softmax(x)),
    lambda x: K.binary_crossentropy(tf.constant(ONE_HOT, dtype="float64"), 0.25 + 0.5 * K.sigmoid(x) * 1.0)])
def test_gradients_match_finite_differences(f):
    gradcheck(f, [LOGITS.astype("float64")])


@pytest.mark.parity
@pytest.mark.parametrize("call", [
    lambda k, t, p: k.categorical_crossentropy(t, p), lambda k, t, p: k.binary_crossentropy(t, p),
    lambda k, t, p: k.categorical_crossentropy(t, p * 3.0 - 1.0, from_logits=True),
    lambda k, t, p: k.binary_crossentropy(t, p * 3.0 - 1.0, from_logits=True),
    lambda k, t, p: k.softmax(p * 3.0), lambda k, t, p: k.relu(p - 0.3, alpha=0.1, max_value=0.5),
    lambda k, t, p: k.hard_sigmoid(p * 8 - 4), lambda k, t, p: k.elu(p - 0.5)])
def test_values_match_tf_keras_backend(call):
    tf_keras = pytest.importorskip("tf_keras")
    real_tf = pytest.importorskip("tensorflow")
    theirs = np.asarray(call(tf_keras.backend, real_tf.constant(ONE_HOT), real_tf.constant(PROBS)))
    ours = call(K, tf.constant(ONE_HOT), tf.constant(PROBS)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=1e-6)
