"""Targets reach losses in the model's floatx, as Keras' data adapters cast them (issue 25 item 2)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models

XS = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], dtype=float).reshape(-1, 1)
YS = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0], dtype=float).reshape(-1, 1)


def line_model(loss):
    model = models.Sequential([layers.Input((1,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss=loss)
    return model


def test_custom_loss_gets_float32_targets_from_float64_arrays_in_fit_evaluate_and_batches():
    seen = []

    def squared_error(y_true, y_pred):  # float64 - float32 would raise: tensorlet promotes nothing silently
        seen.append(y_true.dtype)
        return tf.reduce_mean(tf.square(y_true - y_pred))

    model = line_model(squared_error)
    history = model.fit(XS, YS, epochs=3, verbose=0, validation_data=(XS, YS))
    assert np.isfinite(history.history["val_loss"][-1])
    model.evaluate(XS, YS.tolist(), verbose=0)
    model.train_on_batch(XS, YS)
    model.fit(((XS, YS) for _ in range(2)), steps_per_epoch=2, epochs=1, verbose=0)
    assert seen and set(seen) == {tf.float32}


def test_custom_loss_gets_float32_targets_for_every_output_of_a_dict_target():
    seen = []

    def l1(y_true, y_pred):
        seen.append(y_true.dtype)
        return tf.reduce_mean(tf.abs(y_true - y_pred))

    inp = layers.Input((1,))
    model = models.Model(inp, {"a": layers.Dense(1, name="a")(inp), "b": layers.Dense(1, name="b")(inp)})
    model.compile(optimizer="sgd", loss={"a": l1, "b": l1})
    model.fit(XS, {"a": YS, "b": YS * 2}, epochs=1, verbose=0)
    assert set(seen) == {tf.float32}


def test_integer_labels_keep_their_dtype():
    seen = []

    def sparse_ce(y_true, y_pred):
        seen.append(y_true.dtype)
        return tf.keras.losses.sparse_categorical_crossentropy(y_true, y_pred)

    model = models.Sequential([layers.Input((1,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss=sparse_ce)
    model.fit(XS, np.array([0, 1, 2, 0, 1, 2]), epochs=1, verbose=0)
    assert seen[0].is_integer


@pytest.mark.parity
def test_parity_tf_keras_2_custom_losses_see_float32_targets():
    pytest.importorskip("tensorflow")
    tf_keras = pytest.importorskip("tf_keras")
    seen = []

    def squared_error(y_true, y_pred):
        seen.append(y_true.dtype.name)
        return (y_true - y_pred) ** 2

    model = tf_keras.Sequential([tf_keras.Input((1,)), tf_keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss=squared_error)
    model.fit(XS, YS, epochs=1, verbose=0)
    assert set(seen) == {"float32"}
