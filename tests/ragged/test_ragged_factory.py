"""tf.ragged.constant: dtype inference, ragged_rank/inner_shape, empty and scalar inputs, errors."""
from __future__ import annotations

import pytest

import tensorlet as tf


def test_constant_infers_tf_dtypes():
    assert tf.ragged.constant([[1, 2], [3]]).dtype == tf.int32
    assert tf.ragged.constant([[1.5], [3]]).dtype == tf.float32
    assert tf.ragged.constant([["a"], []]).dtype == tf.string
    assert tf.ragged.constant([[True], [False, True]]).dtype == tf.bool
    assert tf.ragged.constant([[], []]).dtype == tf.float32
    assert tf.ragged.constant([[1, 2], [3]], dtype=tf.float64).to_list() == [[1.0, 2.0], [3.0]]


def test_constant_row_splits_dtype():
    rt = tf.ragged.constant([[1, 2], [3]], row_splits_dtype=tf.int32)
    assert rt.row_splits.dtype == tf.int32 and rt.row_lengths().dtype == tf.int32


def test_constant_ragged_rank_and_inner_shape():
    rt = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert rt.ragged_rank == 1 and rt.shape == [2, None, 2] and rt.values.shape == (3, 2)
    same = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], inner_shape=(2,))
    assert same.to_list() == rt.to_list() and same.ragged_rank == 1
    assert tf.ragged.constant([[[1], [2, 3]], [[4]]]).ragged_rank == 2


def test_constant_scalars_and_flat_lists_are_dense():
    three = tf.ragged.constant(3)
    assert isinstance(three, tf.Tensor) and three.dtype == tf.int32
    empty = tf.ragged.constant([])
    assert isinstance(empty, tf.Tensor) and empty.shape == (0,) and empty.dtype == tf.float32


def test_constant_errors():
    with pytest.raises(ValueError, match="same nesting depth"):
        tf.ragged.constant([[1, [2]], [3]])
    with pytest.raises(ValueError, match="non-rectangular"):
        tf.ragged.constant([[[1, 2], [3]], [[4]]], ragged_rank=1)
    with pytest.raises(ValueError, match="ragged_rank"):
        tf.ragged.constant([[1], [2]], ragged_rank=3)
    with pytest.raises(TypeError, match="nested Python lists"):
        tf.ragged.constant(tf.constant([1, 2]))
