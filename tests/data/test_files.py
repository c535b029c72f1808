"""TextLineDataset, TFRecordDataset, FixedLengthRecordDataset, list_files."""
from __future__ import annotations

import gzip
import os

import numpy as np
import pytest

import tensorlet as tf
from tests.data.helpers import values


def test_text_lines_without_line_ends(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"first\nsecond\r\nthird")
    b.write_bytes(b"x\n\ny\n")
    assert values(tf.data.TextLineDataset(str(a))) == [b"first", b"second", b"third"]
    assert values(tf.data.TextLineDataset([str(a), str(b)])) == [b"first", b"second", b"third", b"x", b"", b"y"]
    assert repr(tf.data.TextLineDataset(str(a))).startswith("<TextLineDatasetV2 element_spec=TensorSpec(shape=()")


def test_text_lines_interleaved_files_and_gzip(tmp_path):
    paths = []
    for name in "abc":
        p = tmp_path / f"{name}.txt.gz"
        with gzip.open(p, "wb") as f:
            f.write(b"".join(f"{name}{i}\n".encode() for i in range(3)))
        paths.append(str(p))
    ds = tf.data.TextLineDataset(paths, compression_type="GZIP", num_parallel_reads=3)
    assert values(ds)[:6] == [b"a0", b"b0", b"c0", b"a1", b"b1", b"c1"]
    lines = tf.data.Dataset.from_tensor_slices(paths).interleave(
        lambda f: tf.data.TextLineDataset(f, compression_type="GZIP"), cycle_length=3)
    assert values(lines)[:3] == [b"a0", b"b0", b"c0"]


def test_text_lines_filter_like_the_titanic_guide(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("survived,sex\n0,male\n1,female\n1,male\n")
    ds = tf.data.TextLineDataset(str(p)).skip(1).filter(
        lambda line: tf.not_equal(tf.strings.substr(line, 0, 1), "0"))
    assert values(ds) == [b"1,female", b"1,male"]


def test_tfrecord_round_trip_with_compression(tmp_path):
    for compression in (None, "GZIP", "ZLIB"):
        path = str(tmp_path / f"r{compression}.tfrecord")
        with tf.io.TFRecordWriter(path, options=compression) as w:
            for i in range(5):
                w.write(f"record {i}".encode() * (i * 30 + 1))
        ds = tf.data.TFRecordDataset(path, compression_type=compression)
        assert [len(v) for v in values(ds)] == [len(f"record {i}".encode() * (i * 30 + 1)) for i in range(5)]


def test_tfrecord_corruption_is_data_loss(tmp_path):
    path = str(tmp_path / "r.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        w.write(b"hello world")
    data = bytearray(open(path, "rb").read())
    data[14] ^= 0xFF
    open(path, "wb").write(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="corrupted record"):
        list(tf.data.TFRecordDataset(path))
    with pytest.raises(tf.errors.NotFoundError):
        list(tf.data.TFRecordDataset(str(tmp_path / "missing.tfrecord")))


def test_fixed_length_records(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"HDR" + bytes(range(12)) + b"F")
    ds = tf.data.FixedLengthRecordDataset(str(path), record_bytes=4, header_bytes=3, footer_bytes=1)
    assert values(ds) == [bytes([0, 1, 2, 3]), bytes([4, 5, 6, 7]), bytes([8, 9, 10, 11])]


def test_list_files_matches_shuffles_and_sorts(tmp_path):
    for name in ("b.txt", "a.txt", "c.csv"):
        (tmp_path / name).write_text("x")
    pattern = os.path.join(str(tmp_path), "*.txt")
    assert values(tf.data.Dataset.list_files(pattern, shuffle=False)) == [
        os.path.join(str(tmp_path), n).encode() for n in ("a.txt", "b.txt")]
    assert sorted(values(tf.data.Dataset.list_files(pattern, seed=1))) == sorted(
        values(tf.data.Dataset.list_files(pattern, shuffle=False)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="No files matched pattern"):
        tf.data.Dataset.list_files(os.path.join(str(tmp_path), "*.png"))


def test_read_file_inside_map(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.bin").write_bytes(bytes([i]) * (i + 1))
    ds = tf.data.Dataset.list_files(str(tmp_path / "*.bin"), shuffle=False).map(tf.io.read_file)
    assert values(ds) == [b"\x00", b"\x01\x01", b"\x02\x02\x02"]
    assert ds._fn.traced
    raw = ds.map(lambda b: tf.io.decode_raw(b, tf.uint8))
    assert values(raw) == [[0], [1, 1], [2, 2, 2]]
    np.testing.assert_array_equal(next(iter(raw)).numpy(), np.zeros(1, np.uint8))
