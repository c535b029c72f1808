"""text_to_word_sequence, hashing_trick and one_hot."""
from __future__ import annotations

import hashlib

import pytest

from tensorlet.keras.preprocessing.text import hashing_trick, one_hot, text_to_word_sequence


def test_text_to_word_sequence_filters_lower_and_split():
    assert text_to_word_sequence("The cat, the hat... and THE bat!") == ["the", "cat", "the", "hat", "and", "the",
                                                                         "bat"]
    assert text_to_word_sequence("A-b c", filters="-", lower=False) == ["A", "b", "c"]
    assert text_to_word_sequence("a;b;;c", filters="", split=";") == ["a", "b", "c"]
    assert text_to_word_sequence("tab\tand\nnewline") == ["tab", "and", "newline"]
    with pytest.raises(TypeError, match="input_text must be a str"):
        text_to_word_sequence(["a list"])


def test_hashing_trick_md5_is_stable_and_in_range():
    words = ["the", "cat", "sat"]
    expected = [int(hashlib.md5(w.encode()).hexdigest(), 16) % 9 + 1 for w in words]
    assert hashing_trick("The cat sat.", 10, hash_function="md5") == expected
    assert all(1 <= i < 10 for i in hashing_trick("a b c d e f g", 10))
    assert hashing_trick("x y", 5, hash_function=len) == [2, 2]
    assert hashing_trick("x-y", 5, hash_function=len, analyzer=lambda t: t.split("-")) == [2, 2]
    with pytest.raises(ValueError, match="at least 2"):
        hashing_trick("a", 1)
    with pytest.raises(ValueError, match="hash_function"):
        hashing_trick("a", 5, hash_function="sha1")


def test_one_hot_is_hashing_with_python_hash():
    text = "the cat sat on the mat"
    out = one_hot(text, 50)
    assert len(out) == 6 and out[0] == out[4]  # the same word, the same index
    assert out == [hash(w) % 49 + 1 for w in text.split()]
