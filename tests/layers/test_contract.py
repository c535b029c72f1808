"""Every layer goes through the shared contract (tests/helpers/layer_contract.py)."""
from __future__ import annotations

import pytest

from tensorlet.keras import layers
from tensorlet.keras.utils import register_keras_serializable
from tests.helpers.layer_contract import run_layer_test

CASES = [
    (layers.Dense, {"units": 3}, (4, 5), (4, 3), 2),
    (layers.Dense, {"units": 3, "activation": "relu", "use_bias": False}, (4, 5), (4, 3), 1),
    (layers.Dense, {"units": 2, "activation": "sigmoid"}, (4, 2, 5), (4, 2, 2), 2),
    (layers.Dense, {"units": 2, "kernel_regularizer": "l2"}, (4, 5), (4, 2), 2),
    (layers.Activation, {"activation": "relu"}, (4, 5), (4, 5), 0),
    (layers.Activation, {"activation": "softmax"}, (4, 5), (4, 5), 0),
    (layers.Activation, {"activation": "tanh"}, (4, 5), (4, 5), 0),
    (layers.Flatten, {}, (4, 2, 3), (4, 6), 0),
    (layers.Dropout, {"rate": 0.5}, (4, 5), (4, 5), 0),
    (layers.Reshape, {"target_shape": (3, 2)}, (4, 6), (4, 3, 2), 0),
    (layers.Reshape, {"target_shape": (-1, 2)}, (4, 6), (4, 3, 2), 0),
    (layers.ReLU, {"max_value": 1.0}, (4, 5), (4, 5), 0),
    (layers.ReLU, {"negative_slope": 0.1, "threshold": 0.5}, (4, 5), (4, 5), 0),
    (layers.LeakyReLU, {"negative_slope": 0.2}, (4, 5), (4, 5), 0),
    (layers.Softmax, {"axis": -1}, (4, 5), (4, 5), 0),
    (layers.ActivityRegularization, {"l1": 0.01}, (4, 5), (4, 5), 0),
    (layers.Add, {}, [(4, 3), (4, 3)], (4, 3), 0),
    (layers.Subtract, {}, [(4, 3), (4, 3)], (4, 3), 0),
    (layers.Multiply, {}, [(4, 3), (4, 1)], (4, 3), 0),
    (layers.Average, {}, [(4, 3), (4, 3), (4, 3)], (4, 3), 0),
    (layers.Maximum, {}, [(4, 3), (4, 3)], (4, 3), 0),
    (layers.Minimum, {}, [(4, 3), (4, 3)], (4, 3), 0),
    (layers.Concatenate, {"axis": -1}, [(4, 3), (4, 2)], (4, 5), 0),
    (layers.Embedding, {"input_dim": 10, "output_dim": 3}, (4, 5), (4, 5, 3), 1),
    (layers.Rescaling, {"scale": 0.5, "offset": 1.0}, (4, 5), (4, 5), 0),
    (layers.Normalization, {"mean": 0.5, "variance": 4.0}, (4, 5), (4, 5), 0),
    (layers.Normalization, {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0], "invert": True},
     (2, 4, 4, 3), (2, 4, 4, 3), 0),
    (layers.Rescaling, {"scale": [0.5, 1.0, 2.0], "offset": 1.0}, (2, 4, 4, 3), (2, 4, 4, 3), 0),
    (layers.Resizing, {"height": 3, "width": 4}, (2, 5, 7, 3), (2, 3, 4, 3), 0),
    (layers.Resizing, {"height": 4, "width": 4, "crop_to_aspect_ratio": True, "interpolation": "nearest"},
     (2, 5, 7, 3), (2, 4, 4, 3), 0),
    (layers.CenterCrop, {"height": 3, "width": 4}, (2, 5, 7, 3), (2, 3, 4, 3), 0),
    (layers.LayerScale, {"init_values": 0.1, "projection_dim": 3}, (2, 4, 4, 3), (2, 4, 4, 3), 1),
    (layers.StochasticDepth, {"drop_path_rate": 0.3}, (2, 4, 4, 3), (2, 4, 4, 3), 0),
    (layers.Dropout, {"rate": 0.2, "noise_shape": (None, 1, 1, 3)}, (2, 4, 4, 3), (2, 4, 4, 3), 0),
    (layers.Multiply, {}, [(2, 4, 4, 3), (2, 1, 1, 3)], (2, 4, 4, 3), 0),
    (layers.Concatenate, {"axis": 3}, [(2, 4, 4, 3), (2, 4, 4, 2)], (2, 4, 4, 5), 0),
]


@pytest.mark.parametrize("cls,kwargs,shape,out_shape,n_trainable", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_layer_contract(cls, kwargs, shape, out_shape, n_trainable):
    dtype = "int32" if cls is layers.Embedding else "float32"
    n_non_trainable = 0  # Normalization with given statistics holds constants, not weights (as in Keras)
    run_layer_test(cls, kwargs, shape, expected_output_shape=out_shape, expected_num_trainable=n_trainable,
                   input_dtype=dtype, expected_num_non_trainable=n_non_trainable)


@register_keras_serializable(package="tests")
def double(x):
    return x * 2.0


def test_lambda_layer_contract():
    run_layer_test(layers.Lambda, {"function": double}, (4, 5), expected_output_shape=(4, 5),
                   expected_num_trainable=0)


def test_a_keras_layer_not_provided_yet_says_so():
    import tensorlet as tf

    with pytest.raises(AttributeError, match="TimeDistributed is a Keras layer that tensorlet does not provide yet"):
        tf.keras.layers.TimeDistributed  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchLayer'"):
        tf.keras.layers.NoSuchLayer  # noqa: B018
