"""Flips, rot90, transpose and the random flips: values, per-image draws, seeds, gradients."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck

X = np.random.default_rng(0).random((2, 4, 5, 3))


def test_flips_transpose_and_rot90_match_numpy():
    np.testing.assert_array_equal(tf.image.flip_left_right(X).numpy(), X[:, :, ::-1])
    np.testing.assert_array_equal(tf.image.flip_up_down(X[0]).numpy(), X[0, ::-1])
    np.testing.assert_array_equal(tf.image.transpose(X).numpy(), X.transpose(0, 2, 1, 3))
    for k in range(-2, 6):
        np.testing.assert_array_equal(tf.image.rot90(X[0], k).numpy(), np.rot90(X[0], k, axes=(0, 1)))
        np.testing.assert_array_equal(tf.image.rot90(X, tf.constant(k)).numpy(), np.rot90(X, k, axes=(1, 2)))


def test_orientation_ops_are_differentiable():
    for f in (tf.image.flip_left_right, tf.image.flip_up_down, tf.image.transpose,
              lambda t: tf.image.rot90(t, 3)):
        gradcheck(f, [X])


def test_random_flip_flips_each_image_of_a_batch_on_its_own_draw():
    batch = np.stack([np.arange(6, dtype=np.float32).reshape(1, 6, 1)] * 64)
    out = tf.image.random_flip_left_right(batch).numpy()
    flipped = out[:, 0, 0, 0] == 5
    assert 5 < flipped.sum() < 59
    np.testing.assert_array_equal(out[flipped], batch[flipped][:, :, ::-1])
    np.testing.assert_array_equal(out[~flipped], batch[~flipped])


def test_random_flip_of_one_image_takes_both_outcomes():
    image = np.arange(6, dtype=np.float32).reshape(6, 1, 1)
    tops = {float(tf.image.random_flip_up_down(image).numpy()[0, 0, 0]) for _ in range(40)}
    assert tops == {0.0, 5.0}


def test_stateless_random_flips_follow_the_seed():
    batch = np.stack([np.arange(6, dtype=np.float32).reshape(1, 6, 1)] * 16)
    a = tf.image.stateless_random_flip_left_right(batch, seed=(4, 2)).numpy()
    b = tf.image.stateless_random_flip_left_right(batch, seed=tf.constant([4, 2], tf.int64)).numpy()
    np.testing.assert_array_equal(a, b)
    c = tf.image.stateless_random_flip_up_down(batch[0], seed=(1, 1)).numpy()
    np.testing.assert_array_equal(c, tf.image.stateless_random_flip_up_down(batch[0], seed=(1, 1)).numpy())


def test_random_flip_passes_gradients_through_the_chosen_branch():
    x = tf.Variable(X)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.image.random_flip_left_right(x) * X)
    g = tape.gradient(y, x).numpy()
    for i in range(2):  # each image's gradient is X or X mirrored
        assert np.allclose(g[i], X[i]) or np.allclose(g[i], X[i, :, ::-1])


def test_orientation_errors():
    with pytest.raises(ValueError, match="3 or 4 dimensions"):
        tf.image.flip_left_right(np.zeros((1, 2, 3, 4, 5)))
    with pytest.raises(ValueError, match="at least three-dimensional"):
        tf.image.rot90(np.zeros((3, 3)))
    with pytest.raises(TypeError, match="`k` must be an integer"):
        tf.image.rot90(X, 1.5)
