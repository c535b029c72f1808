"""tf.strings.format (tf.print's summaries), join and reduce_join."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.errors import InvalidArgumentError


def _fmt(template, inputs, **kw):
    return tf.strings.format(template, inputs, **kw).numpy()


def test_format_documented_examples():
    assert _fmt("The tensor is: {}", tf.constant([1, 2, 3])) == b"The tensor is: [1 2 3]"
    assert _fmt("a {} b {}", (tf.constant([[1, 2], [3, 4]]), 5)) == b"a [[1 2]\n [3 4]] b 5"
    assert _fmt("{}", tf.reshape(tf.range(8), (2, 2, 2))) == b"[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]"


def test_format_summarizes_long_axes():
    assert _fmt("{}", tf.range(10)) == b"[0 1 2 ... 7 8 9]"
    assert _fmt("{}", tf.range(10), summarize=2) == b"[0 1 ... 8 9]"
    assert _fmt("{}", tf.range(10), summarize=-1) == b"[0 1 2 3 4 5 6 7 8 9]"
    assert _fmt("{}", tf.range(6)) == b"[0 1 2 3 4 5]"
    assert _fmt("{}", tf.reshape(tf.range(49), (7, 7))) == (
        b"[[0 1 2 ... 4 5 6]\n [7 8 9 ... 11 12 13]\n [14 15 16 ... 18 19 20]\n ...\n"
        b" [28 29 30 ... 32 33 34]\n [35 36 37 ... 39 40 41]\n [42 43 44 ... 46 47 48]]")
    assert _fmt("{}", tf.reshape(tf.range(98), (7, 2, 7)), summarize=1) == \
        b"[[[0 ... 6]\n  [7 ... 13]]\n\n ...\n\n [[84 ... 90]\n  [91 ... 97]]]"


def test_format_element_kinds():
    assert _fmt("{}", tf.constant("abc")) == b'"abc"'
    assert _fmt("{}", tf.constant(['a"b', "é\n", "\\"])) == '["a\\"b" "é\\n" "\\\\"]'.encode()
    assert _fmt("{}", tf.constant(["\t\x01'\x7f"])) == b"[\"\\t\\001\\'\\177\"]"
    assert _fmt("{}", tf.constant([0.1, 2.0, 1e-5])) == b"[0.1 2 1e-05]"
    assert _fmt("{}", tf.constant([1 / 3, 1234567.0, 1e10])) == b"[0.333333343 1234567 1e+10]"
    assert _fmt("{}", tf.constant([1 / 3], tf.float64)) == b"[0.33333333333333331]"
    assert _fmt("{}", tf.constant([np.nan, np.inf, -0.0])) == b"[nan inf -0]"
    assert _fmt("{}", tf.constant([True, False])) == b"[1 0]"
    assert _fmt("{}", tf.constant([], tf.int32)) == b"[]"
    assert _fmt("{} and {}", [tf.constant(1), tf.constant([2.5])]) == b"1 and [2.5]"
    assert _fmt("x %s y", tf.constant(3), placeholder="%s") == b"x 3 y"
    assert _fmt("{}", [tf.ragged.constant([[1, 2], [3]])]) == b"[[1, 2], [3]]"


def test_format_placeholder_count_must_match():
    with pytest.raises(ValueError, match="expects 2 tensors"):
        tf.strings.format("{} {}", [tf.constant(1)])


def test_join_elementwise_with_broadcast_scalars():
    assert tf.strings.join([["abc", "123"], ["def", "456"]], separator=" ").numpy().tolist() == [b"abc def",
                                                                                                  b"123 456"]
    assert tf.strings.join([["a", "b"], "c"], separator="-").numpy().tolist() == [b"a-c", b"b-c"]
    assert tf.strings.join(["abc", "def"]).numpy() == b"abcdef"
    rt = tf.ragged.constant([["a", "b"], ["c"]])
    assert tf.strings.join([rt, "!"]).to_list() == [[b"a!", b"b!"], [b"c!"]]
    with pytest.raises(InvalidArgumentError, match="shapes do not match"):
        tf.strings.join([["a", "b"], ["a", "b", "c"]])
    with pytest.raises(TypeError, match="string tensor"):
        tf.strings.join([["a", "b"], [1, 2]])


def test_reduce_join_axes_order_and_keepdims():
    x = [["a", "b"], ["c", "d"]]
    assert tf.strings.reduce_join(x).numpy() == b"abcd"
    assert tf.strings.reduce_join(x, axis=1, separator="|").numpy().tolist() == [b"a|b", b"c|d"]
    assert tf.strings.reduce_join(x, axis=0, keepdims=True).numpy().tolist() == [[b"ac", b"bd"]]
    assert tf.strings.reduce_join(x, axis=[0, 1], separator=".").numpy() == b"a.c.b.d"
    assert tf.strings.reduce_join(x, axis=[1, 0], separator=".").numpy() == b"a.b.c.d"
    assert tf.strings.reduce_join(x, axis=-2).numpy().tolist() == [b"ac", b"bd"]
    assert tf.strings.reduce_join(x, keepdims=True).numpy().tolist() == [[b"abcd"]]
    assert tf.strings.reduce_join(tf.zeros((0,), tf.string)).numpy() == b""
    with pytest.raises(InvalidArgumentError, match="invalid reduction dimension 2"):
        tf.strings.reduce_join(x, axis=2)


def test_reduce_join_ragged():
    rt = tf.ragged.constant([["a", "b"], ["c"]])
    assert tf.strings.reduce_join(rt, axis=-1, separator=" ").numpy().tolist() == [b"a b", b"c"]
    assert tf.strings.reduce_join(rt).numpy() == b"abc"
    assert tf.strings.reduce_join(rt, axis=0).numpy().tolist() == [b"ac", b"b"]
    r3 = tf.ragged.constant([[["a", "b"], ["c"]], [["d"]]])
    assert tf.strings.reduce_join(r3, axis=-1).to_list() == [[b"ab", b"c"], [b"d"]]
