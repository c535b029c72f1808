"""scan and reduce."""
from __future__ import annotations

import numpy as np

import tensorlet as tf
from tests.data.helpers import values


def test_scan_carries_a_state():
    ds = tf.data.Dataset.range(10).scan(initial_state=np.int64(0), scan_func=lambda s, x: (s + x, s + x))
    assert values(ds) == [0, 1, 3, 6, 10, 15, 21, 28, 36, 45]
    assert len(ds) == 10
    assert values(tf.data.Dataset.range(4).apply(tf.data.experimental.scan(np.int64(1),
                                                                           lambda s, x: (s * 2, s)))) == [1, 2, 4, 8]


def test_scan_state_whose_shape_grows_is_relaxed():
    ds = tf.data.Dataset.range(3).scan(tf.zeros([0], tf.int64), lambda s, x: (tf.concat([s, [x]], 0), tf.size(s)))
    assert values(ds) == [0, 1, 2]


def test_reduce_folds_the_elements():
    assert tf.data.Dataset.range(5).reduce(np.int64(0), lambda x, _: x + 1).numpy() == 5
    assert tf.data.Dataset.range(5).reduce(np.int64(0), lambda x, y: x + y).numpy() == 10
    ds = tf.data.Dataset.from_tensor_slices([8, 3, 0, 8, 2, 1])
    assert ds.reduce(0, lambda state, value: state + value).numpy() == 22


def test_reduce_with_a_dict_state():
    ds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0], [0, 1])).batch(1)

    def count(counts, batch):
        features, labels = batch
        counts["ones"] += tf.reduce_sum(tf.cast(labels == 1, tf.float32))
        return counts

    out = ds.reduce(initial_state={"ones": 0.0}, reduce_func=count)
    assert out["ones"].numpy() == 1.0
