"""keras.utils.timeseries_dataset_from_array and keras.utils.split_dataset (Keras' documented examples)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf


def test_windows_of_sampled_steps():
    ds = tf.keras.utils.timeseries_dataset_from_array(np.arange(99), None, sequence_length=10, sampling_rate=2,
                                                      sequence_stride=3, batch_size=200)
    windows = next(iter(ds)).numpy()
    assert windows[0].tolist() == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]
    assert windows[1].tolist() == [3, 5, 7, 9, 11, 13, 15, 17, 19, 21]
    assert windows[-1].tolist() == [78, 80, 82, 84, 86, 88, 90, 92, 94, 96]


def test_windows_with_targets_predict_the_next_step():
    data = np.arange(100)
    ds = tf.keras.utils.timeseries_dataset_from_array(data[:-10], data[10:], sequence_length=10)
    inputs, targets = next(iter(ds))
    assert np.array_equal(inputs[0], data[:10]) and targets[0].numpy() == data[10]
    assert ds.element_spec == (tf.TensorSpec((None, 10), tf.int64), tf.TensorSpec((None,), tf.int64))
    assert sum(len(t) for _, t in ds) == 81


def test_non_overlapping_samples_for_many_to_many():
    x = np.arange(100)
    inputs = tf.keras.utils.timeseries_dataset_from_array(x, None, sequence_length=20, sequence_stride=20)
    targets = tf.keras.utils.timeseries_dataset_from_array(x * 2, None, sequence_length=20, sequence_stride=20)
    a, b = next(iter(tf.data.Dataset.zip((inputs, targets))))
    assert np.array_equal(a[0], x[:20]) and np.array_equal(b[1], (x * 2)[20:40])


def test_start_end_indices_shuffle_and_errors():
    x = np.arange(50, dtype=np.float32).reshape(25, 2)
    ds = tf.keras.utils.timeseries_dataset_from_array(x, np.arange(25), sequence_length=3, start_index=5,
                                                      end_index=20, batch_size=4, shuffle=True, seed=3)
    got = [(w.numpy(), t.numpy()) for w, t in ds]
    starts = sorted(int(w[0, 0] // 2) for ws, _ in got for w in ws)  # each window: 3 steps of 2 features
    assert starts == list(range(5, 18))
    for ws, ts in got:
        assert all(int(w[0, 0] // 2) == t for w, t in zip(ws, ts))
    with pytest.raises(ValueError, match="`start_index` must be lower than the length"):
        tf.keras.utils.timeseries_dataset_from_array(x, None, 3, start_index=30)
    with pytest.raises(ValueError, match="`sequence_stride` must be higher than 0"):
        tf.keras.utils.timeseries_dataset_from_array(x, None, 3, sequence_stride=0)
    assert tf.keras.preprocessing.timeseries_dataset_from_array is not None


def test_split_dataset_of_arrays_and_datasets():
    left, right = tf.keras.utils.split_dataset(np.arange(10), left_size=0.8)
    assert len(left) == 8 and [int(v) for v in right] == [8, 9]
    left, right = tf.keras.utils.split_dataset((np.arange(10), np.arange(10) * 10), right_size=3)
    assert [tuple(map(int, e)) for e in right] == [(7, 70), (8, 80), (9, 90)]
    ds = tf.data.Dataset.from_tensor_slices({"a": np.arange(20), "b": np.ones(20)}).batch(4)
    left, right = tf.keras.utils.split_dataset(ds, left_size=15, shuffle=True, seed=2)
    assert [len(b["a"]) for b in left] == [4, 4, 4, 3] and [len(b["a"]) for b in right] == [4, 1]
    values = sorted(int(v) for b in list(left) + list(right) for v in b["a"])
    assert values == list(range(20))


def test_split_dataset_errors():
    with pytest.raises(ValueError, match="At least one of the `left_size` or `right_size`"):
        tf.keras.utils.split_dataset(np.arange(4))
    with pytest.raises(ValueError, match="`left_size` should be either a positive integer"):
        tf.keras.utils.split_dataset(np.arange(4), left_size=1.5)
    with pytest.raises(ValueError, match="greater than 1"):
        tf.keras.utils.split_dataset(np.arange(4), left_size=0.6, right_size=0.6)
    with pytest.raises(TypeError, match="must be either a `tf.data.Dataset`"):
        tf.keras.utils.split_dataset("abc", left_size=1)
