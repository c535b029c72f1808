"""lower, upper, strip, length and substr (TF's documented examples and edge cases)."""
from __future__ import annotations

import pytest

import tensorlet as tf
from tensorlet.errors import InvalidArgumentError


def test_lower_upper_ascii_by_default_unicode_with_encoding():
    assert tf.strings.lower("CamelCase string and ALL CAPS").numpy() == b"camelcase string and all caps"
    assert tf.strings.lower(["ÀB Cd"]).numpy().tolist() == ["Àb cd".encode()]
    assert tf.strings.lower(["ÀB Cd"], encoding="utf-8").numpy().tolist() == ["àb cd".encode()]
    assert tf.strings.upper("àb").numpy() == "àB".encode()
    assert tf.strings.upper("àb", encoding="utf-8").numpy() == "ÀB".encode()
    with pytest.raises(ValueError, match="encoding"):
        tf.strings.lower("a", encoding="latin-1")


def test_strip_removes_ascii_whitespace_only():
    out = tf.strings.strip(["\t a b \x0b\n", "\xa0x "])
    assert out.numpy().tolist() == [b"a b", "\xa0x".encode()]


def test_length_in_bytes_and_characters():
    assert tf.strings.length(["héllo", ""]).numpy().tolist() == [6, 0]
    assert tf.strings.length(["héllo", ""], unit="UTF8_CHAR").numpy().tolist() == [5, 0]
    assert tf.strings.length("x").dtype == tf.int32
    with pytest.raises(ValueError, match="unit"):
        tf.strings.length("x", unit="CHAR")


def test_substr_positions_lengths_and_broadcasting():
    assert tf.strings.substr(["Hello", "World"], 1, 3).numpy().tolist() == [b"ell", b"orl"]
    assert tf.strings.substr(["Hello"], -3, 2).numpy().tolist() == [b"ll"]
    assert tf.strings.substr(["Hello"], 3, 10).numpy().tolist() == [b"lo"]
    assert tf.strings.substr(["Hello"], 5, 1).numpy().tolist() == [b""]
    assert tf.strings.substr(["Hello", "World"], [1, 2], [2, 3]).numpy().tolist() == [b"el", b"rld"]
    assert tf.strings.substr(["héllo"], 1, 2, unit="UTF8_CHAR").numpy().tolist() == ["él".encode()]
    with pytest.raises(InvalidArgumentError, match="pos 6 out of range"):
        tf.strings.substr(["Hello"], 6, 1)


def test_elementwise_ops_keep_ragged_structure():
    rt = tf.ragged.constant([["A", "Bb"], ["C"]])
    out = tf.strings.lower(rt)
    assert isinstance(out, tf.RaggedTensor) and out.to_list() == [[b"a", b"bb"], [b"c"]]
    assert tf.strings.length(rt).to_list() == [[1, 2], [1]]
    assert tf.strings.substr(rt, 0, 1).to_list() == [[b"A", b"B"], [b"C"]]


def test_non_string_input_is_a_type_error():
    with pytest.raises(TypeError, match="tf.strings.lower: input must be a string tensor, got dtype int32"):
        tf.strings.lower([1])
