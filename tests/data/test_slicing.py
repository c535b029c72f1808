"""take, skip, repeat, concatenate, enumerate, shard, apply: elements and cardinalities."""
from __future__ import annotations

import pytest

import tensorlet as tf
from tests.data.helpers import values


def test_take_and_skip():
    ds = tf.data.Dataset.range(10)
    assert values(ds.take(3)) == [0, 1, 2] and values(ds.take(-1)) == list(range(10))
    assert values(ds.skip(7)) == [7, 8, 9] and values(ds.skip(-1)) == []
    assert len(ds.take(20)) == 10 and len(ds.skip(20)) == 0
    assert ds.repeat().take(4).cardinality().numpy() == 4
    assert ds.repeat().skip(4).cardinality().numpy() == -1


def test_repeat_counts_and_each_repetition_is_a_new_pass():
    ds = tf.data.Dataset.from_tensor_slices([1, 2, 3])
    assert values(ds.repeat(3)) == [1, 2, 3] * 3
    assert values(ds.repeat(0)) == [] and len(ds.repeat(2)) == 6
    assert values(ds.repeat().take(7)) == [1, 2, 3, 1, 2, 3, 1]
    assert values(tf.data.Dataset.range(0).repeat()) == []
    assert tf.data.Dataset.range(0).repeat().cardinality().numpy() == 0


def test_concatenate_needs_compatible_elements():
    a = tf.data.Dataset.range(1, 4)
    b = tf.data.Dataset.range(4, 8)
    assert values(a.concatenate(b)) == [1, 2, 3, 4, 5, 6, 7] and len(a.concatenate(b)) == 7
    with pytest.raises(TypeError, match="incompatible"):
        a.concatenate(tf.data.Dataset.zip((a, a)))
    with pytest.raises(TypeError, match="incompatible"):
        a.concatenate(tf.data.Dataset.from_tensor_slices(["a"]))
    mixed = tf.data.Dataset.from_tensors([1, 2]).concatenate(tf.data.Dataset.from_tensors([1, 2, 3]))
    assert mixed.element_spec == tf.TensorSpec((None,), tf.int32)


def test_enumerate_counts_from_start():
    ds = tf.data.Dataset.from_tensor_slices([1, 2, 3]).enumerate(start=5)
    assert values(ds) == [(5, 1), (6, 2), (7, 3)]
    assert ds.element_spec[0] == tf.TensorSpec((), tf.int64)


def test_shard_takes_every_nth():
    ds = tf.data.Dataset.range(10)
    assert values(ds.shard(num_shards=3, index=0)) == [0, 3, 6, 9]
    assert values(ds.shard(num_shards=3, index=1)) == [1, 4, 7]
    assert len(ds.shard(3, 2)) == 3
    with pytest.raises(ValueError, match="index"):
        ds.shard(2, 2)


def test_shard_across_chunks():
    ds = tf.data.Dataset.range(5000).shard(7, 3)
    assert values(ds) == list(range(3, 5000, 7))


def test_apply_runs_a_transformation():
    assert values(tf.data.Dataset.range(100).apply(lambda d: d.filter(lambda x: x < 5))) == [0, 1, 2, 3, 4]
    with pytest.raises(TypeError, match="must return a Dataset"):
        tf.data.Dataset.range(3).apply(lambda d: 3)
