"""TensorFlow semantics: dtype rules, display, indexing, reshape, reductions, comparisons, bad input."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.errors import InvalidArgumentError


def test_dtype_rules():
    assert tf.constant(1).dtype == tf.int32 and tf.constant(1.5).dtype == tf.float32
    assert tf.constant([1, 2]).dtype == tf.int32 and tf.constant([1, 2.0]).dtype == tf.float32
    assert tf.constant(np.array([1, 2, 3])).dtype == tf.int64
    assert tf.constant(np.array([1.0])).dtype == tf.float64
    assert tf.constant([1, 2], dtype="int64").dtype == tf.int64
    assert tf.constant([1, 2], dtype=tf.float16).dtype == "float16"
    assert tf.constant(True).dtype == tf.bool
    assert (tf.constant([1, 2]) + 1).dtype == tf.int32
    assert (tf.constant([1.0, 2.0]) * 2).dtype == tf.float32


def test_mixed_dtypes_raise_naming_both():
    with pytest.raises(InvalidArgumentError, match="int32.*float32|float32.*int32"):
        tf.constant([1, 2]) + tf.constant([1.0, 2.0])
    with pytest.raises(TypeError):
        tf.constant([1, 2]) * 2.5
    assert issubclass(InvalidArgumentError, ValueError)


def test_unknown_dtype_string_lists_valid_names():
    with pytest.raises(TypeError, match="float32.*int64|int64.*float32"):
        tf.constant([1], dtype="int33")


def test_display_and_interop():
    t = tf.constant([1, 2, 3])
    assert repr(t) == "<tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], dtype=int32)>"
    assert repr(tf.constant(3)) == "<tf.Tensor: shape=(), dtype=int32, numpy=3>"
    assert t.shape == (3,) and t.shape == [3] and t.shape.as_list() == [3] and t.shape.rank == 1
    assert str(tf.constant([[1, 2]], dtype=tf.int64).dtype) == "<dtype: 'int64'>"
    assert t.dtype.name == "int32" and t.dtype.as_numpy_dtype is np.int32 and t.ndim == 1
    np.testing.assert_array_equal(np.asarray(t), [1, 2, 3])
    assert len(t) == 3 and [int(v) for v in t] == [1, 2, 3]
    assert float(tf.constant(2.5)) == 2.5 and int(tf.constant(4)) == 4
    with pytest.raises(TypeError, match="unhashable"):
        hash(t)
    assert {t.ref(): 1}[t.ref()] == 1 and t.ref().deref() is t
    v = tf.Variable([1.0, 2.0], name="w")
    assert repr(v).startswith("<tf.Variable 'w:0' shape=(2,) dtype=float32")
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub([0.5, 0.5])
    np.testing.assert_allclose(v.numpy(), [3.5, 4.5])
    assert v.trainable and v.name == "w:0" and v.path == "w"


def test_comparisons_are_elementwise():
    a = tf.constant(np.array([1, 2, 3]))
    b = tf.constant([1, 5, 3], dtype="int64")
    np.testing.assert_array_equal((a == b).numpy(), [True, False, True])
    np.testing.assert_array_equal((a < b).numpy(), [False, True, False])
    assert (a == None) is False  # noqa: E711


def test_indexing_and_reshape():
    x = tf.reshape(tf.range(24), (2, 3, 4))
    np.testing.assert_array_equal(x[1, ::-1, -1].numpy(), [23, 19, 15])
    assert x[..., None].shape == (2, 3, 4, 1) and x[:, tf.newaxis].shape == (2, 1, 3, 4)
    assert tf.reshape(x, (-1, 6)).shape == (4, 6) and tf.reshape(x, (1, -1)).shape == (1, 24)
    with pytest.raises(InvalidArgumentError, match="24 values.*requested shape.*25|24"):
        tf.reshape(x, (5, 5))
    with pytest.raises(InvalidArgumentError, match="Only one input size may be -1"):
        tf.reshape(x, (-1, -1))


def test_reductions():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert float(tf.reduce_sum(x)) == 10 and tf.reduce_mean(x, axis=0).numpy().tolist() == [2, 3]
    assert tf.reduce_max(x, axis=1, keepdims=True).shape == (2, 1)
    assert tf.argmax(x, axis=1).dtype == tf.int64 and tf.argmax(x, axis=1).numpy().tolist() == [1, 1]
    assert float(tf.math.reduce_std(tf.constant([1.0, 3.0]))) == pytest.approx(1.0)
    assert tf.reduce_mean(tf.constant([1, 2])).dtype == tf.int32
    assert bool(tf.reduce_any(x > 3.5)) and not bool(tf.reduce_all(x > 1.5))


def test_shape_mismatch_names_both_shapes():
    with pytest.raises(InvalidArgumentError, match=r"\[2,3\].*\[4\]"):
        tf.constant(np.ones((2, 3))) + tf.constant(np.ones(4))
    with pytest.raises(InvalidArgumentError, match=r"\[2,3\].*\[2,3\]"):
        tf.matmul(tf.constant(np.ones((2, 3))), tf.constant(np.ones((2, 3))))


def test_one_hot_and_misc():
    np.testing.assert_array_equal(tf.one_hot([0, 2, 5], 3).numpy(), [[1, 0, 0], [0, 0, 1], [0, 0, 0]])
    assert tf.eye(3).shape == (3, 3) and tf.fill((2, 2), 7).dtype == tf.int32
    assert tf.linspace(0.0, 1.0, 5).shape == (5,) and tf.zeros_like(tf.constant([1, 2])).dtype == tf.int32
    assert tf.cast(tf.constant([1.7, -1.7]), tf.int32).numpy().tolist() == [1, -1]


@pytest.mark.parametrize("labels", [[0, 3], [-1, 1]])
def test_sparse_softmax_cross_entropy_rejects_labels_out_of_range(labels):
    logits = tf.constant(np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant(labels), logits)
