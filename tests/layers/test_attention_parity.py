"""Attention layers against real Keras 3 and Keras 2 (tf_keras) with copied weights: outputs, scores and gradients
(TF's GradientTape) to 1e-5, with Keras masks, attention masks and causal masks; and ``.keras`` files with a
transformer block loading in Keras 3 and back."""
from __future__ import annotations

import os

import numpy as np
import pytest

import tensorlet as tl

pytestmark = pytest.mark.parity
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

RNG = np.random.default_rng(0)
Q = RNG.standard_normal((2, 5, 8)).astype("float32")
V = RNG.standard_normal((2, 4, 6)).astype("float32")
KEY = RNG.standard_normal((2, 4, 3)).astype("float32")
ATT_MASK = RNG.random((2, 5, 4)) > 0.3


@pytest.fixture(scope="module", params=["keras3", "tf_keras"])
def other(request):
    if request.param == "keras3":
        k = pytest.importorskip("keras")
        if k.__version__ < "3":
            pytest.skip("needs Keras 3")
        return k
    return pytest.importorskip("tf_keras")


MHA_CASES = [
    ({"num_heads": 2, "key_dim": 3}, (Q, V), {}),
    ({"num_heads": 2, "key_dim": 3, "value_dim": 5, "output_shape": (7,)}, (Q, V, KEY), {}),
    ({"num_heads": 3, "key_dim": 2}, (Q, Q), {"use_causal_mask": True}),
    ({"num_heads": 2, "key_dim": 3}, (Q, V), {"attention_mask": ATT_MASK}),
    ({"num_heads": 2, "key_dim": 3, "attention_axes": (1, 2)}, (Q.reshape(2, 5, 2, 4), Q.reshape(2, 5, 2, 4)), {}),
    ({"num_heads": 2, "key_dim": 3, "attention_axes": 2}, (Q.reshape(2, 5, 2, 4), Q.reshape(2, 5, 2, 4)), {}),
    ({"num_heads": 2, "key_dim": 3, "use_bias": False}, (Q, V), {}),
]


def _as_np(x):
    return [np.asarray(t) for t in (x if isinstance(x, (list, tuple)) else [x])]


@pytest.mark.parametrize("kwargs,inputs,call_kwargs", MHA_CASES, ids=[str(i) for i in range(len(MHA_CASES))])
def test_multi_head_attention_outputs_and_scores_match(other, kwargs, inputs, call_kwargs):
    theirs = other.layers.MultiHeadAttention(**kwargs)
    want = theirs(*inputs, return_attention_scores=True, **call_kwargs)
    ours = tl.keras.layers.MultiHeadAttention(**kwargs)
    ours(*inputs)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    got = ours(*inputs, return_attention_scores=True, **call_kwargs)
    for g, w in zip(_as_np(got), _as_np(want)):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def test_keras3_only_options_match():
    keras = pytest.importorskip("keras")
    if keras.__version__ < "3":
        pytest.skip("needs Keras 3")
    for kwargs, call_kwargs in [({"use_gate": True}, {}), ({"sliding_window": 2}, {"use_causal_mask": True})]:
        theirs = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, **kwargs)
        want = theirs(Q, Q, **call_kwargs)
        ours = tl.keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, **kwargs)
        ours(Q, Q)
        ours.set_weights(theirs.get_weights())
        np.testing.assert_allclose(np.asarray(ours(Q, Q, **call_kwargs)), np.asarray(want), rtol=1e-5, atol=1e-6)
    theirs = keras.layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
    x = RNG.standard_normal((2, 4, 8)).astype("float32")
    for call_kwargs in [{}, {"use_causal_mask": True}, {"attention_mask": ATT_MASK[:, :, :4]}]:
        want = theirs(Q, x, return_attention_scores=True, **call_kwargs)
        ours = tl.keras.layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
        ours(Q, x)
        ours.set_weights(theirs.get_weights())
        for g, w in zip(_as_np(ours(Q, x, return_attention_scores=True, **call_kwargs)), _as_np(want)):
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,kwargs", [("Attention", {}), ("Attention", {"use_scale": True, "score_mode": "concat"}),
                                         ("AdditiveAttention", {}), ("AdditiveAttention", {"use_scale": False})])
def test_dot_and_additive_attention_match(other, name, kwargs):
    q = RNG.standard_normal((2, 3, 4)).astype("float32")
    v = RNG.standard_normal((2, 5, 4)).astype("float32")
    masks = [np.array([[1, 1, 0], [1, 1, 1]], bool), np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]], bool)]
    theirs, ours = getattr(other.layers, name)(**kwargs), getattr(tl.keras.layers, name)(**kwargs)
    theirs([q, v])
    ours([q, v])
    weights = [RNG.standard_normal(w.shape).astype("float32") for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    for inputs, call_kwargs in [([q, v], {}), ([q, v, v[..., ::-1].copy()], {"mask": masks}),
                                ([q, v], {"use_causal_mask": True})]:
        want = theirs(inputs, return_attention_scores=True, **call_kwargs)
        got = ours(inputs, return_attention_scores=True, **call_kwargs)
        for g, w in zip(_as_np(got), _as_np(want)):
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def test_gradients_match_tensorflow_with_masks():
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    ids = np.array([[1, 2, 3, 0, 0], [4, 5, 6, 7, 8]])

    def block(k):
        inp = k.Input((5,))
        e = k.layers.Embedding(10, 8, mask_zero=True)(inp)
        a = k.layers.MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.0)(e, e)
        x = k.layers.LayerNormalization()(k.layers.Add()([e, a]))
        x = k.layers.GlobalAveragePooling1D()(x)
        return k.Model(inp, k.layers.Dense(3, activation="softmax")(x))

    theirs, ours = block(keras), block(tl.keras)
    weights = [RNG.standard_normal(w.shape).astype("float32") * 0.3 for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    labels = np.array([0, 2])
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(labels, theirs(ids))
    want = tape.gradient(loss, theirs.trainable_weights)
    with tl.GradientTape() as tape:
        loss_ours = tl.keras.losses.sparse_categorical_crossentropy(labels, ours(ids))
    got = tape.gradient(loss_ours, ours.trainable_weights)
    np.testing.assert_allclose(np.asarray(loss_ours), np.asarray(loss), rtol=1e-5)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(tf.convert_to_tensor(w)), rtol=1e-4, atol=1e-6)


def _transformer(k, causal=False):
    inp = k.Input((6,))
    e = k.layers.Embedding(20, 8, mask_zero=True)(inp)
    a = k.layers.MultiHeadAttention(num_heads=2, key_dim=4)(e, e, use_causal_mask=causal)
    x = k.layers.LayerNormalization(epsilon=1e-6)(k.layers.Add()([e, a]))
    f = k.layers.Dense(8)(k.layers.Dense(16, activation="relu")(x))
    x = k.layers.LayerNormalization(epsilon=1e-6)(k.layers.Add()([x, f]))
    x = k.layers.GlobalAveragePooling1D()(x)
    return k.Model(inp, k.layers.Dense(2, activation="softmax")(x))


def test_transformer_keras_files_load_both_ways(tmp_path):
    keras = pytest.importorskip("keras")
    pytest.importorskip("h5py")
    if keras.__version__ < "3":
        pytest.skip("needs Keras 3")
    ids = np.array([[1, 2, 3, 0, 0, 0], [4, 5, 6, 7, 8, 9]])
    for causal in (False, True):
        theirs, ours = _transformer(keras, causal), _transformer(tl.keras, causal)
        weights = [RNG.standard_normal(w.shape).astype("float32") * 0.3 for w in theirs.get_weights()]
        theirs.set_weights(weights)
        ours.set_weights(weights)
        want = theirs.predict(ids, verbose=0)
        np.testing.assert_allclose(ours.predict(ids, verbose=0), want, rtol=1e-5, atol=1e-6)
        theirs.save(tmp_path / "k3.keras")
        ours.save(tmp_path / "tl.keras")
        np.testing.assert_allclose(tl.keras.models.load_model(str(tmp_path / "k3.keras")).predict(ids, verbose=0),
                                   want, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(keras.models.load_model(tmp_path / "tl.keras").predict(ids, verbose=0), want,
                                   rtol=1e-5, atol=1e-6)
    for name, layer in [("gqa", lambda k: k.layers.GroupQueryAttention(head_dim=2, num_query_heads=4,
                                                                       num_key_value_heads=2)),
                        ("gate", lambda k: k.layers.MultiHeadAttention(num_heads=2, key_dim=3, use_gate=True))]:
        inp = keras.Input((5, 8))
        theirs = keras.Model(inp, layer(keras)(inp, inp))
        theirs.save(tmp_path / f"{name}.keras")
        loaded = tl.keras.models.load_model(str(tmp_path / f"{name}.keras"))
        np.testing.assert_allclose(loaded.predict(Q, verbose=0), theirs.predict(Q, verbose=0), rtol=1e-5,
                                   atol=1e-6)
        loaded.save(str(tmp_path / f"{name}_tl.keras"))
        back = keras.models.load_model(tmp_path / f"{name}_tl.keras")
        np.testing.assert_allclose(back.predict(Q, verbose=0), theirs.predict(Q, verbose=0), rtol=1e-5, atol=1e-6)
