"""CIFAR-10: 60,000 32x32 colour images in 10 classes, from the official python tarball.

The tarball is cached and extracted under ``datasets/cifar-10-python/``; batches placed there by hand
(``cifar-10-python/cifar-10-batches-py/data_batch_1`` ...) are used as they are. The batches are pickles, read by
:mod:`tensorlet.datasets.cifar_pickle`'s restricted unpickler, so a crafted file is refused instead of running code.
"""
from __future__ import annotations

import os

import numpy as np

from tensorlet.datasets.cifar_pickle import label_array, load_batch, to_image_data_format
from tensorlet.utils.file_utils import get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASHES = (
    "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",  # sha256 pinned by Keras
    "c58f30108f718f92721af3b95e74349a",  # md5 published on the CIFAR page
)
# Names the same tarball has in Keras' caches (Keras 2, Keras 3), reused when they verify.
KERAS_NAMES = ("cifar-10-batches-py.tar.gz", "cifar-10-batches-py_archive", "cifar-10-batches-py-target_archive")
CLASS_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load CIFAR-10 (labels: 0 airplane ... 9 truck, see ``CLASS_NAMES``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape (50000, 32, 32, 3) and (10000, 32, 32, 3)
        (channels first if ``image_data_format()`` says so), uint8 labels of shape (50000, 1) and (10000, 1).
    """
    root = get_file("cifar-10-python", origin=ORIGIN, file_hash=FILE_HASHES, extract=True, alt_names=KERAS_NAMES)
    folder = os.path.join(root, "cifar-10-batches-py")
    xs, ys = [], []
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        x, labels = load_batch(os.path.join(folder, name))
        xs.append(x)
        ys.append(label_array(labels, 10, name).astype(np.uint8).reshape(-1, 1))
    x_train, y_train = np.concatenate(xs[:5]), np.concatenate(ys[:5])
    return (to_image_data_format(x_train), y_train), (to_image_data_format(xs[5]), ys[5])
