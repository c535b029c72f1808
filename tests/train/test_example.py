"""tf.train.Example: construction, wire format (checked against bytes TensorFlow writes), text format."""
from __future__ import annotations

import pytest

import tensorlet as tf

# tf.train.Example(features={"a": int64 [1, -2]}).SerializeToString(), as TensorFlow 2.21 writes it
A_BYTES = b"\n\x16\n\x14\n\x01a\x12\x0f\x1a\r\n\x0b\x01\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01"


def example():
    return tf.train.Example(features=tf.train.Features(feature={
        "a": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, -2]))}))


def test_serialization_matches_tensorflows_bytes():
    assert example().SerializeToString() == A_BYTES
    back = tf.train.Example.FromString(A_BYTES)
    assert back == example() and back.features.feature["a"].int64_list.value == [1, -2]


def test_all_three_kinds_round_trip():
    ex = tf.train.Example(features=tf.train.Features(feature={
        "b": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"x\xff", "é"])),
        "f": tf.train.Feature(float_list=tf.train.FloatList(value=[1.5, 0.1])),
        "i": tf.train.Feature(int64_list=tf.train.Int64List(value=[2**40]))}))
    back = tf.train.Example()
    back.ParseFromString(ex.SerializeToString())
    assert back.features.feature["b"].bytes_list.value == [b"x\xff", "é".encode()]
    assert back.features.feature["f"].float_list.value == pytest.approx([1.5, 0.1])
    assert back.features.feature["i"].WhichOneof("kind") == "int64_list"


def test_text_format():
    assert str(example()) == ('features {\n  feature {\n    key: "a"\n    value {\n      int64_list {\n'
                              '        value: 1\n        value: -2\n      }\n    }\n  }\n}\n')
    assert str(tf.train.Feature(bytes_list=tf.train.BytesList(value=[b'a"\n\xff']))) == (
        'bytes_list {\n  value: "a\\"\\n\\377"\n}\n')


def test_maps_and_oneofs_are_made_on_access():
    ex = tf.train.Example()
    ex.features.feature["z"].float_list.value.append(2.0)
    assert ex.features.feature["z"].float_list.value == [2.0]
    assert tf.train.Feature().WhichOneof("kind") is None


def test_wrong_values_are_type_errors():
    with pytest.raises(TypeError, match="Int64List"):
        tf.train.Int64List(value=[1.5])
    with pytest.raises(TypeError, match="BytesList"):
        tf.train.BytesList(value=[1])
    with pytest.raises(ValueError, match="only one of"):
        tf.train.Feature(int64_list=tf.train.Int64List(), float_list=tf.train.FloatList())
