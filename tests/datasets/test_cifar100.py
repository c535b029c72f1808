"""cifar100.load_data: fine and coarse labels from a small archive in the official format."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.datasets import cifar100
from tests.datasets.helpers import cifar100_members, file_sha256, write_tar_gz


@pytest.fixture
def members(tmp_path, monkeypatch):
    folder = tmp_path / "mirror"
    folder.mkdir()
    members = cifar100_members(n_train=30, n_test=10)
    archive = write_tar_gz(folder / "cifar-100-python.tar.gz", members)
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(folder))
    monkeypatch.setattr(cifar100, "ORIGIN", "http://127.0.0.1:9/cifar-100-python.tar.gz")
    monkeypatch.setattr(cifar100, "FILE_HASHES", (file_sha256(archive),))
    return members


@pytest.mark.parametrize("label_mode, classes", [("fine", 100), ("coarse", 20)])
def test_label_modes(members, label_mode, classes):
    (x, y), (xt, yt) = cifar100.load_data(label_mode=label_mode)
    assert (x.shape, y.shape, xt.shape, yt.shape) == ((30, 32, 32, 3), (30, 1), (10, 32, 32, 3), (10, 1))
    assert x.dtype == np.uint8 and y.dtype == np.int64  # int64 labels, as Keras returns them
    key = f"{label_mode}_labels".encode()
    assert y[:, 0].tolist() == members["cifar-100-python/train"][key]
    assert yt[:, 0].tolist() == members["cifar-100-python/test"][key]
    assert y.max() < classes
    np.testing.assert_array_equal(x[3], members["cifar-100-python/train"][b"data"][3].reshape(3, 32, 32)
                                  .transpose(1, 2, 0))


def test_unknown_label_mode_is_refused_before_any_download():
    with pytest.raises(ValueError, match="label_mode"):
        cifar100.load_data(label_mode="medium")
