"""String tensors: tf.constant of str/bytes gives dtype tf.string holding bytes, with TF's numpy(), repr and
comparisons."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf


def test_constant_of_str_is_a_string_tensor_of_bytes():
    t = tf.constant(["a b", "c"])
    assert t.dtype == tf.string and t.shape == (2,)
    value = t.numpy()
    assert value.dtype == object and value.tolist() == [b"a b", b"c"]
    assert tf.constant("é").numpy() == b"\xc3\xa9"  # str is encoded as UTF-8
    assert tf.constant(b"\xff").numpy() == b"\xff"  # bytes are kept as they are


def test_string_tensor_repr_and_str_match_tf():
    t = tf.constant(["a b", "c"])
    assert repr(t) == "<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'a b', b'c'], dtype=object)>"
    assert str(t) == "tf.Tensor([b'a b' b'c'], shape=(2,), dtype=string)"
    assert repr(tf.constant("x")) == "<tf.Tensor: shape=(), dtype=string, numpy=b'x'>"


def test_string_sources_numpy_unicode_and_explicit_dtype():
    assert tf.constant(np.array(["ab", "c"])).numpy().tolist() == [b"ab", b"c"]
    assert tf.constant(np.array([b"ab"])).dtype == tf.string
    assert tf.constant(["a", b"b"], dtype=tf.string).numpy().tolist() == [b"a", b"b"]
    assert tf.convert_to_tensor([["x"], ["y"]]).shape == (2, 1)
    assert tf.as_dtype(np.dtype(object)) == tf.string


def test_caller_object_array_is_not_rewritten():
    source = np.array(["a", "b"], dtype=object)
    tf.constant(source)
    assert source.tolist() == ["a", "b"]


def test_non_string_objects_are_refused():
    with pytest.raises(TypeError, match="tf.string element"):
        tf.constant(np.array([1, "a"], dtype=object))


def test_string_equality_with_python_strings():
    assert bool(tf.constant("a") == "a")
    assert (tf.constant(["a", "b"]) != "a").numpy().tolist() == [False, True]
    assert tf.equal(tf.constant(["a", "b"]), ["a", "c"]).numpy().tolist() == [True, False]


def test_indexing_and_iterating_string_tensors():
    t = tf.constant([["a", "b"], ["c", "d"]])
    assert t[1, 0].numpy() == b"c"
    assert [row.numpy().tolist() for row in t] == [[b"a", b"b"], [b"c", b"d"]]
