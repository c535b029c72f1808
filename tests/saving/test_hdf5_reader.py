"""Hostile HDF5 files: nothing outside the file is read, libhdf5 is never sent into an endless loop, and no
dataset's data is read before its shape and type are checked against the model."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from tensorlet.keras import layers, models

h5py = pytest.importorskip("h5py")


def small_model():
    return models.Sequential([layers.Input(shape=(4,)), layers.Dense(3, name="d")])


def weights_file(tmp_path, name="w.weights.h5"):
    path = tmp_path / name
    small_model().save_weights(str(path))
    return path


def replace_kernel(path, **create):
    """Rewrite the Dense kernel dataset (layers/dense/vars/0) with ``create_dataset(**create)``."""
    with h5py.File(path, "r+") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars"].create_dataset("0", **create)


def test_external_storage_is_refused_and_the_other_file_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"S3CRET!!" * 8)
    path = weights_file(tmp_path)
    replace_kernel(path, shape=(4, 3), dtype="f4", external=[(str(secret), 0, 48)])
    model = small_model()
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match=r"w.weights.h5: dataset /layers/dense/vars/0 keeps its data in external"):
        model.load_weights(str(path))
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_an_external_link_is_refused(tmp_path):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["data"] = np.ones((4, 3), "f4")
    path = weights_file(tmp_path)
    with h5py.File(path, "r+") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink(str(other), "/data")
    with pytest.raises(ValueError, match=r"/layers/dense/vars/0 is an external link to .*other.h5"):
        small_model().load_weights(str(path))


def test_a_virtual_dataset_is_refused(tmp_path):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["data"] = np.ones((4, 3), "f4")
    path = weights_file(tmp_path)
    layout = h5py.VirtualLayout(shape=(4, 3), dtype="f4")
    layout[:] = h5py.VirtualSource(str(other), "data", shape=(4, 3))
    with h5py.File(path, "r+") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars"].create_virtual_dataset("0", layout)
    with pytest.raises(ValueError, match=r"/layers/dense/vars/0 is a virtual dataset"):
        small_model().load_weights(str(path))


def test_complex_weights_are_refused_not_cast(tmp_path):
    path = weights_file(tmp_path)
    replace_kernel(path, data=np.ones((4, 3), np.complex64) * (1 + 2j))
    with pytest.raises(ValueError, match=r"/layers/dense/vars/0 holds complex numbers"):
        small_model().load_weights(str(path))


def test_a_legacy_h5_with_complex_weights_is_refused(tmp_path):
    path = tmp_path / "w.h5"
    small_model().save_weights(str(path))
    with h5py.File(path, "r+") as f:
        del f["d/d/kernel:0"]
        f["d/d"].create_dataset("kernel:0", data=np.ones((4, 3), np.complex128))
    with pytest.raises(ValueError, match=r"holds complex numbers"):
        small_model().load_weights(str(path))


def test_chunks_larger_than_the_data_are_refused(tmp_path):
    path = weights_file(tmp_path)
    with h5py.File(path, "r+") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars"].create_dataset("0", shape=(4, 3), maxshape=(None, None), chunks=(4096, 4096),
                                             dtype="f4")
    with pytest.raises(ValueError, match=r"declares chunks of shape \(4096, 4096\)"):
        small_model().load_weights(str(path))


def flip_global_heap_size(path):
    """Grow the first global heap collection's declared size to the end of the file: libhdf5 then walks zeros
    as objects of size 0 and never returns (the hang a bit flip caused in ``attrs["model_config"]``)."""
    blob = bytearray(path.read_bytes())
    at = blob.find(b"GCOL\x01")
    assert at > 0
    blob[at + 8:at + 16] = (len(blob) - at).to_bytes(8, "little")
    path.write_bytes(bytes(blob))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_global_heap_that_would_hang_libhdf5_is_refused(tmp_path):
    path = tmp_path / "m.h5"
    small_model().save(str(path))
    flip_global_heap_size(path)
    script = textwrap.dedent(f"""
        from tensorlet.keras import models
        try:
            models.load_model({str(path)!r})
        except ValueError as e:
            print("ValueError:", e)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])  # the repository, so tensorlet imports
    assert "corrupted global heap" in done.stdout, done.stdout + done.stderr


def test_the_global_heap_check_passes_files_h5py_writes(tmp_path):
    from tensorlet.saving.hdf5_reader import check_global_heaps

    path = tmp_path / "f.h5"
    with h5py.File(path, "w") as f:
        for i in range(300):  # several collections, some objects removed again
            f.attrs[f"a{i}"] = "x" * (i * 37 % 900)
        for i in range(0, 300, 3):
            del f.attrs[f"a{i}"]
    check_global_heaps(path.read_bytes(), str(path))


def test_a_plugin_filter_is_refused_before_libhdf5_looks_for_it(tmp_path):
    from tensorlet.saving.hdf5_reader import HDF5FileError, check_dataset

    path = tmp_path / "f.h5"
    with h5py.File(path, "w") as f:
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk((4, 3))
        dcpl.set_filter(32015, h5py.h5z.FLAG_OPTIONAL)  # zstd's id: a plugin
        space = h5py.h5s.create_simple((4, 3))
        h5py.h5d.create(f.id, b"x", h5py.h5t.NATIVE_FLOAT, space, dcpl=dcpl)
    with h5py.File(path, "r") as f, pytest.raises(HDF5FileError, match=r"filter\(s\) \[32015\]"):
        check_dataset(f["x"], str(path))
