"""Shared helpers for the dataset tests: where the real files are, array checksums, CIFAR archive builders."""
from __future__ import annotations

import hashlib
import io
import pickle
import tarfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]  # the repository
SHARED = ROOT / ".." / "shared" / "datasets"  # next to the repository
DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")


def array_sha256(a: np.ndarray) -> str:
    """sha256 of the C-ordered bytes, as the shared datasets README records it."""
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def unshuffle(train: np.ndarray, test: np.ndarray, seed: int = 113) -> np.ndarray:
    """Undo Keras' split: rows back in file order."""
    joined = np.concatenate([train, test])
    indices = np.arange(len(joined))
    np.random.RandomState(seed).shuffle(indices)
    out = np.empty_like(joined)
    out[indices] = joined
    return out


def cifar_batch(n: int, seed: int, label_keys: dict[bytes, int]) -> dict[bytes, Any]:
    """A batch dict in the official layout: bytes keys, data (n, 3072) uint8, label lists, file names."""
    rng = np.random.default_rng(seed)
    batch: dict[bytes, Any] = {b"batch_label": b"training batch %d of 5" % seed,
                               b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                               b"filenames": [b"img_%d.png" % i for i in range(n)]}
    for key, classes in label_keys.items():
        batch[key] = [int(v) for v in rng.integers(0, classes, n)]
    return batch


def write_tar_gz(path: Path, members: dict[str, Any]) -> Path:
    """A .tar.gz whose members are pickles (protocol 2, like the official files) or raw bytes."""
    with tarfile.open(path, "w:gz") as tar:
        for name, value in members.items():
            data = value if isinstance(value, bytes) else pickle.dumps(value, protocol=2)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def cifar10_members(n_train: int = 12, n_test: int = 7) -> dict[str, Any]:
    members: dict[str, Any] = {f"cifar-10-batches-py/data_batch_{i}": cifar_batch(n_train, i, {b"labels": 10})
                               for i in range(1, 6)}
    members["cifar-10-batches-py/test_batch"] = cifar_batch(n_test, 9, {b"labels": 10})
    members["cifar-10-batches-py/batches.meta"] = {b"label_names": [b"airplane", b"automobile", b"bird", b"cat",
                                                                    b"deer", b"dog", b"frog", b"horse", b"ship",
                                                                    b"truck"],
                                                   b"num_cases_per_batch": n_train, b"num_vis": 3072}
    return members


def cifar100_members(n_train: int = 30, n_test: int = 10) -> dict[str, Any]:
    labels = {b"fine_labels": 100, b"coarse_labels": 20}
    return {"cifar-100-python/train": cifar_batch(n_train, 1, labels),
            "cifar-100-python/test": cifar_batch(n_test, 2, labels),
            "cifar-100-python/meta": {b"fine_label_names": [b"apple"] * 100, b"coarse_label_names": [b"fish"] * 20}}
