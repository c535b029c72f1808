"""A tf.data iterator in a tf.train.Checkpoint: restoring puts it back at the saved position."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf


def _take(iterator, n):
    return [int(next(iterator)) for _ in range(n)]


@pytest.mark.parametrize("make, exact_rewind", [
    (lambda: tf.data.Dataset.range(23), True),
    (lambda: tf.data.Dataset.range(23).batch(4).unbatch(), True),
    (lambda: tf.data.Dataset.range(23).shuffle(8, seed=3).map(lambda x: x * 2), False),
])
def test_restore_continues_from_the_saved_element(tmp_path, make, exact_rewind):
    it = iter(make())
    _take(it, 5)
    ckpt = tf.train.Checkpoint(iterator=it)
    path = ckpt.save(str(tmp_path / "ckpt"))
    after_save = _take(it, 7)

    fresh = iter(make())
    status = tf.train.Checkpoint(iterator=fresh).restore(path)
    status.assert_consumed()
    assert _take(fresh, 7) == after_save
    ckpt.restore(path)  # the same iterator, moved back: a new pass (a new shuffle order, as a new epoch)
    assert (_take(it, 7) == after_save) == exact_rewind


def test_position_is_saved_as_an_int64_variable_and_counts_bulk_reads(tmp_path):
    it = iter(tf.data.Dataset.range(10).batch(3))
    next(it)
    path = tf.train.Checkpoint(iterator=it).write(str(tmp_path / "it"))
    assert tf.train.list_variables(path)[1] == ("iterator/position/.ATTRIBUTES/VARIABLE_VALUE", [])
    assert int(tf.train.load_variable(path, "iterator/position/.ATTRIBUTES/VARIABLE_VALUE")) == 1


def test_restoring_past_the_end_leaves_an_exhausted_iterator(tmp_path):
    it = iter(tf.data.Dataset.range(3))
    _take(it, 3)
    path = tf.train.Checkpoint(iterator=it).write(str(tmp_path / "end"))
    fresh = iter(tf.data.Dataset.range(3))
    tf.train.Checkpoint(iterator=fresh).read(path).assert_consumed()
    with pytest.raises(StopIteration):
        next(fresh)
    np.testing.assert_array_equal(_take(iter(tf.data.Dataset.range(3)), 3), [0, 1, 2])
