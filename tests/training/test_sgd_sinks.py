"""Plain SGD in fit: weights read by one op take their step inside that op's backward pass (a GEMM that
accumulates into the weights). The result is still w - lr * g, shared weights still see their old values during
the backward pass, and constraints still apply."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import constraints, layers, models


def _sunk(model) -> set:
    """Indices of the variables whose step the linear train plan takes inside a Dense backward pass."""
    return next(record for k, record in model._runner.plans.items() if k[0] == "train-linear")[3]


def _tape_step(model, x, y, lr):
    before = [w.copy() for w in model.get_weights()]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(y, model(x, training=True)))
    grads = [g.numpy() for g in tape.gradient(loss, model.trainable_weights)]
    return [b - lr * g for b, g in zip(before, grads)]


@pytest.mark.parametrize("width", [8, 300])  # 300 x 32 weights: the kernel's step goes through the GEMM sink
def test_sunk_step_is_the_sgd_formula(width):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, width)).astype("float32")
    y = rng.integers(0, 3, 64)
    model = models.Sequential([layers.Input((width,)), layers.Dense(32, activation="relu"),
                               layers.Dense(3, activation="softmax")])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    model.train_on_batch(x, y)
    expected = _tape_step(model, x, y, 0.1)
    model.train_on_batch(x, y)
    assert _sunk(model) == ({0, 1} if width == 300 else set())  # kernels under 4096 weights are not sunk
    for got, want in zip(model.get_weights(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_a_shared_layer_is_not_sunk_and_sees_its_old_weights():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((64, 300)).astype("float32")
    y = rng.integers(0, 3, 64)
    shared = layers.Dense(300, activation="tanh")
    inp = layers.Input((300,))
    out = layers.Dense(16, activation="softmax")(shared(shared(inp)))
    model = models.Model(inp, out)
    model.compile(optimizer=tf.keras.optimizers.SGD(0.05), loss="sparse_categorical_crossentropy")
    model.train_on_batch(x, y)
    expected = _tape_step(model, x, y, 0.05)
    model.train_on_batch(x, y)
    assert _sunk(model) == {2, 3}  # the shared kernel and bias (read twice) are not sunk
    for got, want in zip(model.get_weights(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_constraints_apply_to_sunk_weights():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((64, 300)).astype("float32")
    y = rng.integers(0, 3, 64)
    model = models.Sequential([layers.Input((300,)), layers.Dense(16, kernel_constraint=constraints.NonNeg()),
                               layers.Dense(3, activation="softmax")])
    model.compile(optimizer=tf.keras.optimizers.SGD(1.0), loss="sparse_categorical_crossentropy")
    for _ in range(3):
        model.train_on_batch(x, y)
    assert model.layers[0].kernel.numpy().min() >= 0
