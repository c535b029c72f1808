"""Convolutional-network layers through the shared layer contract (tests/helpers/layer_contract.py), plus the
training/inference semantics of BatchNormalization."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models
from tests.helpers.layer_contract import run_layer_test

# (layer class, constructor kwargs, input shape, expected output shape, trainable weights, non-trainable weights)
CASES = [
    # Conv1D
    (layers.Conv1D, {"filters": 3, "kernel_size": 3}, (2, 7, 2), (2, 5, 3), 2, 0),
    (layers.Conv1D, {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"}, (2, 7, 3), (2, 4, 2), 2, 0),
    (layers.Conv1D, {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "use_bias": False}, (2, 7, 3),
     (2, 5, 2), 1, 0),
    (layers.Conv1D, {"filters": 4, "kernel_size": 3, "groups": 2, "padding": "same"}, (2, 6, 4), (2, 6, 4), 2, 0),
    (layers.Conv1D, {"filters": 3, "kernel_size": 3, "data_format": "channels_first"}, (2, 2, 7), (2, 3, 5), 2, 0),
    # Conv2D
    (layers.Conv2D, {"filters": 3, "kernel_size": 3}, (2, 6, 5, 2), (2, 4, 3, 3), 2, 0),
    (layers.Conv2D, {"filters": 3, "kernel_size": 3, "padding": "same"}, (2, 6, 5, 2), (2, 6, 5, 3), 2, 0),
    (layers.Conv2D, {"filters": 2, "kernel_size": (3, 2), "strides": (2, 1)}, (2, 7, 5, 2), (2, 3, 4, 2), 2, 0),
    (layers.Conv2D, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 6, 5, 2),
     (2, 3, 3, 2), 2, 0),
    (layers.Conv2D, {"filters": 2, "kernel_size": 2, "dilation_rate": 2}, (2, 6, 5, 2), (2, 4, 3, 2), 2, 0),
    (layers.Conv2D, {"filters": 2, "kernel_size": 3, "dilation_rate": (2, 1), "padding": "same"}, (2, 6, 5, 2),
     (2, 6, 5, 2), 2, 0),
    (layers.Conv2D, {"filters": 4, "kernel_size": 2, "groups": 2}, (2, 5, 5, 4), (2, 4, 4, 4), 2, 0),
    (layers.Conv2D, {"filters": 6, "kernel_size": 2, "groups": 3, "padding": "same"}, (2, 4, 4, 3),
     (2, 4, 4, 6), 2, 0),
    (layers.Conv2D, {"filters": 3, "kernel_size": 3, "data_format": "channels_first"}, (2, 2, 6, 5),
     (2, 3, 4, 3), 2, 0),
    (layers.Conv2D, {"filters": 3, "kernel_size": 2, "strides": 2, "padding": "same",
                     "data_format": "channels_first"}, (2, 2, 5, 5), (2, 3, 3, 3), 2, 0),
    (layers.Conv2D, {"filters": 3, "kernel_size": 3, "activation": "relu"}, (2, 5, 5, 2), (2, 3, 3, 3), 2, 0),
    (layers.Conv2D, {"filters": 3, "kernel_size": 3, "activation": "tanh", "use_bias": False}, (2, 5, 5, 2),
     (2, 3, 3, 3), 1, 0),
    # pooling
    (layers.MaxPooling1D, {}, (2, 7, 3), (2, 3, 3), 0, 0),
    (layers.MaxPooling1D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 3), (2, 4, 3), 0, 0),
    (layers.AveragePooling1D, {"pool_size": 3, "strides": 1}, (2, 7, 3), (2, 5, 3), 0, 0),
    (layers.AveragePooling1D, {"pool_size": 2, "padding": "same"}, (2, 7, 3), (2, 4, 3), 0, 0),
    (layers.MaxPooling2D, {}, (2, 5, 4, 3), (2, 2, 2, 3), 0, 0),
    (layers.MaxPooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 5, 4, 3), (2, 3, 2, 3), 0, 0),
    (layers.MaxPooling2D, {"pool_size": 2, "data_format": "channels_first"}, (2, 3, 5, 4), (2, 3, 2, 2), 0, 0),
    (layers.AveragePooling2D, {"pool_size": (2, 3), "strides": 1}, (2, 5, 4, 3), (2, 4, 2, 3), 0, 0),
    (layers.AveragePooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 5, 4, 3), (2, 3, 2, 3), 0, 0),
    (layers.AveragePooling2D, {"pool_size": 2, "padding": "same", "data_format": "channels_first"}, (2, 3, 5, 4),
     (2, 3, 3, 2), 0, 0),
    (layers.GlobalMaxPooling1D, {}, (2, 5, 3), (2, 3), 0, 0),
    (layers.GlobalMaxPooling1D, {"keepdims": True}, (2, 5, 3), (2, 1, 3), 0, 0),
    (layers.GlobalAveragePooling1D, {}, (2, 5, 3), (2, 3), 0, 0),
    (layers.GlobalAveragePooling1D, {"keepdims": True}, (2, 5, 3), (2, 1, 3), 0, 0),
    (layers.GlobalMaxPooling2D, {}, (2, 4, 5, 3), (2, 3), 0, 0),
    (layers.GlobalMaxPooling2D, {"keepdims": True}, (2, 4, 5, 3), (2, 1, 1, 3), 0, 0),
    (layers.GlobalAveragePooling2D, {}, (2, 4, 5, 3), (2, 3), 0, 0),
    (layers.GlobalAveragePooling2D, {"keepdims": True}, (2, 4, 5, 3), (2, 1, 1, 3), 0, 0),
    (layers.GlobalAveragePooling2D, {"data_format": "channels_first"}, (2, 3, 4, 5), (2, 3), 0, 0),
    # normalization
    (layers.BatchNormalization, {}, (4, 5), (4, 5), 2, 2),
    (layers.BatchNormalization, {}, (4, 3, 3, 2), (4, 3, 3, 2), 2, 2),
    (layers.BatchNormalization, {"axis": 1, "momentum": 0.9}, (4, 2, 3, 3), (4, 2, 3, 3), 2, 2),
    (layers.BatchNormalization, {"center": False}, (4, 3, 3, 2), (4, 3, 3, 2), 1, 2),
    (layers.LayerNormalization, {}, (4, 5), (4, 5), 2, 0),
    (layers.LayerNormalization, {"axis": [1, 2, 3]}, (4, 3, 3, 2), (4, 3, 3, 2), 2, 0),
    (layers.LayerNormalization, {"scale": False}, (4, 3, 3, 2), (4, 3, 3, 2), 1, 0),
    # reshaping
    (layers.ZeroPadding2D, {}, (2, 3, 4, 2), (2, 5, 6, 2), 0, 0),
    (layers.ZeroPadding2D, {"padding": ((1, 0), (2, 3))}, (2, 3, 4, 2), (2, 4, 9, 2), 0, 0),
    (layers.ZeroPadding2D, {"padding": (1, 2), "data_format": "channels_first"}, (2, 2, 3, 4), (2, 2, 5, 8), 0, 0),
    (layers.Cropping2D, {"cropping": 1}, (2, 5, 6, 2), (2, 3, 4, 2), 0, 0),
    (layers.Cropping2D, {"cropping": ((1, 0), (2, 1))}, (2, 5, 6, 2), (2, 4, 3, 2), 0, 0),
    (layers.Cropping2D, {"cropping": (1, 2), "data_format": "channels_first"}, (2, 2, 5, 6), (2, 2, 3, 2), 0, 0),
    (layers.UpSampling2D, {}, (2, 3, 2, 2), (2, 6, 4, 2), 0, 0),
    (layers.UpSampling2D, {"size": (1, 3)}, (2, 3, 2, 2), (2, 3, 6, 2), 0, 0),
    (layers.UpSampling2D, {"size": 2, "data_format": "channels_first"}, (2, 2, 3, 2), (2, 2, 6, 4), 0, 0),
    # regularization (identity outside training, which is what the contract calls)
    (layers.SpatialDropout2D, {"rate": 0.5}, (2, 3, 3, 4), (2, 3, 3, 4), 0, 0),
    (layers.SpatialDropout2D, {"rate": 0.3, "data_format": "channels_first", "seed": 3}, (2, 4, 3, 3),
     (2, 4, 3, 3), 0, 0),
]


def _case_id(i: int, case: tuple) -> str:
    return f"{case[0].__name__}-{i}"


@pytest.mark.parametrize("cls,kwargs,shape,out_shape,n_trainable,n_non_trainable", CASES,
                         ids=[_case_id(i, c) for i, c in enumerate(CASES)])
def test_cnn_layer_contract(cls, kwargs, shape, out_shape, n_trainable, n_non_trainable):
    run_layer_test(cls, kwargs, shape, expected_output_shape=out_shape, expected_num_trainable=n_trainable,
                   expected_num_non_trainable=n_non_trainable)


# The contract calls layers without ``training``, so for BatchNormalization and SpatialDropout2D it exercises
# only the inference path. The training-mode behaviour is checked directly below.

def test_batch_norm_weights_in_keras_order():
    bn = layers.BatchNormalization()
    bn.build((None, 4))
    assert [w.path.rsplit("/", 1)[-1] for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.path.rsplit("/", 1)[-1] for w in bn.trainable_weights] == ["gamma", "beta"]
    assert [w.path.rsplit("/", 1)[-1] for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    np.testing.assert_array_equal(bn.moving_mean.numpy(), np.zeros(4))
    np.testing.assert_array_equal(bn.moving_variance.numpy(), np.ones(4))


@pytest.mark.parametrize("axis,shape", [(-1, (6, 3)), (-1, (4, 3, 2, 3)), (1, (4, 3, 2, 2))])
def test_batch_norm_training_uses_batch_statistics_and_updates_moving_stats(axis, shape):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(shape) * 2.0 + 1.5).astype("float32")
    momentum, eps = 0.8, 1e-3
    bn = layers.BatchNormalization(axis=axis, momentum=momentum, epsilon=eps,
                                   gamma_initializer=tf.keras.initializers.Constant(1.5),
                                   beta_initializer=tf.keras.initializers.Constant(-0.5))
    bn.build(shape)
    mm0 = rng.standard_normal(shape[axis]).astype("float32")
    mv0 = rng.uniform(0.5, 2.0, shape[axis]).astype("float32")
    bn.moving_mean.assign(mm0)
    bn.moving_variance.assign(mv0)

    axes = tuple(i for i in range(len(shape)) if i != axis % len(shape))
    bshape = [1] * len(shape)
    bshape[axis] = shape[axis]
    mean = x.astype("float64").mean(axis=axes)
    var = x.astype("float64").var(axis=axes)  # biased, as Keras uses for both normalization and moving variance
    expected = 1.5 * (x - mean.reshape(bshape)) / np.sqrt(var.reshape(bshape) + eps) - 0.5

    y = bn(x, training=True).numpy()
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), mm0 * momentum + mean * (1 - momentum), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), mv0 * momentum + var * (1 - momentum), rtol=1e-5,
                               atol=1e-6)

    # a second training step compounds the update
    y2 = bn(x, training=True).numpy()
    np.testing.assert_allclose(y2, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), mm0 * momentum ** 2 + mean * (1 - momentum ** 2),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), mv0 * momentum ** 2 + var * (1 - momentum ** 2),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("training", [False, None])
def test_batch_norm_inference_uses_moving_statistics(training):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 2, 2, 3)).astype("float32")
    bn = layers.BatchNormalization(epsilon=1e-3)
    bn.build(x.shape)
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    mm, mv = rng.standard_normal(3), rng.uniform(0.5, 2.0, 3)
    bn.set_weights([gamma, beta, mm, mv])
    y = bn(x, training=training).numpy()
    np.testing.assert_allclose(y, gamma * (x - mm) / np.sqrt(mv + 1e-3) + beta, rtol=1e-5, atol=1e-5)
    # inference leaves the moving statistics alone
    np.testing.assert_allclose(bn.moving_mean.numpy(), mm, rtol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), mv, rtol=1e-6)


def test_batch_norm_frozen_layer_runs_in_inference_mode():
    x = np.random.default_rng(2).standard_normal((6, 3)).astype("float32") * 3 + 2
    bn = layers.BatchNormalization()
    bn.build(x.shape)
    bn.trainable = False
    y = bn(x, training=True).numpy()
    np.testing.assert_allclose(y, x / np.sqrt(1 + 1e-3), rtol=1e-5)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), np.zeros(3))
    np.testing.assert_array_equal(bn.moving_variance.numpy(), np.ones(3))


def test_batch_norm_fit_updates_moving_stats_and_predict_uses_them():
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((8, 3)) * 2 + 4).astype("float32")
    y = rng.standard_normal((8, 1)).astype("float32")
    inp = layers.Input(shape=(3,))
    bn = layers.BatchNormalization(momentum=0.5)
    model = models.Model(inp, layers.Dense(1)(bn(inp)))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse")  # lr 0: only the moving stats change
    model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.5 * x.astype("float64").mean(0), rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.5 + 0.5 * x.astype("float64").var(0), rtol=1e-5)
    # predict runs in inference mode: the moving statistics normalise and stay put
    mm, mv = bn.moving_mean.numpy().copy(), bn.moving_variance.numpy().copy()
    feats = models.Model(inp, bn.output).predict(x, verbose=0)
    np.testing.assert_allclose(feats, (x - mm) / np.sqrt(mv + 1e-3), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), mm)


def test_batch_norm_fit_counts_each_batch_once():
    """Two batches of one signature: the first is traced into a Plan and then run, the second replays the Plan;
    each batch must enter the moving statistics exactly once."""
    rng = np.random.default_rng(4)
    x = (rng.standard_normal((8, 2)) * 3 - 1).astype("float32")
    y = np.zeros((8, 1), dtype="float32")
    inp = layers.Input(shape=(2,))
    bn = layers.BatchNormalization(momentum=0.6)
    model = models.Model(inp, layers.Dense(1)(bn(inp)))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse")
    model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    xd = x.astype("float64")
    mean = np.zeros(2)
    var = np.ones(2)
    for batch in (xd[:4], xd[4:]):
        mean = 0.6 * mean + 0.4 * batch.mean(0)
        var = 0.6 * var + 0.4 * batch.var(0)
    np.testing.assert_allclose(bn.moving_mean.numpy(), mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), var, rtol=1e-5, atol=1e-6)


def test_spatial_dropout_drops_whole_channels_in_training():
    x = np.ones((3, 4, 5, 8), dtype="float32")
    y = layers.SpatialDropout2D(0.5, seed=0)(x, training=True).numpy()
    per_map = y.reshape(3, 20, 8)
    assert np.all(per_map == per_map[:, :1, :])  # one value per (sample, channel)
    assert set(np.unique(y)) <= {0.0, 2.0}
    assert 0 < np.count_nonzero(per_map[:, 0, :]) < 24
    y_cf = layers.SpatialDropout2D(0.5, data_format="channels_first", seed=0)(
        x.transpose(0, 3, 1, 2), training=True).numpy()
    assert np.all(y_cf.reshape(3, 8, 20) == y_cf.reshape(3, 8, 20)[:, :, :1])
