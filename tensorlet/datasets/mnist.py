"""MNIST handwritten digits: 60,000 training and 10,000 test 28x28 grayscale images, labels 0-9.

Also a small stratified sample shipped inside the package (:func:`load_sample`), for demos that must run offline.
"""
from __future__ import annotations

from importlib import resources
from typing import Any

import numpy as np

from tensorlet.datasets.npz_sequences import load_npz
from tensorlet.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
FILE_HASHES = (
    "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",  # Keras' published sha256
    "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64",  # same arrays, re-packed (shared copy)
)
MAX_BYTES = 1 << 27  # the four arrays hold 55 MB; a file asking for more is not MNIST
SAMPLE = "mnist_sample.npz"  # in tensorlet/datasets/bundled/, written by scripts/make_mnist_sample.py

Split = tuple[np.ndarray, np.ndarray]


def _read(path: Any) -> tuple[Split, Split]:
    a = load_npz(str(path), ("x_train", "y_train", "x_test", "y_test"), max_bytes=MAX_BYTES)
    return (a["x_train"], a["y_train"]), (a["x_test"], a["y_test"])


def load_data(path: str = "mnist.npz") -> tuple[Split, Split]:
    """Load MNIST, downloading it once to ``~/.tensorlet/datasets`` (see ``get_file`` for mirrors and offline use).

    Args:
        path: the file name in the cache.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape (60000, 28, 28) and (10000, 28, 28),
        uint8 labels of shape (60000,) and (10000,).

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
        >>> x_train.shape, y_train.dtype  # doctest: +SKIP
        ((60000, 28, 28), dtype('uint8'))
    """
    return _read(get_file(path, origin=ORIGIN, file_hash=FILE_HASHES))


def load_sample() -> tuple[Split, Split]:
    """A 5,000/1,000 sample of MNIST shipped with tensorlet, stratified by class; no download needed.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` in :func:`load_data`'s layout and dtypes: 5,000 training and
        1,000 test images drawn from MNIST's own splits, with each digit in its full-data proportion.
    """
    with resources.as_file(resources.files("tensorlet.datasets").joinpath("bundled").joinpath(SAMPLE)) as path:
        return _read(path)
