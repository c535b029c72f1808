"""Fashion-MNIST: 70,000 28x28 grayscale images of 10 kinds of clothing, in MNIST's layout.

The four gzip'd idx files are fetched like Keras does (cached under ``datasets/fashion-mnist``). Besides the
published sha256 of each ``.gz`` file, the sha256 of its decompressed content is accepted, so copies compressed
differently also verify: Debian's ``dataset-fashion-mnist`` package re-compresses them, and its folder
``/usr/share/datasets/fashion-mnist`` is a known location of ``get_file``.
"""
from __future__ import annotations

import gzip
import os

import numpy as np

from tensorlet.utils.file_utils import get_file

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
CACHE_SUBDIR = os.path.join("datasets", "fashion-mnist")
# file name -> (sha256 of the upstream .gz file, sha256 of its decompressed idx content)
FILES = {
    "train-labels-idx1-ubyte.gz": ("a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                                   "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    "train-images-idx3-ubyte.gz": ("3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                                   "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    "t10k-labels-idx1-ubyte.gz": ("67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                                  "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    "t10k-images-idx3-ubyte.gz": ("346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                                  "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
}
CLASS_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot")


def read_idx(path: str) -> np.ndarray:
    """A uint8 array from a gzip'd idx file (magic ``00 00 08 ndim``, then ``ndim`` big-endian uint32 sizes)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[:3] != b"\x00\x00\x08":
        raise ValueError(f"{path}: not an idx file of unsigned bytes")
    ndim = raw[3]
    shape = tuple(int(n) for n in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    offset = 4 + 4 * ndim
    if len(raw) - offset != int(np.prod(shape)):
        raise ValueError(f"{path}: header says shape {shape}, but {len(raw) - offset} bytes follow")
    return np.frombuffer(bytearray(raw), np.uint8, offset=offset).reshape(shape)  # bytearray: writable


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load Fashion-MNIST (labels: 0 T-shirt/top ... 9 Ankle boot, see ``CLASS_NAMES``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape (60000, 28, 28) and (10000, 28, 28),
        uint8 labels of shape (60000,) and (10000,).
    """
    paths = {name: get_file(name, origin=BASE + name, file_hash=file_hash, content_hash=content_hash,
                            cache_subdir=CACHE_SUBDIR)
             for name, (file_hash, content_hash) in FILES.items()}
    x_train, y_train = read_idx(paths["train-images-idx3-ubyte.gz"]), read_idx(paths["train-labels-idx1-ubyte.gz"])
    x_test, y_test = read_idx(paths["t10k-images-idx3-ubyte.gz"]), read_idx(paths["t10k-labels-idx1-ubyte.gz"])
    return (x_train, y_train), (x_test, y_test)
