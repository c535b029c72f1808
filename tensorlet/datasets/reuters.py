"""Reuters newswire topics: 11,228 newswires as sequences of word indices, labelled with one of 46 topics.

Same conventions as :mod:`tensorlet.datasets.imdb`; the whole set is shuffled once and split by ``test_split``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.datasets.npz_sequences import load_npz
from tensorlet.datasets.sequences import as_object_array, legacy_num_words, prepare, read_word_index
from tensorlet.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters.npz"
FILE_HASHES = ("d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",)  # Keras' published sha256
WORD_INDEX_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters_word_index.json"
WORD_INDEX_HASHES = ("4d44cc38712099c9e383dc6e5f11a921",)  # md5, as Keras publishes it
LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee", "sugar",
    "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp",
    "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi", "iron-steel",
    "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog",
    "lead",
)

Split = tuple[np.ndarray, np.ndarray]


def load_data(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0, maxlen: int | None = None,
              test_split: float = 0.2, seed: int = 113, start_char: int | None = 1, oov_char: int | None = 2,
              index_from: int = 3, **kwargs: Any) -> tuple[Split, Split]:
    """Load Reuters (see :func:`tensorlet.datasets.imdb.load_data` for the shared arguments).

    Args:
        test_split: the fraction of the (shuffled) newswires held out as the test set.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: 1-D object arrays of lists of ints, and int topic labels.
    """
    num_words = legacy_num_words(num_words, kwargs, "reuters.load_data")
    if not 0 <= test_split < 1:
        raise ValueError(f"reuters.load_data: test_split must be in [0, 1), got {test_split}")
    arrays = load_npz(get_file(path, origin=ORIGIN, file_hash=FILE_HASHES), ("x", "y"))
    order = np.arange(len(arrays["x"]))
    np.random.RandomState(seed).shuffle(order)
    ((xs, labels),) = prepare([(arrays["x"][order], arrays["y"][order])], num_words, skip_top, maxlen, start_char,
                              oov_char, index_from, "reuters.load_data")
    idx = int(len(xs) * (1 - test_split))
    return (as_object_array(xs[:idx]), labels[:idx]), (as_object_array(xs[idx:]), labels[idx:])


def get_word_index(path: str = "reuters_word_index.json") -> dict[str, int]:
    """word -> rank in frequency (1 = most frequent); add ``index_from`` to match ``load_data``'s indices."""
    return read_word_index(get_file(path, origin=WORD_INDEX_ORIGIN, file_hash=WORD_INDEX_HASHES))


def get_label_names() -> tuple[str, ...]:
    """The 46 topic names, indexed by label."""
    return LABEL_NAMES
