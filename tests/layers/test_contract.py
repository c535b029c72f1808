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
    (layers.Masking, {"mask_value": 0.0}, (4, 3, 5), (4, 3, 5), 0),
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


@pytest.mark.parametrize("op, arguments, shape, out_shape", [
    ("nn.relu", {"args": [{"__keras_tensor__": 0}], "kwargs": {}}, (4, 5), (4, 5)),
    ("expand_dims", {"args": [{"__keras_tensor__": 0}, -1], "kwargs": {}}, (4, 5), (4, 5, 1)),
    ("concatenate", {"args": [[{"__keras_tensor__": 0}, {"__keras_tensor__": 1}]], "kwargs": {"axis": -1}},
     [(4, 3), (4, 2)], (4, 5)),
])
def test_keras_op_layer_contract(op, arguments, shape, out_shape):
    from tensorlet.keras_ops.op_layer import KerasOpLayer

    run_layer_test(KerasOpLayer, {"op": op, "arguments": arguments}, shape, expected_output_shape=out_shape,
                   expected_num_trainable=0)


def test_a_keras_layer_not_provided_yet_says_so():
    import tensorlet as tf

    with pytest.raises(AttributeError, match="Conv3D is a Keras layer that tensorlet does not provide yet"):
        tf.keras.layers.Conv3D  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchLayer'"):
        tf.keras.layers.NoSuchLayer  # noqa: B018


SEQUENCE_CASES = [  # (class, init kwargs, input shape(s), output shape, trainable weights, call inputs positionally)
    (layers.EinsumDense, {"equation": "abc,cd->abd", "output_shape": (None, 4), "bias_axes": "d"}, (4, 5, 3),
     (4, 5, 4), 2, False),
    (layers.MultiHeadAttention, {"num_heads": 2, "key_dim": 3}, [(4, 5, 6), (4, 3, 6)], (4, 5, 6), 8, True),
    (layers.MultiHeadAttention, {"num_heads": 2, "key_dim": 3, "value_dim": 2, "output_shape": 4,
                                 "use_bias": False}, [(4, 5, 6), (4, 3, 7)], (4, 5, 4), 4, True),
    (layers.GroupQueryAttention, {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2},
     [(4, 5, 6), (4, 3, 6)], (4, 5, 6), 8, True),
    (layers.Attention, {}, [(4, 5, 6), (4, 3, 6)], (4, 5, 6), 0, False),
    (layers.Attention, {"use_scale": True, "score_mode": "concat"}, [(4, 5, 6), (4, 3, 6)], (4, 5, 6), 2, False),
    (layers.AdditiveAttention, {}, [(4, 5, 6), (4, 3, 6)], (4, 5, 6), 1, False),
    (layers.TimeDistributed, {"layer": layers.Dense(3)}, (4, 5, 6), (4, 5, 3), 2, False),
    (layers.RNN, {"cell": layers.LSTMCell(3)}, (4, 5, 6), (4, 3), 3, False),
    (layers.RNN, {"cell": [layers.GRUCell(3), layers.SimpleRNNCell(2)], "return_sequences": True}, (4, 5, 6),
     (4, 5, 2), 6, False),
    (layers.ConvLSTM2D, {"filters": 2, "kernel_size": 2, "return_sequences": True}, (2, 3, 4, 4, 1),
     (2, 3, 3, 3, 2), 3, False),
]


@pytest.mark.parametrize("cls,kwargs,shape,out_shape,n_trainable,positional", SEQUENCE_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(SEQUENCE_CASES)])
def test_sequence_layer_contract(cls, kwargs, shape, out_shape, n_trainable, positional):
    run_layer_test(cls, kwargs, shape, expected_output_shape=out_shape, expected_num_trainable=n_trainable,
                   positional_inputs=positional)


WORDS = ["the", "cat", "sat"]
PREPROCESSING_CASES = [  # (class, init kwargs, input shape, output shape, input dtype)
    (layers.StringLookup, {"vocabulary": WORDS}, (4, 5), (4, 5), "string"),
    (layers.StringLookup, {"vocabulary": WORDS, "output_mode": "multi_hot"}, (4, 5), (4, 4), "string"),
    (layers.IntegerLookup, {"vocabulary": [1, 2, 3]}, (4, 5), (4, 5), "int32"),
    (layers.TextVectorization, {"vocabulary": WORDS, "output_sequence_length": 3}, (4, 1), (4, 3), "string"),
    (layers.TextVectorization, {"vocabulary": WORDS, "output_mode": "count"}, (4, 1), (4, 4), "string"),
    (layers.Hashing, {"num_bins": 3}, (4, 5), (4, 5), "string"),
    (layers.Hashing, {"num_bins": 4, "output_mode": "one_hot"}, (4, 1), (4, 4), "int32"),
    (layers.CategoryEncoding, {"num_tokens": 5, "output_mode": "count"}, (4, 3), (4, 5), "int32"),
    (layers.Discretization, {"bin_boundaries": [-1.0, 0.0, 1.0]}, (4, 5), (4, 5), "float32"),
]


@pytest.mark.parametrize("cls,kwargs,shape,out_shape,dtype", PREPROCESSING_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(PREPROCESSING_CASES)])
def test_preprocessing_layer_contract(cls, kwargs, shape, out_shape, dtype):
    run_layer_test(cls, kwargs, shape, expected_output_shape=out_shape, expected_num_trainable=0, input_dtype=dtype)
