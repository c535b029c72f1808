"""Keras 2 backend tensors: shapes, reshaping, creation, variables, random draws."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import keras
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import backend as K


def test_shape_functions_on_tensors_variables_arrays_and_symbolic_inputs():
    x = tf.zeros((2, 3))
    assert K.shape(x).numpy().tolist() == [2, 3] and K.shape(x).dtype == tf.int32
    assert K.int_shape(x) == (2, 3) and K.ndim(x) == 2 and K.dtype(x) == "float32"
    assert K.int_shape(np.zeros((4, 1))) == (4, 1) and K.dtype(tf.constant(1)) == "int32"
    inp = keras.Input((5,))
    assert K.int_shape(inp) == (None, 5) and K.ndim(inp) == 2
    assert K.is_keras_tensor(inp) and not K.is_keras_tensor(x)
    with pytest.raises(ValueError, match="Expected a symbolic tensor instance"):
        K.is_keras_tensor(np.zeros(2))
    assert K.count_params(K.variable(np.zeros((2, 3)))) == 6


def test_reshaping_functions():
    x = tf.reshape(tf.range(24, dtype=tf.float32), (2, 3, 4))
    assert K.permute_dimensions(x, (2, 0, 1)).shape == (4, 2, 3) and K.transpose(x).shape == (4, 3, 2)
    assert K.batch_flatten(x).shape == (2, 12) and K.flatten(x).shape == (24,)
    assert K.expand_dims(x).shape == (2, 3, 4, 1) and K.squeeze(K.expand_dims(x, 1), 1).shape == (2, 3, 4)
    assert K.concatenate([x, x]).shape == (2, 3, 8) and K.stack([x, x], axis=1).shape == (2, 2, 3, 4)
    assert K.reshape(x, (6, -1)).shape == (6, 4) and K.tile(x, (1, 2, 1)).shape == (2, 6, 4)
    np.testing.assert_array_equal(K.repeat_elements(tf.constant([[1, 2]]), 2, axis=1).numpy(), [[1, 1, 2, 2]])
    np.testing.assert_array_equal(K.reverse(tf.constant([[1, 2], [3, 4]]), axes=1).numpy(), [[2, 1], [4, 3]])
    assert K.repeat(tf.zeros((2, 3)), 4).shape == (2, 4, 3)
    np.testing.assert_array_equal(K.one_hot(tf.constant([0, 2]), 3).numpy(), [[1, 0, 0], [0, 0, 1]])


def test_reshaping_gradients_match_finite_differences():
    gradcheck(lambda x: K.repeat_elements(K.reverse(x, 0), 2, axis=1) * K.batch_flatten(K.expand_dims(x))[:, :1],
              [np.random.default_rng(0).normal(size=(3, 2))])


def test_creation_returns_variables_where_keras2_does():
    z, o = K.zeros((2, 2)), K.ones((3,), dtype="int32")
    assert isinstance(z, tf.Variable) and isinstance(o, tf.Variable) and o.dtype == tf.int32
    assert isinstance(K.eye(3), tf.Variable) and K.eye(3).numpy().trace() == 3
    assert not isinstance(K.zeros_like(z), tf.Variable) and K.ones_like(z).numpy().sum() == 4
    assert K.constant(1).dtype == tf.float32 and K.variable([1, 2]).dtype == tf.float32
    assert K.arange(3).numpy().tolist() == [0, 1, 2] and K.cast_to_floatx([1, 2]).dtype == np.float32


def test_values_get_set_and_update():
    v = K.variable([1.0, 2.0])
    K.set_value(v, [3.0, 4.0])
    assert K.get_value(v).tolist() == [3.0, 4.0] and K.eval(v).tolist() == [3.0, 4.0]
    K.batch_set_value([(v, [0.0, 1.0])])
    assert [a.tolist() for a in K.batch_get_value([v])] == [[0.0, 1.0]]
    K.update_add(v, [1.0, 1.0])
    K.moving_average_update(v, tf.constant([11.0, 12.0]), 0.9)
    np.testing.assert_allclose(K.get_value(v), [2.0, 3.0])


def test_random_draws_are_seeded_and_shaped():
    tf.random.set_seed(1)
    a = K.random_normal((3, 2), seed=1).numpy()
    tf.random.set_seed(1)
    np.testing.assert_array_equal(a, K.random_normal((3, 2), seed=1).numpy())
    u = K.random_uniform((1000,), 2.0, 3.0, seed=2).numpy()
    assert u.dtype == np.float32 and 2.0 <= u.min() and u.max() < 3.0
    b = K.random_bernoulli((1000,), p=0.25, seed=4).numpy()
    assert set(np.unique(b)) <= {0.0, 1.0} and 150 < b.sum() < 350
    assert np.abs(K.truncated_normal((500,), seed=5).numpy()).max() <= 2.0


def test_custom_loss_written_with_backend_functions_trains():
    def rmse(y_true, y_pred):
        return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))

    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,))])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss=rmse)
    x = np.linspace(-1, 1, 32).reshape(-1, 1).astype("float32")
    history = model.fit(x, 2 * x + 1, epochs=10, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
