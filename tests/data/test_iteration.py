"""Inspecting a dataset: iteration, as_numpy_iterator, element_spec, cardinality, len, repr."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf


def test_iteration_yields_eager_tensors_and_restarts_each_time():
    ds = tf.data.Dataset.from_tensor_slices([8, 3, 0, 8, 2, 1])
    first = [int(x) for x in ds]
    assert first == [8, 3, 0, 8, 2, 1] and [int(x) for x in ds] == first
    it = iter(ds)
    assert isinstance(next(it), tf.Tensor) and next(it).numpy() == 3


def test_as_numpy_iterator_gives_numpy_scalars_arrays_and_bytes():
    ds = tf.data.Dataset.from_tensor_slices(({"a": [1, 2]}, [[1.0, 2.0], [3.0, 4.0]], ["x", "y"]))
    first = next(ds.as_numpy_iterator())
    assert isinstance(first[0]["a"], np.int32) and first[1].dtype == np.float32 and first[2] == b"x"
    assert repr(ds.as_numpy_iterator()).startswith("NumpyIterator(iterator=")


def test_get_next_raises_out_of_range_at_the_end_and_optional_says_so():
    it = iter(tf.data.Dataset.range(1))
    assert it.get_next().numpy() == 0
    with pytest.raises(tf.errors.OutOfRangeError):
        it.get_next()
    opt = iter(tf.data.Dataset.range(1)).get_next_as_optional()
    assert bool(opt.has_value()) and opt.get_value().numpy() == 0


def test_cardinality_and_len():
    ds = tf.data.Dataset.range(42)
    assert ds.cardinality().numpy() == 42 and ds.cardinality().dtype == tf.int64 and len(ds) == 42
    assert ds.repeat().cardinality().numpy() == tf.data.INFINITE_CARDINALITY == -1
    assert ds.filter(lambda x: True).cardinality().numpy() == tf.data.UNKNOWN_CARDINALITY == -2
    assert tf.data.experimental.cardinality(ds.batch(10)).numpy() == 5
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(ds.repeat())
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(ds.filter(lambda x: True))
    assert bool(ds.repeat())


def test_repr_is_tensorflows():
    ds = tf.data.Dataset.from_tensor_slices([1, 2])
    assert repr(ds) == "<_TensorSliceDataset element_spec=TensorSpec(shape=(), dtype=tf.int32, name=None)>"
    assert repr(ds.batch(2)) == "<_BatchDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int32, name=None)>"
    assert repr(ds.map(lambda x: x, num_parallel_calls=tf.data.AUTOTUNE)).startswith("<_ParallelMapDataset")
    assert repr(tf.data.Dataset.range(3).window(2)) == (
        "<_WindowDataset element_spec=DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), "
        "TensorShape([]))>")


def test_get_single_element_needs_exactly_one():
    assert tf.data.Dataset.from_tensors(5).get_single_element().numpy() == 5
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than one"):
        tf.data.Dataset.range(2).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match="empty"):
        tf.data.Dataset.range(0).get_single_element()


def test_autotune_constants():
    assert tf.data.AUTOTUNE == tf.data.experimental.AUTOTUNE == -1
    assert tf.data.experimental.INFINITE_CARDINALITY == -1 and tf.data.experimental.UNKNOWN_CARDINALITY == -2


def test_compat_import_sees_tf_data(tmp_path):
    from tensorlet.compat.importer import activated

    with activated():
        import tensorflow as real_name

        assert real_name.data.Dataset is tf.data.Dataset
        from tensorflow.data import Dataset

        assert Dataset is tf.data.Dataset
