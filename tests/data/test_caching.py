"""cache(): later passes read no source, in memory or from a file; a partial pass keeps nothing."""
from __future__ import annotations

import os

import numpy as np

import tensorlet as tf
from tests.data.helpers import values


def counting_source(n, reads):
    def gen():
        for i in range(n):
            reads.append(i)
            yield np.float32(i)
    return tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.float32))


def test_memory_cache_serves_later_passes_without_the_source():
    reads = []
    ds = counting_source(5, reads).map(lambda x: x * 2).cache()
    assert values(ds) == [0, 2, 4, 6, 8]
    assert values(ds) == [0, 2, 4, 6, 8] and values(ds.repeat(3)) == [0, 2, 4, 6, 8] * 3
    assert len(reads) == 5


def test_a_partial_first_pass_keeps_nothing():
    reads = []
    ds = counting_source(5, reads).cache()
    assert values(ds.take(2)) == [0, 1]
    assert values(ds) == [0, 1, 2, 3, 4]
    assert values(ds) == [0, 1, 2, 3, 4]
    assert len(reads) == 2 + 5


def test_cache_of_array_slices_holds_views_not_copies():
    x = np.arange(20.0)
    ds = tf.data.Dataset.from_tensor_slices(x).cache()
    list(ds)
    assert all(np.shares_memory(c.columns[0], x) for c in ds._memory)


def test_file_cache_is_read_by_a_new_dataset(tmp_path):
    path = str(tmp_path / "cache" / "mnist")
    reads = []
    ds = counting_source(4, reads).map(lambda x: (x, tf.strings.as_string(x))).cache(path)
    assert values(ds) == [(0.0, b"0.000000"), (1.0, b"1.000000"), (2.0, b"2.000000"), (3.0, b"3.000000")]
    assert os.path.exists(path + ".index") and os.path.exists(path + ".data-00000-of-00001")
    again = counting_source(4, reads).map(lambda x: (x, tf.strings.as_string(x))).cache(path)
    assert values(again) == values(ds) and len(reads) == 4


def test_file_cache_of_ragged_elements(tmp_path):
    path = str(tmp_path / "ragged")
    ds = tf.data.Dataset.from_tensor_slices(["a b", "c"]).map(tf.strings.split).ragged_batch(2).cache(path)
    first = [b.to_list() for b in ds]
    assert first == [[[b"a", b"b"], [b"c"]]] and [b.to_list() for b in ds] == first
