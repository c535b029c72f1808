"""sample_from_datasets, choose_from_datasets, rejection_resample."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tests.data.helpers import values


def test_choose_from_datasets_follows_the_choices():
    datasets = [tf.data.Dataset.from_tensors("foo").repeat(), tf.data.Dataset.from_tensors("bar").repeat(),
                tf.data.Dataset.from_tensors("baz").repeat()]
    choice = tf.data.Dataset.range(3).repeat(3)
    out = values(tf.data.Dataset.choose_from_datasets(datasets, choice))
    assert out == [b"foo", b"bar", b"baz"] * 3


def test_choose_from_datasets_stops_or_skips_an_ended_dataset():
    datasets = [tf.data.Dataset.range(2), tf.data.Dataset.range(10, 20)]
    choice = tf.data.Dataset.from_tensor_slices(np.array([0, 0, 0, 1], np.int64))
    assert values(tf.data.Dataset.choose_from_datasets(datasets, choice)) == [0, 1]
    assert values(tf.data.Dataset.choose_from_datasets(datasets, choice, stop_on_empty_dataset=False)) == [0, 1, 10]
    with pytest.raises(TypeError, match="tf.int64"):
        tf.data.Dataset.choose_from_datasets(datasets, tf.data.Dataset.range(2, output_type=tf.int32))
    bad = tf.data.Dataset.choose_from_datasets(datasets, tf.data.Dataset.from_tensors(np.int64(5)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
        list(bad)


def test_sample_from_datasets_follows_the_weights():
    a = tf.data.Dataset.from_tensors(np.int64(0)).repeat()
    b = tf.data.Dataset.from_tensors(np.int64(1)).repeat()
    out = values(tf.data.Dataset.sample_from_datasets([a, b], weights=[0.8, 0.2], seed=1).take(2000))
    assert 0.75 < out.count(0) / 2000 < 0.85


def test_sample_from_datasets_without_replacement_uses_every_element():
    d1, d2 = tf.data.Dataset.range(0, 3), tf.data.Dataset.range(100, 103)
    out = values(tf.data.Dataset.sample_from_datasets([d1, d2], weights=[0.5, 0.5], seed=3))
    assert sorted(out) == [0, 1, 2, 100, 101, 102]
    assert [v for v in out if v < 100] == [0, 1, 2]
    stopped = values(tf.data.Dataset.sample_from_datasets([d1, d2], seed=3, stop_on_empty_dataset=True))
    assert len(stopped) < 6 or stopped == out


def test_rejection_resample_balances_classes():
    rng = np.random.default_rng(0)
    n = 4000
    labels = (rng.random(n) < 0.3).astype(np.int64)  # about 70% zeros
    ds = tf.data.Dataset.from_tensor_slices(labels).rejection_resample(
        class_func=lambda x: x, target_dist=[0.5, 0.5], initial_dist=[0.7, 0.3], seed=2)
    out = [c for c, _ in ds.as_numpy_iterator()]
    assert 0.42 < np.mean(out) < 0.58
    estimated = tf.data.Dataset.from_tensor_slices(labels).rejection_resample(lambda x: x, [0.5, 0.5], seed=2)
    out = [c for c, _ in estimated.as_numpy_iterator()]
    assert 0.4 < np.mean(out) < 0.6
