"""keras.ops semantics: properties on hypothesis-drawn shapes, broadcasting with promotion, errors that name
their op and arguments, and gradients at the awkward points (zeros in cumprod, repeated indices)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import ops
from tensorlet.keras_ops.convert import result_type
from tests.strategies import arrays, broadcast_pair, nonscalar_shapes

SETTINGS = settings(max_examples=20, deadline=None)
DTYPES = ["bool", "uint8", "uint16", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


@SETTINGS
@given(st.sampled_from(DTYPES), st.sampled_from(DTYPES + [int, float]))
def test_result_type_is_commutative(a, b):
    assert result_type(a, b) == result_type(b, a)


@SETTINGS
@given(shapes=broadcast_pair())
def test_binary_ops_broadcast_and_promote_like_numpy_shapes(shapes):
    a, b = arrays(shapes[0]).astype(np.float32), arrays(shapes[1], seed=1).astype(np.int32)
    out = ops.add(a, b)
    assert out.shape == np.broadcast_shapes(a.shape, b.shape) and out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), a + b, rtol=1e-6)


@SETTINGS
@given(shape=nonscalar_shapes)
def test_softmax_rows_sum_to_one_and_sort_sorts(shape):
    x = arrays(shape, seed=2)
    np.testing.assert_allclose(ops.sum(ops.softmax(x), axis=-1).numpy(), 1.0, rtol=1e-6)
    s = ops.sort(x).numpy()
    assert (np.diff(s, axis=-1) >= 0).all() and np.allclose(np.sort(x, axis=-1), s)
    np.testing.assert_allclose(ops.take_along_axis(x, ops.argsort(x), axis=-1).numpy(), s)


@SETTINGS
@given(shape=nonscalar_shapes)
def test_reshape_round_trips_and_cumsum_ends_at_the_sum(shape):
    x = arrays(shape, seed=3)
    assert ops.reshape(ops.reshape(x, (-1,)), shape).numpy().tolist() == x.tolist()
    np.testing.assert_allclose(ops.cumsum(x, axis=-1).numpy()[..., -1], x.sum(-1), rtol=1e-6)


def test_cumprod_gradient_with_zeros():
    gradcheck(lambda x: ops.cumprod(x, axis=1), [np.array([[1.5, 0.0, 2.0, -1.0], [0.0, 0.0, 3.0, 0.5]])])


def test_take_gradient_accumulates_repeated_indices():
    x = tf.Variable(np.arange(3.0))
    with tf.GradientTape() as tape:
        y = ops.sum(ops.take(x, [0, 2, 2, -1]))
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 0.0, 3.0]


def test_slice_start_is_clamped_and_can_be_a_tensor():
    x = np.arange(10.0)
    assert ops.slice(x, tf.constant([8]), (4,)).numpy().tolist() == [6.0, 7.0, 8.0, 9.0]
    assert ops.slice_update(np.zeros(4), [1], np.ones(2)).numpy().tolist() == [0.0, 1.0, 1.0, 0.0]


def test_scatter_adds_repeats_and_scatter_update_writes():
    assert ops.scatter([[0], [0], [2]], [1.0, 2.0, 5.0], (4,)).numpy().tolist() == [3.0, 0.0, 5.0, 0.0]
    out = ops.scatter_update(np.zeros((2, 2)), [[1, 0]], [7.0])
    assert out.numpy().tolist() == [[0.0, 0.0], [7.0, 0.0]]


def test_control_flow():
    assert int(ops.fori_loop(0, 5, lambda i, v: v + i, 0)) == 10
    assert ops.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s * 2), (0, 1)) == (4, 16)
    assert int(ops.while_loop(lambda v: v < 10, lambda v: v + 3, 1)) == 10
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, np.array([1.0, 2.0, 3.0]))
    assert float(carry) == 6.0 and ys.numpy().tolist() == [0.0, 2.0, 9.0]
    assert float(ops.cond(tf.constant(True), lambda: 1.0, lambda: 2.0)) == 1.0
    assert ops.switch(5, [lambda x: x, lambda x: x * 10], 2) == 20  # index clamped, as Keras does
    squares = ops.vectorized_map(lambda row: ops.sum(row * row), np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert squares.numpy().tolist() == [5.0, 25.0]


def test_scan_gradient_flows_through_the_loop():
    gradcheck(lambda x: ops.scan(lambda c, v: (c * v, c), 1.0, x)[0], [np.array([0.5, 2.0, -1.5])])


def test_core_conversions():
    t = ops.convert_to_tensor([1.0, 2.0])
    assert ops.is_tensor(t) and not ops.is_tensor(np.ones(2)) and ops.dtype(t) == "float32"
    arr = ops.convert_to_numpy(t)
    arr[0] = 9
    assert t.numpy()[0] == 1.0 and ops.shape(np.ones((2, 3))) == (2, 3) and ops.ndim(np.ones((2, 3))) == 2
    stacked = ops.convert_to_tensor([tf.constant(1.0), tf.constant(2.0)])
    assert stacked.numpy().tolist() == [1.0, 2.0]


@pytest.mark.parametrize("call, says", [
    (lambda: ops.reshape(np.ones(6), (4, 2)), r"cannot reshape a tensor of shape \(6,\)"),
    (lambda: ops.matmul(np.ones((2, 3)), np.ones((2, 3))), "inner dimensions differ"),
    (lambda: ops.squeeze(np.ones((2, 3)), axis=0), "cannot squeeze axis 0 of size 2"),
    (lambda: ops.split(np.ones(5), 2), "does not divide into 2"),
    (lambda: ops.sum(np.ones((2, 3)), axis=2), "axis 2 is out of bounds"),
    (lambda: ops.conv(np.ones((1, 4, 4, 3)), np.ones((3, 3, 2, 4))), "does not fit inputs"),
    (lambda: ops.inv(np.ones((2, 3))), "square matrices"),
    (lambda: ops.top_k(np.ones(3), 5), "k=5 must be between 0 and the last dimension 3"),
    (lambda: ops.pad(np.ones(3), 1, mode="wrap"), "mode must be"),
    (lambda: ops.image.resize(np.ones((4, 4)), (2, 2)), "Invalid images rank"),
    (lambda: ops.normalize(np.ones(3), order=0), "order"),
    (lambda: ops.dot_product_attention(np.ones((2, 3, 4)), np.ones((2, 3, 4)), np.ones((2, 3, 4))), "4D"),
])
def test_bad_arguments_name_the_op(call, says):
    with pytest.raises((ValueError, TypeError), match=says):
        call()
