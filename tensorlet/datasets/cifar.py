"""CIFAR-10 and CIFAR-100 from the official python tarballs, read by a restricted unpickler.

The batches are Python pickles of dicts of bytes, lists and NumPy arrays. ``SafeUnpickler`` admits only the
globals needed to rebuild NumPy arrays (and nothing that can run code), so a crafted file cannot execute
anything: it is refused with an error.
"""
from __future__ import annotations

import io
import os
import pickle
from typing import Any

import numpy as np

from tensorlet.utils.file_utils import get_file

CIFAR10 = ("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz", "c58f30108f718f92721af3b95e74349a")
CIFAR100 = ("https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz", "eb9058c3a382ffc7106e4002c42a8d85")

_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"), ("_codecs", "encode"),
}


class SafeUnpickler(pickle.Unpickler):
    """Unpickle only plain data and NumPy arrays; any other global is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"Refusing to load {module}.{name} from a dataset file: only plain data and "
                                     "NumPy arrays are allowed (the file may be malicious or not a CIFAR batch)")


def load_batch(path: str, label_key: str = "labels") -> tuple[np.ndarray, np.ndarray]:
    """(images (n, 32, 32, 3) uint8, labels (n,)) from one official python batch file."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        d = SafeUnpickler(io.BytesIO(data), encoding="bytes").load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as e:
        raise ValueError(f"{path}: not a valid CIFAR batch ({e})") from None
    if not isinstance(d, dict):
        raise ValueError(f"{path}: a CIFAR batch is a dict, got {type(d).__name__}")
    d = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in d.items()}
    x = np.asarray(d["data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    y = np.asarray(d[label_key], dtype=np.int64)
    return x, y


def _folder(origin: tuple[str, str], fname: str, inner: str) -> str:
    root = get_file(fname, origin=origin[0], file_hash=origin[1], extract=True)
    path = os.path.join(root, inner)
    return path if os.path.isdir(path) else root


class _Cifar10:
    @staticmethod
    def load_data() -> Any:
        """``(x_train, y_train), (x_test, y_test)``: uint8 (50000, 32, 32, 3) and uint8 labels of shape (n, 1)."""
        folder = _folder(CIFAR10, "cifar-10-python.tar.gz", "cifar-10-batches-py")
        parts = [load_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, 6)]
        x_train = np.concatenate([p[0] for p in parts])
        y_train = np.concatenate([p[1] for p in parts]).astype(np.uint8).reshape(-1, 1)
        x_test, y_test = load_batch(os.path.join(folder, "test_batch"))
        return (x_train, y_train), (x_test, y_test.astype(np.uint8).reshape(-1, 1))


class _Cifar100:
    @staticmethod
    def load_data(label_mode: str = "fine") -> Any:
        """Like CIFAR-10 with 100 fine or 20 coarse classes (``label_mode='fine'|'coarse'``)."""
        if label_mode not in ("fine", "coarse"):
            raise ValueError(f"label_mode must be 'fine' or 'coarse', got {label_mode!r}")
        folder = _folder(CIFAR100, "cifar-100-python.tar.gz", "cifar-100-python")
        key = f"{label_mode}_labels"
        x_train, y_train = load_batch(os.path.join(folder, "train"), key)
        x_test, y_test = load_batch(os.path.join(folder, "test"), key)
        return (x_train, y_train.astype(np.uint8).reshape(-1, 1)), (x_test, y_test.astype(np.uint8).reshape(-1, 1))


cifar10 = _Cifar10()
cifar100 = _Cifar100()
