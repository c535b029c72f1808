"""fashion_mnist.load_data from Debian's re-compressed files, and the idx reader."""
from __future__ import annotations

import gzip
import hashlib

import numpy as np
import pytest

from tensorlet.datasets import fashion_mnist
from tensorlet.utils import file_utils
from tensorlet.utils.file_utils import DatasetUnavailableError
from tests.datasets.helpers import DEBIAN_FASHION


def idx_bytes(a: np.ndarray) -> bytes:
    return bytes([0, 0, 8, a.ndim]) + np.array(a.shape, ">u4").tobytes() + a.astype(np.uint8).tobytes()


def test_load_data_from_the_debian_package(isolated):
    if not all((DEBIAN_FASHION / name).is_file() for name in fashion_mnist.FILES):
        pytest.skip("Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)")
    (x, y), (xt, yt) = fashion_mnist.load_data()
    assert (x.shape, y.shape, xt.shape, yt.shape) == ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,))
    assert {a.dtype for a in (x, y, xt, yt)} == {np.dtype(np.uint8)}
    assert np.bincount(y).tolist() == [6000] * 10 and np.bincount(yt).tolist() == [1000] * 10
    assert abs(x.mean() / 255 - 0.2860) < 5e-5 and abs(x.std() / 255 - 0.3530) < 5e-5
    for name, (_, content_hash) in fashion_mnist.FILES.items():  # the cached copies hold the recorded content
        with gzip.open(isolated / "fashion-mnist" / name) as f:
            assert hashlib.sha256(f.read()).hexdigest() == content_hash


def test_recompressed_files_are_accepted_by_content_hash(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    arrays = {"train-images-idx3-ubyte.gz": rng.integers(0, 256, (6, 28, 28)), "train-labels-idx1-ubyte.gz":
              np.arange(6) % 10, "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (3, 28, 28)),
              "t10k-labels-idx1-ubyte.gz": np.arange(3)}
    mirror = tmp_path / "mirror" / "fashion-mnist"
    mirror.mkdir(parents=True)
    files = {}
    for name, a in arrays.items():
        raw = idx_bytes(a)
        upstream = gzip.compress(raw, compresslevel=9, mtime=0)
        (mirror / name).write_bytes(gzip.compress(raw, compresslevel=1, mtime=1591315200))  # a repacked copy
        files[name] = (hashlib.sha256(upstream).hexdigest(), hashlib.sha256(raw).hexdigest())
    monkeypatch.setattr(fashion_mnist, "FILES", files)
    monkeypatch.setattr(fashion_mnist, "BASE", "http://127.0.0.1:9/")
    monkeypatch.setattr(file_utils, "KNOWN_LOCATIONS", {})
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(mirror.parent))
    (x, y), (xt, yt) = fashion_mnist.load_data()
    np.testing.assert_array_equal(x, arrays["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(yt, arrays["t10k-labels-idx1-ubyte.gz"])
    assert x.flags.writeable

    name = "train-labels-idx1-ubyte.gz"  # without the content hash, the repacked copy does not verify
    with pytest.raises(DatasetUnavailableError, match="checksum does not match"):
        file_utils.get_file(name, file_hash=files[name][0], cache_subdir=fashion_mnist.CACHE_SUBDIR,
                            cache_dir=str(tmp_path / "another_cache"))


def test_read_idx_checks_the_header(tmp_path):
    good, bad = tmp_path / "good.gz", tmp_path / "bad.gz"
    good.write_bytes(gzip.compress(idx_bytes(np.arange(12).reshape(3, 4))))
    np.testing.assert_array_equal(fashion_mnist.read_idx(str(good)), np.arange(12).reshape(3, 4))
    bad.write_bytes(gzip.compress(idx_bytes(np.arange(12).reshape(3, 4))[:-1]))
    with pytest.raises(ValueError, match="header says shape"):
        fashion_mnist.read_idx(str(bad))
    bad.write_bytes(gzip.compress(b"\x00\x00\x0d\x01" + bytes(8)))
    with pytest.raises(ValueError, match="not an idx file"):
        fashion_mnist.read_idx(str(bad))
