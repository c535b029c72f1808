"""map, filter, take_while: functions traced into plans, vectorized when elementwise, eager when they must be."""
from __future__ import annotations

import collections

import numpy as np
import pytest

import tensorlet as tf
from tests.data.helpers import values


def test_map_applies_the_function_and_unpacks_tuples():
    assert values(tf.data.Dataset.range(1, 6).map(lambda x: x + 1)) == [2, 3, 4, 5, 6]
    ds = tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4])).map(lambda x, y: x * y)
    assert values(ds) == [3, 8]


def test_map_passes_a_dict_or_namedtuple_whole():
    ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [10, 20]}).map(lambda d: d["a"] + d["b"])
    assert values(ds) == [11, 22]
    Pair = collections.namedtuple("Pair", "a b")
    ds = tf.data.Dataset.from_tensor_slices(Pair([1, 2], [3, 4])).map(lambda p: p.a - p.b)
    assert values(ds) == [-2, -2]


def test_map_returning_a_list_gives_a_tuple_and_python_values_become_tensors():
    ds = tf.data.Dataset.range(2).map(lambda x: [x, x * 2])
    assert isinstance(ds.element_spec, tuple) and values(ds) == [(0, 0), (1, 2)]
    ds = tf.data.Dataset.range(2).map(lambda x: (x, 1.5, "s"))
    assert ds.element_spec == (tf.TensorSpec((), tf.int64), tf.TensorSpec((), tf.float32),
                               tf.TensorSpec((), tf.string))
    assert values(ds)[1] == (1, 1.5, b"s")


def test_map_output_spec_marks_sizes_that_vary():
    ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x))
    assert ds.element_spec == tf.TensorSpec((None,), tf.int64)
    ds = tf.data.Dataset.from_tensor_slices(np.zeros((4, 28, 28), np.uint8)).map(
        lambda im: tf.reshape(tf.cast(im, tf.float32), [-1]))
    assert ds.element_spec == tf.TensorSpec((784,), tf.float32)


def test_elementwise_map_runs_once_per_chunk():
    ds = tf.data.Dataset.from_tensor_slices((np.arange(10, dtype=np.uint8), np.arange(10))).map(
        lambda x, y: (tf.cast(x, tf.float32) / 255.0, y))
    assert ds._fn.vectorized
    out = values(ds)
    assert out[3] == (pytest.approx(3 / 255.0), 3)
    assert ds.element_spec[0] == tf.TensorSpec((), tf.float32)


def test_map_with_a_reduction_keeps_one_replay_per_element():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    ds = tf.data.Dataset.from_tensor_slices(x).map(lambda v: v - tf.reduce_mean(v))
    assert ds._fn.traced and not ds._fn.vectorized
    np.testing.assert_allclose(np.array(values(ds)), x - x.mean(axis=1, keepdims=True))
    ds = tf.data.Dataset.from_tensor_slices(x).map(lambda v: tf.reduce_sum(v, axis=0))
    assert not ds._fn.vectorized and values(ds) == [6.0, 22.0, 38.0]


def test_map_over_a_recorded_index_op_traces_and_stays_correct():
    ds = tf.data.Dataset.range(5).map(lambda x: tf.one_hot(x, 5))  # one_hot takes its indices as an op input
    assert ds._fn.traced and ds._fn.eager_reason is None
    assert np.array(values(ds)).argmax(axis=1).tolist() == [0, 1, 2, 3, 4]


def test_map_that_reads_a_value_back_runs_eagerly():
    ds = tf.data.Dataset.range(6).map(lambda x: x * 2 if int(x) % 2 else -x)
    assert values(ds) == [0, 2, -2, 6, -4, 10]
    assert not ds._fn.traced and "read back" in ds._fn.eager_reason


def test_map_of_strings_runs_string_ops_per_element():
    ds = tf.data.Dataset.from_tensor_slices(["a b", "c d e"]).map(tf.strings.split)
    assert ds.element_spec == tf.TensorSpec((None,), tf.string)
    assert values(ds) == [[b"a", b"b"], [b"c", b"d", b"e"]]


def test_py_function_inside_map_runs_on_each_element():
    calls = []

    def upper(t):
        calls.append(1)
        return t.numpy().decode("utf-8").upper()

    ds = tf.data.Dataset.from_tensor_slices(["hello", "world"])
    d = ds.map(lambda x: tf.py_function(func=upper, inp=[x], Tout=tf.string))
    n = len(calls)
    assert values(d) == [b"HELLO", b"WORLD"] and len(calls) == n + 2


def test_random_ops_in_a_map_draw_anew_for_each_element():
    ds = tf.data.Dataset.from_tensor_slices(np.zeros((50, 3), np.float32)).map(
        lambda x: x + tf.random.uniform([3]))
    out = np.array(values(ds))
    assert len({tuple(r) for r in out.tolist()}) == 50


def test_map_over_inputs_of_unknown_size_traces_per_shape():
    ds = tf.data.Dataset.from_generator(lambda: (np.arange(n, dtype=np.float32) for n in (2, 3, 2, 5)),
                                        output_signature=tf.TensorSpec((None,), tf.float32))
    m = ds.map(lambda v: v * 2.0)
    assert values(m) == [[0.0, 2.0], [0.0, 2.0, 4.0], [0.0, 2.0], [0.0, 2.0, 4.0, 6.0, 8.0]]
    assert m._fn.traced


def test_an_error_in_a_map_propagates_and_ignore_errors_drops_the_element():
    ds = tf.data.Dataset.from_tensor_slices([1.0, 2.0, 0.0, 4.0]).map(
        lambda x: tf.debugging.check_numerics(1.0 / x, "error"))
    with np.errstate(divide="ignore"), pytest.raises(tf.errors.InvalidArgumentError):
        list(ds)
    with np.errstate(divide="ignore"):
        assert values(ds.ignore_errors()) == [1.0, 0.5, 0.25]
        assert values(ds.apply(tf.data.experimental.ignore_errors())) == [1.0, 0.5, 0.25]


def test_filter_keeps_elements_whose_predicate_is_true():
    ds = tf.data.Dataset.from_tensor_slices([1, 2, 3])
    assert values(ds.filter(lambda x: x < 3)) == [1, 2]
    assert values(ds.filter(lambda x: tf.math.equal(x, 1))) == [1]
    assert ds.filter(lambda x: x < 3)._fn.vectorized


def test_filter_predicate_must_be_a_scalar_bool():
    with pytest.raises(ValueError, match="must return a `tf.bool` scalar tensor"):
        tf.data.Dataset.range(3).filter(lambda x: x)


def test_take_while_stops_at_the_first_false():
    assert values(tf.data.Dataset.range(10).take_while(lambda x: x < 5)) == [0, 1, 2, 3, 4]
    assert values(tf.data.Dataset.range(10).apply(tf.data.experimental.take_while(lambda x: x < 2))) == [0, 1]


def test_map_rejects_a_non_callable():
    with pytest.raises(TypeError, match="callable"):
        tf.data.Dataset.range(2).map(3)


def test_a_traced_map_prints_once_while_tracing(capsys):
    def f(x):
        print("tracing")
        return x * 2

    ds = tf.data.Dataset.range(3).map(f)
    assert values(ds) == [0, 2, 4] and values(ds) == [0, 2, 4]
    assert capsys.readouterr().out == "tracing\n"
