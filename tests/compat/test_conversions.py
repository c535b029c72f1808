"""tf.compat's conversion helpers."""
from __future__ import annotations

import pathlib

import pytest

import tensorlet as tf


def test_as_bytes_and_as_text_round_trip():
    assert tf.compat.as_bytes("é") == "é".encode() and tf.compat.as_text(b"abc") == "abc"
    assert tf.compat.as_str(bytearray(b"x")) == "x" and tf.compat.as_str_any(3) == "3"
    with pytest.raises(TypeError, match="as_bytes: expected binary or unicode string"):
        tf.compat.as_bytes(3)


def test_dimension_value_and_paths():
    assert tf.compat.dimension_value(3) == 3 and tf.compat.dimension_value(None) is None
    assert tf.compat.dimension_at_index(tf.TensorShape([2, 5]), 1) == 5
    assert tf.compat.path_to_str(pathlib.Path("a/b")) == "a/b"


def test_forward_compatible_follows_the_horizon():
    assert tf.compat.forward_compatible(2020, 1, 1)
    assert not tf.compat.forward_compatible(2100, 1, 1)
    with tf.compat.forward_compatibility_horizon(2101, 1, 1):
        assert tf.compat.forward_compatible(2100, 1, 1)
