"""tf.nn's convolutions and pooling in TensorFlow's spelling: argument forms, gradients, errors, and TensorFlow."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck

rng = np.random.default_rng(1)
X = rng.normal(size=(2, 7, 6, 3)).astype(np.float32)
K = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)


@pytest.mark.parametrize("strides", [2, [2], [2, 2], [1, 2, 2, 1]])
def test_conv2d_strides_in_every_spelling_agree(strides):
    want = tf.keras.ops.conv(X, K, 2, "same").numpy()
    np.testing.assert_allclose(tf.nn.conv2d(X, K, strides, "SAME").numpy(), want, rtol=1e-6)


def test_conv2d_explicit_padding_pads_then_convolves_valid():
    pads = [[0, 0], [1, 2], [0, 1], [0, 0]]
    want = tf.keras.ops.conv(np.pad(X, pads), K, 1, "valid").numpy()
    np.testing.assert_allclose(tf.nn.conv2d(X, K, 1, pads).numpy(), want, rtol=1e-6)


def test_conv2d_nchw_is_the_transposed_nhwc_result():
    nchw = tf.nn.conv2d(np.transpose(X, (0, 3, 1, 2)), K, 1, "SAME", data_format="NCHW").numpy()
    np.testing.assert_allclose(np.transpose(nchw, (0, 2, 3, 1)), tf.nn.conv2d(X, K, 1, "SAME").numpy(), rtol=1e-6)


def test_pooling_windows_and_ranks():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    assert tf.nn.max_pool2d(x, 2, 2, "VALID").numpy().ravel().tolist() == [5, 7, 13, 15]
    assert tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID").numpy().ravel().tolist() == [2.5, 4.5, 10.5, 12.5]
    assert tf.nn.max_pool(x[:, 0], 2, 2, "VALID").shape == (1, 2, 1)  # 1-D from a 3-D input


def test_gradients_match_finite_differences():
    x, k = rng.normal(size=(1, 5, 4, 2)), rng.normal(size=(2, 2, 2, 3))
    gradcheck(lambda a, b: tf.nn.conv2d(a, b, [1, 2, 1, 1], [[0, 0], [1, 0], [0, 1], [0, 0]]), [x, k],
              name="nn.conv2d")
    kt = rng.normal(size=(3, 3, 2, 3))
    y = rng.normal(size=(1, 3, 2, 3))
    gradcheck(lambda a, b: tf.nn.conv2d_transpose(a, b, [1, 6, 4, 2], 2, "SAME"), [y, kt], name="nn.conv2d_transpose")
    gradcheck(lambda a: tf.nn.avg_pool2d(a, 2, 1, "SAME"), [x], name="nn.avg_pool2d")


@pytest.mark.parametrize("call, message", [
    (lambda: tf.nn.conv2d(X, K, [2, 2, 2, 1], "SAME"), "strides on the batch and channel axes must be 1"),
    (lambda: tf.nn.conv2d(X, K, [1, 2, 2], "SAME"), "strides must be an int or a list of 1, 2 or 4 ints"),
    (lambda: tf.nn.conv2d(X, K, 1, "FULL"), "padding must be 'SAME', 'VALID' or a list of pairs"),
    (lambda: tf.nn.conv2d(X, K, 1, "SAME", data_format="NDHWC"), "does not describe a rank-4 input"),
    (lambda: tf.nn.conv2d(X[0, 0], K, 1, "SAME"), "input must be 3-D, 4-D or 5-D"),
    (lambda: tf.nn.conv2d(X[0], K, 1, "SAME"), "NHWC.* does not describe a rank-3 input"),
    (lambda: tf.nn.max_pool2d(X, 2, 2, [[0, 0]] * 4), "padding must be 'SAME' or 'VALID'"),
    (lambda: tf.nn.conv2d_transpose(X, K, [2, 9, 8, 3], 1, "SAME"), r"axis 1 must be in \[7, 7\]"),
])
def test_mistakes_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parity
def test_every_function_matches_tensorflow():
    real = pytest.importorskip("tensorflow")

    def both(name, *args, **kwargs):
        ours, theirs = getattr(tf.nn, name)(*args, **kwargs).numpy(), getattr(real.nn, name)(*args, **kwargs).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5, err_msg=name)

    for kwargs in (dict(strides=1, padding="SAME"), dict(strides=[1, 2, 2, 1], padding="VALID"),
                   dict(strides=1, padding="SAME", dilations=2), dict(strides=1, padding=[[0, 0], [1, 2], [0, 1], [0, 0]])):
        both("conv2d", X, K, **kwargs)
    both("convolution", X, K, padding="SAME")
    for name in ("max_pool2d", "avg_pool2d", "max_pool", "avg_pool"):
        both(name, X, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")
    both("conv1d", X[:, 0], rng.normal(size=(3, 3, 5)).astype(np.float32), 2, "SAME")
    dk = rng.normal(size=(3, 3, 3, 2)).astype(np.float32)
    both("depthwise_conv2d", X, dk, [1, 1, 1, 1], "SAME")
    both("separable_conv2d", X, dk, rng.normal(size=(1, 1, 6, 5)).astype(np.float32), [1, 1, 1, 1], "VALID")
    kt = rng.normal(size=(3, 3, 5, 3)).astype(np.float32)
    for shape, padding in (((2, 14, 12, 5), "SAME"), ((2, 13, 11, 5), "SAME"), ((2, 16, 14, 5), "VALID")):
        both("conv2d_transpose", X, kt, shape, 2, padding)
    x3 = rng.normal(size=(1, 5, 6, 6, 2)).astype(np.float32)
    both("conv3d", x3, rng.normal(size=(2, 3, 3, 2, 3)).astype(np.float32), [1, 1, 2, 2, 1], "SAME")
    both("max_pool3d", x3, 2, 2, "VALID")
