"""Crops and pads: values against NumPy slicing, random crops (bounds, variety, seeds), gradients, errors."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck

X = np.random.default_rng(0).random((2, 6, 7, 3))


def test_crop_and_pad_to_bounding_box_are_slices_and_zero_pads():
    np.testing.assert_array_equal(tf.image.crop_to_bounding_box(X, 1, 2, 3, 4).numpy(), X[:, 1:4, 2:6])
    padded = tf.image.pad_to_bounding_box(X[0], 1, 2, 9, 10).numpy()
    np.testing.assert_array_equal(padded[1:7, 2:9], X[0])
    assert padded.sum() == pytest.approx(X[0].sum())


def test_resize_with_crop_or_pad_centres_each_axis():
    y = tf.image.resize_with_crop_or_pad(X, 4, 11).numpy()
    assert y.shape == (2, 4, 11, 3)
    np.testing.assert_array_equal(y[:, :, 2:9], X[:, 1:5])


def test_central_crop_keeps_the_middle():
    np.testing.assert_array_equal(tf.image.central_crop(X, 0.5).numpy(), X[:, 1:5, 1:6])
    assert tf.image.central_crop(X, 1.0) is not None
    with pytest.raises(ValueError, match="central_fraction"):
        tf.image.central_crop(X, 1.5)


def test_crops_and_pads_are_differentiable():
    gradcheck(lambda t: tf.image.crop_to_bounding_box(t, 1, 2, 3, 4), [X])
    gradcheck(lambda t: tf.image.pad_to_bounding_box(t, 1, 0, 8, 9), [X])
    gradcheck(lambda t: tf.image.resize_with_crop_or_pad(t, 8, 5), [X])
    gradcheck(lambda t: tf.image.central_crop(t, 0.6), [X])


def test_random_crop_stays_inside_and_moves_between_calls():
    image = np.arange(10 * 10, dtype=np.float64).reshape(10, 10, 1)
    corners = set()
    for _ in range(30):
        crop = tf.image.random_crop(image, [4, 4, 1]).numpy()
        top, left = divmod(int(crop[0, 0, 0]), 10)
        np.testing.assert_array_equal(crop, image[top:top + 4, left:left + 4])
        corners.add((top, left))
    assert len(corners) > 5


def test_random_crop_with_a_global_and_op_seed_repeats():
    tf.random.set_seed(3)
    a = tf.image.random_crop(X, [2, 3, 3, 3], seed=5).numpy()
    tf.random.set_seed(3)
    b = tf.image.random_crop(X, [2, 3, 3, 3], seed=5).numpy()
    np.testing.assert_array_equal(a, b)


def test_stateless_random_crop_is_a_function_of_the_seed():
    a = tf.image.stateless_random_crop(X, [2, 3, 3, 3], seed=(1, 2)).numpy()
    b = tf.image.stateless_random_crop(X, [2, 3, 3, 3], seed=tf.constant([1, 2])).numpy()
    np.testing.assert_array_equal(a, b)
    others = {tf.image.stateless_random_crop(X, [2, 3, 3, 3], seed=(s, 0)).numpy().tobytes() for s in range(10)}
    assert len(others) > 2


def test_random_crop_gradient_lands_on_the_cropped_window():
    x = tf.Variable(X)
    with tf.GradientTape() as tape:
        crop = tf.image.random_crop(x, [2, 3, 3, 3])
        y = tf.reduce_sum(crop)
    g = tape.gradient(y, x).numpy()
    assert g.sum() == 2 * 3 * 3 * 3
    assert set(np.unique(g)) == {0.0, 1.0}


@pytest.mark.parametrize("bad, match", [
    (lambda: tf.image.crop_to_bounding_box(X, 4, 0, 3, 3), "height must be >= target \\+ offset"),
    (lambda: tf.image.crop_to_bounding_box(X, -1, 0, 3, 3), "offset_height must be >= 0"),
    (lambda: tf.image.pad_to_bounding_box(X, 0, 2, 6, 8), "width must be <= target - offset"),
    (lambda: tf.image.random_crop(X, [2, 7, 3, 3]), "value.shape >= size"),
    (lambda: tf.image.random_crop(X, [3, 3]), "one entry per dimension"),
    (lambda: tf.image.crop_to_bounding_box(np.zeros((3, 3)), 0, 0, 1, 1), "3 or 4 dimensions"),
])
def test_crop_errors_name_the_argument(bad, match):
    with pytest.raises(ValueError, match=match):
        bad()
