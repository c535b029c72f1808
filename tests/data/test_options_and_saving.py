"""Options, with_options, save/load, unique, assert_cardinality, and the experimental transformations."""
from __future__ import annotations

import collections

import pytest

import tensorlet as tf
from tests.data.helpers import values


def test_options_are_recorded_and_merged():
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    options.deterministic = False
    ds = tf.data.Dataset.range(3).with_options(options).map(lambda x: x)
    got = ds.options()
    assert got.experimental_distribute.auto_shard_policy == tf.data.experimental.AutoShardPolicy.DATA
    assert got.deterministic is False and values(ds) == [0, 1, 2]
    with pytest.raises(AttributeError, match="Cannot set the property"):
        options.no_such_option = 1
    with pytest.raises(TypeError):
        tf.data.Dataset.range(2).with_options({"deterministic": False})


def test_save_and_load_round_trip(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices(({"a": [1, 2, 3]}, ["x", "y", "z"]))
    ds.save(str(tmp_path / "saved"))
    back = tf.data.Dataset.load(str(tmp_path / "saved"))
    assert back.element_spec == ds.element_spec and values(back) == values(ds) and len(back) == 3
    tf.data.experimental.save(ds, str(tmp_path / "gz"), compression="GZIP")
    assert values(tf.data.experimental.load(str(tmp_path / "gz"))) == values(ds)


def test_load_keeps_a_given_element_spec(tmp_path):
    Pair = collections.namedtuple("Pair", "a b")
    ds = tf.data.Dataset.from_tensor_slices(Pair([1, 2], [3, 4]))
    ds.save(str(tmp_path / "p"))
    back = tf.data.Dataset.load(str(tmp_path / "p"), element_spec=ds.element_spec)
    assert isinstance(next(iter(back)), Pair)
    with pytest.raises(tf.errors.NotFoundError):
        tf.data.Dataset.load(str(tmp_path / "nothing"))


def test_unique_keeps_first_appearances():
    ds = tf.data.Dataset.from_tensor_slices([1, 37, 2, 37, 2, 1])
    assert values(ds.unique()) == [1, 37, 2]
    assert values(tf.data.Dataset.from_tensor_slices(["b", "a", "b"]).apply(tf.data.experimental.unique())) == [
        b"b", b"a"]
    with pytest.raises(TypeError, match="scalar elements"):
        tf.data.Dataset.from_tensor_slices([1.0]).unique()


def test_assert_cardinality_declares_and_checks():
    ds = tf.data.Dataset.range(10).filter(lambda x: x < 4)
    declared = ds.apply(tf.data.experimental.assert_cardinality(4))
    assert len(declared) == 4 and values(declared) == [0, 1, 2, 3]
    with pytest.raises(tf.errors.FailedPreconditionError, match="expected to contain 5"):
        list(ds.apply(tf.data.experimental.assert_cardinality(5)))


def test_experimental_transformations():
    e = tf.data.experimental
    assert values(tf.data.Dataset.range(3).apply(e.enumerate_dataset(1))) == [(1, 0), (2, 1), (3, 2)]
    assert sorted(values(tf.data.Dataset.range(3).apply(e.shuffle_and_repeat(3, count=2)))) == [0, 0, 1, 1, 2, 2]
    assert values(tf.data.Dataset.range(5).apply(e.map_and_batch(lambda x: x * 10, 2))) == [[0, 10], [20, 30],
                                                                                             [40]]
    ragged = tf.data.Dataset.range(3).map(lambda x: tf.fill([x], x)).apply(e.dense_to_ragged_batch(3))
    assert [b.to_list() for b in ragged] == [[[], [1], [2, 2]]]
    assert e.get_single_element(tf.data.Dataset.from_tensors(7)).numpy() == 7
    assert values(tf.data.Dataset.range(3).apply(e.prefetch_to_device("/gpu:0"))) == [0, 1, 2]
