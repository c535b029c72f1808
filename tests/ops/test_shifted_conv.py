"""The stride-1 convolution by shifted products (inference and frozen steps): the same values as Conv2D's patch
matrix for kernel sizes, paddings and dilations."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet import backend
from tensorlet.ops import shifted_conv
from tensorlet.ops.conv import Conv2D
from tensorlet.ops.shifted_conv import applies, conv2d_shifted


@pytest.mark.parametrize("shape,kernel,padding,dilation", [
    ((2, 7, 9, 3), (3, 3, 3, 4), "same", (1, 1)),
    ((2, 7, 9, 3), (3, 3, 3, 4), "valid", (1, 1)),
    ((3, 8, 8, 5), (2, 3, 5, 6), "same", (1, 1)),
    ((2, 9, 10, 2), (3, 3, 2, 3), "same", (2, 2)),
    ((2, 9, 10, 2), (3, 3, 2, 3), "valid", (2, 1)),
    ((1, 5, 5, 4), (5, 5, 4, 2), "same", (1, 1)),
    ((2, 3, 3, 2), (3, 3, 2, 2), "valid", (1, 1)),  # one output pixel
])
def test_shifted_products_equal_the_patch_matrix(shape, kernel, padding, dilation, monkeypatch):
    monkeypatch.setattr(shifted_conv, "MIN_PIXELS", 1)
    rng = np.random.default_rng(0)
    x, w = (backend.asarray(rng.standard_normal(s).astype("float32")) for s in (shape, kernel))
    assert applies(x, w, (1, 1), 1)
    want = backend.to_numpy(Conv2D((1, 1), padding, dilation).forward(x, w))
    got = backend.to_numpy(conv2d_shifted(x, w, padding, dilation))
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_it_leaves_strided_grouped_1x1_and_small_convolutions_to_the_patch_matrix():
    x = backend.asarray(np.zeros((1, 32, 32, 2), "float32"))
    w3, w1 = (backend.asarray(np.zeros(s, "float32")) for s in ((3, 3, 2, 2), (1, 1, 2, 2)))
    assert applies(x, w3, (1, 1), 1)
    assert not applies(x, w3, (2, 2), 1) and not applies(x, w3, (1, 1), 2) and not applies(x, w1, (1, 1), 1)
    assert not applies(x[:, :8, :8], w3, (1, 1), 1)


def test_predict_of_a_folded_convolution_on_large_images_takes_the_shifted_path():
    import tensorlet as tf
    from tensorlet.keras import layers, models

    rng = np.random.default_rng(1)
    model = models.Sequential([layers.Input(shape=(24, 24, 3)), layers.Conv2D(4, 3, padding="same"),
                               layers.BatchNormalization(), layers.ReLU(), layers.GlobalAveragePooling2D()])
    bn = model.layers[1]
    for var in (bn.gamma, bn.beta, bn.moving_mean):
        var.assign(rng.standard_normal(4).astype("float32"))
    x = rng.standard_normal((3, 24, 24, 3)).astype("float32")
    assert applies(tf.constant(x)._value, model.layers[0].kernel._value, (1, 1), 1)
    np.testing.assert_allclose(model.predict(x, verbose=0), model(x, training=False).numpy(), rtol=1e-5, atol=1e-5)
