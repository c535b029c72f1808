"""Compiled ``.keras`` files move between tensorlet and Keras 3 (issue 24, items 1, 2 and 6): a model trained and
saved by one library loads compiled in the other, predicts the same (1e-6), and its next training step, from
the restored optimizer state, is the same (1e-6)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import tensorlet
from tests.helpers.model_kinds import KINDS, inputs, targets

pytestmark = pytest.mark.parity
keras = pytest.importorskip("keras")
pytest.importorskip("h5py")

TOL = 1e-6


def _library(name):
    return tensorlet.keras if name == "tensorlet" else keras


def _trained(lib_name, kind):
    K = _library(lib_name)
    K.utils.set_random_seed(0)
    model = KINDS[kind](K)
    model.fit(inputs(kind), targets(kind), epochs=2, batch_size=8, shuffle=False, verbose=0)
    return model


def _close(a, b):
    a = a if isinstance(a, (list, tuple)) else [a]
    b = b if isinstance(b, (list, tuple)) else [b]
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_allclose(np.asarray(y), np.asarray(x), rtol=TOL, atol=TOL)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("source, target", [("keras", "tensorlet"), ("tensorlet", "keras")])
def test_compiled_file_resumes_in_the_other_library(tmp_path, kind, source, target):
    if kind == "embedding_lstm" and keras.config.backend() == "tensorflow":
        # Keras' Adam on TensorFlow squares an embedding's sparse gradient before summing repeated tokens;
        # on JAX (and in tensorlet, and in tf.keras 2) the gradient is summed first.
        pytest.xfail("Keras 3 on the TensorFlow backend updates Embedding rows with a sparse-gradient quirk")
    model = _trained(source, kind)
    path = str(tmp_path / f"{kind}.keras")
    model.save(path)
    loaded = _library(target).models.load_model(path)
    x, y = inputs(kind), targets(kind)
    _close(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert int(np.asarray(loaded.optimizer.iterations)) == int(np.asarray(model.optimizer.iterations)) == 4
    model.train_on_batch(x, y)
    loaded.train_on_batch(x, y)
    _close(model.get_weights(), loaded.get_weights())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_keras3_h5_file_resumes_in_tensorlet(tmp_path, kind):
    """Keras 3's legacy .h5 keeps its own optimizer order, learning rate included. (Keras 3.15 itself cannot
    load a compiled .h5, its own or tf.keras 2's: "Could not deserialize 'keras.metrics.mse'".)"""
    if kind == "embedding_lstm" and keras.config.backend() == "tensorflow":
        pytest.xfail("Keras 3 on the TensorFlow backend updates Embedding rows with a sparse-gradient quirk")
    model = _trained("keras", kind)
    path = str(tmp_path / f"{kind}.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras calls .h5 a legacy format
        model.save(path)
    loaded = tensorlet.keras.models.load_model(path)
    x, y = inputs(kind), targets(kind)
    _close(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert int(np.asarray(loaded.optimizer.iterations)) == 4
    model.train_on_batch(x, y)
    loaded.train_on_batch(x, y)
    _close(model.get_weights(), loaded.get_weights())
