"""keras.metrics' functions: present under tf.keras 2's names, Tensors out, differentiable, tf_keras values."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import keras
from tensorlet.autodiff.gradcheck import gradcheck

RNG = np.random.default_rng(2)
PROBS = RNG.dirichlet(np.ones(4), size=6).astype("float32")
LABELS = np.array([0, 3, 1, 2, 2, 0])
ONE_HOT = np.eye(4, dtype="float32")[LABELS]
REG_TRUE = RNG.uniform(0.5, 2.0, size=(6, 3)).astype("float32")
REG_PRED = RNG.uniform(0.1, 2.5, size=(6, 3)).astype("float32")
BIN_TRUE = RNG.integers(0, 2, size=(6, 3)).astype("float32")
BIN_PRED = RNG.uniform(0.05, 0.95, size=(6, 3)).astype("float32")

CASES = [
    ("binary_accuracy", BIN_TRUE, BIN_PRED), ("categorical_accuracy", ONE_HOT, PROBS),
    ("sparse_categorical_accuracy", LABELS, PROBS), ("sparse_categorical_accuracy", LABELS[:, None], PROBS),
    ("top_k_categorical_accuracy", ONE_HOT, PROBS), ("sparse_top_k_categorical_accuracy", LABELS, PROBS),
    ("mse", REG_TRUE, REG_PRED), ("mae", REG_TRUE, REG_PRED), ("mape", REG_TRUE, REG_PRED),
    ("msle", REG_TRUE, REG_PRED), ("mean_squared_error", REG_TRUE, REG_PRED),
    ("mean_absolute_error", REG_TRUE, REG_PRED), ("mean_absolute_percentage_error", REG_TRUE, REG_PRED),
    ("mean_squared_logarithmic_error", REG_TRUE, REG_PRED), ("MSE", REG_TRUE, REG_PRED),
    ("logcosh", REG_TRUE, REG_PRED), ("poisson", REG_TRUE, REG_PRED), ("kld", ONE_HOT, PROBS),
    ("kl_divergence", ONE_HOT, PROBS), ("binary_crossentropy", BIN_TRUE, BIN_PRED),
    ("categorical_crossentropy", ONE_HOT, PROBS), ("sparse_categorical_crossentropy", LABELS, PROBS),
    ("hinge", BIN_TRUE, BIN_PRED), ("squared_hinge", BIN_TRUE, BIN_PRED),
    ("binary_focal_crossentropy", BIN_TRUE, BIN_PRED),
]


@pytest.mark.parametrize("name, y_true, y_pred", CASES)
def test_metric_functions_are_exposed_and_return_float32_tensors(name, y_true, y_pred):
    out = getattr(keras.metrics, name)(tf.constant(y_true), tf.constant(y_pred))
    assert isinstance(out, tf.Tensor) and out.dtype == tf.float32 and out.shape[0] == 6


def test_accuracy_values_per_sample():
    np.testing.assert_array_equal(keras.metrics.sparse_categorical_accuracy(LABELS, PROBS).numpy(),
                                  (PROBS.argmax(1) == LABELS).astype("float32"))
    assert keras.metrics.sparse_categorical_accuracy(LABELS[:, None], PROBS).shape == (6,)
    np.testing.assert_array_equal(keras.metrics.top_k_categorical_accuracy(ONE_HOT, PROBS, k=4).numpy(), 1.0)
    np.testing.assert_allclose(keras.metrics.binary_accuracy(BIN_TRUE, BIN_PRED).numpy(),
                               ((BIN_PRED > 0.5) == BIN_TRUE).mean(1))


def test_loss_like_metric_functions_are_differentiable_in_custom_losses():
    gradcheck(lambda p: keras.metrics.mean_squared_error(REG_TRUE.astype("float64"), p) +
              keras.metrics.mae(REG_TRUE.astype("float64"), p), [REG_PRED.astype("float64")])
    assert keras.metrics.mse is keras.losses.mean_squared_error


def test_metric_functions_in_compile_log_under_their_names():
    model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,), activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy",
                  metrics=[keras.metrics.categorical_accuracy, keras.metrics.top_k_categorical_accuracy])
    logs = model.fit(RNG.normal(size=(6, 3)), ONE_HOT, epochs=1, verbose=0).history
    assert {"categorical_accuracy", "top_k_categorical_accuracy"} <= set(logs)
    assert logs["top_k_categorical_accuracy"][0] == pytest.approx(1.0)


@pytest.mark.parity
@pytest.mark.parametrize("name, y_true, y_pred", CASES)
def test_values_match_tf_keras(name, y_true, y_pred):
    tf_keras = pytest.importorskip("tf_keras")
    theirs = np.asarray(getattr(tf_keras.metrics, name)(y_true, y_pred))
    ours = getattr(keras.metrics, name)(y_true, y_pred).numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=1e-6)
