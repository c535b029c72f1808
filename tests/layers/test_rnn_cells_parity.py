"""RNN(cell), StackedRNNCells, TimeDistributed and stateful RNNs against real Keras 3 and Keras 2 (tf_keras):
outputs with copied weights, and ``.keras`` files in both directions."""
from __future__ import annotations

import os

import numpy as np
import pytest

import tensorlet as tl

pytestmark = pytest.mark.parity
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

X = np.random.default_rng(0).standard_normal((3, 5, 4)).astype("float32")
MASK = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 1, 1, 0]], bool)


@pytest.fixture(scope="module", params=["keras3", "tf_keras"])
def other(request):
    if request.param == "keras3":
        k = pytest.importorskip("keras")
        if k.__version__ < "3":
            pytest.skip("needs Keras 3")
        return k
    return pytest.importorskip("tf_keras")


def _model(k):
    L = k.layers
    inp = k.Input((5, 4))
    x = L.RNN(L.LSTMCell(3), return_sequences=True)(inp)
    x = L.RNN([L.GRUCell(3), L.SimpleRNNCell(2)], return_sequences=True, go_backwards=True)(x)
    return k.Model(inp, L.TimeDistributed(L.Dense(2))(x))


def _same_weights(theirs, ours):
    weights = [np.random.default_rng(1).standard_normal(w.shape).astype("float32") * 0.5
               for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)


def test_cells_stacks_and_time_distributed_match(other):
    theirs, ours = _model(other), _model(tl.keras)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    _same_weights(theirs, ours)
    np.testing.assert_allclose(ours.predict(X, verbose=0), theirs.predict(X, verbose=0), rtol=1e-5, atol=1e-6)
    cell_rnn = other.layers.RNN(other.layers.GRUCell(3), return_sequences=True, return_state=True)
    want = cell_rnn(X, mask=MASK)
    ours_rnn = tl.keras.layers.RNN(tl.keras.layers.GRUCell(3), return_sequences=True, return_state=True)
    ours_rnn(X)
    ours_rnn.set_weights(cell_rnn.get_weights())
    for g, w in zip(ours_rnn(X, mask=MASK), want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-5, atol=1e-6)


def test_stateful_predictions_match(other):
    def build(k):
        return k.Sequential([k.Input(batch_shape=(3, None, 4)),
                             k.layers.LSTM(5, return_sequences=True, stateful=True),
                             k.layers.TimeDistributed(k.layers.Dense(2))])

    theirs, ours = build(other), build(tl.keras)
    _same_weights(theirs, ours)
    for part in (X[:, :2], X[:, 2:4], X[:, 3:]):  # parts of one length: Keras 3 mixes up a new length's outputs
        np.testing.assert_allclose(ours.predict(part, verbose=0), theirs.predict(part, verbose=0), rtol=1e-5,
                                   atol=1e-6)
    ours.reset_states()
    for layer in theirs.layers:
        if getattr(layer, "stateful", False):
            layer.reset_states()
    np.testing.assert_allclose(ours.predict(X[:, :2], verbose=0), theirs.predict(X[:, :2], verbose=0), rtol=1e-5,
                               atol=1e-6)


def test_keras_files_load_both_ways(tmp_path):
    keras = pytest.importorskip("keras")
    pytest.importorskip("h5py")
    if keras.__version__ < "3":
        pytest.skip("needs Keras 3")
    theirs, ours = _model(keras), _model(tl.keras)
    _same_weights(theirs, ours)
    want = theirs.predict(X, verbose=0)
    theirs.save(tmp_path / "k3.keras")
    ours.save(tmp_path / "tl.keras")
    np.testing.assert_allclose(tl.keras.models.load_model(str(tmp_path / "k3.keras")).predict(X, verbose=0), want,
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(keras.models.load_model(tmp_path / "tl.keras").predict(X, verbose=0), want,
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", [{"filters": 3, "kernel_size": 2},
                                    {"filters": 2, "kernel_size": 3, "padding": "same", "return_sequences": True,
                                     "return_state": True},
                                    {"filters": 2, "kernel_size": (2, 3), "strides": 2, "go_backwards": True}])
def test_conv_lstm_2d_matches(other, kwargs):
    kwargs = {**kwargs, "recurrent_activation": "sigmoid"}  # Keras 2's default is its own hard_sigmoid
    x = np.random.default_rng(2).standard_normal((2, 3, 6, 5, 2)).astype("float32")
    theirs, ours = other.layers.ConvLSTM2D(**kwargs), tl.keras.layers.ConvLSTM2D(**kwargs)
    theirs(x)
    ours(x)
    _same_weights(theirs, ours)
    want, got = theirs(x), ours(x)
    for g, w in zip(got if isinstance(got, list) else [got], want if isinstance(want, (list, tuple)) else [want]):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-5, atol=1e-6)


def test_conv_lstm_keras_files_load_both_ways(tmp_path):
    keras = pytest.importorskip("keras")
    pytest.importorskip("h5py")
    if keras.__version__ < "3":
        pytest.skip("needs Keras 3")
    x = np.random.default_rng(3).standard_normal((2, 3, 5, 5, 1)).astype("float32")

    def build(k):
        inp = k.Input((3, 5, 5, 1))
        return k.Model(inp, k.layers.Dense(2)(k.layers.Flatten()(k.layers.ConvLSTM2D(2, 3)(inp))))

    theirs, ours = build(keras), build(tl.keras)
    _same_weights(theirs, ours)
    want = theirs.predict(x, verbose=0)
    theirs.save(tmp_path / "k3.keras")
    ours.save(str(tmp_path / "tl.keras"))
    np.testing.assert_allclose(tl.keras.models.load_model(str(tmp_path / "k3.keras")).predict(x, verbose=0), want,
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(keras.models.load_model(tmp_path / "tl.keras").predict(x, verbose=0), want,
                               rtol=1e-5, atol=1e-6)
