"""Keras 2 backend session names: K.function, learning phase, uids; graph-mode names fail clearly."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import keras
from tensorlet.keras import backend as K


@pytest.fixture(autouse=True)
def _no_learning_phase():
    yield
    K.set_learning_phase(None)


def _model():
    return keras.Sequential([keras.layers.Dense(4, input_shape=(3,), activation="relu", name="hidden"),
                             keras.layers.Dropout(0.5), keras.layers.Dense(2, name="out")])


def test_function_returns_an_intermediate_layer_output():
    model = _model()
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    get_hidden = K.function([model.layers[0].input], [model.get_layer("hidden").output])
    out = get_hidden([x])
    assert isinstance(out, list) and out[0].shape == (5, 4)
    w, b = model.layers[0].get_weights()
    np.testing.assert_allclose(out[0], np.maximum(x @ w + b, 0), rtol=1e-5)
    single = K.function(model.inputs, model.layers[-1].output)
    assert single(x).shape == (5, 2)


def test_function_takes_the_learning_phase_as_an_input():
    model = _model()
    f = K.function([model.inputs[0], K.learning_phase()], [model.layers[1].output])
    x = np.ones((200, 3), "float32")
    test_mode, train_mode = f([x, 0])[0], f([x, 1])[0]
    hidden = model.layers[0](x).numpy()
    np.testing.assert_allclose(test_mode, hidden)
    assert (train_mode == 0).sum() > (hidden == 0).sum()


def test_function_rejects_eager_outputs_and_updates():
    with pytest.raises(ValueError, match="outputs must be symbolic tensors"):
        K.function([], [tf.constant(1.0)])
    model = _model()
    with pytest.raises(ValueError, match="`updates` argument is not supported"):
        K.function(model.inputs, model.layers[0].output, updates=[(1, 2)])
    with pytest.raises(ValueError, match="expected 1 input value"):
        K.function(model.inputs, model.layers[0].output)([np.ones((1, 3)), 1, 2])


def test_set_learning_phase_sets_layers_default_training_mode():
    drop = keras.layers.Dropout(0.5)
    x = tf.ones((1000,))
    assert (drop(x).numpy() == 1.0).all() and K.learning_phase() == 0
    K.set_learning_phase(1)
    assert K.learning_phase() == 1 and (drop(x).numpy() == 0).sum() > 300
    assert (drop(x, training=False).numpy() == 1.0).all()
    with K.learning_phase_scope(0):
        assert (drop(x).numpy() == 1.0).all()
    assert K.in_train_phase(lambda: "train", "test") == "train"
    K.set_learning_phase(0)
    assert K.in_train_phase("train", lambda: "test") == "test" and K.in_test_phase("test", "train") == "test"
    with pytest.raises(ValueError, match="set_learning_phase: expected 0 or 1"):
        K.set_learning_phase(2)


def test_uids_and_clear_session():
    K.reset_uids()
    assert [K.get_uid("dense"), K.get_uid("dense"), K.get_uid("conv")] == [1, 2, 1]
    keras.layers.Dense(1)
    K.clear_session()
    assert K.get_uid("dense") == 1 and keras.layers.Dense(1).name == "dense"
    assert K.backend() == "tensorflow"


def test_graph_mode_names_fail_with_what_to_use_instead():
    with pytest.raises(RuntimeError, match="keras.backend.placeholder is not provided by tensorlet: .*graph mode"):
        K.placeholder(shape=(None, 3))
    with pytest.raises(RuntimeError, match="keras.backend.gradients is not provided .*tf.GradientTape"):
        K.gradients(tf.constant(1.0), [tf.Variable(1.0)])
    with pytest.raises(RuntimeError, match="keras.backend.get_session is not provided"):
        K.get_session()
