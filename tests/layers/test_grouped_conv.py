"""Conv2D with one input channel per group (ConvNeXt's 7x7 depthwise layers) runs as a depthwise convolution:
the same values and gradients as the grouped convolution op."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers
from tensorlet.ops import conv as conv_ops

X = np.random.default_rng(0).standard_normal((2, 9, 9, 6)).astype("float32")


@pytest.mark.parametrize("kwargs", [
    {"filters": 6, "kernel_size": 3, "groups": 6, "padding": "same"},
    {"filters": 12, "kernel_size": 3, "groups": 6, "strides": 2},
    {"filters": 6, "kernel_size": (3, 2), "groups": 6, "dilation_rate": 2},
])
def test_matches_the_grouped_convolution(kwargs):
    layer = layers.Conv2D(**kwargs)
    y = layer(X).numpy()
    ref = conv_ops.conv2d(X, layer.kernel, layer.strides, layer.padding, layer.dilation_rate, layer.groups).numpy()
    np.testing.assert_allclose(y, ref + layer.bias.numpy(), rtol=1e-5, atol=1e-6)


def test_gradients_reach_inputs_and_kernel():
    layer = layers.Conv2D(8, 3, groups=4, padding="same", dtype="float64")
    layer.build((None, 5, 5, 4))
    kernel = layer.kernel.numpy()

    def f(x, k):
        layer.kernel = k
        return layer(x)

    try:
        gradcheck(f, [np.random.default_rng(1).standard_normal((1, 5, 5, 4)), kernel], name="grouped conv")
    finally:
        layer.kernel = tf.Variable(kernel)
