"""The same layer instance added twice to a Sequential model: weight sharing (issue 25 item 8)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models, optimizers, utils

X = np.random.default_rng(0).random((8, 3)).astype("float32")
Y = np.ones((8, 1), "float32")


def shared_model(module=None):
    keras = module or tf.keras
    d = keras.layers.Dense(3, activation="relu", name="shared")
    model = keras.Sequential([keras.Input((3,)), d, d, keras.layers.Dense(1, name="out")])
    return model, d


def test_a_layer_added_twice_is_applied_twice_with_one_set_of_weights():
    utils.set_random_seed(0)
    model, d = shared_model()
    assert [la.name for la in model.layers] == ["shared", "out"]
    assert len(model.weights) == 4 and model.count_params() == 16
    expected = model.layers[-1](d(d(X))).numpy()
    np.testing.assert_allclose(model.predict(X, verbose=0), expected, rtol=1e-6)
    later = models.Sequential()
    later.add(layers.Input((3,)))
    later.add(d)
    later.add(d)
    np.testing.assert_allclose(later.predict(X, verbose=0), d(d(X)).numpy(), rtol=1e-6)


def test_summary_shows_a_shared_layer_once_as_tf_keras_2_does():
    model, _ = shared_model()
    lines = []
    model.summary(print_fn=lines.append)
    rows = [line for line in lines if line.startswith(("shared", "out"))]
    assert rows == ["shared (Dense)               (None, 3)                 12",
                    "out (Dense)                  (None, 1)                 4"]
    assert "Total params: 16" in lines


def test_training_updates_the_shared_weights_once_per_step_with_both_uses_gradients():
    utils.set_random_seed(0)
    model, d = shared_model()
    model.compile(optimizer=optimizers.SGD(0.1), loss="mse")
    before = [w.numpy() for w in model.trainable_weights]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model.layers[-1](d(d(X))) - Y))
    grads = tape.gradient(loss, model.trainable_weights)
    model.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for w, b, g in zip(model.trainable_weights, before, grads):
        np.testing.assert_allclose(w.numpy(), b - 0.1 * g.numpy(), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", ["m.keras", "m.h5", "w.weights.h5", "w.h5"])
def test_saving_and_loading_round_trips_a_shared_layer(tmp_path, name):
    pytest.importorskip("h5py")
    model, _ = shared_model()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, Y, epochs=2, verbose=0)
    path = str(tmp_path / name)
    if name.startswith("w"):
        model.save_weights(path)
        loaded, _ = shared_model()
        loaded.load_weights(path)
    else:
        model.save(path)
        loaded = models.load_model(path)
    assert [la.name for la in loaded.layers] == ["shared", "out"] and len(loaded.weights) == 4
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)


def test_config_records_the_order_of_use_and_clone_model_keeps_the_sharing():
    model, _ = shared_model()
    config = model.get_config()
    assert [c["config"]["name"] for c in config["layers"][1:]] == ["shared", "out"]  # each layer once, as Keras
    assert config["layer_calls"] == ["shared", "shared", "out"]
    clone = models.clone_model(model)
    assert len(clone.layers) == 2 and len(clone.weights) == 4
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    plain = models.Sequential([layers.Input((3,)), layers.Dense(2)])
    assert "layer_calls" not in plain.get_config()


@pytest.mark.parity
def test_parity_tf_keras_2_shared_layer_outputs_and_one_training_step():
    tf_keras = pytest.importorskip("tf_keras")
    theirs, _ = shared_model(tf_keras)
    model, _ = shared_model()
    model.set_weights(theirs.get_weights())
    np.testing.assert_allclose(model.predict(X, verbose=0), theirs.predict(X, verbose=0), rtol=1e-5, atol=1e-6)
    for m, opt in ((theirs, tf_keras.optimizers.SGD(0.1)), (model, optimizers.SGD(0.1))):
        m.compile(optimizer=opt, loss="mse")
        m.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
