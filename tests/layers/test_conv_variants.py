"""Conv2DTranspose, Conv1DTranspose, DepthwiseConv2D and SeparableConv2D: contract, gradients, shapes, errors,
and (where Keras is installed) the same numbers as Keras from the same weights."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers, models
from tensorlet.ops.conv import conv2d
from tensorlet.ops.conv_transpose import conv2d_transpose
from tensorlet.ops.depthwise_conv import depthwise_conv2d
from tests.helpers.layer_contract import run_layer_test

CASES = [
    (layers.Conv2DTranspose, {"filters": 3, "kernel_size": 3}, (2, 4, 5, 2), (2, 6, 7, 3), 2),
    (layers.Conv2DTranspose, {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 4, 5, 2),
     (2, 8, 10, 3), 2),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 2, "strides": 3}, (2, 3, 3, 2), (2, 9, 9, 2), 2),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1,
                              "activation": "relu"}, (2, 3, 4, 2), (2, 8, 10, 2), 2),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 3, "data_format": "channels_first", "use_bias": False},
     (2, 2, 4, 5), (2, 2, 6, 7), 1),
    (layers.Conv1DTranspose, {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 5, 2),
     (2, 10, 3), 2),
    (layers.DepthwiseConv2D, {"kernel_size": 3}, (2, 5, 5, 3), (2, 3, 3, 3), 2),
    (layers.DepthwiseConv2D, {"kernel_size": 3, "depth_multiplier": 2, "padding": "same", "strides": 2},
     (2, 5, 6, 3), (2, 3, 3, 6), 2),
    (layers.DepthwiseConv2D, {"kernel_size": (2, 3), "dilation_rate": 2, "data_format": "channels_first"},
     (2, 3, 6, 7), (2, 3, 4, 3), 2),
    (layers.SeparableConv2D, {"filters": 4, "kernel_size": 3}, (2, 5, 5, 3), (2, 3, 3, 4), 3),
    (layers.SeparableConv2D, {"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "padding": "same",
                              "activation": "tanh", "use_bias": False}, (2, 5, 5, 3), (2, 5, 5, 4), 2),
]


@pytest.mark.parametrize("cls,kwargs,shape,out_shape,n_trainable", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_contract(cls, kwargs, shape, out_shape, n_trainable):
    run_layer_test(cls, kwargs, shape, expected_output_shape=out_shape, expected_num_trainable=n_trainable)


@pytest.mark.parametrize("strides,padding,output_padding,dilation", [
    (1, "valid", None, 1), (2, "same", None, 1), (2, "valid", 1, 1), (3, "same", None, 1), (1, "same", None, 2),
    (2, "same", 1, 1), (3, "valid", None, 1),
])
def test_conv2d_transpose_gradients(strides, padding, output_padding, dilation):
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 4, 3)), rng.standard_normal((3, 2, 2, 3))
    gradcheck(lambda a, k: conv2d_transpose(a, k, strides, padding, output_padding, dilation), [x, w],
              name=f"conv2d_transpose-{strides}-{padding}-{output_padding}-{dilation}")


def test_conv2d_transpose_is_the_input_gradient_of_conv2d():
    """<conv2d(x, w), y> == <x, conv2d_transpose(y, w)> for every padding and stride: the two are adjoint."""
    rng = np.random.default_rng(1)
    for strides, padding, dilation in [(1, "valid", 1), (2, "valid", 1), (2, "same", 1), (3, "same", 1),
                                       (1, "same", 2), (1, "valid", 2)]:
        x = rng.standard_normal((2, 7, 8, 3))
        w = rng.standard_normal((3, 3, 3, 4))
        fwd = np.asarray(conv2d(x, w, strides, padding, dilation))
        y = rng.standard_normal(fwd.shape)
        back = np.asarray(conv2d_transpose(y, w, strides, padding, dilation_rate=dilation, output_shape=x.shape))
        assert back.shape == x.shape
        np.testing.assert_allclose((fwd * y).sum(), (x * back).sum(), rtol=1e-10)


@pytest.mark.parametrize("strides,padding,dilation,m", [(1, "valid", 1, 1), (2, "same", 1, 2), (1, "same", 2, 3),
                                                        (3, "valid", 1, 1)])
def test_depthwise_gradients(strides, padding, dilation, m):
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((2, 6, 5, 3)), rng.standard_normal((3, 2, 3, m))
    gradcheck(lambda a, k: depthwise_conv2d(a, k, strides, padding, dilation), [x, w],
              name=f"depthwise-{strides}-{padding}-{dilation}-{m}")


def test_depthwise_equals_grouped_conv():
    """A depthwise convolution is a grouped convolution with one group per input channel."""
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 7, 7, 4)), rng.standard_normal((3, 3, 4, 2))
    grouped = conv2d(x, w.reshape(3, 3, 1, 8), 2, "same", 1, groups=4)
    np.testing.assert_allclose(np.asarray(depthwise_conv2d(x, w, 2, "same")), np.asarray(grouped), rtol=1e-10)


def test_separable_is_depthwise_then_pointwise():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 6, 6, 3)).astype("float32")
    sep = layers.SeparableConv2D(5, 3, depth_multiplier=2, bias_initializer="ones")
    y = np.asarray(sep(x))
    dw = np.asarray(depthwise_conv2d(x, sep.depthwise_kernel.numpy()))
    expected = dw.reshape(-1, 6) @ sep.pointwise_kernel.numpy().reshape(6, 5) + 1.0
    np.testing.assert_allclose(y, expected.reshape(y.shape), rtol=1e-5, atol=1e-6)


def test_bad_arguments_name_what_was_given():
    with pytest.raises(ValueError, match="depth_multiplier"):
        layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="output_padding"):
        layers.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="filters"):
        layers.SeparableConv2D(0, 3)
    with pytest.raises(ValueError, match="padding"):
        layers.DepthwiseConv2D(3, padding="full")
    with pytest.raises(ValueError, match="strides"):
        layers.DepthwiseConv2D(3, strides=2, dilation_rate=2)
    layer = layers.DepthwiseConv2D(3)
    layer(np.zeros((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match=layer.name):
        layer(np.zeros((1, 5, 5, 4), "float32"))


def test_a_small_autoencoder_trains():
    rng = np.random.default_rng(5)
    x = rng.random((64, 8, 8, 1)).astype("float32")
    model = models.Sequential([
        layers.Input((8, 8, 1)), layers.SeparableConv2D(4, 3, padding="same", activation="relu"),
        layers.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2),
        layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"),
    ])
    model.compile("adam", "mse")
    history = model.fit(x, x, epochs=8, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


KERAS_CASES = [
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3}),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same"}),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1}),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 2, "strides": 3}),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}),
    ("DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "padding": "same"}),
    ("DepthwiseConv2D", {"kernel_size": 2, "dilation_rate": 2, "padding": "same"}),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "padding": "same"}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", KERAS_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(KERAS_CASES)])
def test_same_numbers_as_keras(name, kwargs):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, 7, 6, 3)).astype("float32")
    theirs = getattr(keras.layers, name)(**kwargs, bias_initializer="random_normal")
    expected = np.asarray(theirs(x))
    ours = getattr(layers, name)(**kwargs)
    ours(x)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    np.testing.assert_allclose(np.asarray(ours(x)), expected, rtol=1e-5, atol=1e-5)
    assert tuple(ours.compute_output_shape((None, 7, 6, 3))) == tuple(theirs.compute_output_shape((None, 7, 6, 3)))


@pytest.mark.parity
def test_keras_loads_our_cnn_and_we_load_theirs(tmp_path):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 8, 8, 2)).astype("float32")
    ours = models.Sequential([
        layers.Input((8, 8, 2)), layers.Conv2D(4, 3, padding="same", activation="relu"),
        layers.BatchNormalization(), layers.DepthwiseConv2D(3, depth_multiplier=2),
        layers.SeparableConv2D(4, 3, padding="same"), layers.MaxPooling2D(),
        layers.Conv2DTranspose(2, 3, strides=2, padding="same"), layers.ZeroPadding2D(1),
        layers.Cropping2D(1), layers.UpSampling2D(), layers.AveragePooling2D(), layers.SpatialDropout2D(0.2),
        layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax"),
    ])
    path = str(tmp_path / "ours.keras")
    ours.save(path)
    theirs = keras.models.load_model(path)
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), ours.predict(x, verbose=0), rtol=1e-4,
                               atol=1e-5)
    path2 = str(tmp_path / "theirs.keras")
    theirs.save(path2)
    back = models.load_model(path2)
    np.testing.assert_allclose(back.predict(x, verbose=0), ours.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_causal_conv1d_sees_only_the_past():
    rng = np.random.default_rng(8)
    x = rng.standard_normal((2, 9, 3)).astype("float32")
    layer = layers.Conv1D(4, 3, padding="causal", dilation_rate=2)
    y = np.asarray(layer(x))
    assert y.shape == (2, 9, 4) and layer.compute_output_shape((None, 9, 3)) == (None, 9, 4)
    x2 = x.copy()
    x2[:, 6:] += 1.0  # changing the future leaves earlier outputs alone
    np.testing.assert_allclose(np.asarray(layer(x2))[:, :6], y[:, :6], rtol=1e-6)
    run_layer_test(layers.Conv1D, {"filters": 2, "kernel_size": 3, "padding": "causal", "strides": 2}, (2, 7, 3),
                   expected_output_shape=(2, 4, 2), expected_num_trainable=2)


@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic"])
def test_upsampling_interpolation(interpolation):
    from tensorlet.ops.resize import Resize2D

    run_layer_test(layers.UpSampling2D, {"size": (2, 3), "interpolation": interpolation}, (2, 3, 4, 2),
                   expected_output_shape=(2, 6, 12, 2), expected_num_trainable=0)
    x = np.random.default_rng(9).standard_normal((2, 3, 4, 2))
    gradcheck(lambda a: Resize2D((1, 2), (5, 7), interpolation)(a), [x], name=f"resize-{interpolation}")
    flat = np.full((1, 3, 3, 1), 2.5, "float32")  # a constant image stays constant
    np.testing.assert_allclose(np.asarray(layers.UpSampling2D(3, interpolation=interpolation)(flat)), 2.5,
                               rtol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("interpolation,size,tol", [("bilinear", (2, 2), 1e-6), ("bilinear", (3, 2), 1e-6),
                                                     ("bicubic", (2, 2), 1e-6), ("bicubic", (3, 2), 1e-3)])
def test_upsampling_matches_keras(interpolation, size, tol):
    """Keras (TensorFlow) samples its bicubic kernel from a 1024-entry table, hence the looser bound at scale 3."""
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(10).random((2, 5, 4, 3)).astype("float32")
    theirs = np.asarray(keras.layers.UpSampling2D(size, interpolation=interpolation)(x))
    ours = np.asarray(layers.UpSampling2D(size, interpolation=interpolation)(x))
    np.testing.assert_allclose(ours, theirs, atol=tol)


@pytest.mark.parity
def test_causal_conv1d_matches_keras():
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(11).random((2, 9, 3)).astype("float32")
    theirs = keras.layers.Conv1D(4, 3, padding="causal", dilation_rate=2)
    expected = np.asarray(theirs(x))
    ours = layers.Conv1D(4, 3, padding="causal", dilation_rate=2)
    ours(x)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(np.asarray(ours(x)), expected, atol=1e-5)
