"""The `checkpoint` file: TensorFlow's text format written and read, relative paths, damaged files ignored."""
from __future__ import annotations

import os

import tensorlet as tf
from tensorlet.checkpoint import state_file


def test_written_in_tensorflows_format_with_relative_paths(tmp_path):
    prefix = str(tmp_path / "ckpt-3")
    tf.train.Checkpoint(v=tf.Variable(1.0)).write(prefix)
    state_file.write_state(str(tmp_path), prefix, [str(tmp_path / "ckpt-2"), prefix], [1.5, 2.5], 0.5)
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "ckpt-3"\n'
        'all_model_checkpoint_paths: "ckpt-2"\nall_model_checkpoint_paths: "ckpt-3"\n'
        "all_model_checkpoint_timestamps: 1.5\nall_model_checkpoint_timestamps: 2.5\n"
        "last_preserved_timestamp: 0.5\n")
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix


def test_reads_a_file_written_by_tensorflow(tmp_path):
    (tmp_path / "checkpoint").write_text(
        'model_checkpoint_path: "cp-0010.ckpt"\nall_model_checkpoint_paths: "cp-0005.ckpt"\n'
        'all_model_checkpoint_paths: "cp-0010.ckpt"\nall_model_checkpoint_timestamps: 1714000000.125\n'
        'all_model_checkpoint_timestamps: 1714000100.25\nlast_preserved_timestamp: 1713999999.5\n')
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == os.path.join(str(tmp_path), "cp-0010.ckpt")
    assert state.all_model_checkpoint_timestamps == [1714000000.125, 1714000100.25]
    assert tf.train.latest_checkpoint(str(tmp_path)) is None  # its files do not exist


def test_escaped_and_absolute_paths(tmp_path):
    prefix = str(tmp_path / 'we"ird\\name')
    tf.train.Checkpoint(v=tf.Variable(1.0)).write(prefix)
    state_file.write_state(str(tmp_path), prefix)
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "checkpoint").write_text(f'model_checkpoint_path: "{tmp_path}/we\\"ird\\\\name"\n')
    assert tf.train.latest_checkpoint(str(other)) == prefix


def test_damaged_file_is_ignored_with_a_log_naming_it(tmp_path, caplog):
    (tmp_path / "checkpoint").write_text("this is not a checkpoint state\n")
    with caplog.at_level("WARNING", logger="tensorflow"):
        assert tf.train.latest_checkpoint(str(tmp_path)) is None
    assert "not a valid checkpoint state file" in caplog.text and str(tmp_path) in caplog.text
    assert tf.train.latest_checkpoint(str(tmp_path / "missing")) is None
