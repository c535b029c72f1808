"""Every loader on the real files (shared mirror + Debian's Fashion-MNIST): shapes, dtypes, class counts, and
the array checksums recorded in the shared datasets README."""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import tarfile
from pathlib import Path

import numpy as np
import pytest

MIRROR = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets"
DEBIAN = Path("/usr/share/datasets/fashion-mnist")


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    if not (MIRROR / "mnist.npz").exists():
        pytest.skip("the shared datasets folder is not available")
    monkeypatch.setenv("TENSORLET_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(MIRROR.resolve()))
    monkeypatch.setenv("HOME", str(tmp_path))  # keep ~/.keras out of it
    return tmp_path


def test_mnist(mirror):
    from tensorlet.keras.datasets import mnist

    (x, y), (xt, yt) = mnist.load_data()
    assert x.shape == (60000, 28, 28) and x.dtype == np.uint8 and y.dtype == np.uint8
    assert sha(x) == "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757"
    assert sha(y) == "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13"
    assert sha(xt) == "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161"
    assert sha(yt) == "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5"
    assert np.bincount(yt).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_boston_split_equals_keras(mirror):
    from tensorlet.keras.datasets import boston_housing

    (x, y), (xt, yt) = boston_housing.load_data()
    assert x.shape == (404, 13) and xt.shape == (102, 13)
    np.testing.assert_allclose(y[:4], [15.2, 42.3, 50.0, 21.1])
    np.testing.assert_allclose(x[0], [1.23247, 0, 8.14, 0, 0.538, 6.142, 91.7, 3.9769, 4, 307, 21, 396.9, 18.72])


def test_california_both_layouts(mirror):
    import tensorlet as tf
    from tensorlet.keras.datasets import california_housing

    (x, y), (xt, yt) = california_housing.load_data()
    assert x.shape == (16512, 8) and xt.shape == (4128, 8) and x.dtype == np.float32
    (xs, _), _ = california_housing.load_data(version="small")
    assert xs.shape == (480, 8)
    h = tf.datasets.fetch_california_housing()
    assert h.data.shape == (20640, 8) and h.feature_names[0] == "MedInc"
    assert sha(h.data) == "c8f43774aa27b7ec034e60db31b6124e12b4a0d42b55b0c8eb1320089e2ebc37"
    assert sha(h.target) == "ae80bb98487c04d7383ed8aecda8e207583dfd3e66f6679fded97597c3f6c87e"
    X, y2 = tf.datasets.fetch_california_housing(return_X_y=True)
    assert X.shape == (20640, 8) and y2.shape == (20640,)


def test_fashion_mnist_from_debian(mirror):
    if not DEBIAN.exists():
        pytest.skip("apt-get install dataset-fashion-mnist")
    from tensorlet.keras.datasets import fashion_mnist

    (x, y), (xt, yt) = fashion_mnist.load_data()
    assert x.shape == (60000, 28, 28) and xt.shape == (10000, 28, 28)
    assert np.bincount(y).tolist() == [6000] * 10 and np.bincount(yt).tolist() == [1000] * 10
    assert abs(x.mean() / 255 - 0.2860) < 1e-3


def test_mnist_sample_is_small_and_stratified():
    from tensorlet.datasets import mnist

    path = Path(mnist.__file__).parent.parent / "data" / "mnist_sample.npz"
    assert path.stat().st_size <= 1_000_000
    (x, y), (xt, yt) = mnist.load_sample()
    assert x.shape[1:] == (28, 28) and np.bincount(yt).tolist() == [100] * 10


def _cifar_tar(path, batches, folder):
    with tarfile.open(path, "w:gz") as tar:
        for name, obj in batches.items():
            data = obj if isinstance(obj, bytes) else pickle.dumps(obj, protocol=2)
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _batch(n, seed, key=b"labels", extra=None):
    rng = np.random.default_rng(seed)
    d = {b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8), key: rng.integers(0, 10, n).tolist(),
         b"batch_label": b"x"}
    d.update(extra or {})
    return d


def test_cifar10_official_format_built_by_the_test(tmp_path, monkeypatch):
    from tensorlet.datasets import cifar

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    batches = {f"data_batch_{i}": _batch(20, i) for i in range(1, 6)}
    batches["test_batch"] = _batch(10, 9)
    batches["batches.meta"] = {b"label_names": [b"airplane"] * 10}
    _cifar_tar(mirror / "cifar-10-python.tar.gz", batches, "cifar-10-batches-py")
    monkeypatch.setenv("TENSORLET_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(mirror))
    monkeypatch.setattr(cifar, "CIFAR10", (cifar.CIFAR10[0], None))
    (x, y), (xt, yt) = cifar.cifar10.load_data()
    assert x.shape == (100, 32, 32, 3) and x.dtype == np.uint8 and y.shape == (100, 1)
    raw = batches["data_batch_1"][b"data"][0]
    np.testing.assert_array_equal(x[0, :, :, 0].reshape(-1), raw[:1024])  # channel-first rows -> NHWC


def test_cifar100_label_modes(tmp_path, monkeypatch):
    from tensorlet.datasets import cifar

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    extra = {b"coarse_labels": list(range(20))}
    _cifar_tar(mirror / "cifar-100-python.tar.gz",
               {"train": _batch(20, 1, b"fine_labels", extra), "test": _batch(20, 2, b"fine_labels", extra),
                "meta": {b"fine_label_names": []}}, "cifar-100-python")
    monkeypatch.setenv("TENSORLET_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(mirror))
    monkeypatch.setattr(cifar, "CIFAR100", (cifar.CIFAR100[0], None))
    (_, yc), _ = cifar.cifar100.load_data(label_mode="coarse")
    assert yc[:, 0].tolist() == list(range(20))
    with pytest.raises(ValueError, match="label_mode"):
        cifar.cifar100.load_data(label_mode="medium")


def test_malicious_pickle_is_refused_without_executing(tmp_path):
    from tensorlet.datasets.cifar import load_batch

    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "data_batch_1"
    path.write_bytes(pickle.dumps({b"data": Evil(), b"labels": [1]}))
    with pytest.raises(ValueError, match="Refusing"):
        load_batch(str(path))
    assert not marker.exists()
