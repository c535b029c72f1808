"""Photometric adjustments and colour spaces: defining properties, integer images, random draws, seeds, and
float64 gradient checks (TensorFlow has no gradient for contrast, saturation and hue: these do)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck

RNG = np.random.default_rng(0)
X = RNG.uniform(0.05, 0.95, (2, 4, 5, 3))
U8 = (RNG.random((4, 5, 3)) * 255).astype(np.uint8)


def test_brightness_and_contrast_definitions():
    np.testing.assert_allclose(tf.image.adjust_brightness(X, 0.1).numpy(), X + 0.1)
    mean = X.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(tf.image.adjust_contrast(X, 2.0).numpy(), (X - mean) * 2 + mean)


def test_integer_images_saturate():
    y = tf.image.adjust_brightness(U8, 0.5).numpy()
    assert y.dtype == np.uint8 and y.max() == 255
    np.testing.assert_array_equal(tf.image.adjust_brightness(U8, -2.0).numpy(), 0)


def test_saturation_zero_gives_grey_and_hue_turns_red_to_green():
    grey = tf.image.adjust_saturation(X, 0.0).numpy()
    np.testing.assert_allclose(grey, np.repeat(X.max(-1, keepdims=True), 3, -1), atol=1e-12)
    red = np.array([[[1.0, 0.0, 0.0]]])
    np.testing.assert_allclose(tf.image.adjust_hue(red, 1 / 3).numpy(), [[[0.0, 1.0, 0.0]]], atol=1e-12)
    np.testing.assert_allclose(tf.image.adjust_hue(red, -1 / 3).numpy(), [[[0.0, 0.0, 1.0]]], atol=1e-12)


def test_per_image_standardization_gives_zero_mean_unit_variance():
    y = tf.image.per_image_standardization(X).numpy()
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.mean(axis=(1, 2, 3)), 0, atol=1e-6)
    np.testing.assert_allclose(y.std(axis=(1, 2, 3)), 1, atol=1e-5)
    flat = tf.image.per_image_standardization(np.full((2, 2, 1), 3.0)).numpy()
    np.testing.assert_array_equal(flat, 0.0)  # the stddev floor 1/sqrt(N) avoids dividing by zero


@pytest.mark.parametrize("name, args", [
    ("adjust_brightness", (0.2,)), ("adjust_contrast", (1.6,)), ("adjust_gamma", (1.7, 0.8)),
    ("adjust_saturation", (0.6,)), ("adjust_hue", (0.2,)), ("rgb_to_hsv", ()), ("hsv_to_rgb", ()),
    ("rgb_to_grayscale", ()), ("rgb_to_yiq", ()), ("yuv_to_rgb", ()),
])
def test_adjustments_and_colour_conversions_are_differentiable(name, args):
    gradcheck(lambda t: getattr(tf.image, name)(t, *args), [X], name=name)


def test_adjustment_factors_given_as_tensors_are_differentiable_too():
    gradcheck(lambda t, f: tf.image.adjust_contrast(t, f), [X, np.array(1.3)])
    gradcheck(lambda t, d: tf.image.adjust_brightness(t, d), [X, np.array(0.1)])


def test_per_image_standardization_gradient():
    # float32 output (as TF): checked with a coarse step
    gradcheck(tf.image.per_image_standardization, [X], eps=1e-2, atol=1e-3, rtol=1e-2)


def test_hsv_round_trip_and_grey_pixels_have_zero_hue_and_finite_gradients():
    np.testing.assert_allclose(tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(X)).numpy(), X, atol=1e-12)
    grey = np.full((1, 2, 3), 0.4)
    x = tf.Variable(grey)
    with tf.GradientTape() as tape:
        hsv = tf.image.rgb_to_hsv(x)
        y = tf.reduce_sum(hsv)
    np.testing.assert_array_equal(hsv.numpy()[..., :2], 0.0)
    assert np.isfinite(tape.gradient(y, x).numpy()).all()


def test_grayscale_round_trip_and_weights():
    gray = tf.image.rgb_to_grayscale(X).numpy()
    np.testing.assert_allclose(gray[..., 0], X @ [0.2989, 0.587, 0.114])
    assert tf.image.grayscale_to_rgb(gray).shape == X.shape
    assert tf.image.rgb_to_grayscale(U8).dtype == tf.uint8


def test_yiq_and_yuv_round_trip():
    # TF's published matrices are inverses to about four digits
    np.testing.assert_allclose(tf.image.yiq_to_rgb(tf.image.rgb_to_yiq(X)).numpy(), X, atol=1e-4)
    np.testing.assert_allclose(tf.image.yuv_to_rgb(tf.image.rgb_to_yuv(X)).numpy(), X, atol=1e-4)


def test_random_adjustments_stay_in_range_and_vary():
    values = {float(tf.image.random_brightness(np.zeros((1, 1, 1)), 0.3).numpy().ravel()[0]) for _ in range(20)}
    assert len(values) > 10 and all(-0.3 <= v < 0.3 for v in values)
    image = X[0]
    for f, args in [(tf.image.random_contrast, (0.5, 1.5)), (tf.image.random_saturation, (0.2, 2.0)),
                    (tf.image.random_hue, (0.2,))]:
        outs = {f(image, *args).numpy().tobytes() for _ in range(5)}
        assert len(outs) > 1


def test_stateless_random_adjustments_follow_the_seed():
    for f, args in [(tf.image.stateless_random_brightness, (0.3,)), (tf.image.stateless_random_contrast, (0.5, 1.5)),
                    (tf.image.stateless_random_saturation, (0.5, 1.5)), (tf.image.stateless_random_hue, (0.3,))]:
        a = f(X, *args, seed=(7, 1)).numpy()
        np.testing.assert_array_equal(a, f(X, *args, seed=(7, 1)).numpy())
        assert not np.array_equal(a, f(X, *args, seed=(8, 1)).numpy())


@pytest.mark.parametrize("bad, match", [
    (lambda: tf.image.random_brightness(X, -1), "max_delta must be non-negative"),
    (lambda: tf.image.random_hue(X, 0.7), "max_delta must be <= 0.5"),
    (lambda: tf.image.random_contrast(X, 1.5, 0.5), "upper must be > lower"),
    (lambda: tf.image.random_saturation(X, -0.5, 0.5), "lower must be non-negative"),
    (lambda: tf.image.adjust_hue(X, 1.5), "delta must be in the interval"),
    (lambda: tf.image.adjust_gamma(X, -1), "Gamma should be a non-negative"),
    (lambda: tf.image.adjust_saturation(X[..., :2], 0.5), "3 channels"),
    (lambda: tf.image.rgb_to_hsv(U8), None),
])
def test_adjustment_errors(bad, match):
    with pytest.raises((ValueError, TypeError), match=match):
        bad()
