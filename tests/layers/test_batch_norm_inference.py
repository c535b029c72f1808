"""BatchNormalization at inference: one affine map per channel, with finite-difference gradients for the input,
gamma and beta (a frozen base that is fine-tuned with training=False runs this path)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers

RNG = np.random.default_rng(0)


def _layer(dtype="float32", **kwargs):
    bn = layers.BatchNormalization(dtype=dtype, **kwargs)
    bn.build((None, 4, 4, 3))
    bn.moving_mean.assign(RNG.normal(0, 1, 3).astype(dtype))
    bn.moving_variance.assign(RNG.uniform(0.5, 2, 3).astype(dtype))
    if bn.gamma is not None:
        bn.gamma.assign(RNG.uniform(0.5, 1.5, 3).astype(dtype))
    if bn.beta is not None:
        bn.beta.assign(RNG.normal(0, 1, 3).astype(dtype))
    return bn


def test_inference_normalizes_with_the_moving_statistics():
    bn = _layer(epsilon=1e-3)
    x = RNG.normal(0, 3, (2, 4, 4, 3)).astype("float32")
    mean, var, gamma, beta = (w.numpy() for w in (bn.moving_mean, bn.moving_variance, bn.gamma, bn.beta))
    expected = (x - mean) / np.sqrt(var + 1e-3) * gamma + beta
    np.testing.assert_allclose(bn(x, training=False).numpy(), expected, rtol=1e-5, atol=1e-5)
    bn.trainable = False  # a frozen layer stays in inference mode even when training
    np.testing.assert_allclose(bn(x, training=True).numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kwargs", [{}, {"center": False}, {"scale": False}])
def test_inference_gradients_float64(kwargs):
    bn = _layer("float64", **kwargs)
    x = RNG.normal(0, 2, (2, 4, 4, 3))
    gradcheck(lambda v: bn(v, training=False), [x], name="BatchNormalization inference")
    params = [w for w in (bn.gamma, bn.beta) if w is not None]
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(bn(tf.constant(x), training=False) ** 2)
    grads = tape.gradient(total, params)
    y = bn(x, training=False).numpy()
    normalized = (x - bn.moving_mean.numpy()) / np.sqrt(bn.moving_variance.numpy() + bn.epsilon)
    expected = {"gamma": (2 * y * normalized).sum(axis=(0, 1, 2)), "beta": (2 * y).sum(axis=(0, 1, 2))}
    for w, g in zip(params, grads):
        np.testing.assert_allclose(g.numpy(), expected[w.path.split("/")[-1]], rtol=1e-8)
