"""tf.train.CheckpointManager: numbering, max_to_keep pruning, keep_checkpoint_every_n_hours, step intervals,
picking up an existing directory, restore_or_initialize."""
from __future__ import annotations

import os

import pytest

import tensorlet as tf


def files(folder):
    return sorted(os.listdir(folder))


def test_max_to_keep_prunes_the_oldest(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(0))
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    assert manager.latest_checkpoint is None and manager.checkpoints == []
    paths = [manager.save() for _ in range(4)]
    assert paths == [str(tmp_path / f"ckpt-{i}") for i in range(1, 5)]
    assert manager.checkpoints == paths[2:] and manager.latest_checkpoint == paths[3]
    assert files(tmp_path) == ["checkpoint", "ckpt-3.data-00000-of-00001", "ckpt-3.index",
                               "ckpt-4.data-00000-of-00001", "ckpt-4.index"]
    assert tf.train.latest_checkpoint(str(tmp_path)) == paths[3]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == paths[2:] and len(state.all_model_checkpoint_timestamps) == 2


def test_max_to_keep_none_keeps_everything_and_zero_is_refused(tmp_path):
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(0)), str(tmp_path), max_to_keep=None)
    for _ in range(3):
        manager.save()
    assert len(manager.checkpoints) == 3
    with pytest.raises(ValueError, match="positive integer"):
        tf.train.CheckpointManager(tf.train.Checkpoint(), str(tmp_path), max_to_keep=0)


def test_checkpoint_number_and_name(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(0))
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=5, checkpoint_name="model")
    step = tf.Variable(1000, dtype=tf.int64)
    assert manager.save(checkpoint_number=step) == str(tmp_path / "model-1000")
    assert manager.save(checkpoint_number=7) == str(tmp_path / "model-7")
    assert int(ckpt.save_counter) == 2  # incremented either way


def test_overwriting_a_number_moves_it_to_the_end(tmp_path):
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(0)), str(tmp_path), max_to_keep=3)
    manager.save(checkpoint_number=1)
    manager.save(checkpoint_number=2)
    manager.save(checkpoint_number=1)
    assert [os.path.basename(p) for p in manager.checkpoints] == ["ckpt-2", "ckpt-1"]


def test_checkpoint_interval_needs_a_step_counter(tmp_path):
    step = tf.Variable(0)
    ckpt = tf.train.Checkpoint(step=step)
    with pytest.raises(ValueError, match="step_counter"):
        tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=3, checkpoint_interval=5)
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=None, step_counter=step,
                                         checkpoint_interval=5)
    saved = []
    for s in range(12):
        step.assign(s)
        saved.append(manager.save() is not None)
    assert [s for s, ok in zip(range(12), saved) if ok] == [0, 5, 10]
    assert manager.save() is None  # same step as the last save
    step.assign(11)
    assert manager.save(check_interval=False) is not None


def test_keep_checkpoint_every_n_hours_keeps_old_files_unmanaged(tmp_path, monkeypatch):
    import tensorlet.checkpoint.manager as manager_module

    clock = [1_000_000.0]
    monkeypatch.setattr(manager_module.time, "time", lambda: clock[0])
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(0)), str(tmp_path), max_to_keep=1,
                                         keep_checkpoint_every_n_hours=1)
    for _ in range(4):
        clock[0] += 1800  # half an hour between saves
        manager.save()
    on_disk = sorted(f for f in files(tmp_path) if f.endswith(".index"))
    assert on_disk == ["ckpt-2.index", "ckpt-4.index"]  # ckpt-2 was an hour after the start: kept, unmanaged
    assert [os.path.basename(p) for p in manager.checkpoints] == ["ckpt-4"]


def test_a_new_manager_picks_up_the_directory(tmp_path):
    v = tf.Variable(0)
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), max_to_keep=2)
    for i in range(3):
        v.assign(i + 10)
        manager.save()
    w = tf.Variable(0)
    again = tf.train.CheckpointManager(tf.train.Checkpoint(v=w), str(tmp_path), max_to_keep=2)
    assert again.latest_checkpoint == str(tmp_path / "ckpt-3") and again.checkpoints == manager.checkpoints
    assert again.restore_or_initialize() == str(tmp_path / "ckpt-3") and int(w) == 12
    assert again.save() == str(tmp_path / "ckpt-4")  # the restored save_counter numbers on
    assert files(tmp_path).count("ckpt-2.index") == 0


def test_restore_or_initialize_calls_init_fn_without_checkpoints(tmp_path):
    calls = []
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(0)), str(tmp_path / "new"), max_to_keep=1,
                                         init_fn=lambda: calls.append(1))
    assert manager.restore_or_initialize() is None and calls == [1]
    assert manager.directory == str(tmp_path / "new") and manager.checkpoint is not None
