"""Keras 2's word2vec helpers in ``keras.preprocessing.sequence``: ``skipgrams`` and ``make_sampling_table``.

``skipgrams`` draws from Python's global ``random`` module in the same order as tf_keras 2 (subsampling, the
shuffled source words of negative pairs, their random context words, then one seeded shuffle of pairs and labels),
so a notebook that seeds ``random`` gets the pairs tf_keras gives.
"""
from __future__ import annotations

import random
from typing import Any, Sequence

import numpy as np


def make_sampling_table(size: int, sampling_factor: float = 1e-5) -> np.ndarray:
    """Keep-probabilities for word ranks ``0..size-1`` (rank 1 most frequent), for ``skipgrams``' subsampling.

    Word frequencies follow Zipf's law: rank ``r`` has frequency about ``1 / (r (log r + gamma) + 1/2 - 1/(12 r))``
    (gamma = 0.577, Euler's constant). A word of frequency ``p`` is kept with probability
    ``min(1, sqrt(sampling_factor / p))`` (word2vec's subsampling).

    Example:
        >>> make_sampling_table(5).round(4).tolist()
        [0.0032, 0.0032, 0.0055, 0.0074, 0.0091]
    """
    gamma = 0.577
    rank = np.arange(size)
    rank[0] = 1
    inverse_frequency = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inverse_frequency
    return np.minimum(1.0, f / np.sqrt(f))


def skipgrams(sequence: Sequence[int], vocabulary_size: int, window_size: int = 4, negative_samples: float = 1.0,
              shuffle: bool = True, categorical: bool = False, sampling_table: Any = None, seed: int | None = None
              ) -> tuple[list[list[int]], list[Any]]:
    """(word, context) pairs within ``window_size`` (label 1) plus random negative pairs (label 0).

    Args:
        sequence: word indices; 0 is padding and never paired.
        vocabulary_size: negative context words are drawn from ``[1, vocabulary_size - 1]``.
        window_size: how far a context word may be.
        negative_samples: negatives per positive pair (a float; 0 for none).
        shuffle: shuffle pairs and labels together.
        categorical: labels as ``[0, 1]`` / ``[1, 0]`` instead of 1 / 0.
        sampling_table: keep-probability by word index (``make_sampling_table``); words are dropped at random.
        seed: the shuffling seed.

    Returns:
        ``(couples, labels)``: lists of ``[word, context]`` pairs and their labels.
    """
    if window_size < 0:
        raise ValueError(f"skipgrams: window_size must be >= 0, got {window_size}")
    couples: list[list[int]] = []
    labels: list[Any] = []
    positive = [0, 1] if categorical else 1
    for i, word in enumerate(sequence):
        if not word:
            continue
        if sampling_table is not None and sampling_table[word] < random.random():
            continue
        for j in range(max(0, i - window_size), min(len(sequence), i + window_size + 1)):
            if j != i and sequence[j]:
                couples.append([word, sequence[j]])
                labels.append(positive)
    if negative_samples > 0:
        count = int(len(labels) * negative_samples)
        sources = [c[0] for c in couples]
        random.shuffle(sources)
        couples += [[sources[i % len(sources)], random.randint(1, int(vocabulary_size - 1))] for i in range(count)]
        labels += [[1, 0] if categorical else 0 for _ in range(count)]
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(10e6))
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)  # the same permutation for the labels
        random.shuffle(labels)
    return couples, labels
