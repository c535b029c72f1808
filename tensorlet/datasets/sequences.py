"""The word-index preprocessing shared by the imdb and reuters loaders (Keras' documented ``load_data`` rules)."""
from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np


def legacy_num_words(num_words: int | None, kwargs: dict[str, Any], loader: str) -> int | None:
    """Keras 1's ``nb_words`` is ``num_words``; anything else unknown is an error naming the accepted names."""
    if "nb_words" in kwargs:
        warnings.warn(f"{loader}: `nb_words` is the Keras 1 spelling of `num_words`; use num_words=",
                      DeprecationWarning, stacklevel=3)
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"{loader} got unexpected keyword argument(s) {sorted(kwargs)}; it accepts path, num_words, "
                        "skip_top, maxlen, seed, start_char, oov_char, index_from (and test_split for reuters)")
    return num_words


def as_object_array(seqs: list[list[int]]) -> np.ndarray:
    """A 1-D object array of lists (also when every list has the same length)."""
    out = np.empty(len(seqs), dtype=object)
    for i, s in enumerate(seqs):
        out[i] = s
    return out


def prepare(groups: list[tuple[Any, np.ndarray]], num_words: int | None, skip_top: int, maxlen: int | None,
            start_char: int | None, oov_char: int | None, index_from: int, loader: str
            ) -> list[tuple[list[list[int]], np.ndarray]]:
    """Apply, to each (sequences, labels) group: ``index_from`` offset and ``start_char``; drop sequences of
    ``maxlen`` words or more; then words outside ``[skip_top, num_words)`` become ``oov_char`` (or are removed
    when it is None). ``num_words`` defaults to the largest index seen."""
    out = []
    for seqs, labels in groups:
        shifted = [([start_char] if start_char is not None else []) + [w + index_from for w in s] for s in seqs]
        if maxlen:
            keep = [i for i, s in enumerate(shifted) if len(s) < maxlen]
            shifted, labels = [shifted[i] for i in keep], labels[keep]
            if not shifted:
                raise ValueError(f"{loader}: after filtering for sequences shorter than maxlen={maxlen}, no sequence "
                                 "was kept; increase maxlen")
        out.append((shifted, labels))
    if not num_words:
        num_words = max((max(s) for seqs, _ in out for s in seqs if s), default=0)
    result = []
    for seqs, labels in out:
        if oov_char is not None:
            seqs = [[w if skip_top <= w < num_words else oov_char for w in s] for s in seqs]
        else:
            seqs = [[w for w in s if skip_top <= w < num_words] for s in seqs]
        result.append((seqs, labels))
    return result


def read_word_index(path: str) -> dict[str, int]:
    with open(path, encoding="utf-8") as f:
        index = json.load(f)
    if not isinstance(index, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in index.items()):
        raise ValueError(f"{path}: a word index is a JSON object of word -> int")
    return index
