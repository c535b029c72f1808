"""Keras 2's text helpers: ``text_to_word_sequence``, ``one_hot`` and ``hashing_trick``.

They split a text the way ``Tokenizer`` does: lowercase, turn every ``filters`` character into the ``split``
separator, split, drop empty pieces. Keras 3 replaced them with the TextVectorization layer; course notebooks
written for tf.keras 2 still call them, and their outputs here are tf_keras 2's.
"""
from __future__ import annotations

import hashlib
from typing import Callable

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text: str, filters: str = DEFAULT_FILTERS, lower: bool = True, split: str = " "
                          ) -> list[str]:
    """The words of ``input_text``: filter characters become separators, empty pieces are dropped.

    Example:
        >>> text_to_word_sequence("The cat, the hat... and THE bat!")
        ['the', 'cat', 'the', 'hat', 'and', 'the', 'bat']
    """
    if not isinstance(input_text, str):
        raise TypeError(f"text_to_word_sequence: input_text must be a str, got {type(input_text).__name__}")
    if lower:
        input_text = input_text.lower()
    table: dict[str, str | int | None] = {c: split for c in filters}
    input_text = input_text.translate(str.maketrans(table))
    return [w for w in input_text.split(split) if w]


def _md5(word: str) -> int:
    return int(hashlib.md5(word.encode()).hexdigest(), 16)


def hashing_trick(text: str, n: int, hash_function: Callable[[str], int] | str | None = None,
                  filters: str = DEFAULT_FILTERS, lower: bool = True, split: str = " ",
                  analyzer: Callable[[str], list[str]] | None = None) -> list[int]:
    """Each word hashed to an index in ``[1, n)``: ``hash(word) % (n - 1) + 1`` (0 stays free for padding).

    Args:
        hash_function: None for Python's ``hash`` (salted per process for str unless PYTHONHASHSEED is set, so
            indices change between runs, as in Keras), ``"md5"`` for a stable hash, or any callable.
        analyzer: a callable splitting the text instead of ``text_to_word_sequence``.

    Example:
        >>> hashing_trick("the cat sat", 10, hash_function="md5")
        [6, 3, 1]
    """
    if n < 2:
        raise ValueError(f"hashing_trick: n must be at least 2 (indices live in [1, n)), got {n}")
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        hash_function = _md5
    elif not callable(hash_function):
        raise ValueError(f"hashing_trick: hash_function must be None, 'md5' or a callable, got {hash_function!r}")
    seq = analyzer(text) if analyzer is not None else text_to_word_sequence(text, filters, lower, split)
    return [hash_function(w) % (n - 1) + 1 for w in seq]  # type: ignore[operator]


def one_hot(input_text: str, n: int, filters: str = DEFAULT_FILTERS, lower: bool = True, split: str = " ",
            analyzer: Callable[[str], list[str]] | None = None) -> list[int]:
    """``hashing_trick`` with Python's ``hash``: word indices in ``[1, n)`` (not one-hot vectors, despite the name).

    Example:
        >>> len(one_hot("the cat sat on the mat", 50))
        6
    """
    return hashing_trick(input_text, n, hash_function=hash, filters=filters, lower=lower, split=split,
                         analyzer=analyzer)

