"""batch, unbatch, padded_batch, ragged_batch, rebatch."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tests.data.helpers import values


def test_batch_and_drop_remainder():
    ds = tf.data.Dataset.range(8)
    assert values(ds.batch(3)) == [[0, 1, 2], [3, 4, 5], [6, 7]]
    assert values(ds.batch(3, drop_remainder=True)) == [[0, 1, 2], [3, 4, 5]]
    assert ds.batch(3).element_spec == tf.TensorSpec((None,), tf.int64)
    assert ds.batch(3, drop_remainder=True).element_spec == tf.TensorSpec((3,), tf.int64)
    assert len(ds.batch(3)) == 3 and len(ds.batch(3, drop_remainder=True)) == 2


def test_batch_of_a_structure_batches_every_component():
    ds = tf.data.Dataset.zip((tf.data.Dataset.range(100), tf.data.Dataset.range(0, -100, -1))).batch(4)
    assert values(ds.take(2)) == [([0, 1, 2, 3], [0, -1, -2, -3]), ([4, 5, 6, 7], [-4, -5, -6, -7])]


def test_batch_is_a_view_of_the_source_when_it_can_be():
    x = np.arange(100.0).reshape(50, 2)
    first = next(iter(tf.data.Dataset.from_tensor_slices(x).batch(10)))
    assert np.shares_memory(first.numpy(), x)


def test_batch_of_elements_of_different_shapes_names_the_element_spec():
    ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"different shapes.*element_spec is TensorSpec\(shape="
                                                            r"\(None,\).*padded_batch"):
        list(ds.batch(3))


def test_batch_rejects_a_size_below_one():
    with pytest.raises(ValueError, match="batch_size"):
        tf.data.Dataset.range(3).batch(0)


def test_unbatch_undoes_batch():
    ds = tf.data.Dataset.from_tensor_slices([[1, 2, 3], [1, 2, 0], [4, 5, 6]])
    assert values(ds.unbatch()) == [1, 2, 3, 1, 2, 0, 4, 5, 6]
    pairs = tf.data.Dataset.from_tensor_slices((np.arange(6).reshape(3, 2), np.arange(6).reshape(3, 2) * 10))
    assert values(pairs.unbatch())[:3] == [(0, 0), (1, 10), (2, 20)]
    assert tf.data.Dataset.range(6).batch(2).unbatch().cardinality().numpy() == -2
    assert len(tf.data.Dataset.range(6).batch(2, drop_remainder=True).unbatch()) == 6


def test_unbatch_of_batches_of_different_sizes():
    assert values(tf.data.Dataset.range(7).batch(3).unbatch()) == list(range(7))


def test_padded_batch_pads_to_the_longest_or_to_padded_shapes():
    a = tf.data.Dataset.range(1, 5, output_type=tf.int32).map(lambda x: tf.fill([x], x))
    assert values(a.padded_batch(2)) == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]
    assert values(a.padded_batch(2, padded_shapes=5)) == [[[1, 0, 0, 0, 0], [2, 2, 0, 0, 0]],
                                                           [[3, 3, 3, 0, 0], [4, 4, 4, 4, 0]]]
    assert values(a.padded_batch(2, padded_shapes=5, padding_values=-1))[0] == [[1, -1, -1, -1, -1],
                                                                                 [2, 2, -1, -1, -1]]
    e = tf.data.Dataset.zip((a, a)).padded_batch(2, padding_values=-1)
    assert values(e)[0] == ([[1, -1], [2, 2]], [[1, -1], [2, 2]])


def test_padded_batch_of_a_tuple_pads_components_independently():
    elements = [([1, 2, 3], [10]), ([4, 5], [11, 12])]
    ds = tf.data.Dataset.from_generator(lambda: iter(elements), (tf.int32, tf.int32))
    ds = ds.padded_batch(2, padded_shapes=([4], [None]), padding_values=(-1, 100))
    assert values(ds) == [([[1, 2, 3, -1], [4, 5, -1, -1]], [[10, 100], [11, 12]])]
    assert ds.element_spec == (tf.TensorSpec((None, 4), tf.int32), tf.TensorSpec((None, None), tf.int32))


def test_padded_batch_errors():
    a = tf.data.Dataset.range(1, 5).map(lambda x: tf.fill([x], x))
    with pytest.raises(tf.errors.InvalidArgumentError, match="smaller size than the input element"):
        list(a.padded_batch(4, padded_shapes=[2]))
    g = tf.data.Dataset.from_generator(lambda: iter([[1]]), tf.int32)
    with pytest.raises(ValueError, match="unknown rank"):
        g.padded_batch(2)


def test_padded_batch_of_strings_pads_with_empty_strings():
    ds = tf.data.Dataset.from_tensor_slices(["a b", "c"]).map(lambda s: tf.strings.split(s)).padded_batch(2)
    assert values(ds) == [[[b"a", b"b"], [b"c", b""]]]


def test_ragged_batch_gives_ragged_tensors():
    ds = tf.data.Dataset.range(4, output_type=tf.int32).map(lambda x: tf.range(x)).ragged_batch(2)
    batches = list(ds)
    assert [b.to_list() for b in batches] == [[[], [0]], [[0, 1], [0, 1, 2]]]
    assert repr(ds.element_spec) == "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)"
    dense = tf.data.Dataset.range(4).ragged_batch(2)
    assert dense.element_spec == tf.TensorSpec((None,), tf.int64)


def test_rebatch_recuts_batches():
    assert values(tf.data.Dataset.range(6).batch(2).rebatch(3)) == [[0, 1, 2], [3, 4, 5]]
    assert values(tf.data.Dataset.range(8).batch(4).rebatch([2, 1, 1])) == [[0, 1], [2], [3], [4, 5], [6], [7]]
    assert values(tf.data.Dataset.range(7).batch(4).rebatch(3, drop_remainder=True)) == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(ValueError, match="rank of >= 1"):
        tf.data.Dataset.range(3).rebatch(2)
