"""Keras 2's ``Tokenizer``: a word index fitted on texts, texts to index sequences and back, and bag-of-words
matrices; ``tokenizer_from_json`` restores one from ``to_json``.

The rules below are tf_keras 2's, which notebooks depend on for exact numbers:

- Words are ranked by count, most frequent first; ties keep the order in which words were first seen (a stable
  sort). Index 0 is never used; with ``oov_token`` the token takes index 1 and words start at 2.
- ``num_words`` does not shrink ``word_index``: it applies when converting. A word whose index is
  ``>= num_words`` is dropped, or becomes the OOV index when there is an ``oov_token``.
- ``sequences_to_matrix`` has ``num_words`` columns (or ``len(word_index) + 1``). Its modes: ``binary`` (1 where a
  word occurs), ``count``, ``freq`` (count / sequence length) and ``tfidf``, where
  ``tf = 1 + log(count)`` and ``idf = log(1 + document_count / (1 + docs containing the word))``.
- A text given as a list is taken as already split into words (and lowercased if ``lower``); ``char_level``
  uses each character as a word.
"""
from __future__ import annotations

import collections
import json
import warnings
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from tensorlet.preprocessing.text import DEFAULT_FILTERS, text_to_word_sequence

MODES = ("binary", "count", "tfidf", "freq")


class Tokenizer:
    """Turn texts into sequences of word indices (or bag-of-words matrices).

    Args:
        num_words: keep the ``num_words - 1`` most frequent words when converting; None keeps all.
        filters: characters removed from texts (they split words).
        lower: lowercase texts first.
        split: the word separator.
        char_level: every character is a token.
        oov_token: a token for out-of-vocabulary words (index 1); without it they are dropped.
        analyzer: a callable splitting a text into words, instead of the filters/split rules.

    Example:
        >>> tok = Tokenizer(num_words=100, oov_token="<OOV>")
        >>> tok.fit_on_texts(["I love my dog", "I love my cat", "You love my dog!"])
        >>> tok.word_index["love"], tok.texts_to_sequences(["my dog loves me"])
        (2, [[3, 5, 1, 1]])
    """

    def __init__(self, num_words: int | None = None, filters: str = DEFAULT_FILTERS, lower: bool = True,
                 split: str = " ", char_level: bool = False, oov_token: str | None = None,
                 analyzer: Callable[[str], list[str]] | None = None, **kwargs: Any) -> None:
        if "nb_words" in kwargs:
            warnings.warn("Tokenizer: the `nb_words` argument has been renamed `num_words`", stacklevel=2)
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Tokenizer got unrecognized keyword arguments {sorted(kwargs)}; it accepts num_words, "
                            "filters, lower, split, char_level, oov_token, analyzer and document_count")
        if num_words is not None and (not isinstance(num_words, (int, np.integer)) or num_words < 0):
            raise ValueError(f"Tokenizer: num_words must be a non-negative int or None, got {num_words!r}")
        self.word_counts: dict[str, int] = collections.OrderedDict()
        self.word_docs: dict[str, int] = collections.defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs: dict[int, int] = collections.defaultdict(int)
        self.word_index: dict[str, int] = {}
        self.index_word: dict[int, str] = {}
        self.analyzer = analyzer

    # -- fitting -------------------------------------------------------------------------------------
    def _words(self, text: Any) -> list[str]:
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return list(text)
        if not isinstance(text, str):
            raise TypeError(f"Tokenizer: each text must be a str (or a list of words), got {type(text).__name__}")
        if self.analyzer is not None:
            return list(self.analyzer(text))
        return text_to_word_sequence(text, filters=self.filters, lower=self.lower, split=self.split)

    def fit_on_texts(self, texts: Iterable[Any]) -> None:
        """Count words over ``texts`` (strs, or lists of words) and rebuild ``word_index``."""
        if isinstance(texts, str):
            raise TypeError("Tokenizer.fit_on_texts expects a list of texts, got a single str (wrap it in a list)")
        for text in texts:
            self.document_count += 1
            seq = self._words(text)
            for w in seq:
                self.word_counts[w] = self.word_counts.get(w, 0) + 1
            for w in set(seq):
                self.word_docs[w] += 1
        ranked = sorted(self.word_counts.items(), key=lambda wc: wc[1], reverse=True)  # stable: ties keep order
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + [w for w, _ in ranked]
        # dict(zip) as Keras builds it: an oov_token that also occurs in the texts ends up with its later index
        self.word_index = dict(zip(vocabulary, range(1, len(vocabulary) + 1)))
        self.index_word = {i: w for w, i in self.word_index.items()}
        for w, c in list(self.word_docs.items()):
            self.index_docs[self.word_index[w]] = c

    def fit_on_sequences(self, sequences: Iterable[Iterable[int]]) -> None:
        """Count, for ``tfidf``, the documents each index occurs in (for sequences made elsewhere)."""
        for seq in sequences:
            self.document_count += 1
            for i in set(seq):
                self.index_docs[i] += 1

    # -- texts <-> sequences -------------------------------------------------------------------------
    def texts_to_sequences(self, texts: Iterable[Any]) -> list[list[int]]:
        """Each text as a list of word indices (unknown words dropped, or the OOV index)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts: Iterable[Any]) -> Iterator[list[int]]:
        if isinstance(texts, str):
            raise TypeError("Tokenizer.texts_to_sequences expects a list of texts, got a single str (wrap it in a "
                            "list)")
        num_words = self.num_words
        oov_index = self.word_index.get(self.oov_token) if self.oov_token is not None else None
        for text in texts:
            vect = []
            for w in self._words(text):
                i = self.word_index.get(w)
                if i is not None:
                    if num_words and i >= num_words:
                        if oov_index is not None:
                            vect.append(oov_index)
                    else:
                        vect.append(i)
                elif oov_index is not None:
                    vect.append(oov_index)
            yield vect

    def sequences_to_texts(self, sequences: Iterable[Iterable[int]]) -> list[str]:
        """Each sequence of indices back to a space-joined text (index 0 and unknown indices are skipped)."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences: Iterable[Iterable[int]]) -> Iterator[str]:
        num_words = self.num_words
        oov_index = self.word_index.get(self.oov_token) if self.oov_token is not None else None
        for seq in sequences:
            vect = []
            for num in seq:
                num = int(num)
                word = self.index_word.get(num)
                if word is not None:
                    if num_words and num >= num_words:
                        if oov_index is not None:
                            vect.append(self.index_word[oov_index])
                    else:
                        vect.append(word)
                elif self.oov_token is not None:
                    vect.append(self.index_word[oov_index])  # type: ignore[index]
            yield " ".join(vect)

    # -- matrices ------------------------------------------------------------------------------------
    def texts_to_matrix(self, texts: Iterable[Any], mode: str = "binary") -> np.ndarray:
        """A ``(len(texts), num_words)`` float64 bag-of-words matrix (see ``sequences_to_matrix``)."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences: Iterable[Iterable[int]], mode: str = "binary") -> np.ndarray:
        """A float64 matrix with one row per sequence and one column per word index.

        Args:
            mode: ``"binary"``, ``"count"``, ``"freq"`` or ``"tfidf"`` (see the module docstring).
        """
        if mode not in MODES:
            raise ValueError(f"Tokenizer: unknown vectorization mode {mode!r}; use one of {MODES}")
        if not self.num_words:
            if not self.word_index:
                raise ValueError("Tokenizer: specify a dimension (`num_words` argument), or fit on some text data "
                                 "first")
            num_words = len(self.word_index) + 1
        else:
            num_words = self.num_words
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Tokenizer: fit the Tokenizer on some data before using tfidf mode")
        sequences = list(sequences)
        x = np.zeros((len(sequences), num_words))
        for i, seq in enumerate(sequences):
            seq = list(seq)
            if not seq:
                continue
            counts: dict[int, int] = collections.defaultdict(int)
            for j in seq:
                if j < num_words:
                    counts[int(j)] += 1
            for j, c in counts.items():
                if mode == "count":
                    x[i, j] = c
                elif mode == "freq":
                    x[i, j] = c / len(seq)
                elif mode == "binary":
                    x[i, j] = 1
                else:
                    tf = 1 + np.log(c)
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(j, 0)))
                    x[i, j] = tf * idf
        return x

    # -- serialization -------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """The arguments and fitted state; the dictionaries are JSON strings, as Keras writes them."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs: Any) -> str:
        """``{"class_name": "Tokenizer", "config": get_config()}`` as JSON (``kwargs`` go to ``json.dumps``)."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string: str) -> Tokenizer:
    """A Tokenizer from ``Tokenizer.to_json()`` output (tensorlet's or Keras')."""
    payload = json.loads(json_string)
    config = dict(payload.get("config") or {}) if isinstance(payload, dict) else {}
    if "word_index" not in config:
        raise ValueError("tokenizer_from_json: not a Tokenizer JSON (expected {'class_name': 'Tokenizer', "
                         "'config': {...}})")
    word_counts = json.loads(config.pop("word_counts"))
    word_docs = json.loads(config.pop("word_docs"))
    index_docs = {int(k): v for k, v in json.loads(config.pop("index_docs")).items()}
    index_word = {int(k): v for k, v in json.loads(config.pop("index_word")).items()}
    word_index = json.loads(config.pop("word_index"))
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = collections.OrderedDict(word_counts)
    tokenizer.word_docs = collections.defaultdict(int, word_docs)  # so that fitting more texts still works
    tokenizer.index_docs = collections.defaultdict(int, index_docs)
    tokenizer.word_index = word_index
    tokenizer.index_word = index_word
    return tokenizer
