"""tf.image.resize and resize_with_pad: shapes, dtypes, method spellings, aspect ratio, gradients, errors."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.image.resizing import resize_method


def test_resize_keeps_rank_and_gives_float32():
    x = np.random.default_rng(0).random((6, 8, 3))
    y = tf.image.resize(x, (3, 5))
    assert y.shape == (3, 5, 3) and y.dtype == tf.float32
    assert tf.image.resize(x[None], [3, 5]).shape == (1, 3, 5, 3)
    assert tf.image.resize(tf.constant(x[None]), tf.constant([2, 2])).shape == (1, 2, 2, 3)


def test_resize_nearest_keeps_the_input_dtype():
    x = np.arange(48, dtype=np.uint8).reshape(4, 4, 3)
    y = tf.image.resize(x, (2, 2), method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
    assert y.dtype == tf.uint8
    np.testing.assert_array_equal(y.numpy(), x[1::2, 1::2])


def test_resize_bilinear_upsampling_of_a_constant_is_constant_and_of_a_ramp_is_linear():
    ramp = np.tile(np.arange(4, dtype=np.float32), (2, 1))[..., None]  # values 0..3 along the width
    y = tf.image.resize(ramp, (2, 8)).numpy()[0, :, 0]
    np.testing.assert_allclose(y, [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3], atol=1e-6)  # edges clamp
    np.testing.assert_allclose(tf.image.resize(np.full((3, 3, 1), 7.0), (5, 9)).numpy(), 7.0, atol=1e-6)


def test_resize_area_averages_blocks():
    x = np.arange(16, dtype=np.float32).reshape(4, 4, 1)
    np.testing.assert_allclose(tf.image.resize(x, (2, 2), "area").numpy()[..., 0], [[2.5, 4.5], [10.5, 12.5]])


def test_resize_antialias_low_passes_when_shrinking():
    stripes = np.tile([0.0, 1.0], 32).astype(np.float32)[None, :, None].repeat(4, 0)  # 4 x 64 alternating
    plain = tf.image.resize(stripes, (4, 10)).numpy()
    smooth = tf.image.resize(stripes, (4, 10), antialias=True).numpy()
    assert np.ptp(smooth) < 0.05 < np.ptp(plain)


def test_resize_preserve_aspect_ratio_fits_inside_the_size():
    x = np.zeros((1, 40, 20, 3), np.float32)
    assert tf.image.resize(x, (10, 10), preserve_aspect_ratio=True).shape == (1, 10, 5, 3)
    assert tf.image.resize(x, (100, 30), preserve_aspect_ratio=True).shape == (1, 60, 30, 3)


def test_resize_with_pad_centres_the_fitted_image():
    x = np.ones((4, 8, 1), np.float32)
    y = tf.image.resize_with_pad(x, 8, 8).numpy()[..., 0]
    assert y.shape == (8, 8)
    np.testing.assert_allclose(y[2:6], 1.0, atol=1e-6)
    np.testing.assert_array_equal(y[:2], 0.0)
    np.testing.assert_array_equal(y[6:], 0.0)


def test_resize_method_spellings():
    assert resize_method("BILINEAR") == "bilinear"
    assert resize_method(1) == "nearest"  # tf.compat.v1.image.ResizeMethod.NEAREST_NEIGHBOR
    assert resize_method("nearest_neighbor") == "nearest"
    with pytest.raises(ValueError, match="Resize method is not implemented"):
        resize_method("cubic")


def test_resize_gradient_flows_to_the_input():
    x = tf.Variable(np.random.default_rng(1).random((1, 4, 4, 2)).astype(np.float32))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.image.resize(x, (8, 8), "bicubic"))
    g = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(g.sum(), 8 * 8 * 2, rtol=1e-5)  # each output row of weights sums to one


@pytest.mark.parametrize("bad, match", [
    (lambda: tf.image.resize(np.zeros((4, 4)), (2, 2)), "3 or 4 dimensions"),
    (lambda: tf.image.resize(np.zeros((4, 4, 1)), (2, 2, 2)), "2 elements"),
    (lambda: tf.image.resize(np.zeros((4, 4, 1)), (0, 2)), "positive"),
    (lambda: tf.image.resize(np.zeros((4, 4, 1)), (2, 2), method="fancy"), "fancy"),
    (lambda: tf.image.resize_with_pad(np.zeros((4, 4, 1)), 0, 2), "target_height"),
])
def test_resize_errors_name_the_problem(bad, match):
    with pytest.raises(ValueError, match=match):
        bad()
