"""The checkpoint files: their documented layout, values of every dtype, atomic writes (a crash mid-save leaves the
previous checkpoint loadable), and hostile or damaged files giving an error that names the file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tensorlet as tf
from tensorlet.checkpoint import bundle

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def saved(tmp_path, **values):
    return tf.train.Checkpoint(**{k: tf.Variable(v) for k, v in values.items()}).write(str(tmp_path / "c"))


def test_layout_is_json_index_and_raw_data(tmp_path):
    prefix = saved(tmp_path, w=np.arange(6, dtype=np.float32).reshape(2, 3))
    index = json.loads(open(prefix + ".index").read())
    assert index["format"] == "tensorlet-checkpoint" and index["version"] == 1
    entry = index["tensors"]["w/.ATTRIBUTES/VARIABLE_VALUE"]
    assert (entry["dtype"], entry["shape"], entry["size"]) == ("float32", [2, 3], 24)
    raw = open(prefix + ".data-00000-of-00001", "rb").read()
    np.testing.assert_array_equal(np.frombuffer(raw[entry["offset"]:][:24], "<f4"), np.arange(6))
    assert index["object_graph"]["nodes"][0]["children"] == [["w", 1]]


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(st.sampled_from([np.float16, np.float32, np.float64, np.int8, np.int32, np.int64, np.uint8,
                                   np.bool_, np.complex64]), hnp.array_shapes(min_dims=0, max_dims=3, min_side=0)))
def test_values_round_trip_bit_for_bit(tmp_path_factory, value):
    folder = tmp_path_factory.mktemp("rt")
    prefix = tf.train.Checkpoint(v=tf.Variable(value)).write(str(folder / "c"))
    back = tf.train.load_variable(prefix, "v/.ATTRIBUTES/VARIABLE_VALUE")
    assert back.dtype == value.dtype and back.shape == value.shape
    assert back.tobytes() == value.tobytes()


def test_string_variables_are_refused_with_a_reason(tmp_path):
    with pytest.raises(TypeError, match="numeric and boolean"):
        tf.train.Checkpoint(s=tf.Variable("text")).write(str(tmp_path / "c"))


@pytest.mark.parametrize("damage, says", [
    (lambda p: open(p + ".index", "wb").write(b"\x00\x01binary table"), "TensorFlow's tensor-bundle"),
    (lambda p: open(p + ".index", "w").write("{not json"), "index is corrupted"),
    (lambda p: open(p + ".index", "w").write('{"format": "other"}'), "not a valid tensorlet checkpoint index"),
    (lambda p: _edit(p, lambda i: i.update(version=99)), "newer tensorlet"),
    (lambda p: _edit(p, lambda i: i["tensors"]["w/.ATTRIBUTES/VARIABLE_VALUE"].update(dtype="object")), "dtype"),
    (lambda p: _edit(p, lambda i: i["tensors"]["w/.ATTRIBUTES/VARIABLE_VALUE"].update(shape=[10**9, 10**9])),
     "do not fit"),
    (lambda p: _edit(p, lambda i: i["tensors"]["w/.ATTRIBUTES/VARIABLE_VALUE"].update(offset=-1)), "offset"),
    (lambda p: _edit(p, lambda i: i["object_graph"]["nodes"][0].update(children=[["w", 42]])), "malformed children"),
    (lambda p: _edit(p, lambda i: i["object_graph"]["nodes"][1].update(key="nope")), "does not hold"),
    (lambda p: open(p + ".data-00000-of-00001", "ab").write(b"extra"), "belongs to another save"),
    (lambda p: os.remove(p + ".data-00000-of-00001"), "is missing"),
])
def test_hostile_or_damaged_files_name_the_file(tmp_path, damage, says):
    prefix = saved(tmp_path, w=np.ones(4, np.float32))
    damage(prefix)
    with pytest.raises(tf.errors.DataLossError, match=says) as info:
        tf.train.Checkpoint(w=tf.Variable(np.zeros(4, np.float32))).read(prefix)
    assert str(tmp_path) in str(info.value)


def test_flipped_data_byte_fails_its_checksum(tmp_path):
    prefix = saved(tmp_path, w=np.ones(4, np.float32))
    data = prefix + ".data-00000-of-00001"
    raw = bytearray(open(data, "rb").read())
    raw[3] ^= 0xFF
    open(data, "wb").write(bytes(raw))
    with pytest.raises(tf.errors.DataLossError, match="checksum"):
        tf.train.load_variable(prefix, "w/.ATTRIBUTES/VARIABLE_VALUE")


def test_deeply_nested_json_is_a_clear_error(tmp_path):
    prefix = saved(tmp_path, w=np.ones(1, np.float32))
    open(prefix + ".index", "w").write("{\"a\": " + "[" * 100000 + "]" * 100000 + "}")
    with pytest.raises(tf.errors.DataLossError, match="corrupted"):
        bundle.BundleReader(prefix)


def _edit(prefix, change):
    index = json.loads(open(prefix + ".index").read())
    change(index)
    open(prefix + ".index", "w").write(json.dumps(index))


def test_exception_mid_save_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    v = tf.Variable(1.0)
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), max_to_keep=3)
    first = manager.save()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(bundle.json, "dump", broken)  # the data file is written, the index is not
    v.assign(2.0)
    with pytest.raises(OSError, match="disk full"):
        manager.save()
    monkeypatch.undo()
    assert tf.train.latest_checkpoint(str(tmp_path)) == first
    assert not any(name.startswith(".") for name in os.listdir(tmp_path))  # no temporary file left behind
    w = tf.Variable(0.0)
    tf.train.Checkpoint(v=w).restore(tf.train.latest_checkpoint(str(tmp_path))).assert_consumed()
    assert float(w) == 1.0


@pytest.mark.parametrize("crash_at", ["index", "checkpoint"])
def test_process_killed_mid_save_leaves_the_previous_checkpoint(tmp_path, crash_at):
    """A child process dies (os._exit, as a SIGKILL would leave it) at the rename of the third save's index file,
    or of the `checkpoint` file after it; the directory still restores the second checkpoint."""
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {ROOT!r})
        import tensorlet as tf
        v = tf.Variable(0.0)
        manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), {str(tmp_path)!r}, max_to_keep=2)
        for i in (1.0, 2.0):
            v.assign(i)
            manager.save()
        real_replace = os.replace
        def dying_replace(src, dst):
            if os.path.basename(dst) == {"ckpt-3.index" if crash_at == "index" else "checkpoint"!r}:
                os._exit(9)
            real_replace(src, dst)
        os.replace = dying_replace
        v.assign(3.0)
        manager.save()
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert result.returncode == 9, result.stderr
    latest = tf.train.latest_checkpoint(str(tmp_path))
    assert os.path.basename(latest) == "ckpt-2"
    w = tf.Variable(0.0)
    tf.train.Checkpoint(v=w).restore(latest).assert_consumed()
    assert float(w) == 2.0
