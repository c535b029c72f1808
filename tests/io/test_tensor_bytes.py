"""decode_raw, serialize_tensor/parse_tensor, read_file/write_file, TFRecordWriter options."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf


def test_decode_raw_reinterprets_bytes():
    x = np.arange(6, dtype=np.float32)
    np.testing.assert_array_equal(tf.io.decode_raw(x.tobytes(), tf.float32).numpy(), x)
    big = tf.io.decode_raw(np.arange(2, dtype=">i2").tobytes(), tf.int16, little_endian=False)
    assert big.numpy().tolist() == [0, 1]
    assert tf.io.decode_raw([b"ab", b"cd"], tf.uint8).shape == (2, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="same size"):
        tf.io.decode_raw([b"ab", b"c"], tf.uint8)


def test_serialize_and_parse_tensor_round_trip():
    for value in (np.arange(6, dtype=np.int64).reshape(2, 3), np.float32(2.5), np.array([b"a", b"bb"], object)):
        t = tf.constant(value)
        back = tf.io.parse_tensor(tf.io.serialize_tensor(t), t.dtype)
        assert back.numpy().tolist() == t.numpy().tolist() and back.shape == t.shape
    with pytest.raises(tf.errors.InvalidArgumentError, match="Type mismatch"):
        tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant([1])), tf.float32)


def test_read_and_write_file(tmp_path):
    path = str(tmp_path / "sub" / "f.bin")
    tf.io.write_file(path, tf.constant(b"\x00\x01"))
    assert tf.io.read_file(path).numpy() == b"\x00\x01"
    with pytest.raises(tf.errors.NotFoundError):
        tf.io.read_file(str(tmp_path / "none"))
    assert tf.io.matching_files(str(tmp_path / "sub" / "*")).numpy().tolist() == [path.encode()]


def test_tfrecord_writer_closes_and_accepts_options(tmp_path):
    path = str(tmp_path / "r.tfrecord")
    w = tf.io.TFRecordWriter(path, tf.io.TFRecordOptions(compression_type="ZLIB"))
    w.write("text record")
    w.close()
    with pytest.raises(ValueError, match="closed"):
        w.write(b"x")
    assert [r.numpy() for r in tf.data.TFRecordDataset(path, compression_type="ZLIB")] == [b"text record"]
    with pytest.raises(ValueError, match="compression_type"):
        tf.io.TFRecordOptions(compression_type="LZ4")
