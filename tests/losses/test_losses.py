"""Each loss equals its formula (edge cases included) and has a correct gradient."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import losses
from tensorlet.autodiff.gradcheck import gradcheck

EPS = 1e-7
rng = np.random.default_rng(0)
YT = rng.standard_normal((6, 4))
YP = rng.standard_normal((6, 4))
P = rng.dirichlet(np.ones(4), 6)
ONEHOT = np.eye(4)[rng.integers(0, 4, 6)]
B = rng.integers(0, 2, (6, 4)).astype(float)
PB = rng.uniform(0.05, 0.95, (6, 4))

FORMULAS = {
    "mse": (YT, YP, lambda t, p: ((p - t) ** 2).mean(-1)),
    "mae": (YT, YP, lambda t, p: np.abs(p - t).mean(-1)),
    "mape": (YT, YP, lambda t, p: 100 * (np.abs(t - p) / np.maximum(np.abs(t), EPS)).mean(-1)),
    "msle": (np.abs(YT), np.abs(YP), lambda t, p: ((np.log1p(p) - np.log1p(t)) ** 2).mean(-1)),
    "huber": (YT, YP, lambda t, p: np.where(np.abs(p - t) <= 1, 0.5 * (p - t) ** 2, np.abs(p - t) - 0.5).mean(-1)),
    "log_cosh": (YT, YP, lambda t, p: np.log(np.cosh(p - t)).mean(-1)),
    "binary_crossentropy": (B, PB, lambda t, p: -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(-1)),
    "categorical_crossentropy": (ONEHOT, P, lambda t, p: -(t * np.log(p)).sum(-1)),
    "kl_divergence": (P, P[::-1], lambda t, p: (t * np.log(t / p)).sum(-1)),
    "poisson": (np.abs(YT), np.abs(YP), lambda t, p: (p - t * np.log(p + EPS)).mean(-1)),
    "hinge": (np.sign(YT), YP, lambda t, p: np.maximum(1 - t * p, 0).mean(-1)),
    "squared_hinge": (np.sign(YT), YP, lambda t, p: (np.maximum(1 - t * p, 0) ** 2).mean(-1)),
    "categorical_hinge": (ONEHOT, YP, lambda t, p: np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0)),
    "cosine_similarity": (YT, YP, lambda t, p: -(t / np.linalg.norm(t, axis=-1, keepdims=True)
                                                 * p / np.linalg.norm(p, axis=-1, keepdims=True)).sum(-1)),
}


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_loss_function_equals_formula(name):
    t, p, f = FORMULAS[name]
    got = losses.get(name)(t, p, sample_weight=None)
    assert float(got) == pytest.approx(float(f(t, p).mean()), rel=1e-5, abs=1e-6)
    fn = getattr(losses, name)
    np.testing.assert_allclose(np.asarray(fn(tf.constant(t), tf.constant(p))), f(t, p), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(set(FORMULAS) - {"hinge", "squared_hinge", "categorical_hinge"}))
def test_loss_gradient(name):
    t, p, _ = FORMULAS[name]
    fn = getattr(losses, name)
    gradcheck(lambda q: fn(tf.constant(t), q), [p.copy()])


def test_sparse_categorical_crossentropy_and_clipping():
    labels = np.array([0, 3, 1, 2, 2, 0])
    want = -np.log(P[np.arange(6), labels])
    np.testing.assert_allclose(np.asarray(losses.sparse_categorical_crossentropy(labels, tf.constant(P))), want,
                               rtol=1e-6)
    zero = np.array([[1.0, 0.0], [0.0, 1.0]])
    v = np.asarray(losses.categorical_crossentropy(np.array([[0.0, 1.0], [0.0, 1.0]]), tf.constant(zero)))
    assert v[0] == pytest.approx(-np.log(EPS), rel=1e-4) and v[1] == pytest.approx(-np.log(1 - EPS), abs=1e-5)
    b = np.asarray(losses.binary_crossentropy(np.array([[1.0]]), tf.constant(np.array([[0.0]]))))
    assert b[0] == pytest.approx(-np.log(EPS), rel=1e-4)


def test_label_smoothing_and_from_logits():
    z = rng.standard_normal((6, 4))
    sm = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    smooth = ONEHOT * 0.8 + 0.2 / 4
    want = -(smooth * np.log(sm)).sum(-1)
    got = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2)(ONEHOT, tf.constant(z))
    assert float(got) == pytest.approx(want.mean(), rel=1e-5)
    got_p = losses.CategoricalCrossentropy(label_smoothing=0.2)(ONEHOT, tf.constant(sm))
    assert float(got_p) == pytest.approx(want.mean(), rel=1e-5)
    bs = B * 0.9 + 0.05
    want_b = (np.maximum(z, 0) - z * bs + np.log1p(np.exp(-np.abs(z)))).mean(-1)
    got_b = losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)(B, tf.constant(z))
    assert float(got_b) == pytest.approx(want_b.mean(), rel=1e-5)


def test_fused_softmax_path_is_stable_and_equal():
    z = tf.constant(np.array([[1.0, 2.0, 0.5], [200.0, -200.0, 0.0]]))
    p = tf.nn.softmax(z)
    fused = np.asarray(losses.categorical_crossentropy(np.array([[0, 1.0, 0], [0, 1.0, 0]]), p))
    assert np.isfinite(fused).all() and fused[1] == pytest.approx(400.0, rel=1e-6)
    unfused = np.asarray(losses.categorical_crossentropy(np.array([[0, 1.0, 0]]), tf.constant(p.numpy()[:1])))
    assert fused[0] == pytest.approx(unfused[0], rel=1e-6)


@pytest.mark.parametrize("reduction,expect", [("sum_over_batch_size", lambda v, w: (v * w).sum() / v.size),
                                              ("sum", lambda v, w: (v * w).sum()),
                                              ("none", lambda v, w: v * w)])
def test_reductions_and_sample_weight(reduction, expect):
    w = rng.uniform(0, 2, 6)
    per = ((YP - YT) ** 2).mean(-1)
    got = losses.MeanSquaredError(reduction=reduction)(YT, tf.constant(YP), sample_weight=w)
    np.testing.assert_allclose(np.asarray(got), expect(per, w), rtol=1e-6)


def test_bad_inputs_and_names():
    with pytest.raises(ValueError, match="categorical_crossentropy"):
        losses.sparse_categorical_crossentropy(ONEHOT, tf.constant(P))
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        losses.categorical_crossentropy(np.array([0, 1, 2, 3, 0, 1]), tf.constant(P))
    with pytest.raises(ValueError, match="valid range"):
        losses.sparse_categorical_crossentropy(np.array([0, 4, 1, 2, 2, 0]), tf.constant(P))
    with pytest.raises(ValueError, match="Valid names"):
        losses.get("mean_sqared_error")
    assert losses.get("mse").name == "mean_squared_error"
    loss = losses.deserialize(losses.serialize(losses.Huber(delta=2.0)))
    assert loss.get_config()["delta"] == 2.0
