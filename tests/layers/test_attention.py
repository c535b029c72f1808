"""MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention and EinsumDense: values against NumPy
references, masks (Keras masks, attention_mask, causal), scores, dropout, graphs, configs, saving and float64
finite-difference gradients."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers, models

RNG = np.random.default_rng(0)
Q = RNG.standard_normal((2, 4, 6)).astype("float32")
V = RNG.standard_normal((2, 3, 6)).astype("float32")


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _mha_reference(layer, q, v, k=None, mask=None):
    """NumPy multi-head attention with the layer's weights (Keras' einsum layout)."""
    k = v if k is None else k
    wq, bq, wk, bk, wv, bv, wo, bo = [w.numpy().astype(np.float64) for w in layer.weights]
    qp = np.einsum("btd,dhk->bthk", q, wq) + bq
    kp = np.einsum("bsd,dhk->bshk", k, wk) + bk
    vp = np.einsum("bsd,dhv->bshv", v, wv) + bv
    scores = np.einsum("bthk,bshk->bhts", qp, kp) / np.sqrt(wq.shape[-1])
    if mask is not None:
        scores = np.where(mask[:, None], scores, -1e9)
    probs = _softmax(scores)
    out = np.einsum("bhts,bshv->bthv", probs, vp)
    return np.einsum("bthv,hvo->bto", out, wo) + bo, probs


def test_multi_head_attention_matches_a_numpy_reference():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    out, scores = mha(Q, V, return_attention_scores=True)
    want, probs = _mha_reference(mha, Q, V)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(scores.numpy(), probs, rtol=1e-5, atol=1e-7)
    assert [tuple(w.shape) for w in mha.weights] == [(6, 2, 3), (2, 3)] * 3 + [(2, 3, 6), (6,)]


def test_attention_mask_causal_mask_and_keras_masks_combine():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    x = RNG.standard_normal((2, 4, 6)).astype("float32")
    mha(x, x)
    causal = np.tril(np.ones((4, 4), bool))[None].repeat(2, 0)
    out = mha(x, x, use_causal_mask=True).numpy()
    np.testing.assert_allclose(out, _mha_reference(mha, x, x, mask=causal)[0], rtol=1e-5, atol=1e-6)
    explicit = RNG.random((2, 4, 4)) > 0.3
    explicit[:, :, 0] = True
    out = mha(x, x, attention_mask=explicit, use_causal_mask=True).numpy()
    np.testing.assert_allclose(out, _mha_reference(mha, x, x, mask=explicit & causal)[0], rtol=1e-5, atol=1e-6)
    # Keras masks of query and value: padded value steps get no attention, the output carries the query mask
    ids = np.array([[1, 2, 3, 0], [4, 5, 0, 0]])
    emb = layers.Embedding(10, 6, mask_zero=True)
    e = emb(ids)
    mha2 = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    out = mha2(e, e)
    keep = ids != 0
    want = _mha_reference(mha2, e.numpy(), e.numpy(), mask=keep[:, :, None] & keep[:, None, :])[0]
    np.testing.assert_allclose(out.numpy()[keep], want[keep], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(out._keras_mask.numpy(), keep)


def test_multi_head_attention_options():
    mha = layers.MultiHeadAttention(num_heads=3, key_dim=2, value_dim=4, output_shape=(5,), use_bias=False)
    out = mha(Q, V, RNG.standard_normal((2, 3, 7)).astype("float32"))
    assert tuple(out.shape) == (2, 4, 5) and len(mha.weights) == 4
    assert tuple(mha.value_dense.kernel.shape) == (6, 3, 4) and tuple(mha.key_dense.kernel.shape) == (7, 3, 2)
    axes = layers.MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=(1, 2))
    y, scores = axes(np.zeros((2, 3, 4, 6), "float32"), np.zeros((2, 3, 4, 6), "float32"),
                     return_attention_scores=True)
    assert tuple(y.shape) == (2, 3, 4, 6) and tuple(scores.shape) == (2, 2, 3, 4, 3, 4)
    np.testing.assert_allclose(scores.numpy().sum(axis=(-2, -1)), 1.0, rtol=1e-5)
    gated = layers.MultiHeadAttention(num_heads=2, key_dim=3, use_gate=True)
    assert tuple(gated(Q, V).shape) == (2, 4, 6) and len(gated.weights) == 10


def test_attention_dropout_acts_in_training_only():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=1)
    a = mha(Q, V).numpy()
    np.testing.assert_array_equal(a, mha(Q, V, training=False).numpy())
    assert not np.allclose(mha(Q, V, training=True).numpy(), a)


def test_multi_head_attention_in_a_functional_graph_saves_and_loads(tmp_path):
    pytest.importorskip("h5py")
    q_in, v_in = layers.Input((4, 6)), layers.Input((3, 6))
    att, scores = layers.MultiHeadAttention(num_heads=2, key_dim=3)(q_in, v_in, return_attention_scores=True)
    assert tuple(scores.shape) == (None, 2, 4, 3)
    model = models.Model([q_in, v_in], [layers.LayerNormalization()(att + q_in), scores])
    want = model.predict([Q, V], verbose=0)
    for ext in (".keras", ".h5"):
        path = str(tmp_path / f"mha{ext}")
        model.save(path)
        got = models.load_model(path).predict([Q, V], verbose=0)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=1e-6)


def test_group_query_attention_shares_key_value_heads():
    gqa = layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
    out, scores = gqa(Q, V, return_attention_scores=True)
    assert tuple(out.shape) == (2, 4, 6) and tuple(scores.shape) == (2, 4, 4, 3)
    wq, bq, wk, bk, wv, bv, wo, bo = [w.numpy().astype(np.float64) for w in gqa.weights]
    qp = np.einsum("btd,dhk->bthk", Q, wq) + bq
    kp = np.repeat(np.einsum("bsd,dhk->bshk", V, wk) + bk, 2, axis=2)
    vp = np.repeat(np.einsum("bsd,dhk->bshk", V, wv) + bv, 2, axis=2)
    probs = _softmax(np.einsum("bthk,bshk->bhts", qp, kp) / np.sqrt(3))
    want = np.einsum("bthv,hvo->bto", np.einsum("bhts,bshv->bthv", probs, vp), wo) + bo
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="divisible"):
        layers.GroupQueryAttention(head_dim=3, num_query_heads=3, num_key_value_heads=2)


def test_dot_and_additive_attention_match_numpy():
    qm, vm = np.array([[1, 1, 0, 1], [1, 1, 1, 1]], bool), np.array([[1, 0, 1], [1, 1, 0]], bool)
    att = layers.Attention(use_scale=True)
    out, w = att([Q, V], mask=[qm, vm], return_attention_scores=True)
    scale = att.scale.numpy()
    want_w = _softmax(np.where(vm[:, None], scale * Q @ V.transpose(0, 2, 1), -1e9))
    np.testing.assert_allclose(w.numpy(), want_w, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(out.numpy(), (want_w @ V) * qm[..., None], rtol=1e-5, atol=1e-6)
    add = layers.AdditiveAttention()
    out = add([Q, V]).numpy()
    s = add.scale.numpy()
    scores = (s * np.tanh(Q[:, :, None] + V[:, None])).sum(-1)
    np.testing.assert_allclose(out, _softmax(scores) @ V, rtol=1e-5, atol=1e-6)
    causal = layers.Attention()([Q, Q], use_causal_mask=True, return_attention_scores=True)[1].numpy()
    assert np.all(np.triu(causal[0], 1) < 1e-30)
    with pytest.raises(ValueError, match="list of inputs"):
        layers.Attention()(Q)


def test_dot_attention_takes_keras_masks_from_its_inputs():
    ids = np.array([[1, 2, 0], [3, 0, 0]])
    e = layers.Embedding(10, 6, mask_zero=True)(ids)
    att = layers.Attention()
    out = att([e, e])
    explicit = att([e.numpy(), e.numpy()], mask=[ids != 0, ids != 0])
    np.testing.assert_allclose(out.numpy(), explicit.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(out._keras_mask.numpy(), ids != 0)


def test_einsum_dense_projects_as_its_equation_says():
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de", activation="relu")
    y = layer(Q)
    assert tuple(y.shape) == (2, 4, 2, 3)
    want = np.maximum(np.einsum("abc,cde->abde", Q, layer.kernel.numpy()) + layer.bias.numpy(), 0)
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-5, atol=1e-6)
    assert tuple(layers.EinsumDense("...b,bc->...c", output_shape=4)(Q).shape) == (2, 4, 4)
    with pytest.raises(ValueError, match="invalid equation"):
        layers.EinsumDense("abc", output_shape=3)
    with pytest.raises(ValueError, match="bias axis 'z'"):
        layers.EinsumDense("ab,bc->ac", output_shape=3, bias_axes="z")(np.ones((2, 3), "float32"))


@pytest.mark.parametrize("kind", ["mha", "mha_causal_masked", "gqa", "attention", "additive"])
def test_gradients_finite_differences(kind):
    x = np.random.default_rng(3).standard_normal((2, 3, 4))
    y = np.random.default_rng(4).standard_normal((2, 2, 4))
    if kind.startswith("mha"):
        layer = layers.MultiHeadAttention(num_heads=2, key_dim=2, dtype="float64")
        kwargs = {"use_causal_mask": True, "attention_mask": np.array([[[1, 1, 0]] * 3, [[1, 0, 1]] * 3], bool)} \
            if kind == "mha_causal_masked" else {}
        call = (lambda a, b: layer(a, a, **kwargs)) if kind == "mha_causal_masked" else (lambda a, b: layer(a, b))
    elif kind == "gqa":
        layer = layers.GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=1, dtype="float64")
        call = layer
    else:
        layer = (layers.Attention(use_scale=True) if kind == "attention" else layers.AdditiveAttention())
        layer.dtype = "float64"

        def call(a, b):
            return layer([a, b])
    call(tf.constant(x), tf.constant(y))
    gradcheck(call, [x, y], name=kind)
    slots = _weight_slots(layer)  # and through the weights: each swapped for the checker's variable
    start = [w.numpy() + 0.1 for w in layer.weights]

    def through_weights(*ws):
        for (owner, attr), w in zip(slots, ws):
            object.__setattr__(owner, attr, w)
        return call(tf.constant(x), tf.constant(y))

    originals = [getattr(owner, attr) for owner, attr in slots]
    try:
        gradcheck(through_weights, start, name=f"{kind} weights")
    finally:
        for (owner, attr), w in zip(slots, originals):
            object.__setattr__(owner, attr, w)


def _weight_slots(layer):
    """(owner, attribute) of each of ``layer.weights``, searched in the layer and its sublayers."""
    owners = [layer] + [sub for _, sub in layer._keras_weight_children()] if hasattr(
        layer, "_keras_weight_children") else [layer]
    slots = []
    for w in layer.weights:
        slots.append(next((o, k) for o in owners for k, v in vars(o).items() if v is w))
    return slots
