"""Sources: from_tensor_slices, from_tensors, range, counter, random, zip (values from TensorFlow's API docs)."""
from __future__ import annotations

import collections

import numpy as np
import pytest

import tensorlet as tf
from tests.data.helpers import values


def test_from_tensor_slices_slices_the_first_axis():
    assert values(tf.data.Dataset.from_tensor_slices([1, 2, 3])) == [1, 2, 3]
    assert values(tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]])) == [[1, 2], [3, 4]]


def test_from_tensor_slices_of_a_tuple_and_a_dict_keeps_the_structure():
    ds = tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4], [5, 6]))
    assert values(ds) == [(1, 3, 5), (2, 4, 6)]
    ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]})
    assert values(ds) == [{"a": 1, "b": 3}, {"a": 2, "b": 4}]
    assert ds.element_spec == {"a": tf.TensorSpec((), tf.int32), "b": tf.TensorSpec((), tf.int32)}


def test_from_tensor_slices_keeps_namedtuples_and_numpy_dtypes():
    Point = collections.namedtuple("Point", "x y")
    ds = tf.data.Dataset.from_tensor_slices(Point(np.zeros(3), np.arange(3)))
    first = next(iter(ds))
    assert isinstance(first, Point)
    assert ds.element_spec == Point(tf.TensorSpec((), tf.float64), tf.TensorSpec((), tf.int64))


def test_from_tensor_slices_of_python_floats_and_strings_follows_tf_constant():
    assert tf.data.Dataset.from_tensor_slices([1.5, 2.0]).element_spec.dtype == tf.float32
    ds = tf.data.Dataset.from_tensor_slices(["a", "b"])
    assert ds.element_spec == tf.TensorSpec((), tf.string)
    assert values(ds) == [b"a", b"b"]


def test_from_tensor_slices_does_not_copy_numpy_arrays():
    x = np.arange(10.0).reshape(5, 2)
    ds = tf.data.Dataset.from_tensor_slices(x)
    assert np.shares_memory(next(iter(ds)).numpy(), x)
    assert type(next(iter(tf.data.Dataset.range(3))).numpy()) is np.int64  # scalars as NumPy scalars


def test_from_tensor_slices_of_a_ragged_tensor_gives_its_rows():
    ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1], [2, 3], [4, 5, 6]]))
    assert repr(ds.element_spec) == "RaggedTensorSpec(TensorShape([None]), tf.int32, 0, tf.int64)"
    assert values(ds) == [[1], [2, 3], [4, 5, 6]]
    batched = list(ds.batch(2))
    assert [b.to_list() for b in batched] == [[[1], [2, 3]], [[4, 5, 6]]]


def test_from_tensor_slices_rejects_scalars_and_different_lengths():
    with pytest.raises(ValueError, match="rank >= 1"):
        tf.data.Dataset.from_tensor_slices(1)
    with pytest.raises(ValueError, match="Dimensions 3 and 2 are not compatible"):
        tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(2)))


def test_from_tensors_is_one_element():
    ds = tf.data.Dataset.from_tensors([1, 2, 3])
    assert values(ds) == [[1, 2, 3]]
    assert ds.element_spec == tf.TensorSpec((3,), tf.int32)
    assert values(tf.data.Dataset.from_tensors(([1, 2, 3], "A"))) == [([1, 2, 3], b"A")]


@pytest.mark.parametrize("args, expected", [
    ((5,), [0, 1, 2, 3, 4]), ((2, 5), [2, 3, 4]), ((1, 5, 2), [1, 3]), ((1, 5, -2), []), ((5, 1), []),
    ((5, 1, -2), [5, 3])])
def test_range_follows_python_range(args, expected):
    assert values(tf.data.Dataset.range(*args)) == expected


def test_range_is_int64_unless_asked():
    assert tf.data.Dataset.range(3).element_spec.dtype == tf.int64
    ds = tf.data.Dataset.range(1, 5, 2, output_type=tf.float32)
    assert ds.element_spec.dtype == tf.float32 and values(ds) == [1.0, 3.0]
    assert len(tf.data.Dataset.range(0, 10**6, 3)) == 333334


def test_counter_counts_without_end():
    ds = tf.data.Dataset.counter(start=2, step=5)
    assert ds.cardinality().numpy() == tf.data.INFINITE_CARDINALITY
    assert values(ds.take(3)) == [2, 7, 12]
    assert values(tf.data.experimental.Counter().take(2)) == [0, 1]


def test_random_is_reproducible_with_a_seed_and_rerandomizes_on_request():
    a = values(tf.data.Dataset.random(seed=4).take(10))
    assert a == values(tf.data.Dataset.random(seed=4).take(10))
    assert all(0 <= v < 2**32 for v in a)
    ds = tf.data.Dataset.random(seed=4, rerandomize_each_iteration=True).take(5)
    assert values(ds) != values(ds)
    fixed = tf.data.Dataset.random(seed=4).take(5)
    assert values(fixed) == values(fixed)


def test_zip_pairs_elements_and_stops_at_the_shortest():
    a = tf.data.Dataset.range(1, 4)
    b = tf.data.Dataset.range(4, 7)
    assert values(tf.data.Dataset.zip((a, b))) == [(1, 4), (2, 5), (3, 6)]
    assert values(tf.data.Dataset.zip(a, b)) == [(1, 4), (2, 5), (3, 6)]
    c = tf.data.Dataset.range(7, 13).batch(2)
    assert values(tf.data.Dataset.zip((a, b, c))) == [(1, 4, [7, 8]), (2, 5, [9, 10]), (3, 6, [11, 12])]
    d = tf.data.Dataset.range(13, 15)
    assert values(tf.data.Dataset.zip((a, d))) == [(1, 13), (2, 14)]
    assert len(tf.data.Dataset.zip((a, d))) == 2


def test_zip_of_a_dict_of_datasets_gives_dict_elements():
    ds = tf.data.Dataset.zip({"x": tf.data.Dataset.range(2), "y": tf.data.Dataset.range(10, 12)})
    assert values(ds) == [{"x": 0, "y": 10}, {"x": 1, "y": 11}]


def test_zip_rejects_values_that_are_not_datasets():
    with pytest.raises(TypeError, match="structure of `Dataset` objects"):
        tf.data.Dataset.zip((tf.data.Dataset.range(2), [1, 2]))
