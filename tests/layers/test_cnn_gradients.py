"""Finite-difference gradient checks (float64) of the convolutional-network layers, with respect to the input and
to every trainable weight.

Layers are built with ``dtype="float64"`` so that their weights and computations are float64 (``gradcheck`` hands
the inputs over as float64 Variables, which ``Layer.__call__`` does not cast). To differentiate with respect to a weight, the function under
check swaps the layer's weight attribute (``kernel``, ``bias``, ``gamma``, ``beta``) for the Variable that
``gradcheck`` passes in, and restores it afterwards.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.autodiff.tensor import Variable
from tensorlet.keras import layers


def _distinct(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Values spaced 0.05 apart in random order: no ties, and no near-ties a 1e-6 step could flip (max pooling)."""
    n = int(np.prod(shape))
    return (np.random.default_rng(seed).permutation(n) * 0.05 - 0.025 * n).reshape(shape)


def _check_layer(layer: Any, x: np.ndarray, weight_names: tuple[str, ...] = (), **call_kwargs: Any) -> None:
    # build on a float64 *tensor*: a NumPy array would be cast to floatx (float32) by Layer.__call__ whatever the
    # layer's dtype (gradcheck itself passes float64 Variables, which are not cast)
    layer(tf.constant(x, dtype="float64"), **call_kwargs)
    assert layer.dtype == "float64"
    weights = [getattr(layer, n) for n in weight_names]
    assert all(w is not None and w.numpy().dtype == np.float64 for w in weights)
    rng = np.random.default_rng(42)
    # random weights (not the ones/zeros initial values), so that every term of the gradient matters
    start = [rng.uniform(0.5, 1.5, w.shape) if n == "gamma" else rng.standard_normal(w.shape) * 0.5
             for n, w in zip(weight_names, weights)]

    def f(xv: Any, *wv: Any) -> Any:
        for n, v in zip(weight_names, wv):
            object.__setattr__(layer, n, v)
        try:
            return layer(xv, **call_kwargs)
        finally:
            for n, w in zip(weight_names, weights):
                object.__setattr__(layer, n, w)

    # guard against a vacuous check: the output must depend on every swapped-in weight
    base = f(Variable(x), *[Variable(w) for w in start]).numpy()
    for k in range(len(start)):
        moved = [Variable(w + 0.5 if j == k else w) for j, w in enumerate(start)]
        assert not np.allclose(f(Variable(x), *moved).numpy(), base), f"output ignores {weight_names[k]}"
    gradcheck(f, [x] + start, name=f"{type(layer).__name__}({layer.get_config()})")


CONV_CASES = [
    (layers.Conv1D, {"filters": 2, "kernel_size": 3}, (2, 6, 2)),
    (layers.Conv1D, {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"}, (2, 5, 2)),
    (layers.Conv1D, {"filters": 2, "kernel_size": 2, "dilation_rate": 2}, (2, 6, 2)),
    (layers.Conv1D, {"filters": 4, "kernel_size": 3, "groups": 2, "padding": "same"}, (1, 5, 4)),
    (layers.Conv1D, {"filters": 2, "kernel_size": 3, "data_format": "channels_first"}, (2, 2, 6)),
    (layers.Conv2D, {"filters": 2, "kernel_size": 3}, (2, 5, 4, 2)),
    (layers.Conv2D, {"filters": 2, "kernel_size": 3, "padding": "same"}, (1, 4, 4, 2)),
    (layers.Conv2D, {"filters": 2, "kernel_size": (3, 2), "strides": (2, 1)}, (1, 6, 4, 2)),
    (layers.Conv2D, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (1, 6, 5, 2)),
    (layers.Conv2D, {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"}, (1, 5, 5, 1)),
    (layers.Conv2D, {"filters": 2, "kernel_size": 2, "dilation_rate": 2}, (1, 5, 5, 2)),
    (layers.Conv2D, {"filters": 2, "kernel_size": 3, "dilation_rate": (2, 1), "padding": "same"}, (1, 5, 4, 2)),
    (layers.Conv2D, {"filters": 4, "kernel_size": 2, "groups": 2}, (1, 4, 4, 4)),
    (layers.Conv2D, {"filters": 3, "kernel_size": 2, "groups": 3, "strides": 2, "padding": "same"}, (1, 5, 5, 3)),
    (layers.Conv2D, {"filters": 2, "kernel_size": 3, "data_format": "channels_first"}, (1, 2, 5, 4)),
    (layers.Conv2D, {"filters": 2, "kernel_size": 3, "activation": "tanh"}, (1, 5, 4, 2)),
]


@pytest.mark.parametrize("cls,kwargs,shape", CONV_CASES, ids=[f"{c[0].__name__}-{i}" for i, c in
                                                              enumerate(CONV_CASES)])
@pytest.mark.parametrize("use_bias", [True, False])
def test_conv_gradients(cls, kwargs, shape, use_bias):
    x = np.random.default_rng(0).standard_normal(shape)
    layer = cls(**kwargs, use_bias=use_bias, dtype="float64")
    _check_layer(layer, x, ("kernel", "bias") if use_bias else ("kernel",))


POOL_CASES = [
    (layers.MaxPooling1D, {}, (2, 6, 2)),
    (layers.MaxPooling1D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 2)),
    (layers.AveragePooling1D, {"pool_size": 3, "strides": 1}, (2, 6, 2)),
    (layers.AveragePooling1D, {"pool_size": 2, "padding": "same"}, (2, 5, 2)),
    (layers.MaxPooling2D, {}, (2, 4, 5, 2)),
    (layers.MaxPooling2D, {"pool_size": 3, "strides": 1}, (1, 5, 4, 2)),
    (layers.MaxPooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (1, 5, 6, 2)),
    (layers.MaxPooling2D, {"pool_size": 2, "data_format": "channels_first"}, (1, 2, 4, 5)),
    (layers.AveragePooling2D, {}, (2, 4, 5, 2)),
    (layers.AveragePooling2D, {"pool_size": (2, 3), "strides": 1}, (1, 4, 5, 2)),
    (layers.AveragePooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (1, 5, 6, 2)),
    (layers.AveragePooling2D, {"pool_size": 2, "padding": "same", "data_format": "channels_first"}, (1, 2, 5, 3)),
    (layers.GlobalMaxPooling1D, {}, (2, 5, 3)),
    (layers.GlobalMaxPooling1D, {"keepdims": True}, (2, 5, 3)),
    (layers.GlobalAveragePooling1D, {}, (2, 5, 3)),
    (layers.GlobalMaxPooling2D, {}, (2, 3, 4, 2)),
    (layers.GlobalMaxPooling2D, {"keepdims": True}, (2, 3, 4, 2)),
    (layers.GlobalAveragePooling2D, {}, (2, 3, 4, 2)),
    (layers.GlobalAveragePooling2D, {"keepdims": True, "data_format": "channels_first"}, (2, 2, 3, 4)),
]


@pytest.mark.parametrize("cls,kwargs,shape", POOL_CASES, ids=[f"{c[0].__name__}-{i}" for i, c in
                                                              enumerate(POOL_CASES)])
def test_pooling_gradients(cls, kwargs, shape):
    _check_layer(cls(**kwargs, dtype="float64"), _distinct(shape, 1))


RESHAPE_CASES = [
    (layers.ZeroPadding2D, {"padding": ((1, 0), (2, 1))}, (2, 3, 2, 2)),
    (layers.ZeroPadding2D, {"padding": 1, "data_format": "channels_first"}, (1, 2, 3, 2)),
    (layers.Cropping2D, {"cropping": ((1, 0), (0, 2))}, (2, 4, 4, 2)),
    (layers.Cropping2D, {"cropping": 1, "data_format": "channels_first"}, (1, 2, 4, 4)),
    (layers.UpSampling2D, {"size": (2, 3)}, (2, 2, 3, 2)),
    (layers.UpSampling2D, {"size": 2, "data_format": "channels_first"}, (1, 2, 3, 2)),
]


@pytest.mark.parametrize("cls,kwargs,shape", RESHAPE_CASES, ids=[f"{c[0].__name__}-{i}" for i, c in
                                                                 enumerate(RESHAPE_CASES)])
def test_reshaping_gradients(cls, kwargs, shape):
    _check_layer(cls(**kwargs, dtype="float64"), np.random.default_rng(2).standard_normal(shape))


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("axis,shape", [(-1, (4, 3)), (-1, (3, 2, 2, 3)), (1, (3, 2, 2, 3))])
def test_batch_norm_gradients(axis, shape, training):
    x = np.random.default_rng(3).standard_normal(shape) * 2 + 1
    layer = layers.BatchNormalization(axis=axis, momentum=0.9, dtype="float64")
    layer.build(shape)
    rng = np.random.default_rng(4)
    layer.moving_mean.assign(rng.standard_normal(shape[axis]))
    layer.moving_variance.assign(rng.uniform(0.5, 2.0, shape[axis]))
    _check_layer(layer, x, ("gamma", "beta"), training=training)


@pytest.mark.parametrize("kwargs", [{"center": False}, {"scale": False}])
def test_batch_norm_gradients_without_gamma_or_beta(kwargs):
    x = np.random.default_rng(5).standard_normal((4, 2, 3))
    layer = layers.BatchNormalization(**kwargs, dtype="float64")
    names = ("beta",) if kwargs.get("scale") is False else ("gamma",)
    _check_layer(layer, x, names, training=True)


@pytest.mark.parametrize("axis,shape", [(-1, (3, 4)), ([1, 2, 3], (2, 2, 3, 2)), (1, (2, 3, 2))])
def test_layer_norm_gradients(axis, shape):
    x = np.random.default_rng(6).standard_normal(shape)
    _check_layer(layers.LayerNormalization(axis=axis, dtype="float64"), x, ("gamma", "beta"))


@pytest.mark.parametrize("data_format,shape", [("channels_last", (2, 3, 3, 4)), ("channels_first", (2, 4, 3, 3))])
def test_spatial_dropout_gradients(data_format, shape):
    x = np.random.default_rng(7).standard_normal(shape)

    def f(xv: Any) -> Any:  # a fresh seeded layer per call: every evaluation draws the same channel mask
        return layers.SpatialDropout2D(0.5, data_format=data_format, seed=3, dtype="float64")(xv, training=True)

    y = f(x).numpy()
    assert np.any(y == 0) and np.any(y != 0)
    gradcheck(f, [x], name=f"SpatialDropout2D({data_format})")
