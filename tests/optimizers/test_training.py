"""Optimizers inside ``Model.fit``: the trainer's fast path, the ``lr=`` alias, strings and schedules."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 4)).astype("float32")
    return x, (x[:, 0] + x[:, 1] > 0).astype("int64")


def _fit(optimizer, epochs=2):
    from tensorlet.keras import layers, models, utils

    utils.set_random_seed(0)
    model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                               layers.Dense(2, activation="softmax")])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    x, y = _data()
    history = model.fit(x, y, epochs=epochs, batch_size=16, shuffle=False, verbose=0)
    return [w.copy() for w in model.get_weights()], history.history["loss"]


def test_lr_alias_changes_the_fit_result():
    with pytest.warns(DeprecationWarning):
        alias = tf.keras.optimizers.SGD(lr=0.5)
    weights, _ = _fit(alias)
    same, _ = _fit(tf.keras.optimizers.SGD(learning_rate=0.5))
    default, _ = _fit(tf.keras.optimizers.SGD())
    assert all(np.array_equal(a, b) for a, b in zip(weights, same))
    assert not all(np.allclose(a, b) for a, b in zip(weights, default))


@pytest.mark.parametrize("name", ["sgd", "rmsprop", "adam", "adamw", "adagrad", "adamax", "nadam", "lion"])
def test_every_optimizer_string_trains(name):
    opt = tf.keras.optimizers.get(name)
    opt.learning_rate = 0.05 if name != "lion" else 0.005
    _, losses = _fit(opt, epochs=4)
    assert losses[-1] < losses[0]
    assert int(opt.iterations) == 4 * 8


def test_schedule_drives_the_learning_rate_during_fit():
    schedule = tf.keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=8, decay_rate=0.5)
    opt = tf.keras.optimizers.SGD(schedule)
    _fit(opt, epochs=2)
    assert float(opt.learning_rate) == pytest.approx(0.1 * 0.5 ** 2)


@pytest.mark.parametrize("kwargs", [{}, {"momentum": 0.9}, {"clipnorm": 1e-3}])
def test_fit_step_is_the_sgd_formula(kwargs):
    """fit's SGD step (the prescaled path for plain SGD, the ordinary one otherwise) is w - lr * g, with g the
    GradientTape gradient of the same batch loss; a schedule's rate is read at the step's iteration."""
    from tensorlet.keras import layers, models

    rng = np.random.default_rng(1)
    x = rng.standard_normal((16, 4)).astype("float32")
    y = rng.integers(0, 2, 16)
    schedule = tf.keras.optimizers.schedules.ExponentialDecay(0.5, decay_steps=1, decay_rate=0.5)
    model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(3, activation="relu"),
                               layers.Dense(2, activation="softmax")])
    opt = tf.keras.optimizers.SGD(learning_rate=schedule, **kwargs)
    model.compile(optimizer=opt, loss="sparse_categorical_crossentropy")
    model.train_on_batch(x, y)  # builds everything; the checked step is the second, at lr = 0.25
    before = [w.copy() for w in model.get_weights()]
    with tf.GradientTape() as tape:
        loss = tf.keras.losses.sparse_categorical_crossentropy(y, model(x, training=True))
        loss = tf.reduce_mean(loss)
    grads = [g.numpy() for g in tape.gradient(loss, model.trainable_weights)]
    model.train_on_batch(x, y)
    after = model.get_weights()
    if kwargs:  # momentum and clipping change the step; only the plain case has a one-line formula
        assert not all(np.allclose(a, b - 0.25 * g, atol=1e-7) for a, b, g in zip(after, before, grads))
        return
    for a, b, g in zip(after, before, grads):
        np.testing.assert_allclose(a, b - 0.25 * g, rtol=1e-5, atol=1e-7)
    assert int(opt.iterations.numpy()) == 2


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_loss_scale_factor_scales_the_loss_and_unscales_the_gradients(run_eagerly):
    """Keras: the loss is multiplied by loss_scale_factor and the gradients divided by it, so the training is the
    same as without it (the factor only guards low-precision gradients against underflow). SGD, not Adam: Adam
    would hide a missing unscaling, being invariant to the gradients' scale."""
    from tensorlet.keras import layers, models, utils

    def fit(**kwargs):
        utils.set_random_seed(0)
        model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                                   layers.Dense(2, activation="softmax")])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1, momentum=0.5, **kwargs),
                      loss="sparse_categorical_crossentropy",
                      run_eagerly=run_eagerly)
        x, y = _data()
        model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
        return model.get_weights()

    for a, b in zip(fit(loss_scale_factor=1024.0), fit()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
