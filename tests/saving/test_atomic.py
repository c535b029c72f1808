"""Atomic saves: one temporary file name per target (so crashes cannot pile them up), the user's umask, and
errors that name the file the user asked for."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from tensorlet.keras import layers, models

pytest.importorskip("h5py")
ROOT = Path(__file__).resolve().parents[2]


def small_model():
    return models.Sequential([layers.Input(shape=(4,)), layers.Dense(3)])


@pytest.fixture
def umask():
    saved = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(saved)


@pytest.mark.parametrize("name", ["m.keras", "w.weights.h5", "m.h5"])
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_saved_files_follow_the_umask(tmp_path, umask, name, mask, mode):
    umask(mask)
    path = tmp_path / name
    model = small_model()
    model.save_weights(str(path)) if name.endswith(".weights.h5") else model.save(str(path))
    assert os.stat(path).st_mode & 0o777 == mode


def test_an_existing_file_keeps_its_permissions(tmp_path, umask):
    path = tmp_path / "m.keras"
    small_model().save(str(path))
    os.chmod(path, 0o640)
    small_model().save(str(path))
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_saves_killed_mid_write_leave_one_temporary_file_that_the_next_save_replaces(tmp_path):
    script = textwrap.dedent(f"""
        import os, signal, zipfile
        from tensorlet.keras import layers, models
        m = models.Sequential([layers.Input(shape=(4,)), layers.Dense(3)])
        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        zipfile.ZipFile.writestr = die  # killed while the archive is being written
        m.save({str(tmp_path / "m.keras")!r})
    """)
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True)
        assert done.returncode == -9
    assert sorted(os.listdir(tmp_path)) == [".m.keras.lock", ".m.keras.tmp"]  # the same two, however many crashes
    model = small_model()
    model.save(str(tmp_path / "m.keras"))
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]
    np.testing.assert_allclose(models.load_model(str(tmp_path / "m.keras")).get_weights()[0],
                               model.get_weights()[0])


def test_temporary_files_named_by_older_releases_are_removed(tmp_path):
    (tmp_path / ".m.keras.ab12_x9z.tmp").write_bytes(b"left by a crash")
    (tmp_path / ".other.keras.ab12_x9z.tmp").write_bytes(b"not ours")
    small_model().save(str(tmp_path / "m.keras"))
    assert sorted(os.listdir(tmp_path)) == [".other.keras.ab12_x9z.tmp", "m.keras"]


def test_saving_under_a_file_names_the_target(tmp_path):
    (tmp_path / "notes.txt").write_text("not a folder")
    target = tmp_path / "notes.txt" / "models" / "m.keras"
    with pytest.raises(NotADirectoryError, match=rf"Cannot save to {target}: .*notes.txt is a file, not a folder"):
        small_model().save(str(target))


def test_an_unwritable_folder_is_reported_with_the_target_not_the_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "m.keras"
    real_open = os.open

    def refuse_temporary_files(path, *args, **kwargs):
        if str(path).endswith(".tmp"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_temporary_files)
    with pytest.raises(PermissionError) as info:
        small_model().save(str(target))
    assert f"Cannot save to {target}" in str(info.value) and ".tmp" not in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root writes anywhere")
def test_a_read_only_folder_names_the_target(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError, match=rf"Cannot save to {folder / 'm.keras'}"):
            small_model().save(str(folder / "m.keras"))
    finally:
        folder.chmod(0o755)
