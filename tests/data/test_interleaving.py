"""flat_map and interleave: TensorFlow's cycle order."""
from __future__ import annotations

import pytest

import tensorlet as tf
from tests.data.helpers import values


def test_flat_map_concatenates_the_datasets():
    ds = tf.data.Dataset.from_tensor_slices([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert values(ds.flat_map(tf.data.Dataset.from_tensor_slices)) == list(range(1, 10))


def test_interleave_cycles_blocks():
    ds = tf.data.Dataset.range(1, 6).interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(6),
                                                cycle_length=2, block_length=4)
    assert values(ds) == [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5]


def test_interleave_refills_an_ended_slot_with_the_next_input():
    ds = tf.data.Dataset.range(1, 4).interleave(lambda x: tf.data.Dataset.range(x), cycle_length=2)
    assert values(ds) == [0, 0, 1, 0, 1, 2]


def test_interleave_needs_a_function_returning_a_dataset():
    with pytest.raises(TypeError, match="must return a `Dataset`"):
        tf.data.Dataset.range(3).interleave(lambda x: x, cycle_length=2)
