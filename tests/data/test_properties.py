"""Properties of the transformations, over hypothesis-drawn datasets and arguments."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import tensorlet as tf
from tests.data.helpers import values

lengths = st.integers(0, 60)
sizes = st.integers(1, 12)


@settings(max_examples=40, deadline=None)
@given(n=lengths, size=sizes, drop=st.booleans())
def test_unbatch_of_batch_is_the_dataset(n, size, drop):
    ds = tf.data.Dataset.range(n)
    out = values(ds.batch(size, drop_remainder=drop).unbatch())
    assert out == list(range(n // size * size if drop else n))
    assert len(ds.batch(size, drop_remainder=drop)) == len(values(ds.batch(size, drop_remainder=drop)))


@settings(max_examples=40, deadline=None)
@given(n=lengths, buffer=st.integers(1, 80), seed=st.integers(0, 10**6))
def test_shuffle_is_a_permutation_with_bounded_displacement(n, buffer, seed):
    x = np.arange(n) * 3
    out = values(tf.data.Dataset.from_tensor_slices(x).shuffle(buffer, seed=seed)) if n else []
    assert sorted(out) == x.tolist()
    assert all(v // 3 < i + buffer for i, v in enumerate(out))


@settings(max_examples=40, deadline=None)
@given(n=lengths, take=st.integers(-1, 70), skip=st.integers(-1, 70))
def test_take_then_skip_lengths(n, take, skip):
    ds = tf.data.Dataset.range(n).take(take).skip(skip)
    kept = n if take == -1 else min(n, take)
    expected = 0 if skip == -1 else max(0, kept - skip)
    assert len(values(ds)) == expected == len(ds)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 40), size=sizes, shift=st.integers(1, 6), stride=st.integers(1, 3),
       drop=st.booleans())
def test_window_flat_map_matches_numpy_slicing(n, size, shift, stride, drop):
    x = np.arange(n)
    ds = tf.data.Dataset.from_tensor_slices(x).window(size, shift, stride, drop).flat_map(
        lambda w: w.batch(size)) if n else None
    out = values(ds) if ds is not None else []
    expected = []
    for start in range(0, n, shift):
        w = x[start:start + (size - 1) * stride + 1:stride]
        if len(w) == size or (not drop and len(w)):
            expected.append(w.tolist())
    assert out == expected


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 50), shards=st.integers(1, 6), data=st.data())
def test_shards_partition_the_dataset(n, shards, data):
    ds = tf.data.Dataset.range(n)
    parts = [values(ds.shard(shards, i)) for i in range(shards)]
    assert sorted(v for p in parts for v in p) == list(range(n))
    index = data.draw(st.integers(0, shards - 1))
    assert len(ds.shard(shards, index)) == len(parts[index])


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 40), size=sizes)
def test_padded_batch_of_equal_lengths_is_batch(n, size):
    ds = tf.data.Dataset.from_tensor_slices(np.arange(n * 3).reshape(n, 3))
    assert values(ds.padded_batch(size)) == values(ds.batch(size))


@settings(max_examples=25, deadline=None)
@given(values_=st.lists(st.integers(-5, 5), min_size=1, max_size=50))
def test_vectorized_and_per_element_maps_agree(values_):
    x = np.asarray(values_, np.int32)
    fast = tf.data.Dataset.from_tensor_slices(x).map(lambda v: tf.cast(v, tf.float32) * 2.0 - 1.0)
    slow = tf.data.Dataset.from_tensor_slices(x).map(lambda v: tf.cast(v, tf.float32) * 2.0 - 1.0)
    slow._fn._batched = None
    assert fast._fn.vectorized and values(fast) == values(slow) == (x * 2.0 - 1.0).tolist()
