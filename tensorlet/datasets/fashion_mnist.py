"""Fashion-MNIST: 70,000 28x28 grayscale images of 10 clothing classes, in MNIST's layout."""
from __future__ import annotations

import gzip

import numpy as np

from tensorlet.utils.file_utils import get_file

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
DEBIAN = "/usr/share/datasets/fashion-mnist"  # Debian's dataset-fashion-mnist package
# file: (sha256 of the upstream .gz, sha256 of the decompressed idx content)
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


def _read_idx(path: str, offset: int) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``(x_train, y_train), (x_test, y_test)``: uint8 images (n, 28, 28) and uint8 labels (n,)."""
    paths = {}
    for name, (file_hash, content) in FILES.items():
        paths[name] = get_file(name, origin=BASE + name, file_hash=file_hash, content_hash=content,
                               cache_subdir="datasets/fashion-mnist", search_dirs=[DEBIAN])
    y_train = _read_idx(paths["train-labels-idx1-ubyte.gz"], 8)
    x_train = _read_idx(paths["train-images-idx3-ubyte.gz"], 16).reshape(len(y_train), 28, 28)
    y_test = _read_idx(paths["t10k-labels-idx1-ubyte.gz"], 8)
    x_test = _read_idx(paths["t10k-images-idx3-ubyte.gz"], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
