"""Keras masks (tensorlet/layers/masking.py) and the Masking layer: made by Embedding(mask_zero=True) and Masking,
carried by the layers that support masking, ended by those that consume them, read by losses and metrics, and
recomputed from every batch in a traced training step."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers, losses, models
from tensorlet.layers.masking import get_mask
from tensorlet.models.functional import Functional

IDS = np.array([[3, 4, 5, 0, 0], [6, 0, 0, 0, 0], [1, 2, 3, 4, 9]])
KEEP = IDS != 0


def test_embedding_mask_zero_sets_the_mask_on_its_output():
    y = layers.Embedding(10, 3, mask_zero=True)(IDS)
    np.testing.assert_array_equal(y._keras_mask.numpy(), KEEP)
    assert get_mask(layers.Embedding(10, 3)(IDS)) is None


def test_layers_that_support_masking_pass_it_on_and_others_drop_it():
    y = layers.Embedding(10, 4, mask_zero=True)(IDS)
    for layer in (layers.Dense(2), layers.Dropout(0.5), layers.Activation("relu"), layers.LayerNormalization(),
                  layers.ReLU(), layers.TimeDistributed(layers.Dense(3))):
        np.testing.assert_array_equal(get_mask(layer(y)).numpy(), KEEP)
    for layer in (layers.Flatten(), layers.Conv1D(2, 2), layers.GlobalMaxPooling1D(), layers.Reshape((20,))):
        assert get_mask(layer(y)) is None


def test_symbolic_outputs_carry_a_symbolic_mask_of_the_mask_shape():
    inp = layers.Input((5,))
    x = layers.Embedding(10, 4, mask_zero=True)(inp)
    assert tuple(x._keras_mask.shape) == (None, 5) and x._keras_mask.dtype == "bool"
    seq = layers.LSTM(3, return_sequences=True)(layers.Dense(4)(x))
    assert tuple(seq._keras_mask.shape) == (None, 5)
    assert get_mask(layers.LSTM(3)(x)) is None
    assert get_mask(layers.GlobalAveragePooling1D()(x)) is None


def test_a_recurrent_layer_after_a_mask_zero_embedding_skips_the_padding():
    model = models.Sequential([layers.Input((5,)), layers.Embedding(10, 4, mask_zero=True), layers.SimpleRNN(3)])
    emb, rnn = model.layers
    out = model.predict(IDS, verbose=0)
    for row, n in enumerate(KEEP.sum(axis=1)):  # trailing padding: the output of the unpadded prefix
        np.testing.assert_allclose(out[row], rnn(emb(IDS[row:row + 1, :n])).numpy()[0], rtol=1e-5, atol=1e-7)


def test_softmax_takes_a_broadcastable_mask_and_names_itself_otherwise():
    x = np.random.default_rng(8).standard_normal((3, 5)).astype("float32")
    probs = layers.Softmax()(x, mask=KEEP).numpy()
    assert np.all(probs[~KEEP] < 1e-30)
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0, rtol=1e-6)
    with pytest.raises(ValueError, match=r'"sm" \(Softmax\): the mask must be broadcastable'):
        layers.Softmax(name="sm")(layers.Embedding(10, 4, mask_zero=True)(IDS))


def test_global_average_pooling_1d_averages_the_kept_steps_only():
    x = np.random.default_rng(0).standard_normal((3, 5, 2)).astype("float32")
    out = layers.GlobalAveragePooling1D()(x, mask=KEEP).numpy()
    want = np.stack([x[i, KEEP[i]].mean(axis=0) for i in range(3)])
    np.testing.assert_allclose(out, want, rtol=1e-6)
    kept = layers.GlobalAveragePooling1D(keepdims=True)(x, mask=KEEP).numpy()
    np.testing.assert_allclose(kept[:, 0], want, rtol=1e-6)


def test_merge_layers_keep_the_steps_every_input_keeps():
    a = layers.Embedding(10, 3, mask_zero=True)(IDS)
    b = layers.Embedding(10, 3, mask_zero=True)(np.where(IDS == 2, 0, IDS))
    np.testing.assert_array_equal(get_mask(layers.Add()([a, b])).numpy(), KEEP & (IDS != 2))
    np.testing.assert_array_equal(get_mask(layers.Add()([a, layers.Dense(3)(np.ones((3, 5, 2)))])).numpy(), KEEP)
    np.testing.assert_array_equal(get_mask(layers.Concatenate()([a, b])).numpy(), KEEP & (IDS != 2))
    assert get_mask(layers.Dot(axes=2)([a, b])) is None


def test_a_layer_asking_for_arg_mask_receives_the_mask_of_that_argument():
    seen = {}

    class Pair(layers.Layer):
        def call(self, query, value, query_mask=None, value_mask=None):
            seen["q"], seen["v"] = query_mask, value_mask
            return query

    a = layers.Embedding(10, 3, mask_zero=True)(IDS)
    b = layers.Embedding(10, 3)(IDS)
    Pair()(a, b)
    np.testing.assert_array_equal(seen["q"].numpy(), KEEP)
    assert seen["v"] is None
    Pair()(b, value=a)
    assert seen["q"] is None
    np.testing.assert_array_equal(seen["v"].numpy(), KEEP)


def test_an_explicit_mask_argument_wins_and_is_inherited():
    explicit = np.ones((3, 5), bool)
    y = layers.Embedding(10, 3, mask_zero=True)(IDS)
    out = layers.LSTM(2, return_sequences=True)(y, mask=explicit)
    np.testing.assert_array_equal(get_mask(out).numpy() if hasattr(get_mask(out), "numpy") else get_mask(out),
                                  explicit)


def test_a_symbolic_mask_argument_is_an_input_of_the_graph():
    inp, keep = layers.Input((5, 2)), layers.Input((5,), dtype="bool")
    out = layers.GlobalAveragePooling1D()(inp, mask=keep)
    model = models.Model([inp, keep], out)
    x = np.random.default_rng(1).standard_normal((3, 5, 2)).astype("float32")
    want = layers.GlobalAveragePooling1D()(x, mask=KEEP).numpy()
    np.testing.assert_allclose(model.predict([x, KEEP], verbose=0), want, rtol=1e-6)


def test_a_model_called_with_mask_puts_it_on_its_inputs():
    inp = layers.Input((5, 2))
    inner = models.Model(inp, layers.LSTM(3)(inp))
    x = np.random.default_rng(2).standard_normal((3, 5, 2)).astype("float32")
    np.testing.assert_allclose(inner(x, mask=KEEP).numpy(), inner.layers[1](x, mask=KEEP).numpy(), rtol=1e-6)
    # a nested model receives the mask of the layer before it
    outer_in = layers.Input((5,))
    outer = models.Model(outer_in, inner(layers.Embedding(10, 2, mask_zero=True)(outer_in)))
    emb = outer.layers[1]
    np.testing.assert_allclose(outer.predict(IDS, verbose=0), inner.layers[1](emb(IDS), mask=KEEP).numpy(),
                               rtol=1e-5)


def test_lambda_mask_argument_is_a_callable_or_a_value():
    y = layers.Embedding(10, 3, mask_zero=True)(IDS)
    assert get_mask(layers.Lambda(lambda t: t * 2.0)(y)) is None
    flip = layers.Lambda(lambda t: t * 1.0, mask=lambda inputs, mask: tf.logical_not(mask))
    np.testing.assert_array_equal(get_mask(flip(y)).numpy(), ~KEEP)
    seen = {}

    def fn(t, mask=None):
        seen["mask"] = mask
        return t

    layers.Lambda(fn, mask=lambda inputs, mask: mask)(y)
    np.testing.assert_array_equal(seen["mask"].numpy(), KEEP)


def test_masking_layer_zeroes_and_masks_the_padded_steps():
    x = np.random.default_rng(3).standard_normal((3, 5, 2)).astype("float32")
    x[~KEEP] = -1.0
    y = layers.Masking(mask_value=-1.0)(x)
    np.testing.assert_array_equal(y._keras_mask.numpy(), KEEP)
    np.testing.assert_allclose(y.numpy(), np.where(KEEP[..., None], x, 0.0))
    partial = x.copy()
    partial[0, 3, 0] = 5.0  # one feature differs: the step is kept
    assert layers.Masking(mask_value=-1.0)(partial)._keras_mask.numpy()[0, 3]
    assert layers.Masking(mask_value=-1.0).get_config()["mask_value"] == -1.0


def test_loss_averages_over_the_kept_steps_only():
    rng = np.random.default_rng(4)
    probs = tf.nn.softmax(rng.standard_normal((3, 5, 4)).astype("float32"))
    labels = rng.integers(0, 4, (3, 5))
    probs._keras_mask = tf.constant(KEEP)
    per_step = losses.sparse_categorical_crossentropy(labels, probs).numpy()
    loss = losses.SparseCategoricalCrossentropy()
    np.testing.assert_allclose(float(loss(labels, probs)), per_step[KEEP].mean(), rtol=1e-6)
    sw = np.array([1.0, 2.0, 0.5], "float32")
    want = (per_step * sw[:, None] * KEEP).sum() / KEEP.sum()
    np.testing.assert_allclose(float(loss(labels, probs, sample_weight=sw)), want, rtol=1e-6)
    summed = losses.SparseCategoricalCrossentropy(reduction="sum")
    np.testing.assert_allclose(float(summed(labels, probs)), per_step[KEEP].sum(), rtol=1e-6)
    probs._keras_mask = tf.constant(np.zeros((3, 5), bool))
    assert float(loss(labels, probs)) == 0.0


def _tagger():
    tf.random.set_seed(0)
    model = models.Sequential([layers.Input((5,)), layers.Embedding(10, 4, mask_zero=True),
                               layers.LSTM(6, return_sequences=True), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_fit_and_evaluate_exclude_the_masked_steps_from_loss_and_metrics():
    model = _tagger()
    labels = np.random.default_rng(5).integers(0, 3, (3, 5))
    probs = model.predict(IDS, verbose=0)
    per_step = -np.log(np.take_along_axis(probs, labels[..., None], -1)[..., 0])
    acc = (probs.argmax(-1) == labels)
    loss, accuracy = model.evaluate(IDS, labels, verbose=0)
    np.testing.assert_allclose(loss, per_step[KEEP].mean(), rtol=1e-5)
    np.testing.assert_allclose(accuracy, acc[KEEP].mean(), rtol=1e-6)


def test_a_traced_training_step_recomputes_the_mask_from_each_batch():
    # the first batch traces the step; a later batch with other padding must not reuse the first one's mask
    model = _tagger()
    rng = np.random.default_rng(6)
    labels = rng.integers(0, 3, (3, 5))
    model.fit(IDS, labels, epochs=1, batch_size=3, verbose=0)
    other = np.array([[1, 0, 0, 0, 0], [2, 3, 4, 5, 6], [7, 8, 0, 0, 0]])
    keep = other != 0
    for _ in range(2):  # test plan traced, then replayed
        probs = model.predict(other, verbose=0)
        per_step = -np.log(np.take_along_axis(probs, labels[..., None], -1)[..., 0])
        loss, accuracy = model.evaluate(other, labels, verbose=0)
        np.testing.assert_allclose(loss, per_step[keep].mean(), rtol=1e-5)
        np.testing.assert_allclose(accuracy, (probs.argmax(-1) == labels)[keep].mean(), rtol=1e-6)


def test_weighted_metrics_multiply_sample_weights_by_the_mask():
    model = _tagger()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", weighted_metrics=["accuracy"])
    labels = np.random.default_rng(7).integers(0, 3, (3, 5))
    sw = np.array([1.0, 0.0, 3.0], "float32")
    probs = model.predict(IDS, verbose=0)
    hit = (probs.argmax(-1) == labels).astype(float)
    w = sw[:, None] * KEEP
    _, accuracy = model.evaluate(IDS, labels, sample_weight=sw, verbose=0)
    np.testing.assert_allclose(accuracy, (hit * w).sum() / w.sum(), rtol=1e-6)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_a_masked_model_saves_and_loads(tmp_path, ext):
    pytest.importorskip("h5py")
    model = _tagger()
    path = str(tmp_path / f"tagger{ext}")
    model.save(path)
    loaded = models.load_model(path)
    np.testing.assert_allclose(loaded.predict(IDS, verbose=0), model.predict(IDS, verbose=0), rtol=1e-6)


def test_keras3_mask_op_nodes_in_a_config_are_rebuilt_by_propagation():
    # Keras 3 writes the ops that computed a mask (NotEqual, Any...) as graph nodes feeding `mask=`
    def tensor(layer, shape, dtype="float32"):
        return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": dtype,
                                                             "keras_history": [layer, 0, 0]}}

    config = {"name": "m", "trainable": True, "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "name": "inp",
         "config": {"batch_shape": [None, 5], "dtype": "float32", "name": "inp"}, "inbound_nodes": []},
        {"module": "keras.layers", "class_name": "Embedding", "name": "emb",
         "config": {"name": "emb", "input_dim": 10, "output_dim": 3, "mask_zero": True},
         "inbound_nodes": [{"args": [tensor("inp", [None, 5])], "kwargs": {}}]},
        {"module": "keras.src.ops.numpy", "class_name": "NotEqual", "registered_name": "NotEqual",
         "name": "not_equal", "config": {"name": "not_equal"},
         "inbound_nodes": [{"args": [tensor("inp", [None, 5]), 0], "kwargs": {}}]},
        {"module": "keras.layers", "class_name": "LSTM", "name": "lstm", "config": {"name": "lstm", "units": 2},
         "inbound_nodes": [{"args": [tensor("emb", [None, 5, 3])],
                            "kwargs": {"training": False, "mask": tensor("not_equal", [None, 5], "bool")}}]}],
        "input_layers": ["inp", 0, 0], "output_layers": ["lstm", 0, 0]}
    model = Functional.from_config(config)
    emb, lstm = model.layers[1], model.layers[2]
    np.testing.assert_allclose(model.predict(IDS, verbose=0), lstm(emb(IDS), mask=KEEP).numpy(), rtol=1e-6)
    bad = dict(config, layers=config["layers"][:3] + [dict(config["layers"][3], inbound_nodes=[
        {"args": [tensor("not_equal", [None, 5], "bool")], "kwargs": {}}])])
    with pytest.raises(ValueError, match='op node "not_equal"'):
        Functional.from_config(bad)


def test_batch_normalization_takes_its_statistics_over_the_kept_steps():
    x = np.random.default_rng(7).standard_normal((3, 5, 2))
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1]], bool)
    layer = layers.BatchNormalization(momentum=0.5, epsilon=1e-3, dtype="float64")
    got = layer(x, training=True, mask=mask).numpy()
    kept = x[mask]
    mean, var = kept.mean(axis=0), kept.var(axis=0)
    np.testing.assert_allclose(got, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-10)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.5 * mean, rtol=1e-10)
    np.testing.assert_allclose(layer.moving_variance.numpy(), 0.5 + 0.5 * var, rtol=1e-10)
    seq = models.Sequential([layers.Masking(0.0, dtype="float64"), layers.BatchNormalization(dtype="float64")])
    padded = np.where(mask[..., None], x, 0.0)
    np.testing.assert_allclose(seq(padded, training=True).numpy(), (padded - mean) / np.sqrt(var + 1e-3),
                               rtol=1e-5)  # a model's inputs are float32
    gradcheck(lambda v: layer(v, training=True, mask=mask), [x], name="BatchNormalization(mask)")
    with pytest.raises(ValueError, match="mask"):
        layer(x, training=True, mask=mask[:, :3])
