"""Masks against real Keras 3 and Keras 2 (tf_keras) on padded batches: predictions, the masked loss and metrics of
``evaluate``, the weights after training steps (so the gradients too), and ``.keras`` files both ways."""
from __future__ import annotations

import os

import numpy as np
import pytest

import tensorlet as tl

pytestmark = pytest.mark.parity
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

IDS = np.array([[3, 4, 5, 0, 0, 0], [6, 0, 0, 0, 0, 0], [1, 2, 3, 4, 9, 7], [0, 0, 2, 5, 0, 1]])
LABELS = np.random.default_rng(0).integers(0, 3, (4, 6))


@pytest.fixture(scope="module", params=["keras3", "tf_keras"])
def other(request):
    if request.param == "keras3":
        k = pytest.importorskip("keras")
        if k.__version__ < "3":
            pytest.skip("needs Keras 3")
        return k
    return pytest.importorskip("tf_keras")


def _body(k, kind):
    L = k.layers
    if kind == "lstm":
        return [L.LSTM(5)]
    if kind == "gru_dense":
        return [L.Dense(4), L.Activation("tanh"), L.GRU(5)]
    if kind == "simple_rnn_stack":
        return [L.SimpleRNN(4, return_sequences=True), L.SimpleRNN(5)]
    if kind == "bidirectional":
        return [L.Bidirectional(L.LSTM(3))]
    if kind == "bidirectional_pool":
        return [L.Bidirectional(L.GRU(3, return_sequences=True)), L.GlobalAveragePooling1D()]
    if kind == "pool":
        return [L.LayerNormalization(), L.GlobalAveragePooling1D()]
    if kind == "batchnorm":  # batch statistics over the kept steps
        return [L.Dense(4), L.BatchNormalization(), L.GlobalAveragePooling1D()]
    raise ValueError(kind)


def _classifier(k, kind):
    L = k.layers
    inp = k.Input((6,))
    x = L.Embedding(10, 4, mask_zero=True)(inp)
    for layer in _body(k, kind):
        x = layer(x)
    model = k.Model(inp, L.Dense(3, activation="softmax")(x))
    model.compile(optimizer=k.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _tagger(k, kind):
    L = k.layers
    inp = k.Input((6,))
    x = L.Embedding(10, 4, mask_zero=True)(inp)
    if kind == "masking":
        x = L.Masking(mask_value=0.0)(L.Dense(4)(L.Embedding(10, 4)(inp)))  # a Masking layer of its own
    x = L.LSTM(5, return_sequences=True)(x)
    if kind == "bidirectional":
        x = L.Bidirectional(L.GRU(3, return_sequences=True))(x)
    model = k.Model(inp, L.Dense(3, activation="softmax")(x))
    model.compile(optimizer=k.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  weighted_metrics=["accuracy"])
    return model


def _same_weights(theirs, ours):
    rng = np.random.default_rng(1)
    weights = [rng.standard_normal(w.shape).astype("float32") * 0.4 for w in theirs.get_weights()]
    weights = [np.abs(w) + 0.5 if "moving_variance" in v.name else w for w, v in zip(weights, theirs.weights)]
    theirs.set_weights(weights)
    ours.set_weights(weights)


@pytest.mark.parametrize("kind", ["lstm", "gru_dense", "simple_rnn_stack", "bidirectional", "bidirectional_pool",
                                  "pool", "batchnorm"])
def test_masked_classifier_matches(other, kind):
    theirs, ours = _classifier(other, kind), _classifier(tl.keras, kind)
    _same_weights(theirs, ours)
    np.testing.assert_allclose(ours.predict(IDS, verbose=0), theirs.predict(IDS, verbose=0), rtol=1e-5, atol=1e-6)
    y = LABELS[:, 0]
    for _ in range(3):
        ours.train_on_batch(IDS, y)
        theirs.train_on_batch(IDS, y)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kind", ["plain", "masking", "bidirectional"])
def test_masked_sequence_loss_and_metrics_match(other, kind):
    theirs, ours = _tagger(other, kind), _tagger(tl.keras, kind)
    _same_weights(theirs, ours)
    np.testing.assert_allclose(ours.predict(IDS, verbose=0), theirs.predict(IDS, verbose=0), rtol=1e-5, atol=1e-6)
    want = theirs.evaluate(IDS, LABELS, verbose=0, batch_size=4, return_dict=True)
    got = ours.evaluate(IDS, LABELS, verbose=0, batch_size=4, return_dict=True)
    assert sorted(got) == sorted(want)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=1e-5, err_msg=key)
    if other.__name__ == "tf_keras":  # Keras 3 cannot broadcast per-sample weights against a (batch, steps) mask
        sw = np.array([1.0, 2.0, 0.5, 1.5], "float32")
        want = theirs.evaluate(IDS, LABELS, sample_weight=sw, verbose=0, batch_size=4, return_dict=True)
        got = ours.evaluate(IDS, LABELS, sample_weight=sw, verbose=0, batch_size=4, return_dict=True)
        for key in want:
            np.testing.assert_allclose(got[key], want[key], rtol=1e-5, err_msg=key)
    h_theirs = theirs.fit(IDS, LABELS, epochs=3, batch_size=2, shuffle=False, verbose=0).history
    h_ours = ours.fit(IDS, LABELS, epochs=3, batch_size=2, shuffle=False, verbose=0).history
    for key in h_theirs:
        np.testing.assert_allclose(h_ours[key], h_theirs[key], rtol=1e-4, err_msg=key)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_masked_gradients_match_tensorflow():
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    theirs, ours = _tagger(keras, "bidirectional"), _tagger(tl.keras, "bidirectional")
    _same_weights(theirs, ours)
    loss_theirs = keras.losses.SparseCategoricalCrossentropy()
    with tf.GradientTape() as tape:
        value = loss_theirs(LABELS, theirs(IDS))
    want = tape.gradient(value, theirs.trainable_weights)
    loss_ours = tl.keras.losses.SparseCategoricalCrossentropy()
    with tl.GradientTape() as tape:
        value_ours = loss_ours(LABELS, ours(IDS))
    got = tape.gradient(value_ours, ours.trainable_weights)
    np.testing.assert_allclose(float(value_ours), float(value), rtol=1e-5)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(tf.convert_to_tensor(w)), rtol=1e-4, atol=1e-6)


def test_keras_files_with_masks_load_both_ways(tmp_path):
    keras = pytest.importorskip("keras")
    pytest.importorskip("h5py")
    if keras.__version__ < "3":
        pytest.skip("needs Keras 3")
    for kind in ("bidirectional", "masking"):
        theirs, ours = _tagger(keras, kind), _tagger(tl.keras, kind)
        _same_weights(theirs, ours)
        want = theirs.predict(IDS, verbose=0)
        theirs.save(tmp_path / f"k3_{kind}.keras")
        ours.save(tmp_path / f"tl_{kind}.keras")
        loaded_ours = tl.keras.models.load_model(str(tmp_path / f"k3_{kind}.keras"))
        np.testing.assert_allclose(loaded_ours.predict(IDS, verbose=0), want, rtol=1e-5, atol=1e-6)
        loaded_theirs = keras.models.load_model(tmp_path / f"tl_{kind}.keras")
        np.testing.assert_allclose(loaded_theirs.predict(IDS, verbose=0), want, rtol=1e-5, atol=1e-6)
