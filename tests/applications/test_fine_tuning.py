"""The transfer-learning recipe of the TensorFlow tutorials, on MobileNetV2 (alpha 0.35, 32x32 inputs): a frozen
base whose batch normalization runs in inference mode, a new head trained with fit, then the top layers
unfrozen and trained again at a lower learning rate, with summary() counting the right weights."""
from __future__ import annotations

import io
import re
from contextlib import redirect_stdout

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
SHAPE = (32, 32, 3)


def _data(n=64, seed=0):
    """Two classes: brighter top half or brighter bottom half."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 160, (n,) + SHAPE).astype("float32")
    y = rng.integers(0, 2, n).astype("float32")
    x[y == 1, :16] += 90
    x[y == 0, 16:] += 90
    return x, y


def _transfer_model(base):
    inputs = keras.Input(SHAPE)
    x = keras.applications.mobilenet_v2.preprocess_input(inputs)
    x = base(x, training=False)
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dropout(0.2)(x)
    return keras.Model(inputs, keras.layers.Dense(1)(x))


def _counts(model):
    def n(ws):
        return int(sum(np.prod(w.shape) for w in ws))
    return n(model.trainable_weights), n(model.non_trainable_weights)


def _summary_counts(model):
    out = io.StringIO()
    with redirect_stdout(out):
        model.summary()
    text = out.getvalue()
    return tuple(int(re.search(rf"{k} params: ([\d,]+)", text).group(1).replace(",", ""))
                 for k in ("Trainable", "Non-trainable"))


def test_frozen_base_then_fine_tuning_trains_and_counts_weights():
    tf.random.set_seed(0)
    x, y = _data(32)
    base = keras.applications.MobileNetV2(input_shape=SHAPE, alpha=0.35, include_top=False, weights=None)
    base.trainable = False
    model = _transfer_model(base)
    head = 1280 + 1
    assert _counts(model) == (head, base.count_params())
    assert _summary_counts(model) == _counts(model)

    bn = base.get_layer("Conv_1_bn")
    stats = [bn.moving_mean.numpy().copy(), bn.moving_variance.numpy().copy()]
    kernel = base.get_layer("Conv1").kernel.numpy().copy()
    model.compile(keras.optimizers.Adam(1e-2), keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    before = model.evaluate(x, y, verbose=0)[0]
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    after = model.evaluate(x, y, verbose=0)[0]
    assert after < before
    np.testing.assert_array_equal(bn.moving_mean.numpy(), stats[0])  # inference mode: statistics untouched
    np.testing.assert_array_equal(bn.moving_variance.numpy(), stats[1])
    np.testing.assert_array_equal(base.get_layer("Conv1").kernel.numpy(), kernel)

    base.trainable = True
    for layer in base.layers[:-20]:
        layer.trainable = False
    unfrozen = sum(int(np.prod(w.shape)) for la in base.layers[-20:] for w in la.trainable_weights)
    assert _counts(model)[0] == head + unfrozen
    assert _summary_counts(model) == _counts(model)
    assert sum(_counts(model)) == base.count_params() + head

    top_conv = base.get_layer("Conv_1").kernel.numpy().copy()
    model.compile(keras.optimizers.RMSprop(1e-4), keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    before = model.evaluate(x, y, verbose=0)[0]
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert model.evaluate(x, y, verbose=0)[0] < before
    assert not np.array_equal(base.get_layer("Conv_1").kernel.numpy(), top_conv)  # unfrozen: trained
    np.testing.assert_array_equal(base.get_layer("Conv1").kernel.numpy(), kernel)  # still frozen
    np.testing.assert_array_equal(bn.moving_mean.numpy(), stats[0])  # called with training=False


def test_unfreezing_layers_of_a_frozen_base_changes_nothing_until_the_base_is_unfrozen():
    """tf.keras 2 semantics (Keras 3 differs): a frozen model's weights all stay frozen."""
    base = keras.applications.MobileNetV2(input_shape=SHAPE, alpha=0.35, include_top=False, weights=None)
    base.trainable = False
    for layer in base.layers[-20:]:
        layer.trainable = True
    assert base.trainable_weights == []


def test_batch_norm_of_an_unfrozen_base_called_without_training_flag_learns_its_statistics():
    x, y = _data(32)
    base = keras.applications.MobileNetV2(input_shape=SHAPE, alpha=0.35, include_top=False, weights=None)
    inputs = keras.Input(SHAPE)
    outputs = keras.layers.Dense(1)(keras.layers.GlobalAveragePooling2D()(base(inputs)))
    model = keras.Model(inputs, outputs)
    model.compile("sgd", "mse")
    bn = base.get_layer("Conv_1_bn")
    before = bn.moving_mean.numpy().copy()
    model.fit(x / 255, y, epochs=1, batch_size=16, verbose=0)
    assert not np.array_equal(bn.moving_mean.numpy(), before)


@pytest.mark.parity
def test_trainable_counts_match_tf_keras_at_each_step():
    tf_keras = pytest.importorskip("tf_keras")
    result = []
    for lib in (keras, tf_keras):
        base = lib.applications.MobileNetV2(input_shape=SHAPE, alpha=0.35, include_top=False, weights=None)
        base.trainable = False
        inputs = lib.Input(SHAPE)
        out = lib.layers.Dense(1)(lib.layers.GlobalAveragePooling2D()(base(inputs, training=False)))
        model = lib.Model(inputs, out)
        steps = [_counts(model)]
        for layer in base.layers[-20:]:
            layer.trainable = True
        steps.append(_counts(model))
        base.trainable = True
        for layer in base.layers[:-20]:
            layer.trainable = False
        steps.append(_counts(model))
        result.append(steps)
    assert result[0] == result[1]
