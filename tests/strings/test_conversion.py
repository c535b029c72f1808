"""to_number and as_string (printf formatting rules as TF's kernels apply them)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.errors import InvalidArgumentError


def test_to_number_floats_and_ints():
    out = tf.strings.to_number(["1.5", "-2", " 3", "1e3", "inf", "0x10"])
    assert out.dtype == tf.float32 and out.numpy().tolist() == [1.5, -2.0, 3.0, 1000.0, np.inf, 16.0]
    assert np.isnan(tf.strings.to_number("nan").numpy())
    ints = tf.strings.to_number(["12", "-3", "+4"], out_type=tf.int32)
    assert ints.dtype == tf.int32 and ints.numpy().tolist() == [12, -3, 4]
    assert tf.strings.to_number(["2"], out_type="float64").dtype == tf.float64


def test_to_number_rejects_what_tf_rejects():
    for bad, out_type in (("abc", tf.float32), ("1.5", tf.int64), ("1_0", tf.float32), ("3000000000", tf.int32)):
        with pytest.raises(InvalidArgumentError, match="could not correctly convert string"):
            tf.strings.to_number([bad], out_type=out_type)
    with pytest.raises(TypeError, match="out_type"):
        tf.strings.to_number("1", out_type=tf.string)


def test_as_string_floats():
    assert tf.strings.as_string([3.14159, 1e20]).numpy().tolist() == [b"3.141590", b"100000002004087734272.000000"]
    assert tf.strings.as_string([3.14159], precision=2).numpy().tolist() == [b"3.14"]
    assert tf.strings.as_string([3.14159], scientific=True).numpy().tolist() == [b"3.141590e+00"]
    assert tf.strings.as_string([3.14159, 1e20, 0.1], shortest=True).numpy().tolist() == [b"3.14159", b"1e+20",
                                                                                           b"0.1"]
    assert tf.strings.as_string([np.nan, np.inf]).numpy().tolist() == [b"nan", b"inf"]
    assert tf.strings.as_string([3.5], width=10, fill="0", precision=1).numpy().tolist() == [b"00000003.5"]
    assert tf.strings.as_string(tf.constant([1 + 2j], tf.complex64)).numpy().tolist() == [b"(1.000000,2.000000)"]


def test_as_string_ints_bools_and_strings():
    assert tf.strings.as_string([3, -42], width=5).numpy().tolist() == [b"    3", b"  -42"]
    assert tf.strings.as_string([3, -42], width=5, fill="0").numpy().tolist() == [b"00003", b"-0042"]
    assert tf.strings.as_string([3, -3], width=4, fill="-").numpy().tolist() == [b"3   ", b"-3  "]
    assert tf.strings.as_string([3], width=4, fill="+").numpy().tolist() == [b"  +3"]
    assert tf.strings.as_string([True, False]).numpy().tolist() == [b"true", b"false"]
    assert tf.strings.as_string(tf.constant([2 ** 40], tf.int64)).numpy().tolist() == [b"1099511627776"]
    assert tf.strings.as_string(["a"]).numpy().tolist() == [b"a"]


def test_as_string_argument_errors():
    with pytest.raises(InvalidArgumentError, match="one or fewer characters"):
        tf.strings.as_string([3], width=5, fill="ab")
    with pytest.raises(InvalidArgumentError, match="Fill argument not supported"):
        tf.strings.as_string([3], width=5, fill="x")
    with pytest.raises(InvalidArgumentError, match="both scientific and shortest"):
        tf.strings.as_string([3.0], scientific=True, shortest=True)
    with pytest.raises(InvalidArgumentError, match="precision not supported for datatype int32"):
        tf.strings.as_string([3], precision=2)


def test_conversions_keep_ragged_structure():
    rt = tf.ragged.constant([["1", "2"], ["3"]])
    assert tf.strings.to_number(rt, tf.int32).to_list() == [[1, 2], [3]]
    assert tf.strings.as_string(tf.ragged.constant([[1, 2], [3]])).to_list() == [[b"1", b"2"], [b"3"]]
