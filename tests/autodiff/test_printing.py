"""Printing as TF 2 shows it: float32 digits in reprs, variable names ending in ':0', subclassed model names."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import keras


@pytest.mark.parametrize("value, dtype, shown", [(27.3, "float32", "27.3"), (0.1, "float16", "0.1"),
                                                 (1.1, "float64", "1.1"), (1e-9, "float32", "1e-09"),
                                                 (float("nan"), "float32", "nan"), (7, "int32", "7"),
                                                 (True, "bool", "True")])
def test_scalar_reprs_use_the_dtype_digits(value, dtype, shown):
    assert repr(tf.constant(value, dtype=dtype)) == f"<tf.Tensor: shape=(), dtype={dtype}, numpy={shown}>"


def test_float32_scalars_print_like_tf2_in_tensors_and_variables():
    assert repr(tf.constant(27.3)).endswith("numpy=27.3>")
    assert repr(tf.Variable(27.3)) == "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=27.3>"
    assert str(tf.constant(27.3)) == "tf.Tensor(27.3, shape=(), dtype=float32)"
    assert repr(tf.constant([1.1, 2.2])).endswith("numpy=array([1.1, 2.2], dtype=float32)>")


def test_variable_names_end_in_output_index_and_paths_do_not():
    v = tf.Variable([1.0], name="w")
    assert v.name == "w:0" and v.path == "w"
    assert tf.Variable(1.0).name == "Variable:0" and tf.Variable(1.0, name="x:0").name == "x:0"
    dense = keras.layers.Dense(2, name="dense_out")
    dense.build((None, 3))
    assert [w.name for w in dense.weights] == ["dense_out/kernel:0", "dense_out/bias:0"]
    assert [w.path for w in dense.weights] == ["dense_out/kernel", "dense_out/bias"]
    assert repr(dense.kernel).startswith("<tf.Variable 'dense_out/kernel:0' shape=(3, 2)")


def test_subclassed_model_summary_shows_the_class_derived_name(capsys):
    class MyModel(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = keras.layers.Dense(2)

        def call(self, x):
            return self.d(x)

    model = MyModel()
    model(np.zeros((1, 3), "float32"))
    model.summary()
    assert capsys.readouterr().out.startswith('Model: "my_model')


@pytest.mark.parity
def test_layer_weight_names_match_tf_keras():
    tf_keras = pytest.importorskip("tf_keras")
    theirs = tf_keras.layers.Dense(2, name="head")
    theirs(np.zeros((1, 3), "float32"))  # built by a call, inside the layer's name scope
    ours = keras.layers.Dense(2, name="head")
    ours(np.zeros((1, 3), "float32"))
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    assert repr(tf.constant(27.3)).split("numpy=")[1] == "27.3>"


def test_multi_line_arrays_start_on_their_own_line_and_print_shows_variables_as_variables():
    assert repr(tf.constant([[1.0, 2.0], [3.0, 4.0]])) == (
        "<tf.Tensor: shape=(2, 2), dtype=float32, numpy=\narray([[1., 2.],\n       [3., 4.]], dtype=float32)>")
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    assert str(v) == repr(v) == f"{v}" and str(v).startswith("<tf.Variable 'Variable:0' shape=(2, 2)")


@pytest.mark.parity
def test_reprs_match_tensorflow_layout():
    real_tf = pytest.importorskip("tensorflow")
    for value in ([[1.0, 2.0], [3.0, 4.0]], [1, 2, 3], [[True, False]]):
        assert repr(tf.constant(value)) == repr(real_tf.constant(value))
        assert str(tf.constant(value)) == str(real_tf.constant(value))
    assert str(tf.Variable([[1.0, 2.0]])) == str(real_tf.Variable([[1.0, 2.0]]))
