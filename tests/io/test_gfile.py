"""tf.io.gfile and tf.io.read_file/write_file on the local filesystem: results, TF's errors, and read_file inside
tf.function."""
from __future__ import annotations

import os

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.errors import AlreadyExistsError, FailedPreconditionError, NotFoundError, UnimplementedError


def test_read_and_write_file_round_trip_and_create_parents(tmp_path):
    path = str(tmp_path / "a" / "b" / "note.bin")
    tf.io.write_file(path, b"\x00\xffhello")
    data = tf.io.read_file(path)
    assert data.dtype == tf.string and data.numpy() == b"\x00\xffhello"
    tf.io.write_file(tf.constant(path), tf.constant("héllo"))
    assert tf.io.read_file(tf.constant(path)).numpy() == "héllo".encode()


def test_read_file_errors(tmp_path):
    with pytest.raises(NotFoundError, match="No such file"):
        tf.io.read_file(str(tmp_path / "missing"))
    with pytest.raises(FailedPreconditionError):
        tf.io.read_file(str(tmp_path))
    with pytest.raises(TypeError, match="filename must be a string"):
        tf.io.read_file(3)


def test_read_file_in_a_traced_function_reads_each_calls_file(tmp_path):
    for name in ("x", "y"):
        tf.io.write_file(str(tmp_path / name), name * 3)

    @tf.function
    def contents(path):
        return tf.io.read_file(path)

    assert contents(tf.constant(str(tmp_path / "x"))).numpy() == b"xxx"
    tf.io.write_file(str(tmp_path / "y"), "yyyyy")
    assert contents(tf.constant(str(tmp_path / "y"))).numpy() == b"yyyyy"


def test_gfile_directory_functions(tmp_path):
    g = tf.io.gfile
    root = str(tmp_path / "r")
    g.makedirs(os.path.join(root, "a", "b"))
    g.makedirs(os.path.join(root, "a", "b"))  # exists: fine
    g.mkdir(os.path.join(root, "c"))
    with pytest.raises(AlreadyExistsError):
        g.mkdir(os.path.join(root, "c"))
    with pytest.raises(NotFoundError):
        g.mkdir(os.path.join(root, "x", "y"))
    with g.GFile(os.path.join(root, "a", "f.txt"), "w") as f:
        f.write("line 1\nline 2\n")
    assert g.exists(os.path.join(root, "a", "f.txt")) and not g.exists(os.path.join(root, "nope"))
    assert g.isdir(os.path.join(root, "a")) and not g.isdir(os.path.join(root, "a", "f.txt"))
    assert g.listdir(root) == ["a", "c"]
    assert g.glob(os.path.join(root, "*", "*.txt")) == [os.path.join(root, "a", "f.txt")]
    walked = list(g.walk(root))
    assert walked[0][0] == root and sorted(walked[0][1]) == ["a", "c"]
    st = g.stat(os.path.join(root, "a", "f.txt"))
    assert st.length == 14 and not st.is_directory and st.mtime_nsec > 0
    assert g.join(root, "a", "f.txt") == os.path.join(root, "a", "f.txt")


def test_gfile_copy_rename_remove_and_overwrite(tmp_path):
    g = tf.io.gfile
    src, dst = str(tmp_path / "src.txt"), str(tmp_path / "dst.txt")
    tf.io.write_file(src, "abc")
    g.copy(src, dst)
    with pytest.raises(AlreadyExistsError, match="overwrite=True"):
        g.copy(src, dst)
    g.copy(src, dst, overwrite=True)
    g.rename(dst, str(tmp_path / "moved.txt"))
    assert not g.exists(dst) and g.exists(str(tmp_path / "moved.txt"))
    g.remove(src)
    with pytest.raises(NotFoundError):
        g.remove(src)
    g.makedirs(str(tmp_path / "tree" / "deep"))
    g.rmtree(str(tmp_path / "tree"))
    assert not g.exists(str(tmp_path / "tree"))
    with pytest.raises(NotFoundError):
        g.rmtree(str(tmp_path / "tree"))


def test_gfile_reads_text_and_bytes(tmp_path):
    path = str(tmp_path / "f")
    with tf.io.gfile.GFile(path, "wb") as f:
        f.write(b"ab\ncd\n")
    with tf.io.gfile.GFile(path, "rb") as f:
        assert f.read(2) == b"ab" and f.tell() == 2 and f.size() == 6
    with tf.io.gfile.Open(path) as f:
        assert f.readlines() == ["ab\n", "cd\n"]
    assert [line for line in tf.io.gfile.GFile(path)] == ["ab\n", "cd\n"]
    with pytest.raises(NotFoundError):
        tf.io.gfile.GFile(str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="mode"):
        tf.io.gfile.GFile(path, "x")


def test_remote_schemes_are_refused_clearly():
    with pytest.raises(UnimplementedError, match="'gs' not implemented"):
        tf.io.gfile.exists("gs://bucket/file")
    assert tf.io.gfile.exists("file:///") is True


def test_tf_io_offers_the_image_codecs():
    png = tf.io.encode_png(np.zeros((2, 2, 3), np.uint8))
    assert tf.io.decode_image(png).shape == (2, 2, 3)
    assert tf.io.decode_png(png).shape == (2, 2, 3)
