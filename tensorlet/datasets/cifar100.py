"""CIFAR-100: 60,000 32x32 colour images in 100 fine classes grouped into 20 coarse ones.

The official python tarball is cached and extracted under ``datasets/cifar-100-python/`` (files placed there by
hand are used as they are) and read by the restricted unpickler of :mod:`tensorlet.datasets.cifar_pickle`.
"""
from __future__ import annotations

import os

import numpy as np

from tensorlet.datasets.cifar_pickle import label_array, load_batch, to_image_data_format
from tensorlet.utils.file_utils import get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
FILE_HASHES = (
    "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7",  # sha256 pinned by Keras
    "eb9058c3a382ffc7106e4002c42a8d85",  # md5 published on the CIFAR page
)
# Names the same tarball has in Keras 3 caches (Keras 2 used this module's name), reused when they verify.
KERAS_NAMES = ("cifar-100-python_archive", "cifar-100-python-target_archive")


def load_data(label_mode: str = "fine") -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load CIFAR-100.

    Args:
        label_mode: ``"fine"`` (100 classes) or ``"coarse"`` (20 superclasses).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape (50000, 32, 32, 3) and (10000, 32, 32, 3)
        (channels first if ``image_data_format()`` says so), labels of shape (50000, 1) and (10000, 1). The labels
        are int64, as Keras returns them (it reshapes the file's list of ints).
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'label_mode must be "fine" or "coarse", got {label_mode!r}')
    root = get_file("cifar-100-python", origin=ORIGIN, file_hash=FILE_HASHES, extract=True, alt_names=KERAS_NAMES)
    n_classes = 100 if label_mode == "fine" else 20
    splits = []
    for name in ("train", "test"):
        x, labels = load_batch(os.path.join(root, "cifar-100-python", name), label_key=f"{label_mode}_labels")
        splits.append((to_image_data_format(x), label_array(labels, n_classes, name).reshape(-1, 1)))
    return splits[0], splits[1]
