"""LayerScale and StochasticDepth (Keras 3 keeps them in its ConvNeXt module): values, training behaviour,
gradients, config, and .keras files shared with Keras 3."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers, models

RNG = np.random.default_rng(0)
X = RNG.standard_normal((64, 4, 4, 3)).astype("float32")


def test_layer_scale_multiplies_the_channels_by_gamma():
    layer = layers.LayerScale(0.5, 3)
    np.testing.assert_allclose(layer(X).numpy(), X * 0.5)
    assert [w.path.split("/")[-1] for w in layer.weights] == ["gamma"] and layer.weights[0].shape == (3,)
    layer.set_weights([np.array([1.0, 2.0, 3.0], "float32")])
    np.testing.assert_allclose(layer(X).numpy(), X * [1.0, 2.0, 3.0])


def test_layer_scale_checks_the_channel_count():
    with pytest.raises(ValueError, match="projection_dim=4"):
        layers.LayerScale(1e-6, 4)(X)
    with pytest.raises(ValueError, match="projection_dim"):
        layers.LayerScale(1e-6, 0)


def test_layer_scale_gradient_float64():
    layer = layers.LayerScale(0.7, 3, dtype="float64")
    layer.build((None, 3))
    gradcheck(lambda x: layer(x), [X[:2, 0].astype("float64")], name="LayerScale")


def test_stochastic_depth_is_the_identity_at_inference():
    np.testing.assert_array_equal(layers.StochasticDepth(0.5)(X).numpy(), X)


def test_stochastic_depth_drops_whole_samples_and_rescales_the_rest():
    y = layers.StochasticDepth(0.25, seed=3)(X, training=True).numpy()
    ratio = y.reshape(64, -1) / X.reshape(64, -1)
    kept = np.all(np.isclose(ratio, 1 / 0.75), axis=1)
    dropped = np.all(ratio == 0, axis=1)
    assert np.all(kept | dropped) and 5 <= dropped.sum() <= 30


def test_stochastic_depth_seed_repeats_the_mask_sequence():
    a, b = layers.StochasticDepth(0.5, seed=7), layers.StochasticDepth(0.5, seed=7)
    for _ in range(2):
        np.testing.assert_array_equal(a(X, training=True).numpy(), b(X, training=True).numpy())


def test_stochastic_depth_gradient_is_the_mask():
    x = tf.Variable(X[:8])
    with tf.GradientTape() as tape:
        y = layers.StochasticDepth(0.5, seed=1)(x, training=True)
        total = tf.reduce_sum(y)
    g = tape.gradient(total, x).numpy()
    np.testing.assert_allclose(g, (y.numpy() != 0) * 2.0)


def test_stochastic_depth_rejects_a_bad_rate():
    with pytest.raises(ValueError, match="drop_path_rate"):
        layers.StochasticDepth(1.0)


def _block(L, scale_cls, depth_cls, Model):
    inp = L.Input((4, 4, 3))
    x = L.Dense(3, name="pointwise")(inp)
    x = scale_cls(0.1, 3, name="scale")(x)
    x = depth_cls(0.2, name="drop")(x)
    return Model(inp, x)


def test_configs_name_keras_convnext_module(tmp_path):
    model = _block(layers, layers.LayerScale, layers.StochasticDepth, models.Model)
    entries = {e["class_name"]: e for e in model.get_config()["layers"]}
    assert entries["LayerScale"]["module"] == "keras.src.applications.convnext"
    assert entries["StochasticDepth"]["config"]["drop_path_rate"] == 0.2
    model.save(tmp_path / "m.keras")
    loaded = tf.keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)


@pytest.mark.parity
def test_keras_3_files_move_both_ways(tmp_path):
    keras = pytest.importorskip("keras")
    from keras.src.applications import convnext

    theirs = _block(keras.layers, convnext.LayerScale, convnext.StochasticDepth, keras.Model)
    theirs.save(tmp_path / "theirs.keras")
    ours = tf.keras.models.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(ours.predict(X, verbose=0), theirs.predict(X, verbose=0), rtol=1e-5, atol=1e-6)
    ours.save(tmp_path / "ours.keras")
    back = keras.models.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(back.predict(X, verbose=0), theirs.predict(X, verbose=0), rtol=1e-5, atol=1e-6)
