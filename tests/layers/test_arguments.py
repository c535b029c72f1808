"""Integer arguments: NumPy integers, 0-d arrays and 0-d integer Tensors are ints (issue 25 item 6)."""
from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet.keras import layers, models
from tensorlet.layers.arguments import integer, integer_parameters
from tensorlet.layers.layer import Layer


def _all_layer_classes():
    seen, todo = [], [Layer]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen and sub.__module__.startswith("tensorlet."):
                seen.append(sub)
                todo.append(sub)
    return seen


@given(st.integers(0, 127), st.sampled_from([int, np.int8, np.int32, np.int64, np.uint8, np.array, tf.constant,
                                           float, np.float64]))
def test_integer_gives_the_same_int_for_any_integral_number(n, make):
    out = integer(make(n), "units", "Dense")
    assert out == n and type(out) is int


def test_dense_units_accepts_numpy_integers_and_0d_values():
    shape = (2, 3, 4)
    for units in (np.int64(24), np.int32(24), np.array(24), tf.math.reduce_prod(shape).numpy(),
                  tf.math.reduce_prod(shape), np.prod(shape), 24.0):
        layer = layers.Dense(units=units)
        assert layer.units == 24 and type(layer.units) is int
        assert layer.get_config()["units"] == 24
    assert layers.Dense(np.int64(3))(np.zeros((2, 5), "float32")).shape == (2, 3)


def test_integer_argument_rejects_non_integral_values_naming_the_argument():
    with pytest.raises(ValueError, match=r"Dense: `units` must be an integer, got units=3.5"):
        layers.Dense(3.5)
    with pytest.raises(ValueError, match=r"`units`.*2.5"):
        layers.Dense(units=np.float32(2.5))
    with pytest.raises(ValueError, match=r"Conv2D: `kernel_size` must be an integer or a tuple of integers, got kernel_size=\(3, 1.5\)"):
        layers.Conv2D(4, kernel_size=(3, 1.5))
    with pytest.raises(ValueError, match=r"`pool_size`"):
        layers.MaxPooling2D(pool_size=np.array([[2, 2]]))


def test_integer_arguments_of_convolution_pooling_embedding_and_inputs():
    conv = layers.Conv2D(np.int64(4), kernel_size=np.int64(3), strides=np.array(1), dilation_rate=np.int32(1))
    assert (conv.filters, conv.kernel_size, conv.strides) == (4, (3, 3), (1, 1))
    assert layers.Conv2D(2, kernel_size=np.array([3, 5])).kernel_size == (3, 5)
    assert layers.MaxPooling2D(pool_size=np.int64(2), strides=tf.constant(2)).pool_size == (2, 2)
    emb = layers.Embedding(input_dim=np.int64(10), output_dim=np.array(3))
    assert (emb.input_dim, emb.output_dim) == (10, 3)
    assert tuple(layers.Input(shape=(np.int64(28), np.int32(28))).shape) == (None, 28, 28)
    dense = layers.Dense(2, input_dim=np.int64(5))
    model = models.Sequential([dense])
    assert tuple(model.input_shape) == (None, 5)
    assert layers.Reshape(target_shape=(np.int64(2), -1)).target_shape == (2, -1)
    assert layers.LSTM(np.int64(3)).units == 3
    assert layers.Dropout(0.5, noise_shape=(None, np.int64(1))).noise_shape == (None, 1)


def test_fit_evaluate_predict_accept_integer_like_epochs_and_batch_size():
    model = models.Sequential([layers.Input(shape=(2,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    history = model.fit(x, y, epochs=np.int64(3), batch_size=np.array(4), verbose=0)
    assert len(history.history["loss"]) == 3
    assert np.isfinite(model.evaluate(x, y, batch_size=np.int32(4), verbose=0))
    assert model.predict(x, batch_size=tf.constant(3), verbose=0).shape == (8, 1)
    with pytest.raises(ValueError, match=r"fit\(\): `epochs` must be an integer, got epochs=2.5"):
        model.fit(x, y, epochs=2.5, verbose=0)


def test_every_layer_init_with_integer_parameters_converts_them():
    """The conversion is installed on every tensorlet layer class, not patched into some."""
    checked = 0
    for cls in _all_layer_classes():
        init = cls.__dict__.get("__init__")
        if init is None or not integer_parameters(init):
            continue
        assert getattr(init, "__integer_arguments__", False), f"{cls.__name__}.__init__ is not wrapped"
        checked += 1
    assert checked >= 20
    assert "units" in integer_parameters(inspect.unwrap(layers.Dense.__init__))
