"""The one-op scaled dot-product attention: finite-difference gradients, the same values and gradients as the
attention composed of ops (masks, large scores, several blocks), and MultiHeadAttention on it."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.ops import attention as A
from tensorlet.ops import fused_attention as F
from tensorlet.ops.fused_attention import scaled_dot_product_attention


def _qkv(b=2, h=2, t=3, s=4, d=3, dv=2, spread=1.0, seed=0, dtype="float64"):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(shape) * spread).astype(dtype) for shape in ((b, h, t, d), (b, h, s, d), (b, h, s, dv))]


def _mask(b=2, t=3, s=4, seed=1):
    m = np.random.default_rng(seed).random((b, 1, t, s)) > 0.3
    m[0, 0, 1] = False  # a row masked entirely: it attends uniformly
    return m


@pytest.mark.parametrize("masked", [False, True])
def test_gradients_match_finite_differences(masked):
    mask = _mask() if masked else None
    gradcheck(lambda q, k, v: scaled_dot_product_attention(q, k, v, mask=mask, scale=0.7), _qkv(),
              name=f"scaled_dot_product_attention(masked={masked})")


@pytest.mark.parametrize("spread", [1.0, 40.0])  # scores within +-64 (no shift) and far beyond (shift by row max)
@pytest.mark.parametrize("masked", [False, True])
def test_values_and_gradients_equal_the_composed_attention(spread, masked, monkeypatch):
    monkeypatch.setattr(F, "BLOCK_BYTES", 1)  # one batch row per block: every block boundary is crossed
    q, k, v = (tf.Variable(a) for a in _qkv(b=3, t=5, s=6, d=4, dv=3, spread=spread, dtype="float32"))
    mask = _mask(b=3, t=5, s=6) if masked else None
    seed = np.random.default_rng(2).standard_normal((3, 2, 5, 3)).astype("float32")
    results = []
    for fused in (True, False):
        with tf.GradientTape() as tape:
            if fused:
                out = scaled_dot_product_attention(q, k, v, mask=mask, scale=0.5)
            else:
                out, _ = A.dot_product_attention(q, k, v, mask=mask, scale=0.5)
            loss = tf.reduce_sum(out * seed)
        results.append([out.numpy()] + [g.numpy() for g in tape.gradient(loss, [q, k, v])])
    assert np.isfinite(results[0][0]).all()
    # the fused backward takes each row's sum of p * dp as dout . out: where a row's softmax saturates, its score
    # gradients are differences of nearly equal terms of size |dout| |v|, which float32 rounds at that size
    scale = spread * spread
    for got, want in zip(*results):
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-5 * max(scale, float(np.abs(want).max())))


def test_a_mask_shared_by_the_batch_and_a_key_only_gradient():
    q, k, v = _qkv(b=3)
    mask = np.tril(np.ones((3, 4), bool))[None, None]  # (1, 1, T, S): causal
    gradcheck(lambda k: scaled_dot_product_attention(q, k, v, mask=mask), [k], name="attention, key only")
    out = scaled_dot_product_attention(q, k, v, mask=mask).numpy()
    want, _ = A.dot_product_attention(*(tf.constant(a) for a in (q, k, v)), mask=mask)
    np.testing.assert_allclose(out, want.numpy(), rtol=1e-12, atol=1e-12)


def test_shapes_are_checked():
    q, k, v = _qkv()
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"query \(B, H, T, d\).*\[2, 2, 3, 3\], \[2, 2, 4, 2\]"):
        scaled_dot_product_attention(q, v, v)


@pytest.mark.parametrize("causal", [False, True])
def test_multi_head_attention_gives_the_composed_result(causal):
    """Asking for the scores takes the composed path; without them the layer runs the fused op: same outputs and
    weight gradients."""
    layer = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    x = tf.constant(np.random.default_rng(3).standard_normal((2, 5, 4)).astype("float32"))
    layer(x, x)
    results = []
    for scores in (False, True):
        with tf.GradientTape() as tape:
            out = layer(x, x, use_causal_mask=causal, return_attention_scores=scores)
            out = out[0] if scores else out
            loss = tf.reduce_sum(out * out)
        results.append([out.numpy()] + [g.numpy() for g in tape.gradient(loss, layer.trainable_weights)])
    for got, want in zip(*results):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_long_vectors_with_small_scores_take_the_unshifted_path_per_block():
    """|q| |k| beyond the bound but every score small (q and k orthogonal): each block is checked and computed
    without the row-max shift; the result is the composed attention's."""
    q, k, v = _qkv(b=2, t=3, s=4, d=4, dv=2, dtype="float32")
    q[..., 0], k[..., 0] = 0, 0
    q[..., 1], k[..., 2] = 20, 20  # |q| |k| ~ 400, q . k small
    got = scaled_dot_product_attention(q, k, v, scale=0.5).numpy()
    want, _ = A.dot_product_attention(*(tf.constant(a) for a in (q, k, v)), scale=0.5)
    np.testing.assert_allclose(got, want.numpy(), rtol=1e-5, atol=1e-6)
