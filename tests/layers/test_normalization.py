"""Normalization: given statistics (constants, no weights) and adapted ones (Keras' mean/variance/count
weights), invert, epsilon, gradients, errors, and Keras parity including Keras 2 weight files."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers, models
from tests.helpers.layer_contract import run_layer_test

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3, 3, 3)).astype("float32") * 5 + 2


def test_given_statistics_are_constants_per_channel():
    mean, var = [1.0, 2.0, 3.0], [1.0, 4.0, 9.0]
    layer = layers.Normalization(mean=mean, variance=var)
    y = layer(X).numpy()
    assert layer.weights == []
    np.testing.assert_allclose(y, (X - np.array(mean)) / np.sqrt(var), rtol=1e-5, atol=1e-6)


def test_invert_undoes_normalization():
    forward = layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0])
    back = layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0], invert=True)
    np.testing.assert_allclose(back(forward(X)).numpy(), X, rtol=1e-5, atol=1e-5)


def test_zero_variance_divides_by_epsilon_not_its_root():
    y = layers.Normalization(mean=0.0, variance=0.0)(np.array([[1e-7]], "float32")).numpy()
    np.testing.assert_allclose(y, [[1.0]], rtol=1e-5)


def test_adapt_sets_keras_weights():
    layer = layers.Normalization(axis=-1)
    layer.adapt(X)
    assert [w.path.split("/")[-1] for w in layer.weights] == ["mean", "variance", "count"]
    assert [tuple(w.shape) for w in layer.weights] == [(3,), (3,), ()]
    assert not layer.trainable_weights
    np.testing.assert_allclose(layer.weights[0].numpy(), X.reshape(-1, 3).mean(0), rtol=1e-5)
    np.testing.assert_allclose(layer.weights[1].numpy(), X.reshape(-1, 3).var(0), rtol=1e-5)
    assert int(layer.weights[2].numpy()) == 36
    z = layer(X).numpy()
    np.testing.assert_allclose(z.reshape(-1, 3).mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(z.reshape(-1, 3).std(0), 1, rtol=1e-4)


def test_adapt_reads_batches():
    layer = layers.Normalization(axis=None)
    layer.adapt([X[:2], X[2:]])
    np.testing.assert_allclose(layer.weights[0].numpy(), X.mean(), rtol=1e-5)


def test_adapted_layer_contract():
    run_layer_test(layers.Normalization, {"axis": -1}, (2, 4, 3), expected_output_shape=(2, 4, 3),
                   expected_num_trainable=0, expected_num_non_trainable=3)


@pytest.mark.parametrize("kwargs,match", [
    ({"mean": 1.0}, "both"),
    ({"mean": [1.0, 2.0], "variance": [1.0]}, "same shape"),
    ({"mean": [[1.0]], "variance": [[1.0]]}, "more axes"),
])
def test_bad_statistics_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Normalization(**kwargs)


def test_a_kept_axis_of_unknown_size_is_an_error():
    with pytest.raises(ValueError, match="known sizes"):
        layers.Normalization(axis=1)(layers.Input((None, 3)))


def test_gradient_float64():
    layer = layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0], dtype="float64")
    gradcheck(lambda x: layer(x), [X[:2].astype("float64")], name="Normalization")


@pytest.mark.parity
def test_matches_keras_3_and_tf_keras_weight_files(tmp_path):
    keras = pytest.importorskip("keras")
    tf_keras = pytest.importorskip("tf_keras")
    ours = layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0])(X).numpy()
    theirs = np.asarray(keras.layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0])(X))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    inp = tf_keras.Input((3, 3, 3))
    norm = tf_keras.layers.Normalization(axis=-1)
    norm.adapt(X)
    their_model = tf_keras.Model(inp, norm(inp))
    their_model.save_weights(tmp_path / "w.h5")
    i = layers.Input((3, 3, 3))
    model = models.Model(i, layers.Normalization(axis=-1)(i))
    model.load_weights(tmp_path / "w.h5")
    np.testing.assert_allclose(model.predict(X, verbose=0), their_model.predict(X, verbose=0), rtol=1e-5,
                               atol=1e-5)


def test_batch_norm_axis_as_a_one_element_list_as_tf_keras_2_writes_it():
    bn = layers.BatchNormalization(axis=[3])
    assert bn.axis == 3 and bn.get_config()["axis"] == 3
    with pytest.raises(ValueError, match=r"BatchNormalization: `axis` must be one axis.*\[1, 2\]"):
        layers.BatchNormalization(axis=[1, 2])
