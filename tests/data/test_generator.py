"""from_generator (output_signature, output_types/output_shapes, args), its errors, and from_python."""
from __future__ import annotations

import traceback

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.data.generator import from_python
from tests.data.helpers import values


def test_from_generator_with_output_signature():
    def gen():
        ragged = tf.ragged.constant([[1, 2], [3]])
        yield 42, ragged

    ds = tf.data.Dataset.from_generator(gen, output_signature=(
        tf.TensorSpec(shape=(), dtype=tf.int32), tf.RaggedTensorSpec(shape=(2, None), dtype=tf.int32)))
    (x, r), = list(ds)
    assert x.numpy() == 42 and r.to_list() == [[1, 2], [3]]
    assert repr(ds) == ("<_FlatMapDataset element_spec=(TensorSpec(shape=(), dtype=tf.int32, name=None), "
                        "RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64))>")


def test_from_generator_with_output_types_and_shapes_and_args():
    def count(stop):
        i = 0
        while i < stop:
            yield i
            i += 1

    ds = tf.data.Dataset.from_generator(count, args=[25], output_types=tf.int32, output_shapes=())
    assert values(ds.repeat().batch(10).take(3)) == [list(range(10)), list(range(10, 20)),
                                                      [20, 21, 22, 23, 24, 0, 1, 2, 3, 4]]
    assert ds.cardinality().numpy() == tf.data.UNKNOWN_CARDINALITY
    assert tf.data.Dataset.from_generator(lambda: iter([[1]]), tf.int32).element_spec == \
        tf.TensorSpec(None, tf.int32)


def test_from_generator_series_of_unknown_length_pad_in_batches():
    def gen_series():
        rng = np.random.default_rng(0)
        i = 0
        while True:
            yield i, rng.normal(size=(int(rng.integers(0, 10)),))
            i += 1

    ds = tf.data.Dataset.from_generator(gen_series, output_types=(tf.int32, tf.float32),
                                        output_shapes=((), (None,)))
    ids, seqs = next(iter(ds.shuffle(20).padded_batch(10)))
    assert ids.shape == (10,) and seqs.shape[0] == 10 and seqs.dtype == tf.float32


def test_from_generator_converts_to_the_declared_dtype():
    ds = tf.data.Dataset.from_generator(lambda: iter([1.5, 2.0]), output_signature=tf.TensorSpec((), tf.float64))
    assert next(iter(ds)).dtype == tf.float64


def test_from_generator_errors_say_what_was_expected():
    with pytest.raises(TypeError, match="must be a Python callable"):
        tf.data.Dataset.from_generator(iter([1]), output_signature=tf.TensorSpec((), tf.int32))
    sig = (tf.TensorSpec((), tf.int32), tf.TensorSpec((), tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="did not match the expected structure"):
        list(tf.data.Dataset.from_generator(lambda: iter([[1, 2]]), output_signature=sig))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"shape \(3,\) where an element of shape \(2,\)"):
        list(tf.data.Dataset.from_generator(lambda: iter([[1, 2, 3]]),
                                            output_signature=tf.TensorSpec((2,), tf.int32)))


def test_an_exception_in_the_generator_propagates_with_its_traceback():
    def gen():
        yield 1
        raise KeyError("boom")

    ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.int32)).map(lambda x: x + 1)
    it = iter(ds)
    assert next(it).numpy() == 2
    with pytest.raises(KeyError, match="boom") as info:
        next(it)
    assert any(frame.name == "gen" for frame in traceback.extract_tb(info.value.__traceback__))


def test_the_generator_is_read_lazily():
    pulled = []

    def gen():
        for i in range(100):
            pulled.append(i)
            yield i

    ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.int64))
    assert values(ds.take(2)) == [0, 1] and len(pulled) <= 3


def test_from_python_declares_its_cardinality():
    spec = (tf.TensorSpec((None, 2), tf.float32), tf.TensorSpec((None,), tf.int32))

    def batches():
        for i in range(3):
            yield np.ones((4, 2), np.float32), np.full(4, i, np.int32)

    ds = from_python(batches, spec, cardinality=3)
    assert len(ds) == 3 and [int(y[0]) for _, y in ds] == [0, 1, 2]
    assert values(ds.unbatch().take(1)) == [([1.0, 1.0], 0)]
