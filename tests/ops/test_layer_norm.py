"""The layer-normalization op: float64 finite-difference gradients of x, gamma and beta over one or several
axes, values against the formula, and LayerNormalization's fused path against its op-by-op one."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers
from tensorlet.ops.layer_norm import layer_norm


@pytest.mark.parametrize("axes", [(2,), (1, 2)])
@pytest.mark.parametrize("params", ["both", "gamma", "beta", "none"])
def test_layer_norm_gradients_match_finite_differences(axes, params):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4))
    shape = tuple(x.shape[i] if i in axes else 1 for i in range(3))
    gamma, beta = rng.uniform(0.5, 1.5, shape), rng.standard_normal(shape)
    use_g, use_b = params in ("both", "gamma"), params in ("both", "beta")
    args = [x] + ([gamma] if use_g else []) + ([beta] if use_b else [])

    def f(x, *p):
        g = p[0] if use_g else None
        b = p[-1] if use_b else None
        return layer_norm(x, axes, 1e-3, g, b) * tf.constant(np.arange(24.0).reshape(2, 3, 4))

    gradcheck(f, args, name=f"layer_norm{axes} {params}")


def test_layer_norm_is_the_formula():
    rng = np.random.default_rng(1)
    x, gamma, beta = rng.standard_normal((3, 5)), rng.standard_normal((1, 5)), rng.standard_normal((1, 5))
    want = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-5) * gamma + beta
    np.testing.assert_allclose(layer_norm(x, (1,), 1e-5, gamma, beta).numpy(), want, rtol=1e-12)


@pytest.mark.parametrize("axis", [-1, [1, 2]])
def test_layer_normalization_layer_runs_the_op_with_its_weights(axis):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    layer = layers.LayerNormalization(axis=axis, epsilon=1e-3)
    layer(x)
    layer.gamma.assign(rng.uniform(0.5, 1.5, layer.gamma.shape).astype("float32"))
    layer.beta.assign(rng.standard_normal(layer.beta.shape).astype("float32"))
    w = rng.standard_normal(x.shape).astype("float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x) * w)
    dgamma, dbeta = tape.gradient(loss, [layer.gamma, layer.beta])
    axes = (2,) if axis == -1 else (1, 2)
    xhat = (x - x.mean(axes, keepdims=True)) / np.sqrt(x.var(axes, keepdims=True) + 1e-3)
    gamma, beta = layer.gamma.numpy(), layer.beta.numpy()
    np.testing.assert_allclose(layer(x).numpy(), xhat * gamma + beta, rtol=1e-5, atol=1e-5)
    others = tuple(i for i in range(3) if i not in axes)
    np.testing.assert_allclose(dgamma.numpy(), (w * xhat).sum(others), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(dbeta.numpy(), w.sum(others), rtol=1e-5, atol=1e-5)
