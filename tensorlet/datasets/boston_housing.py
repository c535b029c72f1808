"""Boston housing (StatLib, 1978): 506 districts, 13 features, median home value in k$.

Kept for old code and teaching material. The data has a known ethical problem: feature ``B`` encodes an
assumption about race; prefer :mod:`tensorlet.datasets.california_housing` for new work.
"""
from __future__ import annotations

import numpy as np

from tensorlet.datasets.npz_sequences import load_npz
from tensorlet.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz"
FILE_HASHES = (
    "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",  # Keras' published sha256
    "0c1bbf0b79b8c2996afa31b259ca6cff56f5a6f72501358901ae5aa8fadd6e2f",  # same arrays, re-packed (shared copy)
)
FEATURE_NAMES = ("CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT")

Split = tuple[np.ndarray, np.ndarray]


def check_test_split(test_split: float) -> None:
    if not 0 <= test_split < 1:
        raise ValueError(f"test_split must be in [0, 1), got {test_split}")


def shuffle_split(x: np.ndarray, y: np.ndarray, test_split: float, seed: int) -> tuple[Split, Split]:
    """Keras' split: shuffle the row indices with ``np.random.RandomState(seed)``, then the first
    ``int(n * (1 - test_split))`` shuffled rows are the training set and the rest the test set."""
    check_test_split(test_split)
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    n_train = int(len(x) * (1 - test_split))
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113) -> tuple[Split, Split]:
    """Load Boston housing, split exactly as Keras splits it.

    Args:
        path: the file name in the cache.
        test_split: fraction of the rows kept for the test set.
        seed: seed of the shuffle that precedes the split.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float64 features (404, 13) and (102, 13) in ``FEATURE_NAMES``
        order, float64 targets (404,) and (102,) with the defaults.
    """
    check_test_split(test_split)
    arrays = load_npz(get_file(path, origin=ORIGIN, file_hash=FILE_HASHES), ("x", "y"), max_bytes=1 << 24)
    x, y = arrays["x"], arrays["y"]
    return shuffle_split(x, y, test_split, seed)
