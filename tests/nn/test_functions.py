"""tf.nn's dropout, embedding lookup, normalizations, weighted crossentropy, in_top_k and loss scaling."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck

rng = np.random.default_rng(0)


def test_dropout_keeps_the_expected_share_and_scales_the_kept_entries():
    y = tf.nn.dropout(tf.ones((200, 50)), rate=0.25, seed=3).numpy()
    assert abs((y == 0).mean() - 0.25) < 0.02
    np.testing.assert_allclose(np.unique(y), [0.0, 1 / 0.75], rtol=1e-6)


def test_dropout_noise_shape_shares_one_draw_along_size_one_axes():
    y = tf.nn.dropout(tf.ones((4, 30)), rate=0.5, noise_shape=[4, 1], seed=1).numpy()
    assert all(len(np.unique(row)) == 1 for row in y)


def test_dropout_rejects_a_rate_outside_zero_one():
    with pytest.raises(ValueError, match=r"rate must be a scalar in \[0, 1\)"):
        tf.nn.dropout(tf.ones(3), rate=1.0)


def test_embedding_lookup_gathers_rows_and_limits_their_norm():
    params = rng.normal(size=(5, 3)).astype(np.float32) * 4
    ids = np.array([[0, 4], [2, 2]])
    np.testing.assert_allclose(tf.nn.embedding_lookup(params, ids).numpy(), params[ids])
    capped = tf.nn.embedding_lookup(params, ids, max_norm=1.0).numpy()
    assert np.all(np.linalg.norm(capped, axis=-1) <= 1.0 + 1e-6)


def test_l2_normalize_matches_its_formula_and_gradient():
    x = rng.normal(size=(3, 4))
    want = x / np.sqrt(np.maximum((x ** 2).sum(axis=1, keepdims=True), 1e-12))
    np.testing.assert_allclose(tf.nn.l2_normalize(tf.constant(x), axis=1).numpy(), want, rtol=1e-6)
    gradcheck(lambda v: tf.nn.l2_normalize(v, axis=1), [x], name="l2_normalize")


def test_batch_normalization_matches_its_formula_and_gradient():
    x, mean, var = rng.normal(size=(4, 3)), rng.normal(size=3), rng.uniform(0.5, 2, size=3)
    offset, scale = rng.normal(size=3), rng.normal(size=3)
    got = tf.nn.batch_normalization(tf.constant(x), mean, var, offset, scale, 1e-3).numpy()
    np.testing.assert_allclose(got, (x - mean) / np.sqrt(var + 1e-3) * scale + offset, rtol=1e-6)
    gradcheck(lambda v, s: tf.nn.batch_normalization(v, mean, var, offset, s, 1e-3), [x, scale],
              name="batch_normalization")


def test_weighted_cross_entropy_matches_the_weighted_sigmoid_crossentropy():
    z, x, q = rng.integers(0, 2, size=6).astype(np.float64), rng.normal(size=6) * 3, 2.5
    p = 1 / (1 + np.exp(-x))
    want = -(q * z * np.log(p) + (1 - z) * np.log(1 - p))
    np.testing.assert_allclose(tf.nn.weighted_cross_entropy_with_logits(z, tf.constant(x), q).numpy(), want,
                               rtol=1e-6)
    gradcheck(lambda v: tf.nn.weighted_cross_entropy_with_logits(z, v, q), [x], name="weighted_cross_entropy")


def test_in_top_k_counts_ties_as_in():
    preds = [[0.1, 0.9, 0.0], [0.5, 0.2, 0.3], [0.4, 0.4, 0.2]]
    assert tf.nn.in_top_k([1, 2, 1], preds, 1).numpy().tolist() == [True, False, True]
    assert tf.nn.in_top_k([1, 2, 2], preds, 2).numpy().tolist() == [True, True, False]


def test_compute_average_loss_divides_by_the_global_batch():
    losses = tf.constant([1.0, 2.0, 3.0, 6.0])
    assert float(tf.nn.compute_average_loss(losses)) == 3.0
    assert float(tf.nn.compute_average_loss(losses, global_batch_size=8)) == 1.5
    assert float(tf.nn.compute_average_loss(losses, sample_weight=[1.0, 1.0, 0.0, 0.0], global_batch_size=2)) == 1.5
    with pytest.raises(ValueError, match="global_batch_size must be positive"):
        tf.nn.compute_average_loss(losses, global_batch_size=0)
    assert float(tf.nn.scale_regularization_loss(tf.constant(0.5))) == 0.5


@pytest.mark.parity
def test_functions_match_tensorflow():
    real = pytest.importorskip("tensorflow")
    x = rng.normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(tf.nn.l2_normalize(x, axis=-1).numpy(), real.nn.l2_normalize(x, axis=-1).numpy(),
                               rtol=1e-6)
    z = rng.integers(0, 2, size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(tf.nn.weighted_cross_entropy_with_logits(z, x, 3.0).numpy(),
                               real.nn.weighted_cross_entropy_with_logits(z, x, 3.0).numpy(), rtol=1e-5)
    assert (tf.nn.in_top_k([0, 3, 1], x, 2).numpy() == real.math.in_top_k([0, 3, 1], x, 2).numpy()).all()
