"""IMDB movie-review sentiment: 25,000 training and 25,000 test reviews as sequences of word indices, labels 0/1.

Words are indexed by frequency (1 is the most frequent); ``load_data`` shifts them by ``index_from`` and reserves
0 for padding, ``start_char`` for the start of a review and ``oov_char`` for words cut by ``num_words``/``skip_top``,
as Keras does. The file holds pickled object arrays; they are read without unpickling anything executable
(:mod:`tensorlet.datasets.npz_sequences`).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.datasets.npz_sequences import load_npz
from tensorlet.datasets.sequences import as_object_array, legacy_num_words, prepare, read_word_index
from tensorlet.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz"
FILE_HASHES = ("69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",)  # Keras' published sha256
WORD_INDEX_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json"
WORD_INDEX_HASHES = ("bfafd718b763782e994055a2d397834f",)  # md5, as Keras publishes it

Split = tuple[np.ndarray, np.ndarray]


def load_data(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0, maxlen: int | None = None,
              seed: int = 113, start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3,
              **kwargs: Any) -> tuple[Split, Split]:
    """Load IMDB, downloading it once (see ``get_file`` for mirrors and offline use).

    Args:
        path: the file name in the cache.
        num_words: keep the ``num_words`` most frequent words (others become ``oov_char``); None keeps all.
        skip_top: also treat the ``skip_top`` most frequent words as out of vocabulary.
        maxlen: drop reviews of ``maxlen`` words or more.
        seed: shuffling seed (train and test are shuffled separately, as Keras does).
        start_char, oov_char, index_from: the reserved indices and the offset of real words.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: 1-D object arrays of lists of ints, and int labels.
    """
    num_words = legacy_num_words(num_words, kwargs, "imdb.load_data")
    arrays = load_npz(get_file(path, origin=ORIGIN, file_hash=FILE_HASHES), ("x_train", "y_train", "x_test", "y_test"))
    rng = np.random.RandomState(seed)
    groups = []
    for x, y in (("x_train", "y_train"), ("x_test", "y_test")):
        order = np.arange(len(arrays[x]))
        rng.shuffle(order)
        groups.append((arrays[x][order], arrays[y][order]))
    (xtr, ytr), (xte, yte) = prepare(groups, num_words, skip_top, maxlen, start_char, oov_char, index_from,
                                     "imdb.load_data")
    return (as_object_array(xtr), ytr), (as_object_array(xte), yte)


def get_word_index(path: str = "imdb_word_index.json") -> dict[str, int]:
    """word -> rank in frequency (1 = most frequent); add ``index_from`` to match ``load_data``'s indices."""
    return read_word_index(get_file(path, origin=WORD_INDEX_ORIGIN, file_hash=WORD_INDEX_HASHES))
