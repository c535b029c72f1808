"""SparseTensor, SparseTensorSpec, to_dense/from_dense, and sparse components in datasets."""
from __future__ import annotations

import pytest

import tensorlet as tf


def test_sparse_round_trip_and_spec():
    st = tf.SparseTensor(indices=[[0, 1], [2, 0]], values=[5, 7], dense_shape=[3, 2])
    assert tf.sparse.to_dense(st).numpy().tolist() == [[0, 5], [0, 0], [7, 0]]
    back = tf.sparse.from_dense(tf.sparse.to_dense(st))
    assert back.indices.numpy().tolist() == [[0, 1], [2, 0]] and back.values.numpy().tolist() == [5, 7]
    assert tf.SparseTensorSpec.from_value(st) == tf.SparseTensorSpec([3, 2], tf.int32)
    with pytest.raises(ValueError, match="indices"):
        tf.SparseTensor(indices=[[0, 0]], values=[1, 2], dense_shape=[2, 2])


def test_datasets_of_sparse_tensors_batch_and_unbatch():
    rows = [tf.SparseTensor([[0]], [1], [3]), tf.SparseTensor([[1], [2]], [2, 3], [4])]
    ds = tf.data.Dataset.from_generator(lambda: iter(rows), output_signature=tf.SparseTensorSpec([None], tf.int32))
    batch = next(iter(ds.batch(2)))
    assert tf.sparse.to_dense(batch).numpy().tolist() == [[1, 0, 0, 0], [0, 2, 3, 0]]
    assert repr(ds.batch(2).element_spec) == "SparseTensorSpec(TensorShape([None, None]), tf.int32)"
    assert [tf.sparse.to_dense(r).numpy().tolist() for r in ds.batch(2).unbatch()] == [[1, 0, 0, 0], [0, 2, 3, 0]]
