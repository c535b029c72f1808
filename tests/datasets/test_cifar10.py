"""cifar10.load_data on small archives in the official format, built by the test."""
from __future__ import annotations

import os
import pickle

import numpy as np
import pytest

from tensorlet import config
from tensorlet.datasets import cifar10
from tensorlet.datasets.cifar_pickle import UnsafePickleError
from tensorlet.utils.file_utils import DatasetUnavailableError
from tests.datasets.helpers import cifar10_members, file_sha256, write_tar_gz


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """A mirror folder for the tarball; returns a function that writes it and pins its hash."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(folder))
    monkeypatch.setattr(cifar10, "ORIGIN", "http://127.0.0.1:9/cifar-10-python.tar.gz")  # never the internet

    def publish(members):
        archive = write_tar_gz(folder / "cifar-10-python.tar.gz", members)
        monkeypatch.setattr(cifar10, "FILE_HASHES", (file_sha256(archive),))
        return members

    return publish


def test_load_data_shapes_dtypes_and_pixel_layout(mirror, isolated, monkeypatch):
    members = mirror(cifar10_members(n_train=12, n_test=7))
    (x, y), (xt, yt) = cifar10.load_data()
    assert (x.shape, y.shape, xt.shape, yt.shape) == ((60, 32, 32, 3), (60, 1), (7, 32, 32, 3), (7, 1))
    assert {a.dtype for a in (x, y, xt, yt)} == {np.dtype(np.uint8)}
    first = members["cifar-10-batches-py/data_batch_1"]
    rows = first[b"data"][0].reshape(3, 32, 32)  # the file stores red, green, blue planes, row-major
    np.testing.assert_array_equal(x[0], rows.transpose(1, 2, 0))
    assert y[:12, 0].tolist() == first[b"labels"]
    assert yt[:, 0].tolist() == members["cifar-10-batches-py/test_batch"][b"labels"]
    assert set(np.unique(y)) <= set(range(10))
    assert (isolated / "cifar-10-python" / "cifar-10-batches-py" / "data_batch_5").is_file()

    monkeypatch.delenv("TENSORLET_DATASETS_MIRROR")  # the verified cache is enough from now on
    (x2, _), _ = cifar10.load_data()
    np.testing.assert_array_equal(x2, x)


def test_channels_first_follows_the_config(mirror):
    mirror(cifar10_members(n_train=2, n_test=2))
    before = config.image_data_format()
    config.set_image_data_format("channels_first")
    try:
        (x, _), _ = cifar10.load_data()
    finally:
        config.set_image_data_format(before)
    assert x.shape == (10, 3, 32, 32)


def test_a_malicious_pickle_in_the_archive_is_refused_without_running(mirror, tmp_path):
    marker = tmp_path / "it-ran"

    class Exploit:
        def __reduce__(self):
            return os.system, (f"touch {marker}",)

    members = cifar10_members(n_train=2, n_test=2)
    members["cifar-10-batches-py/data_batch_3"] = pickle.dumps({b"data": Exploit(), b"labels": [1]}, protocol=2)
    mirror(members)
    with pytest.raises(UnsafePickleError, match=r"data_batch_3: refusing to load (posix|nt|os)\.system"):
        cifar10.load_data()
    assert not marker.exists()


def test_an_archive_with_another_checksum_is_not_used(mirror, monkeypatch):
    mirror(cifar10_members(n_train=2, n_test=2))
    monkeypatch.setattr(cifar10, "FILE_HASHES", ("0" * 64,))
    with pytest.raises(DatasetUnavailableError, match="present, but its checksum does not match"):
        cifar10.load_data()


def test_batches_placed_by_hand_are_used(isolated, monkeypatch):
    monkeypatch.setattr(cifar10, "ORIGIN", "http://127.0.0.1:9/cifar-10-python.tar.gz")
    folder = isolated / "cifar-10-python" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    for name, batch in cifar10_members(n_train=3, n_test=2).items():
        (isolated / "cifar-10-python" / name).write_bytes(pickle.dumps(batch, protocol=2))
    (x, y), (xt, yt) = cifar10.load_data()
    assert x.shape == (15, 32, 32, 3) and yt.shape == (2, 1)
