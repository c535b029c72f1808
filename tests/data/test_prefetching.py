"""prefetch: the same elements in the same order, with or without its thread."""
from __future__ import annotations

import threading

import pytest

import tensorlet as tf
from tests.data.helpers import values


def threaded(ds):
    options = tf.data.Options()
    options.threading.private_threadpool_size = 2
    return ds.with_options(options)


def test_prefetch_changes_nothing_but_may_run_a_thread():
    ds = tf.data.Dataset.range(3000).map(lambda x: x * 2).prefetch(tf.data.AUTOTUNE)
    expected = [2 * i for i in range(3000)]
    assert values(ds) == expected
    assert values(threaded(ds)) == expected
    assert values(tf.data.Dataset.range(5).prefetch(0)) == list(range(5))
    assert len(ds) == 3000


def test_an_error_above_a_prefetch_thread_reaches_the_consumer():
    def boom(x):
        if int(x) == 2:
            raise KeyError("boom")
        return x

    ds = threaded(tf.data.Dataset.range(3).map(lambda x: tf.py_function(boom, [x], tf.int64)).prefetch(2))
    it = iter(ds)
    assert [next(it).numpy(), next(it).numpy()] == [0, 1]
    with pytest.raises(KeyError, match="boom"):
        next(it)


def test_abandoning_a_threaded_prefetch_stops_its_thread():
    before = threading.active_count()
    ds = threaded(tf.data.Dataset.range(10**6).prefetch(1))
    it = iter(ds)
    next(it)
    del it
    import gc

    gc.collect()
    for _ in range(100):
        if threading.active_count() <= before:
            break
        threading.Event().wait(0.05)
    assert threading.active_count() <= before
