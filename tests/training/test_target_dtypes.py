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


def test_1d_targets_reach_custom_losses_and_metrics_with_the_predictions_rank():
    """tf.keras 2 gives y_true a last axis beside (N, 1) predictions: y_true - y_pred is (N, 1), not (N, N)."""
    shapes = []

    def squared_error(y_true, y_pred):
        shapes.append((tuple(y_true.shape), tuple(y_pred.shape)))
        return tf.square(y_true - y_pred)

    model = line_model(squared_error)
    model.compile(optimizer="sgd", loss=squared_error, metrics=[squared_error])
    x, y = XS, YS.reshape(-1)  # 1-D targets, as a pandas column or np.array([...]) gives them
    results = model.evaluate(x, y, verbose=0, return_dict=True)
    expected = float(np.mean((model.predict(x, verbose=0)[:, 0] - y) ** 2))
    assert results["loss"] == pytest.approx(expected, rel=1e-5)
    assert results["squared_error"] == pytest.approx(expected, rel=1e-5)
    assert set(shapes) == {((6, 1), (6, 1))}


@pytest.mark.parity
def test_parity_tf_keras_2_custom_loss_and_metric_values_with_1d_targets():
    pytest.importorskip("tensorflow")
    tf_keras = pytest.importorskip("tf_keras")
    import tensorflow as real_tf

    def huber(y_true, y_pred, module):
        error = y_true - y_pred
        small = module.abs(error) < 1.0
        return module.where(small, module.square(error) / 2, module.abs(error) - 0.5)

    results = []
    for keras, module in ((tf_keras, real_tf), (tf.keras, tf)):
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        model.set_weights([np.array([[1.5]], "float32"), np.array([0.25], "float32")])
        fn = lambda yt, yp, m=module: huber(yt, yp, m)  # noqa: E731
        model.compile(optimizer="sgd", loss=fn, metrics=[fn])
        results.append(model.evaluate(XS, YS.reshape(-1), verbose=0))
    np.testing.assert_allclose(results[1], results[0], rtol=1e-5)
