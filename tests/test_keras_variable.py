"""keras.Variable (Keras 3): built from a value or an initializer and a shape; Keras 3's name, path, value."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import keras


def test_from_values_keep_their_dtype():
    v = keras.Variable(np.array([1.0, 2.0]))
    assert v.dtype == "float64" and v.name.startswith("variable") and ":" not in v.name
    assert keras.Variable([1, 2]).dtype == "int32" and keras.Variable([1.0, 2.0]).dtype == "float32"
    assert repr(keras.Variable([1.0, 2.0], name="w")) == "<Variable path=w, shape=(2,), dtype=float32, value=[1. 2.]>"


def test_from_initializers_need_a_shape():
    v = keras.Variable("glorot_uniform", shape=(2, 3))
    assert v.shape == (2, 3) and v.dtype == "float32"
    z = keras.Variable(keras.initializers.Zeros(), shape=(2,), dtype="int32", name="c", trainable=False)
    assert z.dtype == "int32" and not z.trainable and z.numpy().tolist() == [0, 0]
    with pytest.raises(ValueError, match="the `shape` argument should be specified"):
        keras.Variable("zeros")


def test_assign_value_and_arithmetic():
    v = keras.Variable([1.0, 2.0], name="w")
    assert v.assign([3.0, 4.0]) is v
    assert isinstance(v.value, tf.Tensor) and v.value.numpy().tolist() == [3.0, 4.0]
    assert (v + 1).numpy().tolist() == [4.0, 5.0] and v.path == "w"
    v.assign_add([1.0, 1.0])
    assert v.numpy().tolist() == [4.0, 5.0]


def test_it_is_a_tf_variable_for_tapes_and_optimizers():
    v = keras.Variable([1.0, -2.0])
    assert isinstance(v, tf.Variable)
    with tf.GradientTape() as tape:
        loss = keras.ops.sum(keras.ops.square(v))
    grad = tape.gradient(loss, v)
    keras.optimizers.SGD(0.5).apply_gradients([(grad, v)])
    assert v.numpy().tolist() == [0.0, 0.0]


def test_given_names_are_kept_and_default_names_numbered():
    a, b = keras.Variable(1.0, name="dup"), keras.Variable(1.0, name="dup")
    c, d = keras.Variable(1.0), keras.Variable(1.0)
    assert a.name == b.name == "dup" and c.name.startswith("variable") and c.name != d.name
