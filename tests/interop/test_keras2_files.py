"""Compiled tf.keras 2 ``.h5`` files move between tensorlet and tf_keras (issue 24, item 3): the Keras 2 training
config (``optimizer_config``), the optimizer weights in Keras 2's order, Functional graphs in Keras 2's
inbound-node form, and BatchNormalization's list ``axis``. Predictions agree (1e-6) and the next training step
from the restored optimizer state agrees (1e-6)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import tensorlet
from tests.helpers.model_kinds import KINDS, inputs, subclassed_classes, targets

pytestmark = pytest.mark.parity
tf_keras = pytest.importorskip("tf_keras")
pytest.importorskip("h5py")

TOL = 1e-6


def _library(name):
    return tensorlet.keras if name == "tensorlet" else tf_keras


def _close(a, b, tol=TOL):
    a = a if isinstance(a, (list, tuple)) else [a]
    b = b if isinstance(b, (list, tuple)) else [b]
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_allclose(np.asarray(y), np.asarray(x), rtol=tol, atol=tol)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("source, target", [("tf_keras", "tensorlet"), ("tensorlet", "tf_keras")])
def test_compiled_h5_resumes_in_the_other_library(tmp_path, kind, source, target):
    K = _library(source)
    K.utils.set_random_seed(0)
    model = KINDS[kind](K)
    x, y = inputs(kind), targets(kind)
    model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    if kind == "subclassed":
        _subclassed_weights_move(tmp_path, model, target, x)
        return
    path = str(tmp_path / f"{kind}.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both libraries call .h5 a legacy format
        model.save(path)
    loaded = _library(target).models.load_model(path)
    _close(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert int(np.asarray(loaded.optimizer.iterations)) == 4
    model.train_on_batch(x, y)
    loaded.train_on_batch(x, y)
    _close([np.asarray(w) for w in model.trainable_weights], [np.asarray(w) for w in loaded.trainable_weights])
    if kind == "cnn_bn":
        # tf.keras 2's fused BatchNormalization moves moving_variance towards the unbiased batch variance
        # (n / (n - 1) times Keras 3's and tensorlet's): a training difference, not a file one.
        return
    _close(model.get_weights(), loaded.get_weights())


def _subclassed_weights_move(tmp_path, model, target, x):
    """tf.keras 2 saves only Sequential and Functional models to .h5 (NotImplementedError for a subclassed one):
    a subclassed model moves through its weights, ``save_weights("*.h5")`` into the same model built by the other
    library (tf.keras 2 keeps no optimizer state there)."""
    path = str(tmp_path / "subclassed_weights.h5")
    model.save_weights(path)
    other = KINDS["subclassed"](_library(target))
    other.load_weights(path)
    _close(model.predict(x, verbose=0), other.predict(x, verbose=0))
    assert subclassed_classes(_library(target))["Subclassed"] is type(other)
