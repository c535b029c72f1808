"""shuffle: TensorFlow's buffer semantics (a uniform draw from a buffer of buffer_size), seeds, memory."""
from __future__ import annotations

import tracemalloc

import numpy as np

import tensorlet as tf
from tests.data.helpers import values


def test_shuffle_is_a_permutation_and_reshuffles_each_iteration():
    ds = tf.data.Dataset.range(100).shuffle(100, seed=3)
    first, second = values(ds), values(ds)
    assert sorted(first) == sorted(second) == list(range(100))
    assert first != second and first != list(range(100))


def test_shuffle_with_reshuffle_off_repeats_its_order_and_seeds_reproduce():
    ds = tf.data.Dataset.range(50).shuffle(10, seed=1, reshuffle_each_iteration=False)
    assert values(ds) == values(ds)
    assert values(tf.data.Dataset.range(50).shuffle(10, seed=1)) == values(tf.data.Dataset.range(50).shuffle(10,
                                                                                                              seed=1))


def test_global_seed_makes_unseeded_shuffles_reproducible():
    tf.random.set_seed(7)
    a = values(tf.data.Dataset.range(30).shuffle(30))
    tf.random.set_seed(7)
    b = values(tf.data.Dataset.range(30).shuffle(30))
    tf.random.set_seed(None)
    assert a == b


def test_a_buffer_of_one_keeps_the_order():
    assert values(tf.data.Dataset.range(20).shuffle(1)) == list(range(20))


def test_output_i_comes_from_the_first_i_plus_buffer_size_inputs():
    n, size = 3000, 10
    for seed in range(3):
        out = values(tf.data.Dataset.range(n).shuffle(size, seed=seed))
        assert sorted(out) == list(range(n))
        assert all(v < i + size for i, v in enumerate(out))
        # a small buffer only shuffles locally: no element moves far ahead
        assert max(i - v for i, v in enumerate(out)) > size  # ...but may come out much later


def test_first_output_is_uniform_over_the_buffer():
    firsts = [values(tf.data.Dataset.range(10).shuffle(4, seed=s).take(1))[0] for s in range(400)]
    counts = np.bincount(firsts, minlength=10)
    assert counts[4:].sum() == 0
    assert counts[:4].min() > 60  # about 100 each


def test_shuffle_of_array_slices_and_of_mapped_elements_agree_in_distribution():
    x = np.arange(1000)
    direct = values(tf.data.Dataset.from_tensor_slices(x).shuffle(50, seed=5))
    mapped = values(tf.data.Dataset.from_tensor_slices(x).map(lambda v: v + 0).shuffle(50, seed=5))
    assert sorted(direct) == sorted(mapped) == list(range(1000))
    assert direct == mapped  # the same draws, on row numbers or on rows


def test_shuffle_after_repeat_mixes_epochs_and_before_repeat_does_not():
    ds = tf.data.Dataset.range(10)
    before = values(ds.shuffle(10, seed=1).repeat(2))
    assert sorted(before[:10]) == list(range(10))
    after = values(ds.repeat(2).shuffle(15, seed=1))
    assert sorted(after) == sorted(list(range(10)) * 2)


def test_shuffle_holds_at_most_the_buffer():
    data = np.zeros((20000, 256), np.float32)  # 20 MB
    ds = tf.data.Dataset.from_tensor_slices(data).map(lambda v: v + 1.0).shuffle(500).batch(100)
    tracemalloc.start()
    for _ in ds:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * 2**20, peak / 2**20  # the buffer is 0.5 MB; chunks of ~1024 rows are 1 MB


def test_shuffle_buffer_size_must_be_positive():
    import pytest

    with pytest.raises(ValueError, match="buffer_size"):
        tf.data.Dataset.range(3).shuffle(0)
