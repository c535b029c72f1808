"""MNIST digits: 60,000 training and 10,000 test 28x28 grayscale images (uint8), labels 0-9 (uint8)."""
from __future__ import annotations

import os

import numpy as np

from tensorlet.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
# Keras' published sha256, and that of the same arrays rebuilt losslessly for offline use (shared mirror)
HASHES = ["731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
          "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64"]


def load_data(path: str = "mnist.npz") -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``(x_train, y_train), (x_test, y_test)`` as uint8 arrays of shapes (60000, 28, 28), (60000,), ..."""
    local = get_file(path, origin=ORIGIN, file_hash=HASHES)
    with np.load(local, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


def load_sample() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """A small stratified MNIST sample shipped inside the package (for offline demos): same layout as load_data."""
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "mnist_sample.npz")
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


