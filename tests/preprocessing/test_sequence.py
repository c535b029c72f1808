"""skipgrams and make_sampling_table (Keras 2's word2vec helpers)."""
from __future__ import annotations

import random

import numpy as np
import pytest

from tensorlet.keras.preprocessing.sequence import make_sampling_table, skipgrams


def test_positive_pairs_within_the_window_skip_padding():
    couples, labels = skipgrams([1, 2, 0, 3], vocabulary_size=5, window_size=1, negative_samples=0, shuffle=False)
    assert couples == [[1, 2], [2, 1]] and labels == [1, 1]  # 0 is padding: never a word nor a context


def test_negative_pairs_labels_and_shuffle_keep_alignment():
    random.seed(0)
    couples, labels = skipgrams([1, 2, 3, 4], vocabulary_size=10, window_size=2, negative_samples=1.0, seed=3)
    positives = {(a, b) for a in range(1, 5) for b in range(1, 5) if a != b and abs(a - b) <= 2}
    assert len(couples) == 2 * len(positives) and labels.count(1) == len(positives) == labels.count(0)
    for (word, context), label in zip(couples, labels):
        assert 1 <= context < 10
        assert label == 0 or (word, context) in positives
    again = skipgrams([1, 2, 3, 4], vocabulary_size=10, window_size=2, negative_samples=0, seed=3)
    assert sorted(map(tuple, again[0])) == sorted(positives)
    _, categorical = skipgrams([1, 2], vocabulary_size=3, window_size=1, categorical=True, seed=1)
    assert sorted(categorical) == [[0, 1], [0, 1], [1, 0], [1, 0]]


def test_sampling_table_drops_frequent_words():
    table = make_sampling_table(1000, sampling_factor=1e-3)
    assert table.shape == (1000,) and np.all(np.diff(table[1:]) >= 0) and table.max() <= 1.0
    random.seed(1)
    couples, _ = skipgrams(list(range(1, 50)) * 4, 1000, sampling_table=np.zeros(1000), negative_samples=0)
    assert couples == []  # every word has keep-probability 0
    with pytest.raises(ValueError, match="window_size"):
        skipgrams([1, 2], 3, window_size=-1)


@pytest.mark.parity
def test_same_pairs_as_tf_keras_under_the_same_random_state():
    keras2 = pytest.importorskip("tf_keras").preprocessing.sequence
    seq = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 0, 8, 9, 7]
    table = keras2.make_sampling_table(10, sampling_factor=0.05)
    np.testing.assert_array_equal(make_sampling_table(10, sampling_factor=0.05), table)
    for kwargs in ({}, {"negative_samples": 0.5, "categorical": True}, {"sampling_table": table, "window_size": 2},
                   {"shuffle": False}, {"seed": 42}):
        random.seed(11)
        ours = skipgrams(seq, 10, **kwargs)
        random.seed(11)
        theirs = keras2.skipgrams(seq, 10, **kwargs)
        assert ours == theirs
