"""Parity of SimpleRNN, LSTM and GRU with real Keras 3 (and Keras 2 through tf_keras): weight shapes and order,
outputs for the same weights (with masks, initial states, go_backwards, return_state), gradients through TF's
GradientTape, configs, and ``.keras`` files in both directions."""
from __future__ import annotations

import os

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models
from tensorlet.layers.recurrent.gru import GRU
from tensorlet.layers.recurrent.lstm import LSTM
from tensorlet.layers.recurrent.simple_rnn import SimpleRNN

pytestmark = pytest.mark.parity
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

OURS = {"SimpleRNN": SimpleRNN, "LSTM": LSTM, "GRU": GRU}


@pytest.fixture(scope="module")
def keras():
    k = pytest.importorskip("keras")
    if k.__version__ < "3":
        pytest.skip("needs Keras 3")
    return k


def _outputs(y):
    return [np.asarray(t) for t in (y if isinstance(y, (list, tuple)) else [y])]


def _pair(keras_layers, name, x, seed=0, **kwargs):
    """A Keras layer with random weights, and our layer of the same config holding the same weights."""
    theirs = getattr(keras_layers, name)(5, **kwargs)
    theirs(x)
    rng = np.random.default_rng(seed)
    theirs.set_weights([rng.standard_normal(w.shape).astype("float32") * 0.5 for w in theirs.get_weights()])
    ours = OURS[name](5, **kwargs)
    ours(x)
    ours.set_weights(theirs.get_weights())
    return theirs, ours


MASK = np.array([[1, 1, 1, 1, 0, 0], [0, 0, 1, 1, 1, 1], [1, 1, 1, 0, 1, 1]], bool)
VARIANTS = [{}, {"return_sequences": True, "go_backwards": True}, {"return_state": True, "return_sequences": True},
            {"use_bias": False}, {"activation": "relu"}, {"return_sequences": True, "zero_output_for_mask": True}]
CASES = [(n, v) for n in OURS for v in VARIANTS] + [("GRU", {"reset_after": False}),
                                                      ("GRU", {"reset_after": False, "go_backwards": True}),
                                                      ("LSTM", {"unit_forget_bias": False})]


@pytest.mark.parametrize("masked", [False, True], ids=["nomask", "mask"])
@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_outputs_match_keras3(keras, name, kwargs, masked):
    x = np.random.default_rng(1).standard_normal((3, 6, 4)).astype("float32")
    theirs, ours = _pair(keras.layers, name, x, **kwargs)
    mask = MASK if masked else None
    want, got = _outputs(theirs(x, mask=mask)), _outputs(ours(x, mask=mask))
    assert [w.shape for w in want] == [g.shape for g in got]
    for w, g in zip(want, got):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", list(OURS))
def test_initial_state_matches_keras3(keras, name):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 4, 2)).astype("float32")
    theirs, ours = _pair(keras.layers, name, x, return_state=True)
    states = [rng.standard_normal((3, 5)).astype("float32") for _ in range(2 if name == "LSTM" else 1)]
    for w, g in zip(_outputs(theirs(x, initial_state=states)), _outputs(ours(x, initial_state=states))):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


WEIGHT_CASES = [(n, kw) for n in OURS for kw in ({}, {"use_bias": False})] + [("GRU", {"reset_after": False}),
                                                                             ("LSTM", {"unit_forget_bias": False})]


@pytest.mark.parametrize("name,kwargs", WEIGHT_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(WEIGHT_CASES)])
def test_weight_shapes_names_and_order_match_keras3(keras, name, kwargs):
    theirs, ours = getattr(keras.layers, name)(3, **kwargs), OURS[name](3, **kwargs)
    theirs.build((None, 5, 2))
    ours.build((None, 5, 2))
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    assert [w.path.rsplit("/", 1)[-1] for w in ours.weights] == [w.name for w in theirs.weights]
    # the deterministic part of the initial values: zeros bias (plus the unit forget bias of LSTM)
    if kwargs.get("use_bias", True):
        np.testing.assert_array_equal(ours.bias.numpy(), np.asarray(theirs.weights[2]))


@pytest.mark.parametrize("name,kwargs", [("SimpleRNN", {}), ("LSTM", {"return_sequences": True}),
                                         ("LSTM", {"return_state": True, "go_backwards": True}),
                                         ("GRU", {"return_sequences": True}), ("GRU", {"reset_after": False})])
def test_gradients_match_tensorflow(keras, name, kwargs):
    tensorflow = pytest.importorskip("tensorflow")
    x = np.random.default_rng(3).standard_normal((2, 5, 3)).astype("float32")
    theirs, ours = _pair(keras.layers, name, x, seed=4, **kwargs)
    seed = np.random.default_rng(5)
    xt = tensorflow.Variable(x)
    with tensorflow.GradientTape() as tape:
        outs = theirs(xt, mask=MASK[:2, :5])
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        weights = [seed.standard_normal(o.shape).astype("float32") for o in outs]
        loss = tensorflow.add_n([tensorflow.reduce_sum(o * w) for o, w in zip(outs, weights)])
    want = tape.gradient(loss, [xt] + list(theirs.trainable_weights))
    xv = tf.Variable(x)
    with tf.GradientTape() as tape:
        outs = ours(xv, mask=MASK[:2, :5])
        outs = outs if isinstance(outs, list) else [outs]
        loss = tf.add_n([tf.reduce_sum(o * w) for o, w in zip(outs, weights)])
    got = tape.gradient(loss, [xv] + list(ours.trainable_weights))
    for w, g, label in zip(want, got, ["input", "kernel", "recurrent_kernel", "bias"]):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-4, atol=1e-5, err_msg=label)


@pytest.mark.parametrize("name,kwargs", [("SimpleRNN", {"return_sequences": True}), ("LSTM", {}),
                                         ("GRU", {}), ("GRU", {"reset_after": False, "go_backwards": True})])
def test_outputs_and_defaults_match_keras2(name, kwargs):
    tf_keras = pytest.importorskip("tf_keras")
    x = np.random.default_rng(6).standard_normal((3, 6, 4)).astype("float32")
    theirs, ours = _pair(tf_keras.layers, name, x, **kwargs)
    np.testing.assert_allclose(_outputs(ours(x, mask=MASK))[0], _outputs(theirs(x, mask=MASK))[0], rtol=1e-5,
                               atol=1e-6)
    default = getattr(tf_keras.layers, name)(3).get_config()
    mine = OURS[name](3).get_config()
    for key in ("activation", "recurrent_activation", "use_bias", "reset_after", "unit_forget_bias", "dropout"):
        if key in default:
            assert mine[key] == default[key], key


@pytest.mark.parametrize("name", list(OURS))
def test_keras3_configs_load_here(keras, name):
    theirs = getattr(keras.layers, name)(4, return_sequences=True, go_backwards=True, dropout=0.25,
                                         kernel_regularizer="l2", name="from_keras")
    ours = OURS[name].from_config(theirs.get_config())
    assert (ours.units, ours.return_sequences, ours.go_backwards, ours.dropout) == (4, True, True, 0.25)
    assert ours.name == "from_keras" and ours.kernel_regularizer is not None


def _model():
    inp = layers.Input((5, 3))
    h = LSTM(4, return_sequences=True, go_backwards=True)(inp)
    h = GRU(3, return_sequences=True)(h)
    h = GRU(3, return_sequences=True, reset_after=False)(h)
    return models.Model(inp, SimpleRNN(2)(h))


def test_keras_file_interop_both_directions(keras, tmp_path):
    pytest.importorskip("h5py")
    tf.keras.utils.set_random_seed(0)
    m = _model()
    x = np.random.default_rng(7).standard_normal((2, 5, 3)).astype("float32")
    expected = m.predict(x, verbose=0)
    ours = str(tmp_path / "ours.keras")
    m.save(ours)
    theirs = keras.models.load_model(ours)
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), expected, rtol=1e-5, atol=1e-6)
    back = str(tmp_path / "theirs.keras")
    theirs.save(back)
    loaded = models.load_model(back)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.filterwarnings("ignore:You are saving your model as an HDF5 file")
@pytest.mark.filterwarnings("ignore:Saving to the legacy HDF5 format")
def test_keras2_h5_file_interop_both_directions(tmp_path):
    tf_keras = pytest.importorskip("tf_keras")
    pytest.importorskip("h5py")
    k = tf_keras.Sequential([tf_keras.Input((5, 3)), tf_keras.layers.LSTM(4, return_sequences=True),
                             tf_keras.layers.GRU(3, return_sequences=True, go_backwards=True),
                             tf_keras.layers.GRU(3, return_sequences=True, reset_after=False),
                             tf_keras.layers.SimpleRNN(2)])
    x = np.random.default_rng(8).standard_normal((2, 5, 3)).astype("float32")
    expected = k.predict(x, verbose=0)
    theirs = str(tmp_path / "theirs.h5")
    k.save(theirs)
    loaded = models.load_model(theirs)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    ours = str(tmp_path / "ours.h5")
    loaded.save(ours)
    np.testing.assert_allclose(tf_keras.models.load_model(ours).predict(x, verbose=0), expected, rtol=1e-5,
                               atol=1e-6)
