"""window (+ flat_map), group_by_window, bucket_by_sequence_length."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tests.data.helpers import values


def windows(ds):
    return [values(w) for w in ds]


def test_window_sizes_shifts_and_strides():
    ds = tf.data.Dataset.range(7)
    assert windows(ds.window(3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert windows(ds.window(3, drop_remainder=True)) == [[0, 1, 2], [3, 4, 5]]
    assert windows(ds.window(3, shift=2, drop_remainder=True)) == [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    assert windows(ds.window(3, shift=1, stride=2, drop_remainder=True)) == [[0, 2, 4], [1, 3, 5], [2, 4, 6]]
    assert windows(ds.window(2, shift=3)) == [[0, 1], [3, 4], [6]]


def test_window_cardinality():
    ds = tf.data.Dataset.range(10)
    assert len(ds.window(3)) == 4 and len(ds.window(3, drop_remainder=True)) == 3


def test_window_of_a_structure_is_a_structure_of_datasets():
    ds = tf.data.Dataset.from_tensor_slices(([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).window(2)
    a, b = next(iter(ds))
    assert values(a) == [1, 2] and values(b) == [6, 7]
    ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2, 3], "b": [4, 5, 6]}).window(2)
    first = next(iter(ds))
    assert values(first["a"]) == [1, 2] and values(first["b"]) == [4, 5]


def test_window_then_flat_map_batch_makes_sliding_windows():
    ds = tf.data.Dataset.range(10).window(3, shift=2).flat_map(lambda w: w.batch(3))
    assert values(ds) == [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8], [8, 9]]
    ds = tf.data.Dataset.range(100000).window(10, shift=5, stride=3).flat_map(
        lambda w: w.batch(10, drop_remainder=True))
    assert values(ds.take(2)) == [[0, 3, 6, 9, 12, 15, 18, 21, 24, 27], [5, 8, 11, 14, 17, 20, 23, 26, 29, 32]]


def test_group_by_window_groups_by_key():
    ds = tf.data.Dataset.range(10).group_by_window(key_func=lambda x: x % 2,
                                                   reduce_func=lambda key, d: d.batch(5), window_size=5)
    assert values(ds) == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]


def test_group_by_window_flushes_what_is_left_by_key():
    ds = tf.data.Dataset.range(10).group_by_window(key_func=lambda x: x % 3,
                                                   reduce_func=lambda key, d: d.batch(10), window_size=3)
    assert values(ds) == [[0, 3, 6], [1, 4, 7], [2, 5, 8], [9]]


def test_group_by_window_checks_its_arguments():
    with pytest.raises(ValueError, match="window_size"):
        tf.data.Dataset.range(3).group_by_window(lambda x: x, lambda k, d: d)
    with pytest.raises(ValueError, match="tf.int64 scalar"):
        tf.data.Dataset.range(3).group_by_window(lambda x: tf.cast(x, tf.int32), lambda k, d: d, window_size=2)


def test_bucket_by_sequence_length_pads_per_bucket():
    elements = [[0], [1, 2, 3, 4], [5, 6, 7], [7, 8, 9, 10, 11], [13, 14, 15, 16, 19, 20], [21, 22]]
    ds = tf.data.Dataset.from_generator(lambda: elements, tf.int64, output_shapes=[None])
    ds = ds.bucket_by_sequence_length(element_length_func=lambda elem: tf.shape(elem)[0],
                                      bucket_boundaries=[3, 5], bucket_batch_sizes=[2, 2, 2])
    assert values(ds) == [[[1, 2, 3, 4], [5, 6, 7, 0]], [[7, 8, 9, 10, 11, 0], [13, 14, 15, 16, 19, 20]],
                          [[0, 0], [21, 22]]]


def test_bucket_by_sequence_length_pads_to_the_boundary():
    elements = [[0], [1, 2, 3, 4], [5, 6, 7], [7, 8, 9, 10, 11], [13, 14, 15, 16, 19, 20], [21, 22]]
    ds = tf.data.Dataset.from_generator(lambda: elements, tf.int32, output_shapes=[None])
    ds = ds.bucket_by_sequence_length(element_length_func=lambda elem: tf.shape(elem)[0],
                                      bucket_boundaries=[3, 5], bucket_batch_sizes=[2, 2, 2],
                                      pad_to_bucket_boundary=True, padding_values=-1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="pad_to_bucket_boundary"):
        values(ds)
    short = tf.data.Dataset.from_generator(lambda: [[1], [2, 3], [4, 5, 6, 7]], tf.int32, output_shapes=[None])
    out = values(short.bucket_by_sequence_length(lambda e: tf.shape(e)[0], [3, 5], [2, 2, 2],
                                                 pad_to_bucket_boundary=True, padding_values=-1))
    assert out == [[[1, -1], [2, 3]], [[4, 5, 6, 7]]]
    assert np.array(out[1]).shape == (1, 4)
